"""The report's sections from the police data: re-offending (and time to re-offence) and formal
outcomes before and after go-live (disproportionality is in `sections_disproportionality`).

Each builds published tables from the statistics in `stats` (which do the arithmetic and are
tested against statsmodels and lifelines) and says plainly when the data it needs is missing.
Each is a function of its inputs only: the formal outcomes that costs also need are worked out
once (`outcome_figures`) and handed to both sections by the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from diversion.evaluation import charts
from diversion.evaluation.inputs import Inputs, Periods, long_date
from diversion.evaluation.models import PossessionOutcome
from diversion.evaluation.sections_survival import median_sentence
from diversion.evaluation.stats import (
    describe_percent_change,
    describe_pp_change,
    outcome_shares,
    reoffending_rate,
)
from diversion.evaluation.stats._common import as_datetimes
from diversion.evaluation.stats.reoffending import Definition
from diversion.evaluation.stats.survival import durations, kaplan_meier
from diversion.evaluation.suppression import THRESHOLD
from diversion.evaluation.tables import (
    Column,
    Section,
    Table,
    published,
    rounded,
    suppress_counts,
)

REOFFENDING = "reoffending"
OUTCOMES = "outcomes"
DISPROPORTIONALITY = "disproportionality"

WINDOWS = (6, 12)
MEASURES: tuple[tuple[Definition, str], ...] = (
    ("police_any", "any police-recorded offence"),
    ("police_possession", "drug possession offence only"),
    ("proven", "proven re-offence (Ministry of Justice)"),
)
# Days after the referral at which the Kaplan-Meier curve is published (about monthly to a year).
CURVE_DAYS = (0, 30, 61, 91, 122, 152, 182, 213, 243, 274, 304, 335, 365)


def pct(value: float) -> float | None:
    return rounded(value * 100, 1)


def no_police_data(what: str, inputs: Inputs) -> str:
    return (
        f"No {what} have been imported for {inputs.scheme.name}, so these figures cannot be "
        "made. An administrator can import them with diversion import_police_data."
    )


# --- Re-offending --------------------------------------------------------------------------------


def reoffending_section(inputs: Inputs) -> Section:
    title = "Re-offending"
    if not inputs.has_offences:
        return Section(REOFFENDING, title, [], unavailable=no_police_data("police records", inputs))
    if inputs.cohort.empty:
        return Section(REOFFENDING, title, [], unavailable="No one was referred in the period.")
    cohort, offences = _followed(inputs.cohort, inputs.offences)
    rows = []
    for months in WINDOWS:
        for definition, label in MEASURES:
            rate = reoffending_rate(
                cohort, offences, as_of=inputs.as_of, months=months, definition=definition
            )
            rows.append(
                {
                    "measure": f"{months} months: {label}",
                    "eligible": rate.eligible,
                    "reoffended": rate.reoffended,
                    "not_reoffended": rate.eligible - rate.reoffended,
                    "rate": pct(rate.rate),
                    "ci_low": pct(rate.ci_low),
                    "ci_high": pct(rate.ci_high),
                }
            )
    frame = pd.DataFrame(rows)
    from_counts = ["reoffended", "not_reoffended"]
    published_rows = suppress_counts(
        frame,
        count_columns=from_counts,
        total_columns=["eligible"],
        derived={"rate": from_counts, "ci_low": from_counts, "ci_high": from_counts},
        adds_up=False,
    )
    first = published_rows[0]
    if published(first["rate"]):
        reading = (
            f"Of the {first['eligible']:,} people referred whose six months have passed, "
            f"{100 - first['rate']:.1f}% were not recorded for any offence within six months."
        )
    elif first["eligible"] == 0:
        reading = "Nobody referred in the period has had six months pass yet."
    else:
        reading = "Too few people have had six months pass to publish a rate."
    rates = Table(
        key="reoffending_rates",
        title="Re-offending within 6 and 12 months of referral",
        columns=[
            Column("measure", "Window and measure"),
            Column("eligible", "People whose window has passed", True),
            Column("reoffended", "Re-offended", True),
            Column("not_reoffended", "Did not re-offend", True),
            Column("rate", "Re-offending rate (%)", True, "1dp"),
            Column("ci_low", "95% CI: lower (%)", True, "1dp"),
            Column("ci_high", "95% CI: upper (%)", True, "1dp"),
        ],
        rows=published_rows,
        reading=reading,
        notes=[
            f"People referred from {long_date(inputs.start)} to {long_date(inputs.end)}, each "
            "counted once from their first referral in the period. Only people whose whole "
            f"window has passed by {long_date(inputs.as_of)} are counted; for proven "
            "re-offending the further six-month waiting period must have passed too.",
            "Proven re-offending follows the Ministry of Justice: an offence in the window that "
            "led to a conviction or caution within the window or the six months after it.",
            "The interval is the 95% Wilson score interval.",
        ],
        chart=charts.bar_chart(
            rows=published_rows,
            category="measure",
            value="rate",
            title="Re-offending rate (%)",
            category_title="Window and measure",
            value_title="Re-offending rate (%)",
        ),
    )
    curve = _survival_table(inputs, cohort, offences)
    return Section(REOFFENDING, title, [rates, curve], summary=[reading, curve.reading])


# Twelve calendar months are at most 366 days: no window or curve here looks further.
_LONGEST_LOOK = pd.Timedelta(days=366)


def _followed(cohort: pd.DataFrame, offences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cohort and only the offences that can count (each person's in the year after their
    referral), both keyed by a number per person instead of the `person_key` string: the six
    rates and the curve then join on integers (the same figures, several times faster for a
    scheme of a million referrals)."""
    number = pd.Index(cohort["person_key"]).get_indexer(offences["person_key"])  # or -1
    ours = number >= 0
    index_dates = cohort["index_date"].to_numpy()[number[ours]]
    dates = offences["offence_date"].to_numpy()[ours]
    keep = (dates > index_dates) & (dates <= index_dates + _LONGEST_LOOK.to_timedelta64())
    after = offences[ours][keep]
    return (
        cohort.assign(person_key=range(len(cohort))),
        after.assign(person_key=number[ours][keep]),
    )


