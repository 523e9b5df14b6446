"""The facilitator's pages: their sessions, a session's roster and its attendance register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.courses import selectors
from diversion.courses.attendance import register_open, register_submit
from diversion.courses.forms import RegisterForm
from diversion.courses.models import EnrolmentState
from diversion.courses.views import shown_to

STAFF = (Role.FACILITATOR, Role.PROVIDER_MANAGER)


@roles(Role.FACILITATOR)
def my_sessions(request: HttpRequest) -> HttpResponse:
    sessions = selectors.sessions_for_facilitator(user=request.user)
    return render(request, "courses/my_sessions.html", {"sessions": sessions})


@roles(*STAFF)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.session_page(user=request.user, pk=pk)
    return render(request, "courses/session_detail.html", vars(page))


@roles(*STAFF)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(user=request.user, pk=pk)
    people = selectors.roster(session, shown_to=shown_to(request))
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
    context = {
        "session": session,
        "form": form,
        "marked": marked,
        "register_open": is_open,
        "rows": [(e, form[f"enrolment_{e.pk}"]) for e in booked],
    }
    return render(request, "courses/register.html", context)
