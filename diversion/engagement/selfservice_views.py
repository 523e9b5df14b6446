"""The person's pages behind their self-service link: no account, nothing about the offence or
their health, discreet titles. Rate-limited by address and by link."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.views.decorators.http import require_http_methods

from diversion.core.access import public
from diversion.core.proxies import client_address
from diversion.core.ratelimit import rate_limited
from diversion.courses.enrolment import NotEnrollable, sessions_to_move_to
from diversion.engagement.selfservice import (
    LinkProblem,
    LinkView,
    deadline_for,
    link_confirm,
    link_move_session,
    link_open,
    link_rebook,
)
from diversion.messaging.rendering import discreet_words_in, format_time
from diversion.scheduling.selectors import distinct_times, slots_available
from diversion.scheduling.services import BookingRefused, SlotUnavailable

CHOICES_SHOWN = 12
# Per address: enough for a family sharing a connection; per link: enough to change one's mind.
PER_ADDRESS = (60, 600)
PER_LINK = (20, 600)


NEUTRAL_NAME = "Appointments"  # the header and tab title: nothing a glance could give away


def _render(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    return render(request, template, {**context, "service_name": NEUTRAL_NAME}, status=status)


def when(value: dt.datetime) -> str:
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    return f"{formats.date_format(local, 'l j F')} at {format_time(local.time(), style='govuk')}"


class ChooseForm(forms.Form):
    slot = forms.TypedChoiceField(
        label="Choose a new time",
        coerce=int,
        error_messages={
            "required": "Choose a new time",
            "invalid_choice": "Choose one of the times shown",
        },
    )

    def __init__(
        self, *args: object, times: list[tuple[int, str]], course: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["slot"]
        field.choices = times  # type: ignore[attr-defined]
        if course:
            field.label = "Choose another session"
            field.error_messages["required"] = "Choose another session"
            field.error_messages["invalid_choice"] = "Choose one of the sessions shown"


def _provider_name(view: LinkView) -> str:
    provider = view.referral.scheme.provider
    name = str(provider.short_name or provider.name)
    if view.referral.person.discreet_messages and discreet_words_in(name):
        return "the service"
    return name


def _choices(view: LinkView, *, now: dt.datetime) -> list[tuple[int, str]]:
    """What the person may choose instead: assessment times before the scheme's deadline, or
    later sessions of their course with a free seat."""
    if view.enrolment is not None:
        sessions = sessions_to_move_to(referral_id=view.referral.pk, now=now)
        return [(session.pk, when(session.starts_at)) for session in sessions]
    slots = slots_available(scheme_id=view.referral.scheme_id, now=now).filter(
        starts_at__lte=deadline_for(view.referral)
    )
    if view.booking is not None:
        slots = slots.exclude(starts_at=view.booking.slot.starts_at)
    return [(slot.pk, when(slot.starts_at)) for slot in distinct_times(slots, limit=CHOICES_SHOWN)]


def _starts_at(view: LinkView) -> dt.datetime | None:
    if view.enrolment is not None:
        return view.enrolment.session.starts_at  # type: ignore[no-any-return]
    return view.booking.slot.starts_at if view.booking is not None else None


def _throttled(request: HttpRequest, token: str) -> bool:
    by_address = rate_limited(
        f"link-address:{client_address(request)}",
        limit=PER_ADDRESS[0],
        window_seconds=PER_ADDRESS[1],
    )
    by_link = rate_limited(f"link:{token[:40]}", limit=PER_LINK[0], window_seconds=PER_LINK[1])
    return by_address or by_link


def _problem(request: HttpRequest, problem: LinkProblem, status: int = 410) -> HttpResponse:
    return _render(request, "selfservice/problem.html", {"problem": problem}, status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = _render(request, "selfservice/too_many.html", {}, status=429)
    response["Retry-After"] = str(PER_LINK[1])
    return response


def _page(
    request: HttpRequest, view: LinkView, *, form: ChooseForm, status: int = 200
) -> HttpResponse:
    starts_at = _starts_at(view)
    session = view.enrolment.session if view.enrolment is not None else None
    context = {
        "view": view,
        "form": form,
        "provider": _provider_name(view),
        "appointment": when(starts_at) if starts_at else "",
        "session": session,
        "missed": view.booking is not None and view.booking.status == "missed",
        "choose_before": when(view.choose_before),
    }
    return _render(request, "selfservice/link.html", context, status=status)


def _done(request: HttpRequest, view: LinkView, *, confirmed: bool, starts_at: Any) -> HttpResponse:
    context = {
        "confirmed": confirmed,
        "course": view.enrolment is not None,
        "appointment": when(starts_at),
        "provider": _provider_name(view),
    }
    return _render(request, "selfservice/done.html", context)


@public
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    if _throttled(request, token):
        return _too_many(request)
    now = timezone.now()
    try:
        view = link_open(token=token, now=now)
    except LinkProblem as problem:
        return _problem(request, problem, status=404 if problem.kind == "invalid" else 410)
    choices = _choices(view, now=now)
    course = view.enrolment is not None
    if request.method == "GET":
        return _page(request, view, form=ChooseForm(times=choices, course=course))
    if request.POST.get("action") == "confirm" and view.can_confirm:
        try:
            link_confirm(token=token, now=now)
        except LinkProblem as problem:
            return _problem(request, problem)
        return _done(request, view, confirmed=True, starts_at=_starts_at(view))
    form = ChooseForm(request.POST, times=choices, course=course)
    if not form.is_valid():
        return _page(request, view, form=form, status=400)
    chosen = form.cleaned_data["slot"]
    try:
        if view.enrolment is not None:
            starts_at = link_move_session(token=token, session_id=chosen, now=now).session.starts_at
        else:
            starts_at = link_rebook(token=token, slot_id=chosen, now=now).slot.starts_at
    except LinkProblem as problem:
        return _problem(request, problem)
    except (BookingRefused, SlotUnavailable, NotEnrollable) as error:  # say why; nothing changed
        form.add_error("slot", str(error).rstrip(".") + ".")
        return _page(request, view, form=form, status=409)
    return _done(request, view, confirmed=False, starts_at=starts_at)
