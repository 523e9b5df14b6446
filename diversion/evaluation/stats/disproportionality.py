"""Disproportionality: stop-and-search rates per 1,000 people by ethnic group, and the ratio to
the White group; the share of possession outcomes that are formal by group (``outcomes``).

Rates use the people's self-defined ethnic group and the 2021 Census population (the Home Office
*Police powers and procedures: stop and search* statistics do the same). The ratio to the White
group is computed from the unrounded rates (rounding first can move a published 2.46 to 2.5).
Its 95% interval is the log (Katz/Wald) method for a ratio of two Poisson rates (Rothman,
Greenland and Lash, *Modern Epidemiology*, 3rd ed., ch. 14): exp(ln RR +/- 1.96 sqrt(1/a + 1/b)),
with a and b the two numbers of searches; the tests check it against statsmodels'
``confint_poisson_2indep(method="wald-log")`` and a hand-worked example.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._common import Z_95, DateLike, as_datetimes, as_period, period_days
from .outcomes import formal_outcome_shares

__all__ = ["StopSearchRates", "formal_outcome_shares", "rate_ratio_interval", "stop_search_rates"]

REFERENCE_GROUP = "White"
DAYS_IN_YEAR = 365.25


@dataclass(frozen=True)
class StopSearchRates:
    """``table``: one row per ethnic group with ``searches``, ``population``,
    ``rate_per_1000`` (searches per 1,000 people over the whole period), ``rate_per_1000_a_year``
    (the same scaled to a year of 365.25 days, equal to the former when the period is a year),
    ``ratio_to_reference`` and ``ratio_ci_low``/``ratio_ci_high`` (95%, log method).
    ``basis`` says in words which rate is which."""

    table: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    days: int
    reference_group: str
    basis: str


def rate_ratio_interval(
    a: float, exposure_a: float, b: float, exposure_b: float
) -> tuple[float, ...]:
    """(ratio, low, high) of the rate a/exposure_a over b/exposure_b, 95% log method."""
    if min(a, b) <= 0 or min(exposure_a, exposure_b) <= 0:
        ratio = (
            (a / exposure_a) / (b / exposure_b)
            if b > 0 and exposure_a > 0 and exposure_b > 0
            else math.nan
        )
        return (ratio, math.nan, math.nan)
    ratio = (a / exposure_a) / (b / exposure_b)
    spread = Z_95 * math.sqrt(1 / a + 1 / b)
    return (ratio, ratio * math.exp(-spread), ratio * math.exp(spread))


def stop_search_rates(
    stop_searches: pd.DataFrame,
    population: pd.DataFrame,
    *,
    start: DateLike,
    end: DateLike,
    reference_group: str = REFERENCE_GROUP,
) -> StopSearchRates:
    """Searches from ``start`` to ``end`` (both inclusive) per 1,000 people of each ethnic group.

    The caller filters both frames to the same area (scheme or local authority). Groups with no
    population (the Census has no "Not stated") get NaN rates.
    """
    first, last = as_period((start, end))
    days = period_days((first, last))
    dates = as_datetimes(stop_searches["searched_on"])
    chosen = stop_searches[(dates >= first) & (dates <= last)]
    searches = chosen.groupby("ethnic_group").size()
    people = population.groupby("ethnic_group")["population"].sum()
    groups = list(dict.fromkeys([*people.index, *searches.index]))
    table = pd.DataFrame(
        {
            "ethnic_group": groups,
            "searches": searches.reindex(groups, fill_value=0).astype(int).to_numpy(),
            "population": people.reindex(groups, fill_value=0).astype(int).to_numpy(),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(table["population"] > 0, table["searches"] / table["population"], np.nan)
    table["rate_per_1000"] = rate * 1000
    table["rate_per_1000_a_year"] = rate * 1000 * DAYS_IN_YEAR / days

    reference = table[table["ethnic_group"] == reference_group]
    if reference.empty:
        ref_searches, ref_population = 0.0, 0.0
    else:
        ref_searches = float(reference["searches"].iloc[0])
        ref_population = float(reference["population"].iloc[0])
    ratios = [
        rate_ratio_interval(row.searches, row.population, ref_searches, ref_population)
        if row.population > 0
        else (math.nan, math.nan, math.nan)
        for row in table.itertuples()
    ]
    table["ratio_to_reference"] = [r[0] for r in ratios]
    table["ratio_ci_low"] = [r[1] for r in ratios]
    table["ratio_ci_high"] = [r[2] for r in ratios]
    is_reference = table["ethnic_group"] == reference_group
    table.loc[is_reference, ["ratio_ci_low", "ratio_ci_high"]] = math.nan
    is_year = days in (365, 366)
    basis = (
        f"searches per 1,000 people over {days} days from {first.date()} to {last.date()}"
        + (" (one year)" if is_year else "; rate_per_1000_a_year scales this to a year")
        + f"; ratios are to the {reference_group} group's rate"
    )
    return StopSearchRates(
        table=table, start=first, end=last, days=days, reference_group=reference_group, basis=basis
    )
