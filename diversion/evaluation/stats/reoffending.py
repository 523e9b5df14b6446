"""Re-offending within a fixed window after the index date (the referral, or the pool's offence).

Three definitions, all counted per cohort row (one row per person and index date):

- ``police_any``: any police-recorded offence strictly after the index date and no later than
  the end of the window;
- ``police_possession``: the same, counting only possession offences (92D, 92E);
- ``proven``: the Ministry of Justice proven re-offending measure: "any offence committed in a
  one year follow-up period that leads to a court conviction or caution in the one year
  follow-up or within a further six month waiting period" (Ministry of Justice, *Guide to Proven
  Reoffending Statistics*, and the quarterly *Proven Reoffending Statistics* bulletins, section
  "How is proven reoffending measured?"). We apply it with the caller's window (6 or 12 months):
  the offence is committed in the window and its conviction or caution is dated no later than
  six months after the window ends.

A person counts (is "eligible") only once their whole window has passed by ``as_of``, and for
``proven`` only once the further six-month waiting period has passed too; otherwise a recent
cohort would look better than it is simply because time has not run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from ._common import DateLike, as_datetimes, as_timestamp, wilson_interval

Definition = Literal["police_any", "police_possession", "proven"]
DEFINITIONS: tuple[str, ...] = get_args(Definition)
PROVEN_WAITING_MONTHS = 6
PROVEN_DISPOSALS = frozenset({"conviction", "caution"})


@dataclass(frozen=True)
class ReoffendingRate:
    """The share of eligible people who re-offended, with its 95% Wilson score interval.

    ``cohort`` is every row given; ``eligible`` those whose window (and waiting period) has
    passed by ``as_of``; ``rate`` is reoffended / eligible (NaN when nobody is eligible).
    """

    definition: str
    months: int
    as_of: pd.Timestamp
    cohort: int
    eligible: int
    reoffended: int
    rate: float
    ci_low: float
    ci_high: float

    @property
    def not_reoffended_rate(self) -> float:
        return 1 - self.rate

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_definition(definition: str) -> None:
    if definition not in DEFINITIONS:
        raise ValueError(f"definition must be one of {', '.join(DEFINITIONS)}, not {definition!r}")


def qualifying_offences(offences: pd.DataFrame, *, definition: str) -> pd.DataFrame:
    """The offences that can count under the definition (possession only; proven only)."""
    _check_definition(definition)
    if definition == "police_possession":
        return offences[offences["is_possession"].astype(bool)]
    if definition == "proven":
        proven = offences["disposal"].isin(PROVEN_DISPOSALS) & offences["disposal_date"].notna()
        return offences[proven]
    return offences


def window_end(index_dates: pd.Series, months: int) -> pd.Series:
    """The last day of the window: the index date plus ``months`` calendar months."""
    return index_dates + pd.DateOffset(months=months)


def reoffending_flags(
    cohort: pd.DataFrame,
    offences: pd.DataFrame,
    *,
    as_of: DateLike,
    months: int,
    definition: Definition,
) -> pd.DataFrame:
    """Per cohort row: ``eligible`` (window passed) and ``reoffended`` (within the window).

    Returned in the cohort's index order, so the caller can set ``COHORT.reoffended`` from it.
    ``reoffended`` is also set for rows that are not yet eligible (what is known so far); count
    only eligible rows.
    """
    _check_definition(definition)
    if months <= 0:
        raise ValueError("months must be a positive number of months")
    as_of_ts = as_timestamp(as_of)
    index_dates = as_datetimes(cohort["index_date"])
    ends = window_end(index_dates, months)
    known_by = window_end(ends, PROVEN_WAITING_MONTHS) if definition == "proven" else ends
    eligible = (known_by <= as_of_ts) & index_dates.notna()

    people = pd.DataFrame(
        {
            "row": np.arange(len(cohort)),
            "person_key": cohort["person_key"].to_numpy(),
            "index_date": index_dates.to_numpy(),
            "window_end": ends.to_numpy(),
            "known_by": known_by.to_numpy(),
        }
    )
    relevant = qualifying_offences(offences, definition=definition)
    columns = ["person_key", "offence_date"] + (["disposal_date"] if definition == "proven" else [])
    joined = people.merge(relevant[columns], on="person_key", how="inner")
    hit = (joined["offence_date"] > joined["index_date"]) & (
        joined["offence_date"] <= joined["window_end"]
    )
    if definition == "proven":
        hit &= joined["disposal_date"] <= joined["known_by"]
    reoffended = np.zeros(len(cohort), dtype=bool)
    reoffended[joined.loc[hit, "row"].to_numpy()] = True
    return pd.DataFrame(
        {"eligible": eligible.to_numpy(), "reoffended": reoffended}, index=cohort.index
    )


def reoffending_rate(
    cohort: pd.DataFrame,
    offences: pd.DataFrame,
    *,
    as_of: DateLike,
    months: int,
    definition: Definition,
) -> ReoffendingRate:
    """The re-offending rate of ``cohort`` (``person_key``, ``index_date``) over ``months``.

    ``offences`` has the OFFENCES columns. Only offences strictly after the index date count;
    see the module docstring for the definitions and the eligibility rule.
    """
    flags = reoffending_flags(cohort, offences, as_of=as_of, months=months, definition=definition)
    eligible = int(flags["eligible"].sum())
    reoffended = int((flags["eligible"] & flags["reoffended"]).sum())
    low, high = wilson_interval(reoffended, eligible)
    return ReoffendingRate(
        definition=definition,
        months=months,
        as_of=as_timestamp(as_of),
        cohort=len(cohort),
        eligible=eligible,
        reoffended=reoffended,
        rate=reoffended / eligible if eligible else float("nan"),
        ci_low=low,
        ci_high=high,
    )
