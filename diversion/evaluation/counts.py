"""Two groups given as counts (the Justice Data Lab's question): the form an analyst fills in
and the figures shown back, from `stats.compare_proportions`. Nothing is read from the
database: the counts are the analyst's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from diversion.evaluation.stats import ProportionComparison, compare_proportions
from diversion.evaluation.stats._common import p_value_text

LARGEST = 100_000_000


def _count(label: str, hint: str) -> forms.IntegerField:
    what = label[0].lower() + label[1:]
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=0,
        max_value=LARGEST,
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"The {what} must be a whole number, like 42",
            "min_value": f"The {what} must be 0 or more",
            "max_value": f"The {what} must be {LARGEST:,} or fewer",
        },
    )


class CountsForm(forms.Form):
    treated_n = _count("Number of people in the treated group", "For example, 120")
    treated_events = _count(
        "Number of them who re-offended", "People in the treated group with the outcome"
    )
    comparison_n = _count("Number of people in the comparison group", "For example, 118")
    comparison_events = _count(
        "Number of those who re-offended", "People in the comparison group with the outcome"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for group, name in (("treated", "treated"), ("comparison", "comparison")):
            n, events = cleaned.get(f"{group}_n"), cleaned.get(f"{group}_events")
            if n is not None and n < 1:
                self.add_error(f"{group}_n", f"The {name} group must have at least one person")
            elif n is not None and events is not None and events > n:
                self.add_error(
                    f"{group}_events",
                    f"The number who re-offended cannot be more than the {name} group ({n:,})",
                )
        return cleaned

    def comparison(self) -> ProportionComparison:
        data = self.cleaned_data
        return compare_proportions(
            treated_events=data["treated_events"],
            treated_n=data["treated_n"],
            comparison_events=data["comparison_events"],
            comparison_n=data["comparison_n"],
        )


@dataclass(frozen=True)
class Figure:
    name: str
    value: str
    definition: str


def _pp(value: float) -> str:
    return f"{value:+.1f}".replace("-", "\u2212")


def _signed(value: float) -> str:
    return f"{value:.2f}".replace("-", "\u2212")


def figures(result: ProportionComparison) -> list[Figure]:
    """The result as the page shows it: each figure with its plain definition."""
    ratio = (
        f"{result.risk_ratio:.2f} (95% CI {result.risk_ratio_low:.2f} to "
        f"{result.risk_ratio_high:.2f})"
        if result.risk_ratio is not None
        else "Not applicable: nobody in one group re-offended"
    )
    welch = (
        f"{_pp(result.t_low_pp)} to {_pp(result.t_high_pp)} points; t = {_signed(result.t)} on "
        f"{result.t_df:.1f} degrees of freedom, {p_value_text(result.t_p_value)}"
        if result.t == result.t  # not NaN
        else "Not applicable: no one differs from anyone else in either group"
    )
    z_test = (
        f"z = {_signed(result.z)}, {p_value_text(result.z_p_value)}"
        if result.z == result.z
        else "Not applicable: nobody, or everybody, re-offended"
    )
    return [
        Figure(
            "Re-offending rate: treated",
            f"{result.treated_rate * 100:.1f}% ({result.treated_events:,} of {result.treated_n:,})",
            "The share of the treated group who re-offended.",
        ),
        Figure(
            "Re-offending rate: comparison",
            f"{result.comparison_rate * 100:.1f}% ({result.comparison_events:,} of "
            f"{result.comparison_n:,})",
            "The share of the comparison group who re-offended.",
        ),
        Figure(
            "Difference",
            f"{_pp(result.difference_pp)} percentage points (95% CI "
            f"{_pp(result.newcombe_low_pp)} to {_pp(result.newcombe_high_pp)})",
            "Treated rate less comparison rate. The interval is Newcombe's hybrid score "
            "interval, built from the two groups' Wilson intervals.",
        ),
        Figure(
            "Test of no difference (two-proportion z test)",
            z_test,
            "How surprising a difference this large would be if both groups re-offended alike "
            "(the pooled z test).",
        ),
        Figure(
            "Welch's t test (as the Justice Data Lab reports)",
            welch,
            "The same difference, tested on each person's 0 or 1 without assuming the two "
            "groups vary alike; its interval gives the sentence below.",
        ),
        Figure(
            "Risk ratio",
            ratio,
            "Treated rate divided by comparison rate; below 1 means the treated re-offended "
            "less. The interval is the log (Katz) interval.",
        ),
    ]
