"""The board report as PDF: the report's tables, its charts rendered to SVG by vl-convert (from
the same Vega-Lite specs the dashboard draws), and the methods note, laid out by WeasyPrint.

The HTML is never served, so it may carry its own print stylesheet (`evaluation/report-pdf.css`).
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import Any

import vl_convert
from django.template.loader import render_to_string
from django.utils import timezone

from diversion.evaluation import charts
from diversion.evaluation.report import Report

# WeasyPrint reports each step of every document at INFO: noise in the service's JSON logs.
logging.getLogger("weasyprint").setLevel(logging.WARNING)

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "evaluation" / "report-pdf.css"
VEGA_LITE_VERSION = "5.21"


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document, drawn by the same Vega-Lite as the dashboard's."""
    svg: str = vl_convert.vegalite_to_svg(
        charts.fixed_width(spec), vl_version=VEGA_LITE_VERSION, show_warnings=False
    )
    return svg


def report_html(report: Report) -> str:
    images = {
        table.key: "data:image/svg+xml;base64,"
        + base64.b64encode(chart_svg(table.chart).encode()).decode()
        for table in report.tables()
        if table.chart
    }
    return render_to_string(
        "evaluation/report_pdf.html",
        {"report": report, "images": images, "generated_at": timezone.localtime()},
    )


def report_document(report: Report) -> Any:
    """The laid-out document (a `weasyprint.Document`): its pages can be counted and read
    before writing the PDF. WeasyPrint is imported here, after its logging is quietened."""
    import weasyprint

    return weasyprint.HTML(string=report_html(report)).render(
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))]
    )


def report_pdf(report: Report) -> bytes:
    content: bytes = report_document(report).write_pdf()
    return content
