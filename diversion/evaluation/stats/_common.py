"""Small helpers shared by the statistics modules: intervals, dates and wording."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from scipy import stats

DateLike: TypeAlias = date | datetime | pd.Timestamp | str
Period: TypeAlias = tuple[DateLike, DateLike]

Z_95 = float(stats.norm.ppf(0.975))


def as_datetimes(values: Any) -> Any:
    """`pd.to_datetime(values)`, returned as it is when it already holds datetimes (to_datetime
    inspects them one by one first, which shows at a million rows)."""
    if isinstance(values, pd.Series) and pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values)


def as_timestamp(value: DateLike) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()


def as_period(period: Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A (first day, last day) pair, both inclusive; rejects a period that ends before it starts."""
    start, end = as_timestamp(period[0]), as_timestamp(period[1])
    if end < start:
        raise ValueError(f"the period ends ({end.date()}) before it starts ({start.date()})")
    return start, end


def period_days(period: tuple[pd.Timestamp, pd.Timestamp]) -> int:
    return int((period[1] - period[0]).days) + 1


def wilson_interval(successes: float, trials: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3).

    Chosen over the normal ("Wald") interval because it stays inside [0, 1] and keeps close to
    its nominal coverage for the small counts a single local authority produces.
    """
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference_interval(
    x1: float, n1: float, x2: float, n2: float, z: float = Z_95
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p2 (Newcombe 1998, method 10)."""
    if n1 <= 0 or n2 <= 0:
        return (math.nan, math.nan)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, z)
    l2, u2 = wilson_interval(x2, n2, z)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return (low, high)


def two_proportion_p_value(x1: float, n1: float, x2: float, n2: float) -> float:
    """Two-sided p-value of the pooled two-proportion z-test of p1 = p2."""
    if n1 <= 0 or n2 <= 0:
        return math.nan
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        return 1.0 if x1 / n1 == x2 / n2 else 0.0
    statistic = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    return float(2 * stats.norm.sf(abs(statistic)))


def percent_change(before: float, after: float) -> float:
    """Relative change in percent: (after - before) / before x 100; NaN when before is 0."""
    if before == 0 or not np.isfinite(before) or not np.isfinite(after):
        return math.nan
    return (after - before) / before * 100


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def describe_pp_change(share_before: float, share_after: float, *, decimals: int = 1) -> str:
    """'fell by 33.5 percentage points (from 46.0% to 12.5%)': shares are fractions (0.46)."""
    if not (np.isfinite(share_before) and np.isfinite(share_after)):
        return "cannot be compared (no cases in one of the periods)"
    before, after = share_before * 100, share_after * 100
    change = after - before
    span = f"(from {_number(before, decimals)}% to {_number(after, decimals)}%)"
    if round(change, decimals) == 0:
        return f"did not change {span}"
    verb = "rose" if change > 0 else "fell"
    return f"{verb} by {_number(abs(change), decimals)} percentage points {span}"


def describe_percent_change(
    before: float, after: float, *, decimals: int = 0, counts: bool = False
) -> str:
    """'fell by 71%': the relative change; with counts=True adds '(from 1,000 to 290)'."""
    change = percent_change(before, after)
    if not np.isfinite(change):
        return "cannot be stated as a percentage (nothing in the earlier period)"
    span = f" (from {_number(before, 0)} to {_number(after, 0)})" if counts else ""
    if round(change, decimals) == 0:
        return f"did not change{span}"
    verb = "rose" if change > 0 else "fell"
    return f"{verb} by {_number(abs(change), decimals)}%{span}"


def p_value_text(p: float) -> str:
    """A p-value as people read it: "p < 0.001", else to three decimals ("p = 0.042")."""
    if p != p:  # NaN
        return "no p-value"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