def _survival_table(inputs: Inputs, cohort: pd.DataFrame, offences: pd.DataFrame) -> Table:
    """The Kaplan-Meier curve, from the cohort and offences `_followed` keeps."""
    observed = durations(
        cohort,
        offences,
        as_of=inputs.as_of,
        definition="police_any",
        follow_up_days=CURVE_DAYS[-1],
    )
    km = kaplan_meier(observed["days"], observed["event"])
    days = observed["days"].to_numpy()
    event = observed["event"].to_numpy()
    rows = []
    for day in CURVE_DAYS:
        before = km[km["time"] <= day]
        last = before.iloc[-1] if len(before) else None
        rows.append(
            {
                "days": day,
                "at_risk": int((days >= day).sum()),
                "reoffended_by": int((event & (days <= day)).sum()),
                "not_reoffended": pct(last["survival"] if last is not None else 1.0),
                "ci_low": pct(last["ci_low"]) if last is not None else None,
                "ci_high": pct(last["ci_high"]) if last is not None else None,
            }
        )
    counts = ["at_risk", "reoffended_by"]
    published_rows = suppress_counts(
        pd.DataFrame(rows),
        count_columns=counts,
        derived={"not_reoffended": counts, "ci_low": counts, "ci_high": counts},
        adds_up=False,
        row_totals=False,
    )
    at_half_year = next(r for r in published_rows if r["days"] == 182)
    reading = (
        f"An estimated {at_half_year['not_reoffended']:.1f}% had no police-recorded offence "
        "182 days after referral, counting everyone for as long as they have been followed."
        if published(at_half_year["not_reoffended"])
        else "Too few people have been followed for six months to publish the estimate."
    )
    median = median_sentence(km, "the people referred")
    return Table(
        key="time_to_reoffence",
        title="Time to re-offence (Kaplan-Meier)",
        columns=[
            Column("days", "Days after referral", True),
            Column("at_risk", "Still followed", True),
            Column("reoffended_by", "Re-offended by then", True),
            Column("not_reoffended", "Estimated not re-offended (%)", True, "1dp"),
            Column("ci_low", "95% CI: lower (%)", True, "1dp"),
            Column("ci_high", "95% CI: upper (%)", True, "1dp"),
        ],
        rows=published_rows,
        reading=reading,
        notes=[
            "Kaplan-Meier estimate of the share with no police-recorded offence, following each "
            f"person from referral to their first offence, {long_date(inputs.as_of)} or a year, "
            "whichever comes first (censoring). The interval is the log(-log) 95% interval.",
            *([median] if median else []),
        ],
        chart=charts.line_chart(
            rows=published_rows,
            x="days",
            y="not_reoffended",
            title="Share not re-offended (%)",
            x_title="Days after referral",
            y_title="Not re-offended (%)",
            y_domain=(0, 100),
        ),
    )


