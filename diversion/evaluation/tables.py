"""The report's building blocks: a published table (its columns, its rows after small-number
suppression, notes, a one-line reading and a chart) and a section of tables.

Every count reaches a table through `suppress_counts`, so a suppressed cell holds `SUPPRESSED`
("[c]"), and so does every figure derived from it. The rows it returns carry their
`Protection`, and `Table.audit` attacks the published rows with it: the report audits every
table once, before anything shows, downloads or prints it, and withholds a table that fails.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from diversion.evaluation.suppression import (
    SUPPRESSED,
    THRESHOLD,
    Protection,
    audit_published,
    suppress_with_protection,
)

# How a column's numbers are shown: "count" (thousands separators; one decimal if not whole),
# "1dp"/"2dp" (fixed decimals), "p" (a p-value: three decimals, "< 0.001"), "money" (£, pence).
Format = Literal["count", "1dp", "2dp", "p", "money"]


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    numeric: bool = False
    format: Format = "count"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    reading: str = ""
    # How its counts relate (from `suppress_counts`), for the audit; none: it has no counts.
    protection: tuple[Protection, ...] = ()
    # Said instead of the rows when the audit found a count that could be worked out.
    withheld: str = ""
    # The anchor of the methods page's section that defines its figures (`methods.ANCHORS`).
    method: str = ""

    def __post_init__(self) -> None:
        if not self.protection and isinstance(self.rows, PublishedRows):
            self.protection = self.rows.protection

    def audit(self) -> bool:
        """Attack the published rows (`suppression.audit_published`); withhold the table, its
        reading and its chart if a small count could be worked out. True if it passed."""
        if self.withheld:
            return False
        if not any(audit_published(p, self.rows) for p in self.protection):
            return True
        self.rows, self.chart, self.reading = [], None, ""
        self.withheld = WITHHELD
        return False

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
                    {"text": display_value(row.get(c.key), c.format), "numeric": c.numeric}
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
            "reading": self.reading,
            "columns": [{"key": c.key, "heading": c.heading} for c in self.columns],
            "rows": [{c.key: row.get(c.key) for c in self.columns} for row in self.rows],
            "notes": list(self.notes),
            "withheld": self.withheld,
        }


WITHHELD = (
    "This table is withheld: with its totals, a count of fewer than "
    f"{THRESHOLD} people could be worked out from it however its small numbers were hidden."
)


class PublishedRows(list[dict[str, Any]]):
    """Published rows that remember how their counts relate (`Protection`), for the audit."""

    protection: tuple[Protection, ...] = ()


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    summary: list[str] = field(default_factory=list)
    # Said plainly instead of tables when the data the section needs is missing.
    unavailable: str = ""
    # Being worked out in the background (the dashboard's matched comparison at scale).
    pending: bool = False

    def audit(self) -> None:
        """Audit every table (`Table.audit`); a withheld table's reading leaves the summary."""
        for table in self.tables:
            reading = table.reading
            if not table.audit() and reading:
                self.summary = [line for line in self.summary if line != reading]

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "summary": list(self.summary),
            "unavailable": self.unavailable,
            "tables": [t.to_dict() for t in self.tables],
        }


def display_value(value: Any, format: Format = "count") -> str:
    if value is None:
        return "Not applicable"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isnan(value):
        return "Not applicable"
    if format == "1dp":
        return f"{value:,.1f}"
    if format == "2dp":
        return f"{value:,.2f}"
    if format == "p":
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    if format == "money":
        return f"£{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)


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
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def suppress_counts(
    frame: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    derived: Mapping[str, Sequence[str]] | None = None,
    adds_up: bool = True,
    row_totals: bool = True,
    total_columns: Sequence[str] = (),
) -> PublishedRows:
    """The frame's rows, published: counts of 1-4 and any cell that would reveal one are
    `SUPPRESSED` (`suppression.suppress`), and so is every figure derived from a suppressed count
    (`derived`: derived column -> the counts it comes from). `adds_up` is False when the rows
    overlap (a funnel), so that no cell can be worked out from a total by subtraction;
    `row_totals` is False when a row's counts are not parts of one whole. The rows carry the
    table's `Protection`, which `Table` picks up for the audit."""
    published, protection = suppress_with_protection(
        frame.reset_index(drop=True),
        count_columns=list(count_columns),
        threshold=THRESHOLD,
        derived_columns=derived,
        column_totals=adds_up,
        row_totals=row_totals,
        total_columns=total_columns,
    )
    rows = PublishedRows(
        {column: _plain(value) for column, value in row.items()}
        for row in published.to_dict(orient="records")
    )
    rows.protection = (protection,)
    return rows


def rounded(value: Any, digits: int) -> float | None:
    """A float rounded for publishing; None for a missing or infinite value."""
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return round(number, digits)


def published(value: Any) -> bool:
    """A value that was published as a number (not suppressed, not missing)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def plain_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame whose cells are already published, as JSON-native rows."""
    return [
        {column: _plain(value) for column, value in row.items()}
        for row in frame.reset_index(drop=True).to_dict(orient="records")
    ]
