"""Writes about the assessment call itself: each try at reaching the person, the call recorded
as missed (which moves the referral to `assessment_missed`), and the interpreter for it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.referrals.lifecycle import ReferralStatus, TransitionNotAllowed
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.models import (
    CALLABLE,
    AttemptOutcome,
    Booking,
    BookingStatus,
    ContactAttempt,
    Interpreter,
)
from diversion.scheduling.services import BookingRefused


def _locked(booking_id: int) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__scheme", "referral__person")
        .get(pk=booking_id)
    )


def contact_attempt_record(
    *, booking_id: int, outcome: str, actor: Actor, now: dt.datetime | None = None
) -> ContactAttempt:
    """Record one try at calling the person. A voicemail is refused unless they allowed it."""
    now = now or timezone.now()
    if outcome not in AttemptOutcome.values:
        raise BookingRefused("Choose what happened on the call")
    with transaction.atomic():
        booking = _locked(booking_id)
        if booking.status not in CALLABLE:
            raise BookingRefused(
                f"This call is {booking.get_status_display().lower()}: record nothing more on it"
            )
        if (
            outcome == AttemptOutcome.VOICEMAIL
            and not booking.referral.person.safe_to_leave_voicemail
        ):
            raise BookingRefused("The person has not agreed to voicemail: do not leave a message")
        attempt = ContactAttempt.objects.create(
            booking=booking, outcome=outcome, made_by=actor.user, made_at=now
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=attempt,
            scheme=booking.slot.scheme,
            reason="contact attempt recorded",
            changes={"booking": booking.pk, "referral": booking.referral_id, "outcome": outcome},
        )
    return attempt


def booking_mark_missed(
    *, booking_id: int, actor: Actor, now: dt.datetime | None = None
) -> Booking:
    """The person did not take their call: the booking is missed and the referral moves to
    `assessment_missed`, ready to be rebooked (or, past the scheme's limit, not engaged)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking_id)
        if booking.status != BookingStatus.BOOKED:
            raise BookingRefused("Only a booked call can be recorded as missed")
        if booking.slot.starts_at > now:
            raise BookingRefused("The call has not started yet: it cannot be missed")
        booking.status = BookingStatus.MISSED
        booking.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=booking,
            scheme=booking.slot.scheme,
            reason="assessment call missed",
            changes={"status": {"from": BookingStatus.BOOKED, "to": BookingStatus.MISSED}},
        )
        try:
            referral_transition(
                referral_id=booking.referral_id,
                to_status=ReferralStatus.ASSESSMENT_MISSED,
                actor=actor,
                reason="assessment call missed",
                now=now,
            )
        except TransitionNotAllowed as error:
            raise BookingRefused(str(error)) from error
    return booking


def booking_interpreter_set(
    *, booking_id: int, interpreter: str, language: str, actor: Actor
) -> Booking:
    """Whether the call needs an interpreter, in which language, and whether one is booked."""
    language = language.strip()
    if interpreter not in Interpreter.values:
        raise BookingRefused("Choose whether an interpreter is needed")
    if interpreter == Interpreter.NOT_NEEDED:
        language = ""
    elif not language:
        raise BookingRefused("Enter the language the interpreter speaks")
    elif len(language) > 40:
        raise BookingRefused("The language must be 40 characters or fewer")
    with transaction.atomic():
        booking = _locked(booking_id)
        if booking.status != BookingStatus.BOOKED:
            raise BookingRefused("Only a booked call can have an interpreter arranged")
        before = {"interpreter": booking.interpreter, "language": booking.interpreter_language}
        booking.interpreter, booking.interpreter_language = interpreter, language
        booking.save(update_fields=["interpreter", "interpreter_language"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=booking,
            scheme=booking.slot.scheme,
            reason="interpreter for the assessment call",
            changes={
                "interpreter": {"from": before["interpreter"], "to": interpreter},
                "interpreter_language": {"from": before["language"], "to": language},
            },
        )
    return booking
