"""Vega-Lite specifications for the report's charts, built with altair from published rows.

A chart is drawn only from a table's rows after suppression: a suppressed cell ("[c]") is left
out of the chart, never drawn. The same specification is drawn in the browser by vega-embed
(with the expression interpreter, as the CSP forbids eval) and rendered to SVG by vl-convert
for the PDF (`fixed_width`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import altair as alt

# The Vega-Lite major version of our static files (node_modules/vega-lite); altair may be newer.
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
BLUE = "#1d70b8"
FONT = "arial, sans-serif"
CONFIG: dict[str, Any] = {
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#0b0c0c"},
    "title": {"fontSize": 15, "anchor": "start", "color": "#0b0c0c"},
    "view": {"stroke": None},
}


def _numeric_rows(rows: Iterable[Mapping[str, Any]], value: str) -> list[dict[str, Any]]:
    return [dict(row) for row in rows if isinstance(row.get(value), int | float)]


def drawable(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    """The spec, or None when suppression left it nothing to draw."""
    if spec is None or not spec.get("data", {}).get("values"):
        return None
    return spec


def _finish(chart: alt.Chart) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec["$schema"] = SCHEMA
    spec["config"] = CONFIG
    return spec


def bar_chart(
    *,
    rows: Iterable[Mapping[str, Any]],
    category: str,
    value: str,
    title: str,
    category_title: str,
    value_title: str,
) -> dict[str, Any]:
    """Horizontal bars, one per category, in the table's order (long labels stay readable on a
    phone)."""
    data = _numeric_rows(rows, value)
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y(
                f"{category}:N", sort=None, title=category_title, axis=alt.Axis(labelLimit=160)
            ),
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
        )
        .properties(width="container", title=title, description=f"{title}: bar chart")
    )
    return _finish(chart)


def time_chart(
    *,
    rows: Iterable[Mapping[str, Any]],
    period: str,
    value: str,
    title: str,
    time_unit: Literal["yearmonth", "yearmonthdate"],
    value_title: str,
) -> dict[str, Any]:
    """Counts over time as columns; a suppressed period is a gap, not a zero."""
    data = _numeric_rows(rows, value)
    label_format = "%b %Y" if time_unit == "yearmonth" else "%d %b %Y"
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X(
                f"{period}:O",
                timeUnit=time_unit,
                title=None,
                axis=alt.Axis(format=label_format, labelAngle=-45, labelOverlap=True),
            ),
            y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
        )
        .properties(width="container", height=220, title=title, description=f"{title}: chart")
    )
    return _finish(chart)


def fixed_width(spec: Mapping[str, Any], width: int = 460) -> dict[str, Any]:
    """A copy with a fixed width, for rendering outside a page (vl-convert has no container)."""
    fixed = copy.deepcopy(dict(spec))
    if fixed.get("width") == "container":
        fixed["width"] = width
    return fixed


def grouped_bar_chart(
    *,
    rows: Iterable[Mapping[str, Any]],
    category: str,
    series: Iterable[tuple[str, str]],
    title: str,
    category_title: str,
    value_title: str,
) -> dict[str, Any]:
    """Horizontal bars, one per category and series (for example before and after go-live);
    `series` is (column, legend label). A suppressed cell is left out."""
    series = list(series)
    data = [
        {"category": row[category], "series": label, "value": row[column]}
        for row in rows
        for column, label in series
        if isinstance(row.get(column), int | float) and not isinstance(row.get(column), bool)
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort=None, title=category_title, axis=alt.Axis(labelLimit=160)),
            yOffset=alt.YOffset("series:N", sort=[label for _c, label in series]),
            x=alt.X("value:Q", title=value_title),
            color=alt.Color(
                "series:N",
                sort=[label for _c, label in series],
                title=None,
                scale=alt.Scale(range=[BLUE, "#f47738", "#00703c"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width="container", title=title, description=f"{title}: bar chart")
    )
    return _finish(chart)


def line_chart(
    *,
    rows: Iterable[Mapping[str, Any]],
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    y_domain: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """A step line (a Kaplan-Meier curve) through the published points."""
    data = _numeric_rows(rows, y)
    scale = alt.Scale(domain=list(y_domain)) if y_domain else alt.Undefined
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_line(color=BLUE, interpolate="step-after", point=True)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:Q", title=y_title, scale=scale),
        )
        .properties(width="container", height=220, title=title, description=f"{title}: chart")
    )
    return _finish(chart)
