"""England and Wales bank holidays, from the govuk-bank-holidays package's own data (no network)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from govuk_bank_holidays.bank_holidays import BankHolidays


@lru_cache(maxsize=1)
def _holidays() -> frozenset[dt.date]:
    calendar = BankHolidays(use_cached_holidays=True)
    return frozenset(
        holiday["date"]
        for holiday in calendar.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    )


def is_bank_holiday(day: dt.date) -> bool:
    return day in _holidays()
