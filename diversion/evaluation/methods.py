"""Where each published table's figures are defined: the section of the methods page
(`methods_page.py`, docs/evaluation-methods.md served inside the product) by table key."""

from __future__ import annotations

from django.utils.text import slugify

# Which section of the methods defines each published table's figures (by table key).
ANCHORS: dict[str, str] = {
    "funnel": "operational-figures",
    "days_to_assessment_and_course": "operational-figures",
    "missed_appointments": "operational-figures",
    "reoffending_rates": "re-offending-rate",
    "time_to_reoffence": "time-to-re-offence",
    "outcome_shares": "outcomes-before-and-after-go-live",
    "possession_offences_recorded": "outcomes-before-and-after-go-live",
    "stop_search_rates": "disproportionality",
    "formal_outcomes_by_group": "disproportionality",
    "matching_sizes": "matched-comparison",
    "matching_result": "matched-comparison",
    "matched_time_to_reoffence": "comparing-survival-curves",
    "matching_balance": "matched-comparison",
    "refusal_reasons": "eligibility-decisions-and-refusals",
    "refusals_by_ethnic_group": "eligibility-decisions-and-refusals",
    "refusals_by_observed_ethnicity": "eligibility-decisions-and-refusals",
    "cost_assumptions": "costs",
    "costs": "costs",
}
DEFAULT_ANCHOR = "small-number-suppression"


def anchor_of(heading: str) -> str:
    """A heading's anchor: its words before any " — " (the function's name follows it)."""
    return slugify(heading.split(" — ")[0].replace("`", ""))


def anchor_for(table_key: str) -> str:
    if table_key.startswith("referrals_by_"):
        return "operational-figures"
    return ANCHORS.get(table_key, DEFAULT_ANCHOR)
