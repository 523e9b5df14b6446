"""One report for a scheme, period and (optionally) local authority: every published figure, in
one structure that the dashboard, the board report PDF, the CSV downloads and `diversion
evaluate` all use, so they can never disagree.

Every count is published through small-number suppression: a suppressed cell holds
`SUPPRESSED` ("[c]"), and so does every figure derived from it (a percentage, a median). Charts
are drawn from the published rows only.

From a notebook (with Django set up, e.g. `diversion shell`):

    >>> from diversion.evaluation.report import evaluation_report
    >>> report = evaluation_report(scheme=scheme, start=date(2025, 4, 1), end=date(2026, 3, 31))
    >>> report.table("funnel").dataframe()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from diversion.evaluation import charts, operational
from diversion.evaluation.columns import REFERRALS
from diversion.evaluation.suppression import SUPPRESSED, THRESHOLD
from diversion.evaluation.tables import (
    Column,
    Section,
    Table,
    display_value,
    suppress_counts,
)

__all__ = [
    "ALL_SECTIONS",
    "SUPPRESSED",
    "Column",
    "Report",
    "Section",
    "Table",
    "display_value",
    "evaluation_report",
    "suppress_counts",
]

OPERATIONAL = "operational"
REOFFENDING = "reoffending"
OUTCOMES = "outcomes"
DISPROPORTIONALITY = "disproportionality"
MATCHING = "matching"
COSTS = "costs"
SECTION_TITLES: dict[str, str] = {
    OPERATIONAL: "Referrals and engagement",
    REOFFENDING: "Re-offending",
    OUTCOMES: "Formal outcomes before and after go-live",
    DISPROPORTIONALITY: "Disproportionality",
    MATCHING: "Matched comparison",
    COSTS: "Costs",
}
# In the order the report shows them; costs come after outcomes, whose figures they use.
ALL_SECTIONS: tuple[str, ...] = (
    OPERATIONAL,
    REOFFENDING,
    OUTCOMES,
    DISPROPORTIONALITY,
    MATCHING,
    COSTS,
)


@dataclass
class Report:
    scheme_code: str
    scheme_name: str
    start: dt.date
    end: dt.date
    local_authority: str
    local_authority_name: str
    sections: list[Section]
    methods: list[str]

    @property
    def title(self) -> str:
        area = f", {self.local_authority_name}" if self.local_authority else ""
        return f"{self.scheme_name}{area}: {_long_date(self.start)} to {_long_date(self.end)}"

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def __post_init__(self) -> None:
        for table in self.tables():
            table.chart = charts.drawable(table.chart)

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": {"code": self.scheme_code, "name": self.scheme_name},
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "local_authority": (
                {"code": self.local_authority, "name": self.local_authority_name}
                if self.local_authority
                else None
            ),
            "suppression": f"Counts of 1 to {THRESHOLD - 1}, and any cell that would reveal "
            f"one, are shown as {SUPPRESSED}.",
            "sections": [s.to_dict() for s in self.sections],
            "methods": list(self.methods),
        }


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- The operational section --------------------------------------------------------------------


@dataclass(frozen=True)
class Labels:
    """Readable names for codes in the frames."""

    local_authorities: Mapping[str, str] = field(default_factory=dict)

    def category(self, column: str, value: str) -> str:
        from diversion.people.models import Sex
        from diversion.referrals.drugs import DRUGS
        from diversion.referrals.models import HowFound

        if column == "local_authority":
            return self.local_authorities.get(value, value)
        if column == "main_drug":
            return DRUGS[value][0] if value in DRUGS else value.replace("_", " ").capitalize()
        if column == "how_found":
            choices = dict(HowFound.choices) | {"stop_search": HowFound.STOP_AND_SEARCH.label}
            return str(choices.get(value, value))
        if column == "sex":
            return str(dict(Sex.choices).get(value, value))
        return value


PERIODS: tuple[tuple[str, Literal["yearmonth", "yearmonthdate"], str], ...] = (
    ("month", "yearmonth", "Referrals by month"),
    ("week", "yearmonthdate", "Referrals by week"),
)

BREAKDOWNS: tuple[tuple[str, str, str], ...] = (
    # (frame column, table key, heading of the category)
    ("local_authority", "referrals_by_local_authority", "Local authority"),
    ("how_found", "referrals_by_how_found", "How the drugs were found"),
    ("main_drug", "referrals_by_substance", "Main substance"),
    ("age_band", "referrals_by_age_band", "Age"),
    ("sex", "referrals_by_sex", "Sex"),
    ("ethnic_group", "referrals_by_ethnic_group", "Ethnic group (self-defined)"),
)


def _count_table(
    frame: pd.DataFrame,
    *,
    key: str,
    title: str,
    category_heading: str,
    notes: Iterable[str] = (),
) -> Table:
    rows = suppress_counts(frame, count_columns=["referrals"])
    table = Table(
        key=key,
        title=title,
        columns=[Column("category", category_heading), Column("referrals", "Referrals", True)],
        rows=rows,
        notes=list(notes),
    )
    table.chart = charts.bar_chart(
        rows=rows,
        category="category",
        value="referrals",
        title=title,
        category_title=category_heading,
        value_title="Referrals",
    )
    return table


def operational_section(
    referrals: pd.DataFrame, *, start: dt.date, end: dt.date, labels: Labels
) -> Section:
    tables: list[Table] = []

    for freq, time_unit, title in PERIODS:
        frame = operational.referrals_by_period(referrals, freq=freq, start=start, end=end)
        rows = suppress_counts(frame, count_columns=["referrals"])
        heading = "Month starting" if freq == "month" else "Week starting (Monday)"
        tables.append(
            Table(
                key=f"referrals_by_{freq}",
                title=title,
                columns=[Column("period", heading), Column("referrals", "Referrals", True)],
                rows=rows,
                chart=charts.time_chart(
                    rows=rows,
                    period="period",
                    value="referrals",
                    title=title,
                    time_unit=time_unit,
                    value_title="Referrals",
                ),
            )
        )

    funnel = operational.funnel(referrals)
    funnel_rows = suppress_counts(
        funnel, count_columns=["referrals"], derived={"percent": ["referrals"]}, adds_up=False
    )
    tables.append(
        Table(
            key="funnel",
            title="From referral to completion",
            columns=[
                Column("stage", "Stage"),
                Column("referrals", "People", True),
                Column("percent", "Percentage of those referred", True),
            ],
            rows=funnel_rows,
            notes=[
                "Each stage counts everyone who reached it or went further, so later stages are "
                "part of earlier ones. Recent referrals may still be in progress.",
                "Engaged follows the scheme's rule: the assessment, or the course as well where "
                "the scheme requires it.",
            ],
            chart=charts.bar_chart(
                rows=funnel_rows,
                category="stage",
                value="referrals",
                title="From referral to completion",
                category_title="Stage",
                value_title="People",
            ),
        )
    )

    for column, key, heading in BREAKDOWNS:
        if column == "age_band":
            frame = operational.referrals_by_age_band(referrals)
        else:
            frame = operational.referrals_by(referrals, column)
        frame["category"] = [labels.category(column, str(v)) for v in frame["category"]]
        tables.append(
            _count_table(
                frame, key=key, title=f"Referrals by {heading.lower()}", category_heading=heading
            )
        )

    days = operational.days_between(referrals)
    tables.append(
        Table(
            key="days_to_assessment_and_course",
            title="Days from referral to assessment and to course",
            columns=[
                Column("interval", "Interval"),
                Column("referrals", "People", True),
                Column("median_days", "Median days", True),
                Column("lower_quartile_days", "Lower quartile (days)", True),
                Column("upper_quartile_days", "Upper quartile (days)", True),
            ],
            rows=suppress_counts(
                days,
                count_columns=["referrals"],
                derived={
                    "median_days": ["referrals"],
                    "lower_quartile_days": ["referrals"],
                    "upper_quartile_days": ["referrals"],
                },
                adds_up=False,
            ),
            notes=["Only people who reached the step are counted."],
        )
    )

    missed = operational.missed_appointments(referrals)
    missed_rows = suppress_counts(missed, count_columns=["referrals"])
    tables.append(
        Table(
            key="missed_appointments",
            title="Missed appointments",
            columns=[Column("missed", "Appointments missed"), Column("referrals", "People", True)],
            rows=missed_rows,
            chart=charts.bar_chart(
                rows=missed_rows,
                category="missed",
                value="referrals",
                title="Missed appointments",
                category_title="Appointments missed",
                value_title="People",
            ),
        )
    )

    total = len(referrals)
    engaged = int(referrals["engaged"].fillna(False).astype(bool).sum()) if total else 0
    summary = [f"{_published_count(total)} referrals in the period."]
    if total >= THRESHOLD and engaged >= THRESHOLD:
        summary.append(f"{round(100 * engaged / total)}% engaged (the scheme's rule).")
    return Section(OPERATIONAL, SECTION_TITLES[OPERATIONAL], tables, summary)


def _published_count(count: int) -> str:
    return SUPPRESSED if 0 < count < THRESHOLD else f"{count:,}"


# --- Assembling the report ----------------------------------------------------------------------


def empty_referrals() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in REFERRALS})


METHODS: list[str] = [
    "Referrals are counted by the date of the stop. Figures for recent referrals change as "
    "people move through assessment and the course.",
    f"Small numbers are suppressed: counts of 1 to {THRESHOLD - 1} are shown as {SUPPRESSED}, "
    "and so is the next smallest count in the same column where one suppressed cell could "
    "otherwise be worked out from the total. Percentages and medians from a suppressed count "
    "are suppressed too.",
    "Age is in whole years on the day of the referral. Ethnic group is the person's "
    "self-defined ethnicity, grouped as in the 2021 Census.",
    "Re-offending counts a person only once their whole window (and, for proven re-offending, "
    "the further six months) has passed; the interval is Wilson's. Time to re-offence is a "
    "Kaplan-Meier estimate with censoring.",
    "Outcomes before and after go-live compare two periods of equal length either side of "
    "the scheme's go-live date, inside the period chosen. Changes in a share are given in "
    "percentage points and, separately, in percent.",
    "Stop-and-search rates are per 1,000 residents of each ethnic group in the 2021 Census; "
    "ratios to the White group come from the unrounded rates.",
    "The matched comparison follows the Justice Data Lab: propensity scores, nearest-neighbour "
    "matching with a caliper, a balance table and a difference with its 95% interval. The "
    "full method is in docs/evaluation-methods.md.",
    "Costs are unit costs times volumes; every unit cost and its source is listed.",
]


class _Clock:
    """Seconds spent on each step, into `timings` when given (for benchmarks/evaluation.py)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        import time

        self._now = time.perf_counter
        self.timings = timings
        self.last = self._now()

    def lap(self, name: str) -> None:
        now = self._now()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def evaluation_report(
    *,
    scheme: Any,
    start: dt.date,
    end: dt.date,
    local_authority: str = "",
    sections: Sequence[str] = ALL_SECTIONS,
    as_of: dt.date | None = None,
    timings: dict[str, float] | None = None,
    cached: bool = True,
    snapshot: bool | None = None,
    comparison_in_background: bool = False,
) -> Report:
    """Every figure for the scheme (a `Scheme`) from `start` to `end` inclusive, optionally in
    one local authority (its ONS code). `as_of` is the day re-offending is counted to (today
    unless given): a window counts only once it has passed by then.

    A report is kept in the cache for the same filter while the data is unchanged
    (`sections_comparison.data_version`), so the dashboard's CSV and PDF downloads, and the
    next analyst asking for the same figures, do not build it again
    (`cached=False` builds it afresh; `timings` collects seconds per step and also rebuilds).

    A large scheme's frames come from its snapshot (`snapshot.py`), with anything newer read
    live; `snapshot=False` reads everything live, `True` uses (or builds) a snapshot. With
    `comparison_in_background` (the dashboard), a large scheme's matched comparison that is not
    yet in the cache is queued for the background worker and shown as pending; such a report
    is not kept in the cache."""
    from django.core.cache import cache
    from django.utils import timezone

    from diversion.evaluation.sections_comparison import CACHE_SECONDS, data_version

    day = as_of or timezone.localdate()
    key = (
        f"evaluation:report:v1:{scheme.pk}:{start}:{end}:{local_authority}:{day}:"
        f"{','.join(sorted(sections))}:{data_version(scheme.pk)}"
    )
    if cached and timings is None:
        found = cache.get(key)
        if isinstance(found, Report):
            return found
    report = _build_report(
        scheme=scheme,
        start=start,
        end=end,
        local_authority=local_authority,
        sections=sections,
        as_of=day,
        timings=timings,
        snapshot=snapshot,
        comparison_in_background=comparison_in_background,
    )
    if not any(section.pending for section in report.sections):
        cache.set(key, report, CACHE_SECONDS)
    return report