# --- Formal outcomes before and after go-live ----------------------------------------------------


def no_go_live_comparison(inputs: Inputs) -> str:
    go_live = inputs.scheme.go_live
    return (
        f"{inputs.scheme.name} went live on {long_date(go_live)}. The period chosen does not have "
        "days both before and after that date, so there is nothing to compare: choose a period "
        f"that starts before {long_date(go_live)} and ends after it."
    )


@dataclass(frozen=True)
class OutcomeFigures:
    """Possession outcomes before and after go-live, as published: the outcomes section shows
    them, and costs count the formal outcomes avoided from them."""

    periods: Periods
    shares: pd.DataFrame  # stats.outcome_shares: one row per outcome group
    rows: list[dict[str, Any]]  # the same, published (suppressed), in the same order

    def row(self, group: str) -> dict[str, Any]:
        """The published row of an outcome group ("charge", ...), or {} if there is none."""
        for name, row in zip(self.shares["group"], self.rows, strict=True):
            if name == group:
                return row
        return {}


def outcome_figures(inputs: Inputs) -> OutcomeFigures | None:
    """The outcomes before and after go-live, or None when there is nothing to compare (no
    outcomes imported, or the period does not have days on both sides of go-live)."""
    periods = inputs.periods
    if periods is None or not has_outcomes(inputs):
        return None
    shares = outcome_shares(
        inputs.outcomes, go_live=periods.go_live, before=periods.before, after=periods.after
    )
    frame = pd.DataFrame(
        {
            "group": shares["label"],
            "count_before": shares["count_before"],
            "share_before": [pct(v) for v in shares["share_before"]],
            "count_after": shares["count_after"],
            "share_after": [pct(v) for v in shares["share_after"]],
            "change_pp": [rounded(v, 1) for v in shares["share_change_pp"]],
            "change_ci_low_pp": [rounded(v, 1) for v in shares["share_change_ci_low_pp"]],
            "change_ci_high_pp": [rounded(v, 1) for v in shares["share_change_ci_high_pp"]],
            "change_percent": [rounded(v, 1) for v in shares["share_change_percent"]],
            "count_change_percent": [rounded(v, 1) for v in shares["count_change_percent"]],
            "p_value": [rounded(v, 4) for v in shares["p_value"]],
        }
    )
    both = ["count_before", "count_after"]
    rows = suppress_counts(
        frame,
        count_columns=both,
        row_totals=False,
        derived={
            "share_before": ["count_before"],
            "share_after": ["count_after"],
            **{
                c: both
                for c in (
                    "change_pp",
                    "change_ci_low_pp",
                    "change_ci_high_pp",
                    "change_percent",
                    "count_change_percent",
                    "p_value",
                )
            },
        },
    )
    return OutcomeFigures(periods=periods, shares=shares, rows=rows)


