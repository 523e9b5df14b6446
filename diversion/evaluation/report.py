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
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from diversion.evaluation import charts, operational
from diversion.evaluation.columns import REFERRALS
from diversion.evaluation.suppression import SUPPRESSED, THRESHOLD, suppress

OPERATIONAL = "operational"
SECTION_TITLES: dict[str, str] = {
    OPERATIONAL: "Referrals and engagement",
}
ALL_SECTIONS: tuple[str, ...] = (OPERATIONAL,)


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    numeric: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None

    @property
    def chart_json(self) -> str:
        return json.dumps(self.chart, separators=(",", ":")) if self.chart else ""

    @property
    def suppressed_cells(self) -> int:
        return sum(1 for row in self.rows for value in row.values() if value == SUPPRESSED)

    def display_rows(self) -> list[dict[str, Any]]:
        """The rows as text for a page or a PDF: counts with thousands separators."""
        return [
            {
                "cells": [
                    {"text": display_value(row.get(c.key)), "numeric": c.numeric}
                    for c in self.columns
                ]
            }
            for row in self.rows
        ]

    def dataframe(self) -> pd.DataFrame:
        """The published table, with its headings."""
        return pd.DataFrame(
            [[row.get(c.key) for c in self.columns] for row in self.rows],
            columns=[c.heading for c in self.columns],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": [{"key": c.key, "heading": c.heading} for c in self.columns],
            "rows": [{c.key: row.get(c.key) for c in self.columns} for row in self.rows],
            "notes": list(self.notes),
        }


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    summary: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "summary": list(self.summary),
            "tables": [t.to_dict() for t in self.tables],
        }


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


def display_value(value: Any) -> str:
    if value is None:
        return "Not applicable"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- Publishing a table -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-native value (numpy scalars and NaN become int, float or None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    return value


def suppress_counts(
    frame: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    derived: Mapping[str, Sequence[str]] | None = None,
    adds_up: bool = True,
) -> list[dict[str, Any]]:
    """The frame's rows, published: counts of 1-4 and any cell that would reveal one are
    `SUPPRESSED` (`suppression.suppress`), and so is every figure derived from a suppressed count
    (`derived`: derived column -> the counts it comes from). `adds_up` is False when the rows
    overlap (a funnel), so that no cell can be worked out from a total by subtraction."""
    published = suppress(
        frame.reset_index(drop=True),
        count_columns=list(count_columns),
        threshold=THRESHOLD,
        derived_columns=derived,
        column_totals=adds_up,
    )
    return [
        {column: _plain(value) for column, value in row.items()}
        for row in published.to_dict(orient="records")
    ]


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

    with_bands = referrals.assign(age_band=referrals["age"].map(operational.age_band))
    for column, key, heading in BREAKDOWNS:
        if column == "age_band":
            frame = operational.referrals_by_age_band(referrals)
        else:
            frame = operational.referrals_by(with_bands, column)
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
]


def evaluation_report(
    *,
    scheme: Any,
    start: dt.date,
    end: dt.date,
    local_authority: str = "",
    sections: Sequence[str] = ALL_SECTIONS,
) -> Report:
    """Every figure for the scheme (a `Scheme`) from `start` to `end` inclusive, optionally in
    one local authority (its ONS code)."""
    from diversion.evaluation import frames as frame_builders

    authorities = {la.ons_code: la.name for la in scheme.local_authorities.all()}
    referrals = frame_builders.referrals_frame(scheme_ids=[scheme.pk], start=start, end=end)
    if local_authority:
        referrals = referrals[referrals["local_authority"] == local_authority]
    built: list[Section] = []
    if OPERATIONAL in sections:
        built.append(
            operational_section(
                referrals, start=start, end=end, labels=Labels(local_authorities=authorities)
            )
        )
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
