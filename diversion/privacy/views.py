"""The information-rights pages: requests and their deadlines, finding the person, the subject
access export and its sign-off, decisions on rectification and erasure, legal holds."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.people.models import MatchKind, Person
from diversion.privacy import requests as services
from diversion.privacy import selectors
from diversion.privacy.export import export_pdf, subject_access_export
from diversion.privacy.forms import DecisionForm, PersonSearchForm, RequestForm, SignOffForm
from diversion.privacy.models import RequestKind, RequestStatus

RIGHTS = (Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER)


def _status(form_errors: bool) -> int:
    return 422 if form_errors else 200


@roles(*RIGHTS)
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        (item, services.is_overdue(item, today=today))
        for item in selectors.requests_for_user(user=request.user)
    ]
    return render(request, "privacy/request_list.html", {"rows": rows, "today": today})


@never_cache
@roles(*RIGHTS)
def person_search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    matches: list[tuple[Person, str]] | None = None
    if request.GET and form.is_valid():
        found = selectors.person_search_for_user(user=request.user, **form.cleaned_data)
        matches = [(match.person, MatchKind(match.kind).label) for match in found]
    context = {"form": form, "matches": matches}
    return render(request, "privacy/person_search.html", context, status=_status(bool(form.errors)))


@never_cache
@roles(*RIGHTS)
def request_new(request: HttpRequest, person: int) -> HttpResponse:
    subject = selectors.person_for_user(user=request.user, pk=person)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.rights_request_record(
                actor=request.user, person=subject, **form.cleaned_data
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Request recorded: answer by {created.due_on:%-d %B %Y}")
            return redirect("privacy:request", pk=created.pk)
    context = {"form": form, "subject": subject}
    return render(request, "privacy/request_new.html", context, status=_status(bool(form.errors)))


@never_cache
@roles(*RIGHTS)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_for_user(user=request.user, pk=pk, reason="information rights request")
    sign_off = SignOffForm(request.POST if request.POST.get("step") == "sign-off" else None)
    decision = DecisionForm(request.POST if request.POST.get("step") == "decide" else None)
    if request.method == "POST":
        try:
            _act(request, item.pk, sign_off, decision)
        except ValidationError as error:
            target = decision if request.POST.get("step") == "decide" else sign_off
            copy_validation_errors(target, error)
        else:
            if not (sign_off.errors or decision.errors):
                return redirect("privacy:request", pk=item.pk)
    context = {
        "item": item,
        "overdue": services.is_overdue(item),
        "sign_off": sign_off,
        "decision": decision,
        "is_access": item.kind == RequestKind.ACCESS,
        "open": item.status not in services.FINISHED,
        "awaiting_review": item.status == RequestStatus.AWAITING_REVIEW,
        "forms": [f for f in (sign_off, decision) if f.errors],
    }
    errors = bool(sign_off.errors or decision.errors)
    return render(request, "privacy/request_detail.html", context, status=_status(errors))


def _act(request: HttpRequest, pk: int, sign_off: SignOffForm, decision: DecisionForm) -> None:
    step = request.POST.get("step")
    if step == "prepare":
        services.subject_access_prepare(actor=request.user, request_id=pk)
        messages.success(request, "Export prepared: another person must check and sign it off")
    elif step == "sign-off" and sign_off.is_valid():
        services.subject_access_sign_off(
            actor=request.user, request_id=pk, person_told=sign_off.cleaned_data["person_told"]
        )
        messages.success(request, "Export signed off and released")
    elif step == "decide" and decision.is_valid():
        data = decision.cleaned_data
        services.rights_request_decide(
            actor=request.user,
            request_id=pk,
            agree=data["agree"] == "yes",
            reasons=data["reasons"],
            person_told=data["person_told"],
            corrections={name: data.get(name) for name in services.CORRECTABLE},
        )
        messages.success(request, "Decision recorded")


@roles(*RIGHTS)
def export_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    item = selectors.request_for_user(user=request.user, pk=pk, reason="subject access export")
    if item.kind != RequestKind.ACCESS or item.status == RequestStatus.OPEN:
        messages.error(request, "Prepare the export first")
        return redirect("privacy:request", pk=item.pk)
    export = subject_access_export(person=item.person)
    audit_record(
        actor=Actor.of(request.user),
        action=AuditAction.EXPORT,
        obj=item.person,
        scheme=item.scheme,
        reason=f"subject access export downloaded as {kind} (request {item.pk})",
    )
    if kind == "json":
        body = json.dumps(export.as_json(), indent=2, ensure_ascii=False, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        pdf = export_pdf(export, request_id=item.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{item.pk}.{kind}"'
    return response