def _build_report(
    *,
    scheme: Any,
    start: dt.date,
    end: dt.date,
    local_authority: str,
    sections: Sequence[str],
    as_of: dt.date,
    timings: dict[str, float] | None,
    snapshot: bool | None = None,
    comparison_in_background: bool = False,
) -> Report:

    from diversion.evaluation.inputs import Inputs
    from diversion.evaluation.sections_comparison import costs_section, matching_section
    from diversion.evaluation.sections_disproportionality import disproportionality_section
    from diversion.evaluation.sections_police import outcomes_section, reoffending_section
    from diversion.evaluation.sources import frames_source

    clock = _Clock(timings)
    authorities = {la.ons_code: la.name for la in scheme.local_authorities.all()}
    source = frames_source(scheme, snapshot=snapshot)
    referrals = source.referrals(start, end)
    referred = frozenset(int(k[1:]) for k in referrals["person_key"].unique())
    clock.lap("referrals frame")
    if local_authority:
        referrals = referrals[referrals["local_authority"] == local_authority]
    built: list[Section] = []
    if OPERATIONAL in sections:
        built.append(
            operational_section(
                referrals, start=start, end=end, labels=Labels(local_authorities=authorities)
            )
        )
        clock.lap(OPERATIONAL)
    inputs = Inputs(
        scheme=scheme,
        start=start,
        end=end,
        as_of=as_of,
        local_authority=local_authority,
        authorities=authorities,
        referrals=referrals.reset_index(drop=True),
        source=source,
        referred=referred,
    )
    builders = {
        REOFFENDING: reoffending_section,
        OUTCOMES: outcomes_section,
        DISPROPORTIONALITY: disproportionality_section,
        MATCHING: lambda inputs: matching_section(
            inputs, background=comparison_in_background and source.kind == "snapshot"
        ),
    }
    for key in ALL_SECTIONS:
        if key in builders and key in sections:
            built.append(builders[key](inputs))
            clock.lap(key)
    if COSTS in sections:
        if OUTCOMES not in sections and inputs.periods is not None:
            outcomes_section(inputs)  # costs use its figures of formal outcomes avoided
        built.append(costs_section(inputs))
        clock.lap(COSTS)
    return Report(
        scheme_code=scheme.code,
        scheme_name=scheme.name,
        start=start,
        end=end,
        local_authority=local_authority,
        local_authority_name=authorities.get(local_authority, ""),
        sections=built,
        methods=METHODS,
    )
