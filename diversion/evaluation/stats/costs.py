"""What the scheme costs per referral and per completion, and what the formal outcomes it
avoided would have cost. Every figure is a unit cost times a volume; every unit cost carries its
source, and the summary lists them all, so a reader can check or replace any assumption.

Unit costs are configured by the commissioner (e.g. the provider's contract price per referral,
the Home Office *Economic and social costs of crime* or the Unit Cost Database for a charge or a
caution); nothing here is a default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

# Unit cost names that are the scheme's own costs, and the volume each is multiplied by.
SCHEME_COST_VOLUMES = {
    "referral": "referrals",
    "assessment": "assessments",
    "course_place": "course_places",
}


@dataclass(frozen=True)
class CostSummary:
    """``assumptions``: one row per unit cost used, with ``name``, ``kind`` ("scheme" or
    "avoided"), ``unit_cost``, ``source``, ``volume`` (and what it counts) and ``total``."""

    scheme_cost: float
    cost_per_referral: float
    cost_per_completion: float
    avoided_cost: float
    net_cost: float
    assumptions: pd.DataFrame

    def assumption_lines(self) -> list[str]:
        return [
            f"{row.name}: £{row.unit_cost:,.2f} each x {row.volume:,.0f} {row.volume_of} "
            f"= £{row.total:,.2f} (source: {row.source})"
            for row in self.assumptions.itertuples()
        ]


def cost_summary(
    *,
    referrals: int,
    completions: int,
    formal_outcomes_avoided: Mapping[str, float],
    unit_costs: Mapping[str, tuple[float, str]],
    assessments: int | None = None,
    course_places: int | None = None,
) -> CostSummary:
    """Scheme cost = sum of the scheme unit costs given ("referral" x referrals, "assessment" x
    ``assessments``, "course_place" x ``course_places``, which defaults to ``completions``);
    cost per referral and per completion divide it. Avoided cost = sum over
    ``formal_outcomes_avoided`` ({"charge": 120, "court_case": 120, ...}) of count x unit cost.
    Net cost = scheme cost - avoided cost (negative: the scheme saved money on these assumptions).
    """
    for name, value in unit_costs.items():
        amount, source = value
        if not source or not str(source).strip():
            raise ValueError(f"the unit cost {name!r} needs a source")
        if amount < 0:
            raise ValueError(f"the unit cost {name!r} cannot be negative")
    missing = sorted(set(formal_outcomes_avoided) - set(unit_costs))
    if missing:
        raise ValueError(f"no unit cost for the avoided outcome(s): {', '.join(missing)}")
    if assessments is None and "assessment" in unit_costs:
        raise ValueError("a unit cost for assessments needs the number of assessments")

    volumes = {
        "referrals": referrals,
        "assessments": assessments if assessments is not None else 0,
        "course_places": course_places if course_places is not None else completions,
    }
    rows: list[tuple[str, str, float, str, float, str, float]] = []
    for name, volume_of in SCHEME_COST_VOLUMES.items():
        if name in unit_costs:
            amount, source = unit_costs[name]
            volume = volumes[volume_of]
            rows.append(("scheme", name, amount, source, volume, volume_of, amount * volume))
    for name, count in formal_outcomes_avoided.items():
        amount, source = unit_costs[name]
        rows.append(("avoided", name, amount, source, count, f"{name} avoided", amount * count))
    assumptions = pd.DataFrame(
        rows, columns=["kind", "name", "unit_cost", "source", "volume", "volume_of", "total"]
    )
    scheme_cost = float(assumptions.loc[assumptions["kind"] == "scheme", "total"].sum())
    avoided_cost = float(assumptions.loc[assumptions["kind"] == "avoided", "total"].sum())
    return CostSummary(
        scheme_cost=scheme_cost,
        cost_per_referral=scheme_cost / referrals if referrals else math.nan,
        cost_per_completion=scheme_cost / completions if completions else math.nan,
        avoided_cost=avoided_cost,
        net_cost=scheme_cost - avoided_cost,
        assumptions=assumptions,
    )