def outcomes_section(inputs: Inputs, figures: OutcomeFigures | None) -> Section:
    """The section, from `outcome_figures(inputs)`."""
    title = "Formal outcomes before and after go-live"
    if figures is None:
        if not has_outcomes(inputs):
            return Section(
                OUTCOMES,
                title,
                [],
                unavailable=no_police_data("possession offence outcomes", inputs),
            )
        return Section(OUTCOMES, title, [], unavailable=no_go_live_comparison(inputs))
    periods, shares, rows = figures.periods, figures.shares, figures.rows
    readings = []
    for group, name in (("charge", "Charges"), ("caution", "Cautions")):
        row = rows[list(shares["group"]).index(group)]
        if published(row["count_before"]) and published(row["count_after"]):
            change = describe_percent_change(row["count_before"], row["count_after"], counts=True)
            readings.append(f"{name} {change}")
    formal_before = shares.loc[shares["group"].isin(["charge", "caution", "penalty_notice"])]
    total_before, total_after = (
        int(shares["total_before"].iloc[0]),
        int(shares["total_after"].iloc[0]),
    )
    reading = "; ".join(readings[:1] + [r[0].lower() + r[1:] for r in readings[1:]])
    reading = reading + "." if reading else ""
    if total_before >= THRESHOLD and total_after >= THRESHOLD:
        share_b = formal_before["count_before"].sum() / total_before if total_before else 0
        share_a = formal_before["count_after"].sum() / total_after if total_after else 0
        reading = (
            "The share of possession outcomes that were formal "
            f"{describe_pp_change(share_b, share_a)}. " + reading
        ).strip()
    shares_table = Table(
        key="outcome_shares",
        title="Possession offence outcomes before and after go-live",
        columns=[
            Column("group", "Outcome"),
            Column("count_before", "Before: number", True),
            Column("share_before", "Before: share (%)", True, "1dp"),
            Column("count_after", "After: number", True),
            Column("share_after", "After: share (%)", True, "1dp"),
            Column("change_pp", "Change in share (percentage points)", True, "1dp"),
            Column("change_ci_low_pp", "95% CI: lower (points)", True, "1dp"),
            Column("change_ci_high_pp", "95% CI: upper (points)", True, "1dp"),
            Column("change_percent", "Change in share (%)", True, "1dp"),
            Column("count_change_percent", "Change in number (%)", True, "1dp"),
            Column("p_value", "p-value (change in share)", True, "p"),
        ],
        rows=rows,
        reading=reading,
        notes=[
            f"Before: {periods.label('before')}. After: {periods.label('after')} (two periods of "
            f"{periods.days:,} days either side of go-live, within the period chosen), in "
            f"{inputs.area_name}.",
            f"Shares are of the outcomes assigned: {total_before:,} before and {total_after:,} "
            "after. Offences still awaiting an outcome are left out.",
            "A change in percentage points is the difference of two shares (46% to 12.5% is "
            "33.5 points lower); a change in percent is relative to where it started (46% to "
            "12.5% is 72.8% lower). The interval is Newcombe's; the p-value a two-proportion "
            "z-test.",
        ],
        chart=charts.grouped_bar_chart(
            rows=rows,
            category="group",
            series=[("share_before", "Before go-live"), ("share_after", "After go-live")],
            title="Share of possession outcomes (%)",
            category_title="Outcome",
            value_title="Share (%)",
        ),
    )
    recorded = _recorded_table(inputs, periods)
    return Section(
        OUTCOMES,
        title,
        [shares_table, recorded],
        summary=[line for line in (reading, recorded.reading) if line],
    )


def has_outcomes(inputs: Inputs) -> bool:
    return PossessionOutcome.objects.filter(scheme_id=inputs.scheme.pk).exists()


def _recorded_table(inputs: Inputs, periods: Periods) -> Table:
    dates = as_datetimes(inputs.outcomes["offence_date"])
    counts = []
    for which in ("before", "after"):
        first, last = periods.before if which == "before" else periods.after
        chosen = (dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))
        counts.append(
            {
                "period": f"{which.capitalize()} go-live: {periods.label(which)}",
                "recorded": int(chosen.sum()),
            }
        )
    rows = suppress_counts(pd.DataFrame(counts), count_columns=["recorded"], adds_up=False)
    before, after = rows[0]["recorded"], rows[1]["recorded"]
    reading = (
        f"Recorded possession offences {describe_percent_change(before, after, counts=True)}."
        if published(before) and published(after)
        else ""
    )
    return Table(
        key="possession_offences_recorded",
        title="Possession offences recorded before and after go-live",
        columns=[Column("period", "Period"), Column("recorded", "Possession offences", True)],
        rows=rows,
        reading=reading,
        notes=[
            "Every possession offence (92D, 92E) recorded in the period, whatever its outcome. "
            "More recorded offences can mean more searches or more recording, not more drug use."
        ],
        chart=charts.bar_chart(
            rows=rows,
            category="period",
            value="recorded",
            title="Possession offences recorded",
            category_title="Period",
            value_title="Offences",
        ),
    )


__all__ = [
    "DISPROPORTIONALITY",
    "OUTCOMES",
    "REOFFENDING",
    "OutcomeFigures",
    "has_outcomes",
    "no_go_live_comparison",
    "no_police_data",
    "outcome_figures",
    "outcomes_section",
    "pct",
    "reoffending_section",
]
