"""The facilitator's pages: their sessions, a session's roster and its attendance register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.courses import selectors
from diversion.courses.attendance import register_open, register_submit
from diversion.courses.forms import RegisterForm
from diversion.courses.models import EnrolmentState

STAFF = (Role.FACILITATOR, Role.PROVIDER_MANAGER)


@roles(Role.FACILITATOR)
def my_sessions(request: HttpRequest) -> HttpResponse:
    sessions = selectors.sessions_for_facilitator(user=request.user)
    return render(request, "courses/my_sessions.html", {"sessions": sessions})


def _audit_roster(request: HttpRequest, session: object, referral_ids: list[int]) -> None:
    if referral_ids:
        with transaction.atomic():
            audit_record(
                actor=Actor.of(request.user),
                action=AuditAction.READ,
                object_type="courses.Session",
                object_id=str(session.pk),  # type: ignore[attr-defined]
                scheme=session.scheme,  # type: ignore[attr-defined]
                reason="session roster",
                changes={"referral_ids": referral_ids},
            )


@roles(*STAFF)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(user=request.user, pk=pk)
    people = selectors.roster(session)
    _audit_roster(request, session, [e.referral_id for e in people])
    context = {
        "session": session,
        "people": people,
        "register_open": register_open(session),
        "facilitators": session.facilitators.order_by("full_name"),
    }
    return render(request, "courses/session_detail.html", context)


@roles(*STAFF)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(user=request.user, pk=pk)
    people = selectors.roster(session)
    booked = [e for e in people if e.state == EnrolmentState.BOOKED]
    marked = [e for e in people if e.state != EnrolmentState.BOOKED]
    form = RegisterForm(request.POST or None, enrolments=booked)
    is_open = register_open(session)
    if request.method == "POST" and is_open and booked and form.is_valid():
        try:
            result = register_submit(
                actor=Actor.of(request.user), session_id=session.pk, marks=form.marks()
            )
        except ValidationError as error:
            for key in getattr(error, "error_dict", {}):
                if key in form.fields:
                    form.add_error(key, form.fields[key].error_messages["required"])
            if not hasattr(error, "error_dict"):
                form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                f"Register saved: {result.completed} completed the course, "
                f"{result.to_rebook} to be offered another place",
            )
            return redirect("courses:session-detail", pk=session.pk)
    _audit_roster(request, session, [e.referral_id for e in people])
    context = {
        "session": session,
        "form": form,
        "marked": marked,
        "register_open": is_open,
        "rows": [(e, form[f"enrolment_{e.pk}"]) for e in booked],
    }
    return render(request, "courses/register.html", context)
