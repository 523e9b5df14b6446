"""What the report's sections read: the filter (scheme, period, area, the day the figures are
as of) and the frames of `frames.py`, each loaded once, when a section first asks for it.
Sections read these and nothing else; none leaves anything here for another to pick up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from diversion.evaluation.frames import population_frame
from diversion.evaluation.models import PoliceOffence, UnitCost
from diversion.evaluation.sources import LiveFrames
from diversion.evaluation.stats._common import as_datetimes
from diversion.schemes.models import Scheme


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Periods:
    """Equal-length periods either side of go-live, inside the filter."""

    go_live: dt.date
    before: tuple[dt.date, dt.date]
    after: tuple[dt.date, dt.date]

    @property
    def days(self) -> int:
        return (self.before[1] - self.before[0]).days + 1

    def label(self, which: str) -> str:
        first, last = self.before if which == "before" else self.after
        return f"{_long_date(first)} to {_long_date(last)}"


def periods_around(go_live: dt.date, start: dt.date, end: dt.date) -> Periods | None:
    """The longest equal periods before and after go-live within start..end, or None when the
    filter does not have days on both sides of go-live."""
    if not (start < go_live <= end):
        return None
    days = min((go_live - start).days, (end - go_live).days + 1)
    one = dt.timedelta(days=1)
    return Periods(
        go_live=go_live,
        before=(go_live - dt.timedelta(days=days), go_live - one),
        after=(go_live, go_live + dt.timedelta(days=days) - one),
    )


@dataclass
class Inputs:
    scheme: Scheme
    start: dt.date
    end: dt.date
    as_of: dt.date
    local_authority: str
    authorities: dict[str, str]
    referrals: pd.DataFrame
    # Where the frames come from (`snapshot.frames_source`: live tables or a snapshot), and the
    # person ids of everyone referred in the period in any area (whose offences are read).
    source: Any = None
    referred: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.source is None:
            self.source = LiveFrames(self.scheme.pk)

    @property
    def scheme_ids(self) -> list[int]:
        return [self.scheme.pk]

    @property
    def areas(self) -> list[str]:
        """The ONS codes the figures cover: the chosen local authority, or all the scheme's."""
        return [self.local_authority] if self.local_authority else list(self.authorities)

    @property
    def area_name(self) -> str:
        if self.local_authority:
            return str(self.authorities.get(self.local_authority, self.local_authority))
        return str(self.scheme.name)

    @cached_property
    def periods(self) -> Periods | None:
        return periods_around(self.scheme.go_live, self.start, self.end)

    @cached_property
    def cohort(self) -> pd.DataFrame:
        """The people referred in the period, each on their first referral in it."""
        columns = ["person_key", "index_date", "age", "sex", "ethnic_group", "local_authority"]
        if self.referrals.empty:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        first = (
            self.referrals.sort_values(["referred_on", "referral_id"])
            .drop_duplicates("person_key")
            .rename(columns={"referred_on": "index_date"})
        )
        first["index_date"] = as_datetimes(first["index_date"]).astype("datetime64[ns]")
        return first[columns].reset_index(drop=True)

    @cached_property
    def offences(self) -> pd.DataFrame:
        """Every police-recorded offence, of any date (earlier ones are prior offences), of the
        people referred in the period and of the comparison pool."""
        return self.source.offences(self.start, self.end, referred=self.referred)

    @cached_property
    def has_offences(self) -> bool:
        return PoliceOffence.objects.filter(scheme_id=self.scheme.pk).exists()

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """Possession outcomes in the period, in the areas the figures cover."""
        frame = self.source.outcomes(self.start, self.end)
        return frame[frame["local_authority"].isin(self.areas)].reset_index(drop=True)

    @cached_property
    def stop_searches(self) -> pd.DataFrame:
        frame = self.source.stop_searches(self.start, self.end)
        return frame[frame["local_authority"].isin(self.areas)].reset_index(drop=True)

    @cached_property
    def population(self) -> pd.DataFrame:
        frame = population_frame(scheme_ids=self.scheme_ids)
        return frame[frame["local_authority"].isin(self.areas)].reset_index(drop=True)

    @cached_property
    def pool(self) -> pd.DataFrame:
        """People in the police data with a possession offence in the period who were never
        diverted (in every area the police data covers: the comparison needs them)."""
        return self.source.pool(self.start, self.end)

    @cached_property
    def unit_costs(self) -> dict[str, tuple[float, str, dt.date]]:
        """Each unit cost in force at the end of the period: name -> (pounds, source, from)."""
        costs: dict[str, tuple[float, str, dt.date]] = {}
        for cost in UnitCost.objects.filter(
            scheme_id=self.scheme.pk, valid_from__lte=self.end
        ).order_by("name", "-valid_from"):
            costs.setdefault(cost.name, (float(cost.amount_pounds), cost.source, cost.valid_from))
        return costs


def long_date(day: dt.date) -> str:
    return _long_date(day)
