"""The report's operational section: referrals by period and by each breakdown, the funnel
from referral to completion, days to assessment and course, and missed appointments. Read from
the referrals frame alone, so every role that sees the dashboard sees it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from diversion.evaluation import charts, operational
from diversion.evaluation.suppression import SUPPRESSED, THRESHOLD
from diversion.evaluation.tables import Column, Section, Table, suppress_counts
from diversion.people.models import Sex
from diversion.referrals.drugs import DRUGS
from diversion.referrals.models import HowFound

OPERATIONAL = "operational"
TITLE = "Referrals and engagement"


@dataclass(frozen=True)
class Labels:
    """Readable names for codes in the frames."""

    local_authorities: Mapping[str, str] = field(default_factory=dict)

    def category(self, column: str, value: str) -> str:
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


def period_label(iso_day: str, freq: str) -> str:
    """ "2025-12-01" as "December 2025" (a month) or "1 December 2025" (a week)."""
    day = dt.date.fromisoformat(iso_day)
    return f"{day:%B %Y}" if freq == "month" else f"{day.day} {day:%B %Y}"


def operational_section(
    referrals: pd.DataFrame, *, start: dt.date, end: dt.date, labels: Labels
) -> Section:
    tables: list[Table] = []

    for freq, time_unit, title in PERIODS:
        frame = operational.referrals_by_period(referrals, freq=freq, start=start, end=end)
        rows = suppress_counts(frame, count_columns=["referrals"])
        for row in rows:  # the chart keeps the ISO date; people read "December 2025"
            row["label"] = period_label(row["period"], freq)
        heading = "Month" if freq == "month" else "Week starting (Monday)"
        tables.append(
            Table(
                key=f"referrals_by_{freq}",
                title=title,
                columns=[Column("label", heading), Column("referrals", "Referrals", True)],
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
    return Section(OPERATIONAL, TITLE, tables, summary)


def _published_count(count: int) -> str:
    return SUPPRESSED if 0 < count < THRESHOLD else f"{count:,}"
