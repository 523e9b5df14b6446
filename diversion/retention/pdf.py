"""The record of processing as PDF, laid out by WeasyPrint (as the evaluation's report)."""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from diversion.retention.records import ProcessingRecord

logging.getLogger("weasyprint").setLevel(logging.WARNING)


def records_html(record: ProcessingRecord) -> str:
    return render_to_string(
        "retention/records_pdf.html", {"record": record, "generated_at": timezone.localtime()}
    )


def records_document(record: ProcessingRecord) -> Any:
    """The laid-out document (a `weasyprint.Document`), whose pages can be read before the
    PDF is written. WeasyPrint is imported here, after its logging is quietened."""
    import weasyprint

    return weasyprint.HTML(string=records_html(record)).render()


def records_pdf(record: ProcessingRecord) -> bytes:
    content: bytes = records_document(record).write_pdf()
    return content
