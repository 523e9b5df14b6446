"""Eligibility decisions and refusals (issue 15): how many stops the officers checked, why the
refused were refused, and the refusal rate by ethnic group, self-defined and as the officer saw
it. A scheme that refuses one group more often must see it here.

The counts come from `referrals.selectors.refusal_figures` (each stop's final decision once) and
are suppressed like every other count before a rate is worked out from them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from diversion.evaluation.inputs import Inputs
from diversion.evaluation.suppression import THRESHOLD
from diversion.evaluation.tables import Column, Section, Table, rounded, suppress_counts
from diversion.referrals.selectors import RefusalRow, refusal_figures

REFUSALS = "refusals"

# The officer's page gives the full sentence; the table needs a few words.
REASON_LABELS = {
    "no_drug_recorded": "No drug recorded",
    "drug_class_not_accepted": "Drug not accepted by the scheme",
    "supply": "Officer suspects intent to supply",
    "supply_indicator_refused": "Supply indicator the scheme refuses",
    "supply_question_unanswered": "Supply question not answered",
    "outside_area": "Found outside the scheme's area",
    "young_people_not_accepted": "Scheme does not take young people",
    "below_youth_minimum_age": "Below the youth minimum age",
    "appropriate_adult_absent": "No appropriate adult",
    "did_not_engage": "Did not engage after an earlier referral",
    "engaged_elsewhere": "Earlier referral elsewhere",
}


def reason_label(code: str) -> str:
    return REASON_LABELS.get(code, code.replace("_", " ").capitalize())


def _rate_rows(rows: Sequence[RefusalRow], label: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {label: row.group, "refused": row.refusals, "eligible": row.decisions - row.refusals}
            for row in rows
        ],
        columns=[label, "refused", "eligible"],
    )
    frame["decisions"] = frame["refused"] + frame["eligible"]
    frame["rate"] = [
        rounded(100 * refused / decisions, 1) if decisions else None
        for refused, decisions in zip(frame["refused"], frame["decisions"], strict=True)
    ]
    return frame


def _rate_table(rows: Sequence[RefusalRow], *, key: str, title: str, heading: str) -> Table:
    frame = _rate_rows(rows, "group")
    published = suppress_counts(
        frame,
        count_columns=["refused", "eligible"],
        total_columns=["decisions"],
        derived={"rate": ["refused", "eligible"]},
    )
    return Table(
        key=key,
        title=title,
        columns=[
            Column("group", heading),
            Column("decisions", "Decisions", True),
            Column("refused", "Refused", True),
            Column("eligible", "Eligible", True),
            Column("rate", "Refused (%)", True, "1dp"),
        ],
        rows=published,
        notes=[
            "Each stop counts once, with the last decision the officer saw (a detail corrected "
            "and checked again is not counted twice). Refusals that went no further are "
            "recorded without a name."
        ],
    )


def refusals_section(inputs: Inputs) -> Section:
    figures = refusal_figures(
        scheme_ids=[inputs.scheme.pk],
        start=inputs.start,
        end=inputs.end,
        local_authority=inputs.local_authority,
    )
    if not figures.decisions:
        return Section(
            key=REFUSALS,
            title="Eligibility decisions and refusals",
            tables=[],
            unavailable="No eligibility decision was recorded in this period.",
        )
    reasons = pd.DataFrame(
        [
            {"reason": reason_label(code), "refusals": count}
            for code, count in sorted(figures.by_reason.items(), key=lambda item: -item[1])
        ],
        columns=["reason", "refusals"],
    )
    by_reason = Table(
        key="refusal_reasons",
        title="Refusals by reason",
        columns=[Column("reason", "Reason"), Column("refusals", "Refusals", True)],
        # A refusal may give several reasons, so the rows are not parts of one whole.
        rows=suppress_counts(reasons, count_columns=["refusals"], adds_up=False),
        notes=["A refusal can give more than one reason, so the rows add up to more than the "
               "refusals."],
    )  # fmt: skip
    tables = [
        by_reason,
        _rate_table(
            figures.by_ethnic_group,
            key="refusals_by_ethnic_group",
            title="Refusal rate by ethnic group (self-defined)",
            heading="Ethnic group (self-defined)",
        ),
        _rate_table(
            figures.by_observed_ethnicity,
            key="refusals_by_observed_ethnicity",
            title="Refusal rate by ethnicity as the officer saw it",
            heading="Officer-observed ethnicity (IC code)",
        ),
    ]
    decisions, refusals = figures.decisions, figures.refusals
    if decisions < THRESHOLD:
        summary = [f"Fewer than {THRESHOLD} eligibility decisions were recorded."]
    elif refusals >= THRESHOLD and decisions - refusals >= THRESHOLD:
        summary = [
            f"Officers recorded {decisions:,} eligibility decisions; {refusals:,} "
            f"({100 * refusals / decisions:.1f}%) found the person not eligible."
        ]
    else:  # the refusals, or those found eligible, are too few to show
        summary = [f"Officers recorded {decisions:,} eligibility decisions."]
    return Section(
        key=REFUSALS,
        title="Eligibility decisions and refusals",
        tables=tables,
        summary=summary,
    )
