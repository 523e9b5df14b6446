"""Kaplan-Meier time to the first re-offence, with censoring.

Each cohort row is followed from its index date. The event is the first qualifying offence
strictly after the index date (the definitions are those of ``reoffending``); a person with no
event is censored at ``as_of`` or, when ``follow_up_days`` is given, at the end of follow-up,
whichever comes first. For ``proven`` an offence counts as an event only once its conviction or
caution is dated on or before ``as_of`` (what was known on that day), so the most recent months
understate proven re-offending: the MoJ waiting period exists for this reason.

The estimator is the product-limit estimator (Kaplan and Meier 1958) with Greenwood's variance
and the "exponential Greenwood" (log(-log)) 95% interval (Kalbfleisch and Prentice 2002,
s.1.4), the same as lifelines' default, against which the tests check every row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import Z_95, DateLike, as_datetimes, as_timestamp
from .reoffending import Definition, qualifying_offences

KM_COLUMNS = ("time", "at_risk", "events", "censored", "survival", "ci_low", "ci_high")


def durations(
    cohort: pd.DataFrame,
    offences: pd.DataFrame,
    *,
    as_of: DateLike,
    definition: Definition,
    follow_up_days: int | None = None,
) -> pd.DataFrame:
    """Per cohort row followed (index date on or before ``as_of``): ``days`` and ``event``."""
    as_of_ts = as_timestamp(as_of)
    index_dates = as_datetimes(cohort["index_date"])
    keep = index_dates.notna() & (index_dates <= as_of_ts)
    people = pd.DataFrame(
        {
            "row": np.arange(int(keep.sum())),
            "person_key": cohort.loc[keep, "person_key"].to_numpy(),
            "index_date": index_dates[keep].to_numpy(),
        }
    )
    censor_days = (as_of_ts - people["index_date"]).dt.days.to_numpy()
    if follow_up_days is not None:
        censor_days = np.minimum(censor_days, follow_up_days)

    relevant = qualifying_offences(offences, definition=definition)
    if definition == "proven":
        relevant = relevant[relevant["disposal_date"] <= as_of_ts]
    joined = people.merge(relevant[["person_key", "offence_date"]], on="person_key", how="inner")
    joined = joined[
        (joined["offence_date"] > joined["index_date"]) & (joined["offence_date"] <= as_of_ts)
    ]
    first = joined.groupby("row")["offence_date"].min()
    event_days = np.full(len(people), np.inf)
    event_days[first.index.to_numpy()] = (
        first.to_numpy() - people["index_date"].to_numpy()[first.index.to_numpy()]
    ) / np.timedelta64(1, "D")
    event = event_days <= censor_days
    days = np.where(event, event_days, censor_days).astype(int)
    return pd.DataFrame({"days": days, "event": event}, index=cohort.index[keep.to_numpy()])


def kaplan_meier(days: np.ndarray | pd.Series, event: np.ndarray | pd.Series) -> pd.DataFrame:
    """The Kaplan-Meier table: one row per distinct time at which someone had the event or was
    censored, with the number at risk just before it (KM_COLUMNS)."""
    days_arr = np.asarray(days, dtype=float)
    event_arr = np.asarray(event, dtype=bool)
    if days_arr.size == 0:
        return pd.DataFrame({column: [] for column in KM_COLUMNS})
    times, inverse = np.unique(days_arr, return_inverse=True)
    events = np.bincount(inverse, weights=event_arr, minlength=times.size).astype(int)
    removed = np.bincount(inverse, minlength=times.size).astype(int)
    at_risk = days_arr.size - np.concatenate([[0], np.cumsum(removed)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_survival = np.cumsum(np.log1p(-events / at_risk))
        greenwood_terms = events / (at_risk * (at_risk - events).astype(float))
    greenwood_terms[~np.isfinite(greenwood_terms)] = 0.0
    greenwood = np.cumsum(greenwood_terms)
    survival = np.exp(log_survival)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = Z_95 * np.sqrt(greenwood) / log_survival
        low = np.exp(-np.exp(np.log(-log_survival) - spread))
        high = np.exp(-np.exp(np.log(-log_survival) + spread))
    low[np.isnan(low)] = 1.0
    high[np.isnan(high)] = 1.0
    return pd.DataFrame(
        {
            "time": times,
            "at_risk": at_risk,
            "events": events,
            "censored": removed - events,
            "survival": survival,
            "ci_low": low,
            "ci_high": high,
        }
    )


def time_to_reoffence(
    cohort: pd.DataFrame,
    offences: pd.DataFrame,
    *,
    as_of: DateLike,
    definition: Definition,
    follow_up_days: int | None = None,
) -> pd.DataFrame:
    """Kaplan-Meier table (KM_COLUMNS) of days from the index date to the first re-offence.

    ``survival`` is the estimated share not yet re-offended after ``time`` days.
    """
    observed = durations(
        cohort, offences, as_of=as_of, definition=definition, follow_up_days=follow_up_days
    )
    return kaplan_meier(observed["days"], observed["event"])


def survival_at(table: pd.DataFrame, days: float) -> float:
    """The Kaplan-Meier estimate at ``days`` (a step function: the last row at or before it)."""
    before = table[table["time"] <= days]
    return 1.0 if before.empty else float(before["survival"].iloc[-1])
