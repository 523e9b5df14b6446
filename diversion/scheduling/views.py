"""The worker's day, the manager's team view, and the pages about one call: contact attempts,
missed, rebooking, reassignment and the interpreter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.scheduling import day_selectors, selectors
from diversion.scheduling.calls import (
    booking_interpreter_set,
    booking_mark_missed,
    contact_attempt_record,
)
from diversion.scheduling.forms import AttemptForm, InterpreterForm, SlotChoiceForm
from diversion.scheduling.models import CALLABLE, Booking
from diversion.scheduling.services import (
    BookingRefused,
    SlotUnavailable,
    booking_reassign,
    booking_rebook,
)

CALL_ROLES = (Role.WORKER, Role.PROVIDER_MANAGER)
FREE_TIMES_SHOWN = 12


@roles(Role.WORKER)
def my_day(request: HttpRequest) -> HttpResponse:
    """Today's calls in time order, missed calls to follow up, and cases nobody has booked."""
    day = day_selectors.worker_day(user=request.user, day=timezone.localdate())
    return render(request, "scheduling/day.html", vars(day))


@roles(Role.PROVIDER_MANAGER)
def team_day(request: HttpRequest) -> HttpResponse:
    """Every worker's calls today, calls to reassign, misses and unassigned cases."""
    day = day_selectors.team_day(user=request.user, day=timezone.localdate())
    return render(request, "scheduling/team.html", vars(day))


@roles(*CALL_ROLES)
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One call: who to ring and how, the attempts so far, and one button per outcome."""
    booking = selectors.booking_for_user(user=request.user, booking_id=pk)
    form = AttemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = contact_attempt_record(
                booking_id=booking.pk,
                outcome=form.cleaned_data["outcome"],
                actor=Actor.of(request.user),
            )
        except BookingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Recorded: {attempt.get_outcome_display().lower()}")
            return redirect("scheduling:call", pk=booking.pk)
    call = day_selectors.call_page(user=request.user, booking=booking)
    context = vars(call) | {"form": form}
    return render(request, "scheduling/call.html", context)


@roles(*CALL_ROLES)
def call_missed(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_user(user=request.user, booking_id=pk)
    error = ""
    if request.method == "POST":
        try:
            booking_mark_missed(booking_id=booking.pk, actor=Actor.of(request.user))
        except BookingRefused as refused:
            error = str(refused)
        else:
            messages.success(request, "Call recorded as missed. You can now rebook it.")
            return redirect("scheduling:call", pk=booking.pk)
    context = {"booking": booking, "person": booking.referral.person, "error": error}
    return render(request, "scheduling/missed.html", context, status=400 if error else 200)


def _free_times(booking: Booking) -> list[Any]:
    return selectors.distinct_times(
        selectors.slots_available(scheme_id=booking.slot.scheme_id).select_related("worker"),
        limit=FREE_TIMES_SHOWN,
    )


@roles(*CALL_ROLES)
def call_rebook(request: HttpRequest, pk: int) -> HttpResponse:
    """Rebook a missed call (up to the scheme's limit of misses), with the reason."""
    booking = selectors.booking_for_user(user=request.user, booking_id=pk)
    referral = booking.referral
    form = SlotChoiceForm(request.POST or None, slots=_free_times(booking), label="New time")
    if request.method == "POST" and form.is_valid():
        try:
            new = booking_rebook(
                referral_id=referral.pk,
                slot_id=int(form.cleaned_data["slot"]),
                reason=form.cleaned_data["reason"],
                actor=Actor.of(request.user),
            )
        except (BookingRefused, SlotUnavailable) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Assessment rebooked. The person will be sent the new time.")
            return redirect("scheduling:call", pk=new.pk)
    context = {
        "booking": booking,
        "person": referral.person,
        "form": form,
        "missed_count": selectors.missed_count(referral=referral),
        "limit": booking.slot.scheme.missed_appointments_limit,
        "history": selectors.booking_history(referral=referral),
        "can_rebook": booking.status in CALLABLE,
    }
    return render(request, "scheduling/rebook.html", context)


@roles(Role.PROVIDER_MANAGER)
def call_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a booked call to another worker free at the same time, or move it to another time."""
    booking = selectors.booking_for_user(user=request.user, booking_id=pk)
    same_time = selectors.free_slots_at_same_time(booking=booking)
    other_times = [s for s in _free_times(booking) if s.starts_at != booking.slot.starts_at]
    form = SlotChoiceForm(
        request.POST or None, slots=same_time + other_times, label="Reassign the call to"
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = booking_reassign(
                booking_id=booking.pk,
                slot_id=int(form.cleaned_data["slot"]),
                reason=form.cleaned_data["reason"],
                actor=Actor.of(request.user),
            )
        except (BookingRefused, SlotUnavailable) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Call reassigned to {new.slot.worker.full_name}")
            return redirect("scheduling:team")
    context = {"booking": booking, "person": booking.referral.person, "form": form}
    return render(request, "scheduling/reassign.html", context)


@roles(*CALL_ROLES)
def call_interpreter(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for_user(user=request.user, booking_id=pk)
    initial = {"interpreter": booking.interpreter, "language": booking.interpreter_language}
    form = InterpreterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            booking_interpreter_set(
                booking_id=booking.pk,
                interpreter=form.cleaned_data["interpreter"],
                language=form.cleaned_data["language"],
                actor=Actor.of(request.user),
            )
        except BookingRefused as error:
            target = "language" if "language" in str(error) else None
            form.add_error(target, str(error))
        else:
            messages.success(request, "Interpreter details saved")
            return redirect("scheduling:call", pk=booking.pk)
    context = {"booking": booking, "person": booking.referral.person, "form": form}
    return render(request, "scheduling/interpreter.html", context)
