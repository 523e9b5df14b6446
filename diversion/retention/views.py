"""The retention pages: schedules, the dry run and the run log, and the data protection
officer's record of processing. Scheme administrators only, scoped to their schemes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.retention import selectors
from diversion.retention.forms import ScheduleForm
from diversion.retention.job import retention_run
from diversion.retention.pdf import records_pdf
from diversion.retention.records import processing_record
from diversion.retention.schedules import schedule_for, schedule_update, schedules_for_scheme
from diversion.schemes.selectors import scheme_for_user, schemes_for_user

ADMIN = Role.SCHEME_ADMIN


@roles(ADMIN)
def index(request: HttpRequest) -> HttpResponse:
    places = selectors.visible_places(user=request.user)
    latest = {
        label: run
        for label, run in (
            ("run", selectors.runs_recent(dry_run=False).first()),
            ("dry_run", selectors.runs_recent(dry_run=True).first()),
        )
    }
    context = {
        "schemes": schemes_for_user(user=request.user),
        "latest": {
            label: {"run": run, "sentence": selectors.run_sentence(run, places=places)}
            for label, run in latest.items()
            if run is not None
        },
    }
    return render(request, "retention/index.html", context)


@roles(ADMIN)
def schedule(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    rows = schedules_for_scheme(scheme_id=scheme.pk)
    return render(request, "retention/schedule.html", {"scheme": scheme, "rows": rows})


@roles(ADMIN)
def schedule_edit(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    found = selectors.kind_or_none(kind)
    if found is None:
        raise Http404("No such kind of record.")
    current = schedule_for(scheme_id=scheme.pk, kind=found)
    form = ScheduleForm(request.POST or None, kind=found, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            schedule_update(
                actor=Actor.of(request.user),
                scheme=scheme,
                kind=found,
                period_days=form.cleaned_data["period_days"],
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{found.label}: retention saved")
            return redirect("retention:schedule", code=scheme.code)
    context = {"scheme": scheme, "kind": found, "current": current, "form": form}
    return render(request, "retention/schedule_edit.html", context)


@roles(ADMIN)
def runs(request: HttpRequest) -> HttpResponse:
    places = selectors.visible_places(user=request.user)
    page = Paginator(selectors.runs_recent(), 25).get_page(request.GET.get("page"))
    rows = [
        {
            "run": run,
            "sentence": selectors.run_sentence(run, places=places),
            "lines": selectors.run_lines(run, places=places),
        }
        for run in page
    ]
    return render(request, "retention/runs.html", {"page": page, "rows": rows})


@roles(ADMIN)
@require_http_methods(["GET", "POST"])
def dry_run(request: HttpRequest) -> HttpResponse:
    """The latest dry run's report; POST makes a new one (it changes nothing)."""
    if request.method == "POST":
        retention_run(dry_run=True, started_by=Actor.of(request.user).label)
        messages.success(request, "Dry run finished")
        return redirect("retention:dry-run")
    places = selectors.visible_places(user=request.user)
    run = selectors.runs_recent(dry_run=True).first()
    context = {
        "run": run,
        "sentence": selectors.run_sentence(run, places=places) if run else "",
        "lines": selectors.run_lines(run, places=places) if run else [],
    }
    return render(request, "retention/dry_run.html", context)


@roles(ADMIN)
def records(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    record = processing_record(scheme=scheme)
    return render(request, "retention/records.html", {"scheme": scheme, "record": record})


@roles(ADMIN)
def records_pdf_download(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    content = records_pdf(processing_record(scheme=scheme))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{scheme.code}-record-of-processing.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
