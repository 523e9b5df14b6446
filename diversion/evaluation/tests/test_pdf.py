"""The board report PDF: produced, with the report's sections, charts and suppression."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from diversion.core.roles import Role
from diversion.evaluation.pdf import report_document, report_pdf
from diversion.evaluation.report import evaluation_report
from diversion.evaluation.tests.dashboard_data import Known, known_referrals


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    return known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))


def _text(document: Any) -> str:
    """Every piece of text WeasyPrint laid out, page by page."""
    parts: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)


def test_the_board_report_has_its_sections_tables_charts_and_methods(known: Known) -> None:
    report = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    document = report_document(report)
    text = _text(document)
    assert len(document.pages) >= 3
    assert f"Board report: {known.scheme.name}" in text
    assert "From referral to completion" in text
    assert "Methods" in text
    assert "Second Borough" in text
    assert "Testperson" not in text
    # The substance table's 3 and 17 are suppressed in the PDF too.
    assert "[c]" in text
    html_images = [t.key for t in report.tables() if t.chart]
    assert "funnel" in html_images


def test_the_pdf_download_is_a_pdf_file(known: Known, client_for: Any) -> None:
    client = client_for(Role.ANALYST, known.scheme)
    response = client.get(reverse("evaluation:report-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"%%EOF" in response.content[-32:]


def test_report_pdf_returns_pdf_bytes(known: Known) -> None:
    report = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    assert report_pdf(report).startswith(b"%PDF-")
