"""Operational figures from the referrals frame (columns in `columns.REFERRALS`).

Pure functions of a DataFrame: no database, no Django, no suppression (the report applies
small-number suppression to everything it publishes). Each returns a small DataFrame with one
row per category and a `referrals` count, so an analyst can call them from a notebook on any
frame of the same shape:

    >>> from diversion.evaluation import operational
    >>> operational.funnel(referrals)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from diversion.evaluation.columns import ETHNIC_GROUPS
from diversion.evaluation.stats._common import as_datetimes

# (youngest, oldest or None, label): ages in whole years on the day of the referral.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "Under 18"),
    (18, 24, "18 to 24"),
    (25, 34, "25 to 34"),
    (35, 44, "35 to 44"),
    (45, 54, "45 to 54"),
    (55, None, "55 and over"),
)

SEXES: tuple[str, ...] = ("female", "male", "other", "not_stated")

# The funnel's stages, in order: (label, column of the frame or None for every referral).
FUNNEL_STAGES: tuple[tuple[str, str | None], ...] = (
    ("Referred", None),
    ("Assessed", "assessed"),
    ("Booked on a course", "course_booked"),
    ("Completed", "completed"),
    ("Engaged (the scheme's rule)", "engaged"),
    ("Did not engage", "not_engaged"),
)

# (label, first date column, second date column): intervals reported in days.
INTERVALS: tuple[tuple[str, str, str], ...] = (
    ("Referral to assessment", "referred_on", "assessed_on"),
    ("Referral to course", "referred_on", "course_on"),
)

MISSED_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "None"),
    (1, 1, "1"),
    (2, 2, "2"),
    (3, None, "3 or more"),
)


def age_band(age: float | int | None) -> str:
    """The age band's label for an age in whole years ("Not known" when missing)."""
    if age is None or pd.isna(age):
        return "Not known"
    for youngest, oldest, label in AGE_BANDS:
        if age >= youngest and (oldest is None or age <= oldest):
            return label
    return "Not known"


def age_bands(ages: pd.Series) -> pd.Series:
    """`age_band` of every age at once (a million ages one by one took a noticeable time)."""
    numbers = pd.to_numeric(ages, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    labels = np.full(len(numbers), "Not known", dtype=object)
    for youngest, oldest, label in AGE_BANDS:
        inside = numbers >= youngest
        if oldest is not None:
            inside &= numbers <= oldest
        labels[inside] = label
    return pd.Series(labels, index=ages.index)


def _counts(values: pd.Series, order: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Referrals per category: the known categories in `order` (zeros included), then any
    others seen in the data, largest first."""
    counted = values.fillna("Not known").astype(str).value_counts()
    categories = list(order) + [c for c in counted.index if c not in order]
    return pd.DataFrame(
        {
            "category": categories,
            "referrals": [int(counted.get(c, 0)) for c in categories],
        }
    )


def referrals_by_period(
    referrals: pd.DataFrame, *, freq: str, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Referrals per week (starting Monday) or calendar month, every period from `start` to
    `end` listed (with zeros), so gaps show as gaps rather than disappearing."""
    if freq not in {"week", "month"}:
        raise ValueError("freq is 'week' or 'month'")
    pandas_freq = "W-MON" if freq == "week" else "MS"
    first = pd.Timestamp(start)
    first = first - pd.Timedelta(days=first.weekday()) if freq == "week" else first.replace(day=1)
    periods = pd.date_range(first, pd.Timestamp(end), freq=pandas_freq)
    dates = as_datetimes(referrals["referred_on"])
    if freq == "week":
        starts = dates - pd.to_timedelta(dates.dt.weekday, unit="D")
    else:
        starts = dates.dt.to_period("M").dt.to_timestamp()
    counted = starts.dt.normalize().value_counts()
    return pd.DataFrame(
        {
            "period": [p.date().isoformat() for p in periods],
            "referrals": [int(counted.get(p, 0)) for p in periods],
        }
    )


def referrals_by(referrals: pd.DataFrame, column: str) -> pd.DataFrame:
    """Referrals per value of one column (local_authority, how_found, main_drug, sex,
    ethnic_group), with the known categories first."""
    order: tuple[str, ...] = ()
    if column == "sex":
        order = SEXES
    elif column == "ethnic_group":
        order = ETHNIC_GROUPS
    return _counts(referrals[column], order)


def referrals_by_age_band(referrals: pd.DataFrame) -> pd.DataFrame:
    labels = [label for _y, _o, label in AGE_BANDS]
    return _counts(age_bands(referrals["age"]), labels)


def funnel(referrals: pd.DataFrame) -> pd.DataFrame:
    """How many reached each stage, and that as a percentage of those referred."""
    total = len(referrals)
    rows = []
    for label, column in FUNNEL_STAGES:
        count = total if column is None else int(referrals[column].fillna(False).astype(bool).sum())
        rows.append(
            {
                "stage": label,
                "referrals": count,
                "percent": round(100 * count / total, 1) if total else None,
            }
        )
    return pd.DataFrame(rows)


def days_between(referrals: pd.DataFrame) -> pd.DataFrame:
    """Days from referral to assessment and to course: how many people each covers, and the
    median and quartiles (only those who reached that step)."""
    rows = []
    for label, first, second in INTERVALS:
        days = (as_datetimes(referrals[second]) - as_datetimes(referrals[first])).dt.days.dropna()
        rows.append(
            {
                "interval": label,
                "referrals": len(days),
                "median_days": float(days.median()) if len(days) else None,
                "lower_quartile_days": float(days.quantile(0.25)) if len(days) else None,
                "upper_quartile_days": float(days.quantile(0.75)) if len(days) else None,
            }
        )
    return pd.DataFrame(rows)


def missed_appointments(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals by how many appointments the person missed."""
    missed = referrals["missed_appointments"].fillna(0).astype(int)
    rows = []
    for fewest, most, label in MISSED_BANDS:
        chosen = (missed >= fewest) & (missed <= most if most is not None else True)
        rows.append({"missed": label, "referrals": int(chosen.sum())})
    return pd.DataFrame(rows)


def missed_appointments_total(referrals: pd.DataFrame) -> int:
    return int(referrals["missed_appointments"].fillna(0).astype(int).sum())
