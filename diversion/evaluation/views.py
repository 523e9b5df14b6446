"""The commissioner's dashboard, its CSV and PDF downloads, and the evaluator's extract.

Analysts see every section; scheme administrators and provider managers see the operational
figures only (`SECTIONS_BY_ROLE`). Every view is audited; nothing here shows a name.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.evaluation.filters import DashboardForm, ExtractForm, Filters

if TYPE_CHECKING:
    from diversion.evaluation.report import Report, Table

# pandas, altair, vl-convert and WeasyPrint are imported by the views that use them, not when
# the URL configuration loads: every other page would pay for them on a server's first request.
OPERATIONAL = "operational"  # report.OPERATIONAL
REFUSALS = "refusals"  # report.REFUSALS

DASHBOARD_ROLES = (Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER)
# None: every section of the report.
SECTIONS_BY_ROLE: dict[str, tuple[str, ...] | None] = {
    Role.ANALYST: None,
    Role.SCHEME_ADMIN: (OPERATIONAL, REFUSALS),
    Role.PROVIDER_MANAGER: (OPERATIONAL, REFUSALS),
}


def _report_for(request: HttpRequest, filters: Filters, *, dashboard: bool = False) -> Report:
    from diversion.evaluation.selectors import report_for

    sections = SECTIONS_BY_ROLE[request.user.role]  # type: ignore[union-attr]
    return report_for(filters=filters, sections=sections, dashboard=dashboard)


def _audit(request: HttpRequest, filters: Filters, *, action: str, what: str) -> None:
    from diversion.evaluation.selectors import report_use_record

    report_use_record(viewer=request.user, filters=filters, action=action, what=what)


def _file_stem(report: Report) -> str:
    area = f"-{report.local_authority}" if report.local_authority else ""
    return f"{report.scheme_code}{area}-{report.start.isoformat()}-to-{report.end.isoformat()}"


@roles(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm.from_query(request.GET, user=request.user)
    context: dict[str, Any] = {"form": form, "report": None}
    if not form.schemes:
        return render(request, "evaluation/dashboard.html", context)
    if form.is_valid():
        filters = form.filters()
        report = _report_for(request, filters, dashboard=True)
        _audit(request, filters, action=AuditAction.READ, what="evaluation dashboard")
        query = form.data.copy() if hasattr(form.data, "copy") else dict(form.data)
        context.update(report=report, query=_encode(query))
    return render(request, "evaluation/dashboard.html", context)


def _encode(data: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in data.items() if k != "table"})


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.heading for c in table.columns])
    if table.withheld:
        writer.writerow([table.withheld])
    for row in table.rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in table.columns])
    return out.getvalue()


@roles(*DASHBOARD_ROLES)
def download_csv(request: HttpRequest) -> HttpResponse:
    form = DashboardForm.from_query(request.GET, user=request.user)
    if not form.is_valid():
        return redirect(f"{reverse('evaluation:dashboard')}?{request.GET.urlencode()}")
    filters = form.filters()
    report = _report_for(request, filters)
    try:
        table = report.table(request.GET.get("table", ""))
    except KeyError:
        return redirect(f"{reverse('evaluation:dashboard')}?{request.GET.urlencode()}")
    _audit(request, filters, action=AuditAction.EXPORT, what=f"evaluation table {table.key}")
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(report)}-{table.key}.csv"'
    return response


@roles(*DASHBOARD_ROLES)
def download_pdf(request: HttpRequest) -> HttpResponse:
    form = DashboardForm.from_query(request.GET, user=request.user)
    if not form.is_valid():
        return redirect(f"{reverse('evaluation:dashboard')}?{request.GET.urlencode()}")
    filters = form.filters()
    report = _report_for(request, filters)
    from diversion.evaluation.pdf import report_pdf

    content = report_pdf(report)
    _audit(request, filters, action=AuditAction.EXPORT, what="evaluation board report (PDF)")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(report)}.pdf"'
    return response


@roles(Role.EVALUATOR)
def extract(request: HttpRequest) -> HttpResponse:
    """The evaluator asks for a pseudonymised record-level extract of a scheme and period."""
    if request.method == "POST":
        form = ExtractForm(request.POST, user=request.user)
        if form.is_valid():
            from diversion.evaluation.extract import extract_create

            filters = form.filters()
            made = extract_create(
                actor=Actor.of(request.user),
                scheme=filters.scheme,
                start=filters.start,
                end=filters.end,
            )
            response = HttpResponse(made.csv, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{made.file_name}"'
            return response
    else:
        form = ExtractForm(ExtractForm.defaults(user=request.user), user=request.user)
    return render(request, "evaluation/extract.html", {"form": form})


@roles(*DASHBOARD_ROLES, Role.EVALUATOR)
def methods(request: HttpRequest) -> HttpResponse:
    """How the figures are made: docs/evaluation-methods.md, served inside the product."""
    from diversion.evaluation.methods_page import methods_html

    title, body = methods_html()
    return render(request, "evaluation/methods.html", {"title": title, "body": body})


@roles(Role.ANALYST, Role.EVALUATOR)
def compare(request: HttpRequest) -> HttpResponse:
    """Two groups given as counts (the Justice Data Lab's question): the analyst's own
    numbers in, the comparison out. Nothing is read from the records, so nothing is audited."""
    from diversion.evaluation.counts import CountsForm, figures

    asked = any(name in request.GET for name in CountsForm.base_fields)
    form = CountsForm(request.GET if asked else None)
    context: dict[str, Any] = {"form": form, "result": None}
    if asked and form.is_valid():
        result = form.comparison()
        context.update(result=result, figures=figures(result), sentence=result.sentence())
    return render(request, "evaluation/compare.html", context)
