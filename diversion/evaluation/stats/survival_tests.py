"""Comparing survival curves: the log-rank test (k groups, optionally stratified) and the median
survival time with its Brookmeyer-Crowley interval.

The log-rank test is Mantel's (1966) as R's `survival::survdiff` computes it (rho = 0): at each
distinct event time, the events expected in each group given the numbers at risk, and the
hypergeometric covariance; the statistic is (O - E)' V^- (O - E) on k - 1 degrees of freedom.
Stratified, observed, expected and the covariance are summed over the strata (survdiff with
`strata()`), so people are compared only with people in the same stratum.

The median is the first time the Kaplan-Meier curve is at or below 0.5 (lifelines' rule; R
takes the middle of a flat stretch at exactly 0.5, which these tests avoid). Its interval
(Brookmeyer and Crowley 1982) is the set of times whose pointwise 95% interval contains 0.5:
from the first time the lower limit is at or below 0.5 to the first time the upper limit is;
with the log(-log) pointwise interval of `kaplan_meier` this is R's
`survfit(..., conf.type = "log-log")` median interval and lifelines'
`median_survival_times(kmf.confidence_interval_)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class LogRank:
    statistic: float
    df: int
    p_value: float
    groups: tuple[str, ...]
    observed: tuple[float, ...]
    expected: tuple[float, ...]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"group": self.groups, "observed": self.observed, "expected": self.expected}
        )


def _one_stratum(
    times: np.ndarray, events: np.ndarray, codes: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observed, expected and covariance (k x k) within one stratum."""
    observed = np.bincount(codes, weights=events, minlength=k)
    event_times = np.unique(times[events > 0])
    if event_times.size == 0:
        return observed, np.zeros(k), np.zeros((k, k))
    # Numbers at risk just before each event time, by group: those whose time is at least it.
    order = np.argsort(times, kind="stable")
    sorted_times, sorted_codes = times[order], codes[order]
    at_risk = np.zeros((event_times.size, k))
    deaths = np.zeros((event_times.size, k))
    for g in range(k):
        mine = np.sort(sorted_times[sorted_codes == g])
        at_risk[:, g] = mine.size - np.searchsorted(mine, event_times, side="left")
        died = np.sort(times[(codes == g) & (events > 0)])
        deaths[:, g] = np.searchsorted(died, event_times, side="right") - np.searchsorted(
            died, event_times, side="left"
        )
    n = at_risk.sum(axis=1)
    d = deaths.sum(axis=1)
    share = at_risk / n[:, None]
    expected = (d[:, None] * share).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 1, d * (n - d) / (n - 1), 0.0)
    covariance = np.einsum("t,tg,th->gh", factor, share, -share)
    covariance[np.diag_indices(k)] += (factor[:, None] * share).sum(axis=0)
    return observed, expected, covariance


def log_rank(
    *,
    times: Sequence[float] | np.ndarray | pd.Series,
    events: Sequence[bool] | np.ndarray | pd.Series,
    groups: Sequence[object] | np.ndarray | pd.Series,
    strata: Sequence[object] | np.ndarray | pd.Series | None = None,
) -> LogRank:
    """The log-rank test that the survival of k groups is the same (see the module)."""
    time_arr = np.asarray(times, dtype=float)
    event_arr = np.asarray(events, dtype=float)
    group_arr = np.asarray(groups, dtype=object)
    if not (time_arr.size == event_arr.size == group_arr.size):
        raise ValueError("times, events and groups must be the same length")
    names, codes = np.unique(group_arr.astype(str), return_inverse=True)
    k = names.size
    if k < 2:
        raise ValueError("the log-rank test needs at least two groups")
    stratum_arr = (
        np.zeros(time_arr.size, dtype=int) if strata is None else np.asarray(strata, dtype=object)
    )
    observed, expected, covariance = np.zeros(k), np.zeros(k), np.zeros((k, k))
    for stratum in pd.unique(stratum_arr):
        inside = stratum_arr == stratum
        o, e, v = _one_stratum(time_arr[inside], event_arr[inside], codes[inside], k)
        observed, expected, covariance = observed + o, expected + e, covariance + v
    difference = observed - expected
    # The covariance has rank k - 1 at most: drop one group, as survdiff does.
    reduced = covariance[:-1, :-1]
    df = int(np.linalg.matrix_rank(reduced))
    statistic = float(difference[:-1] @ np.linalg.pinv(reduced) @ difference[:-1])
    p_value = float(stats.chi2.sf(statistic, df)) if df else float("nan")
    return LogRank(
        statistic=statistic,
        df=df,
        p_value=p_value,
        groups=tuple(str(n) for n in names),
        observed=tuple(float(x) for x in observed),
        expected=tuple(float(x) for x in expected),
    )


@dataclass(frozen=True)
class MedianSurvival:
    """The median time, and its 95% interval; None where the curve (or a limit) never gets to
    0.5 in the follow-up."""

    median: float | None
    ci_low: float | None
    ci_high: float | None


def _first_at_or_below_half(times: np.ndarray, values: np.ndarray) -> float | None:
    reached = np.flatnonzero(values <= 0.5 + 1e-12)
    return float(times[reached[0]]) if reached.size else None


def median_survival(table: pd.DataFrame) -> MedianSurvival:
    """From a Kaplan-Meier table (`kaplan_meier`: time, survival, ci_low, ci_high)."""
    times = table["time"].to_numpy(float)
    return MedianSurvival(
        median=_first_at_or_below_half(times, table["survival"].to_numpy(float)),
        ci_low=_first_at_or_below_half(times, table["ci_low"].to_numpy(float)),
        ci_high=_first_at_or_below_half(times, table["ci_high"].to_numpy(float)),
    )
