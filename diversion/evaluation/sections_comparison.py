"""The report's matched comparison (in the manner of the Justice Data Lab) and costs.

Both are functions of their inputs: the comparison is kept in the cache, or worked out by the
background worker, by the report (`report.py`), and costs are handed the formal outcomes
before and after go-live that the outcomes section publishes (`sections_police.outcome_figures`).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from diversion.evaluation.inputs import Inputs, long_date
from diversion.evaluation.models import UnitCostName
from diversion.evaluation.sections_police import OutcomeFigures, no_police_data
from diversion.evaluation.sections_survival import matched_survival_table
from diversion.evaluation.stats import (
    MatchedComparison,
    cost_summary,
    formal_outcomes_avoided,
    matched_comparison,
    reoffending_flags,
)
from diversion.evaluation.stats._common import as_datetimes
from diversion.evaluation.stats.matching import MIN_MATCHED
from diversion.evaluation.suppression import SUPPRESSED, THRESHOLD
from diversion.evaluation.tables import (
    Column,
    Section,
    Table,
    plain_rows,
    published,
    rounded,
    suppress_counts,
)

MATCHING = "matching"
COSTS = "costs"
MATCH_MONTHS = 6
COVARIATE_LABELS = {
    "distance (logit)": "Propensity score (logit)",
    "distance (propensity)": "Propensity score",
    "age": "Age",
    "prior_offences": "Earlier offences",
    "prior_possession": "Earlier possession offences",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "local_authority": "Local authority",
}


# --- The matched comparison ----------------------------------------------------------------------


def comparison_cohort(inputs: Inputs) -> pd.DataFrame:
    """The diverted (first referral in the period) and the never-diverted pool, with prior
    offences, and re-offending within six months, keeping only people whose six months have
    passed (columns.COHORT)."""
    treated = inputs.cohort.assign(treated=True)
    pool = inputs.pool
    pool = pool[~pool["person_key"].isin(treated["person_key"])]
    people = pd.concat([treated, pool[list(treated.columns)]], ignore_index=True)
    people["index_date"] = as_datetimes(people["index_date"]).astype("datetime64[ns]")
    people["treated"] = people["treated"].astype(bool)
    offences = inputs.offences
    history = offences[["person_key", "offence_date", "is_possession"]].merge(
        people[["person_key", "index_date"]], on="person_key"
    )
    before = history[history["offence_date"] < history["index_date"]]
    prior = before.groupby("person_key").agg(
        prior_offences=("offence_date", "size"), prior_possession=("is_possession", "sum")
    )
    people = people.merge(prior, left_on="person_key", right_index=True, how="left")
    people["prior_offences"] = people["prior_offences"].fillna(0).astype("int64")
    people["prior_possession"] = people["prior_possession"].fillna(0).astype("int64")
    people["age"] = pd.to_numeric(people["age"], errors="coerce")
    flags = reoffending_flags(
        people, offences, as_of=inputs.as_of, months=MATCH_MONTHS, definition="police_any"
    )
    people["reoffended"] = flags["reoffended"]
    return people[flags["eligible"].to_numpy()].reset_index(drop=True)


def matching_section(inputs: Inputs) -> Section:
    title = "Matched comparison"
    if not inputs.has_offences:
        return Section(MATCHING, title, [], unavailable=no_police_data("police records", inputs))
    cohort = comparison_cohort(inputs)
    n_treated = int(cohort["treated"].sum())
    if n_treated == 0:
        return Section(
            MATCHING,
            title,
            [],
            unavailable="Nobody referred in the period has had six months pass yet, so there "
            "is no one to compare.",
        )
    if n_treated == len(cohort):
        return Section(
            MATCHING,
            title,
            [],
            unavailable="The police data holds no one with a possession offence in the period "
            "who was not diverted, so there is no one to compare with.",
        )
    try:
        result = matched_comparison(cohort)
    except ValueError as error:
        return Section(
            MATCHING, title, [], unavailable=f"The comparison could not be made: {error}."
        )
    tables = [
        _sizes_table(result),
        _result_table(result, inputs),
        matched_survival_table(result, cohort, inputs),
        _balance_table(result),
    ]
    return Section(MATCHING, title, tables, summary=[tables[1].reading, tables[2].reading])


def _sizes_table(result: MatchedComparison) -> Table:
    steps = [
        ("Diverted, six months passed", result.n_treated),
        ("Not diverted (the pool), six months passed", result.n_pool),
        ("Diverted set aside (missing details or an area no one in the pool shares)",
         result.n_treated_excluded),
        ("Diverted outside the pool's range of scores (common support)",
         result.n_treated_off_support),
        ("Diverted with no match within the caliper", result.n_treated_unmatched),
        ("Diverted matched", result.n_treated_matched),
        ("Comparison people matched", result.n_controls_matched),
    ]  # fmt: skip
    rows = suppress_counts(
        pd.DataFrame([{"step": s, "people": n} for s, n in steps]),
        count_columns=["people"],
        adds_up=False,
    )
    return Table(
        key="matching_sizes",
        title="Who was compared",
        columns=[Column("step", "Step"), Column("people", "People", True)],
        rows=rows,
        notes=[
            "The pool is everyone in the police data with a possession offence in the period who "
            "was never diverted, followed from that offence; the diverted are followed from "
            "their first referral in the period.",
        ],
    )


def _result_table(result: MatchedComparison, inputs: Inputs) -> Table:
    small = result.n_treated_matched < THRESHOLD
    rows: list[dict[str, Any]] = [
        {
            "measure": f"Re-offended within {MATCH_MONTHS} months (any police-recorded offence)",
            "treated": rounded(result.treated_rate * 100, 1),
            "comparison": rounded(result.comparison_rate * 100, 1),
            "difference": rounded(result.difference * 100, 1),
            "ci_low": rounded(result.ci_low * 100, 1),
            "ci_high": rounded(result.ci_high * 100, 1),
            "p_value": rounded(result.p_value, 4),
        }
    ]
    if small:
        rows = [{k: (v if k == "measure" else SUPPRESSED) for k, v in rows[0].items()}]
        reading = "Too few people were matched to publish the comparison."
    else:
        reading = result.describe()
    warnings = list(result.warnings)
    notes = [
        f"Re-offending is any police-recorded offence within {MATCH_MONTHS} months, counting only "
        f"people whose six months had passed by {long_date(inputs.as_of)}.",
        "Propensity scores from a logistic regression on age, sex, ethnic group, earlier "
        "offences, earlier possession offences and local authority; nearest-neighbour matching "
        f"on the logit, one to one, without replacement, caliper {result.caliper} standard "
        "deviations of the logit; interval and p-value with standard errors clustered by "
        "matched pair.",
    ]
    if small:
        notes.append(f"Fewer than {THRESHOLD} people were matched, so nothing is published.")
    else:
        notes.extend(f"Warning: {w}" for w in warnings)
        if result.n_treated_matched < MIN_MATCHED and not any("Only" in w for w in warnings):
            notes.append(f"Warning: fewer than {MIN_MATCHED} diverted people were matched.")
    return Table(
        key="matching_result",
        title="Re-offending: diverted and matched comparison",
        columns=[
            Column("measure", "Measure"),
            Column("treated", "Diverted, matched (%)", True, "1dp"),
            Column("comparison", "Matched comparison (%)", True, "1dp"),
            Column("difference", "Difference (percentage points)", True, "1dp"),
            Column("ci_low", "95% CI: lower (points)", True, "1dp"),
            Column("ci_high", "95% CI: upper (points)", True, "1dp"),
            Column("p_value", "p-value", True, "p"),
        ],
        rows=rows,
        reading=reading,
        notes=notes,
    )


def _balance_table(result: MatchedComparison) -> Table:
    balance = result.balance
    frame = pd.DataFrame(
        {
            "covariate": [
                COVARIATE_LABELS.get(c, c) + (f": {lvl}" if lvl else "")
                for c, lvl in zip(balance["covariate"], balance["level"], strict=True)
            ],
            "smd_before": [rounded(v, 3) for v in balance["smd_before"]],
            "smd_after": [rounded(v, 3) for v in balance["smd_after"]],
            "vr_before": [rounded(v, 2) for v in balance["variance_ratio_before"]],
            "vr_after": [rounded(v, 2) for v in balance["variance_ratio_after"]],
            "balanced": ["Yes" if b else "No" for b in balance["balanced_after"]],
        }
    )
    rows = plain_rows(frame)
    if result.n_treated_matched < THRESHOLD:
        for row in rows:
            for column in ("smd_after", "vr_after", "balanced"):
                row[column] = SUPPRESSED
    imbalanced = sum(1 for r in rows if r["balanced"] == "No")
    return Table(
        key="matching_balance",
        title="Balance before and after matching",
        columns=[
            Column("covariate", "Characteristic"),
            Column("smd_before", "Standardised mean difference: before", True, "2dp"),
            Column("smd_after", "Standardised mean difference: after", True, "2dp"),
            Column("vr_before", "Variance ratio: before", True, "2dp"),
            Column("vr_after", "Variance ratio: after", True, "2dp"),
            Column("balanced", "Balanced after matching"),
        ],
        rows=rows,
        reading=(
            "Every characteristic is balanced after matching."
            if imbalanced == 0
            else f"{imbalanced} characteristics are still imbalanced after matching."
        ),
        notes=[
            "Balanced: a standardised mean difference under 0.1 and, for numbers, a variance "
            "ratio between 0.5 and 2. Variance ratios apply to numbers only."
        ],
    )


# --- Costs ---------------------------------------------------------------------------------------

# UnitCost name -> (the name cost_summary knows, what it is multiplied by, in words).
SCHEME_COSTS = {
    "diversion_referral": ("referral", "referrals in the period"),
    "assessment": ("assessment", "assessments"),
    "course_place": ("course_place", "course places (completions)"),
}
AVOIDED = ("charge", "caution", "penalty_notice")


def costs_section(inputs: Inputs, outcomes: OutcomeFigures | None) -> Section:
    """Costs, with the formal outcomes avoided worked out from `outcomes` (the figures the
    outcomes section publishes) where the period allows the comparison."""
    title = "Costs"
    costs = inputs.unit_costs
    if not costs:
        return Section(
            COSTS,
            title,
            [],
            unavailable=f"No unit costs are set for {inputs.scheme.name} on "
            f"{long_date(inputs.end)}, so costs cannot be worked out. An administrator can "
            "import them with diversion import_police_data.",
        )
    referrals = inputs.referrals
    volumes = {
        "referrals": len(referrals),
        "assessments": int(referrals["assessed"].astype(bool).sum()) if len(referrals) else 0,
        "completions": int(referrals["completed"].astype(bool).sum()) if len(referrals) else 0,
    }
    unit_costs: dict[str, tuple[float, str]] = {}
    for name, (known_as, _words) in SCHEME_COSTS.items():
        if name in costs:
            unit_costs[known_as] = (costs[name][0], costs[name][1])
    notes: list[str] = []
    avoided: dict[str, float] = {}
    hidden_avoided: set[str] = set()
    if outcomes is not None:
        for name, count in formal_outcomes_avoided(outcomes.shares).items():
            row = outcomes.row(name)
            if not (published(row.get("count_before")) and published(row.get("count_after"))):
                hidden_avoided.add(name)  # worked out from a suppressed count
            if name in costs:
                avoided[name] = count
                unit_costs[name] = (costs[name][0], costs[name][1])
            else:
                notes.append(f"No unit cost for a {name.replace('_', ' ')}: left out.")
    else:
        notes.append(
            "Formal outcomes avoided need the comparison before and after go-live, which the "
            "period chosen does not allow; only the scheme's own costs are shown."
        )
    summary = cost_summary(
        referrals=volumes["referrals"],
        completions=volumes["completions"],
        assessments=volumes["assessments"],
        formal_outcomes_avoided=avoided,
        unit_costs=unit_costs,
    )
    labels = dict(UnitCostName.choices)
    back = {known_as: name for name, (known_as, _w) in SCHEME_COSTS.items()}
    words = {known_as: w for _n, (known_as, w) in SCHEME_COSTS.items()}
    assumption_rows = []
    for row in summary.assumptions.itertuples():
        model_name = back.get(str(row.name), str(row.name))
        is_count = row.kind == "scheme"
        volume = row.volume
        small = (is_count and 0 < volume < THRESHOLD) or model_name in hidden_avoided
        assumption_rows.append(
            {
                "cost": str(labels.get(model_name, model_name)),
                "kind": "The scheme's cost" if is_count else "Formal outcome avoided",
                "unit_cost": rounded(row.unit_cost, 2),
                "volume": SUPPRESSED if small else rounded(volume, 1),
                "volume_of": words.get(str(row.name), f"fewer {model_name.replace('_', ' ')}s"),
                "total": SUPPRESSED if small else rounded(row.total, 2),
                "source": f"{row.source} (from {long_date(costs[model_name][2])})",
            }
        )
    completions_small = 0 < volumes["completions"] < THRESHOLD
    any_small = any(
        r["volume"] == SUPPRESSED for r in assumption_rows if r["kind"] == "The scheme's cost"
    )
    avoided_hidden = bool(hidden_avoided & set(avoided))
    figures = [
        ("The scheme's cost", summary.scheme_cost, any_small),
        ("Cost per referral", summary.cost_per_referral, any_small),
        ("Cost per completion", summary.cost_per_completion, any_small or completions_small),
        ("Formal outcomes avoided: their cost", summary.avoided_cost, avoided_hidden),
        ("Net cost (scheme cost less avoided cost)", summary.net_cost, any_small or avoided_hidden),
    ]
    figure_rows = [
        {"figure": name, "pounds": SUPPRESSED if hidden else rounded(value, 2)}
        for name, value, hidden in figures
    ]
    net = summary.net_cost
    reading = ""
    if not any_small and math.isfinite(summary.cost_per_referral):
        reading = f"The scheme cost £{summary.cost_per_referral:,.2f} per referral"
        if avoided and math.isfinite(net) and not avoided_hidden:
            saving = "saved" if net < 0 else "cost"
            reading += (
                f"; after the formal outcomes it avoided, it {saving} £{abs(net):,.2f} in all "
                "on these assumptions"
            )
        reading += "."
    return Section(
        COSTS,
        title,
        [
            Table(
                key="costs",
                title="What the scheme cost",
                columns=[Column("figure", "Figure"), Column("pounds", "Pounds", True, "money")],
                rows=figure_rows,
                reading=reading,
                notes=notes,
            ),
            Table(
                key="cost_assumptions",
                title="Every assumption behind the costs",
                columns=[
                    Column("cost", "Unit cost"),
                    Column("kind", "Kind"),
                    Column("unit_cost", "Each", True, "money"),
                    Column("volume", "How many", True, "1dp"),
                    Column("volume_of", "Of what"),
                    Column("total", "Total", True, "money"),
                    Column("source", "Source"),
                ],
                rows=assumption_rows,
                notes=[
                    "Each unit cost is the one in force at the end of the period. Outcomes "
                    "avoided are the formal outcomes before go-live less those after, scaled to "
                    "the same length of time, in the areas chosen: they assume the change is "
                    "the scheme's doing."
                ],
            ),
        ],
        summary=[reading] if reading else [],
    )


__all__ = [
    "COSTS",
    "MATCHING",
    "comparison_cohort",
    "costs_section",
    "matching_section",
]
