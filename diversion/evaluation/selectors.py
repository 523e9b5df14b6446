"""The report a viewer may see, and the audit row of each time it is shown or downloaded.

Imported by the views only when a report is asked for: it brings pandas and the statistics with
it (see views.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from diversion.audit.services import Actor, audit_record
from diversion.evaluation.filters import Filters
from diversion.evaluation.report import ALL_SECTIONS, Report, evaluation_report


def report_for(
    *, filters: Filters, sections: tuple[str, ...] | None, dashboard: bool = False
) -> Report:
    """The report for `filters`: every section, or only `sections`. On the dashboard a large
    scheme's matched comparison is worked out in the background (the downloads wait for it)."""
    return evaluation_report(
        scheme=filters.scheme,
        start=filters.start,
        end=filters.end,
        local_authority=filters.local_authority,
        sections=ALL_SECTIONS if sections is None else sections,
        comparison_in_background=dashboard,
    )


def report_use_record(*, viewer: Any, filters: Filters, action: str, what: str) -> None:
    """Audit that `viewer` saw or downloaded the report for `filters`."""
    with transaction.atomic():
        audit_record(
            actor=Actor.of(viewer),
            action=action,
            object_type="evaluation.Report",
            object_id=filters.scheme.code,
            scheme=filters.scheme,
            reason=what,
            changes={
                "from": filters.start.isoformat(),
                "to": filters.end.isoformat(),
                "local_authority": filters.local_authority,
            },
        )
