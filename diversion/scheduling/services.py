"""Writes for scheduling: generating slots from availability, holding, booking, rebooking and
reassigning them. Rota changes are in `rotas.py`, calls and their outcomes in `calls.py`."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.events import publish
from diversion.referrals.lifecycle import AWAITING_ASSESSMENT, ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.events import BookingMoved
from diversion.scheduling.models import (
    ACTIVE,
    CALLABLE,
    Availability,
    Booking,
    BookingChange,
    BookingStatus,
    ChangeKind,
    RotaException,
    Slot,
)
from diversion.scheduling.rotas import slot_times
from diversion.schemes.models import Scheme

ACTIVE_BOOKING = Q(bookings__status__in=ACTIVE)


class SlotUnavailable(Exception):
    """The slot was booked, held by someone else, withdrawn or is in the past."""


def slots_generate(*, scheme_id: int, start: dt.date, days: int) -> int:
    """Create the slots the rota gives for `days` days from `start`; existing ones are kept.

    Returns how many were created. Bank holidays and workers' time away get no slots.
    """
    rota = Availability.objects.filter(scheme_id=scheme_id, worker__is_active=True)
    end = start + dt.timedelta(days=days)
    wanted = [
        Slot(scheme_id=t.scheme_id, worker_id=t.worker_id, starts_at=t.starts_at, ends_at=t.ends_at)
        for t in slot_times(
            rota=rota,
            exceptions=RotaException.objects.filter(
                worker_id__in=rota.values("worker_id"), ends_on__gte=start, starts_on__lt=end
            ),
            start=start,
            days=days,
        )
    ]
    if not wanted:
        return 0
    existing = set(
        Slot.objects.filter(
            worker_id__in={slot.worker_id for slot in wanted},
            starts_at__gte=min(slot.starts_at for slot in wanted),
            starts_at__lte=max(slot.starts_at for slot in wanted),
        ).values_list("worker_id", "starts_at")
    )
    new = [slot for slot in wanted if (slot.worker_id, slot.starts_at) not in existing]
    Slot.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def slots_generate_all(*, days: int = 28) -> int:
    """The scheduled job: keep four weeks of slots ahead for every active scheme."""
    today = timezone.localdate()
    return sum(
        slots_generate(scheme_id=scheme_id, start=today, days=days)
        for scheme_id in Scheme.objects.filter(is_active=True).values_list("pk", flat=True)
    )


def _check_free(slot: Slot, *, token: str, now: dt.datetime) -> None:
    if slot.is_withdrawn or slot.starts_at <= now:
        raise SlotUnavailable("That appointment is no longer available")
    if slot.held_until and slot.held_until > now and slot.held_for != token:
        raise SlotUnavailable("Another officer is booking that appointment")
    active = slot.bookings.filter(status__in=ACTIVE)
    if active.exists():
        raise SlotUnavailable("That appointment has just been booked by someone else")


def _slot_locked(*, slot_id: int, scheme_id: int) -> Slot | None:
    """The slot, its row locked. Ordered by id: Slot's own ordering would join its worker."""
    return (
        Slot.objects.select_for_update(of=("self",))
        .filter(pk=slot_id, scheme_id=scheme_id)
        .order_by("pk")
        .first()
    )


def slot_hold(*, slot_id: int, scheme_id: int, token: str, minutes: int) -> Slot:
    """Hold a slot for one draft referral for a few minutes; releases the draft's other holds."""
    now = timezone.now()
    with transaction.atomic():
        slot = _slot_locked(slot_id=slot_id, scheme_id=scheme_id)
        if slot is None:
            raise SlotUnavailable("That appointment is not available")
        _check_free(slot, token=token, now=now)
        Slot.objects.filter(held_for=token).exclude(pk=slot.pk).update(held_for="", held_until=None)
        slot.held_for, slot.held_until = token, now + dt.timedelta(minutes=minutes)
        slot.save(update_fields=["held_for", "held_until"])
    return slot


def slot_book(*, slot_id: int, scheme_id: int, referral_id: int, token: str) -> Booking:
    """Book the slot for the referral. Must run inside the referral's transaction.

    The row lock serialises competing officers; the partial unique constraint is the backstop.
    """
    now = timezone.now()
    slot = _slot_locked(slot_id=slot_id, scheme_id=scheme_id)
    if slot is None:
        raise SlotUnavailable("That appointment is not available")
    _check_free(slot, token=token, now=now)
    try:
        # No savepoint: a clash undoes the caller's whole transaction, which is what it wants.
        with transaction.atomic(savepoint=False):
            booking = Booking.objects.create(slot=slot, referral_id=referral_id)
    except IntegrityError as error:
        raise SlotUnavailable("That appointment has just been booked by someone else") from error
    slot.held_for, slot.held_until = "", None
    slot.save(update_fields=["held_for", "held_until"])
    return booking


class BookingRefused(Exception):
    """The booking cannot change that way (its state, the scheme's limit, the person's wishes)."""


REASON_MAX = 300


def _reason_checked(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise BookingRefused("Enter the reason")
    if len(reason) > REASON_MAX:
        raise BookingRefused(f"The reason must be {REASON_MAX} characters or fewer")
    return reason


def _copy_interpreter(source: Booking, target: Booking) -> None:
    target.interpreter, target.interpreter_language = (
        source.interpreter,
        source.interpreter_language,
    )
    target.save(update_fields=["interpreter", "interpreter_language"])


def booking_rebook(*, referral_id: int, slot_id: int, reason: str, actor: Actor) -> Booking:
    """Book a new assessment call for a referral whose call was missed (or is to be moved),
    while it has missed fewer calls than the scheme allows. The old booking stays, as missed or
    cancelled; the change and its reason go into the visible history; the person is sent the new
    time after commit. Raises BookingRefused or SlotUnavailable and changes nothing."""
    reason = _reason_checked(reason)
    now = timezone.now()
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("scheme")
            .get(pk=referral_id)
        )
        if referral.status not in AWAITING_ASSESSMENT:
            raise BookingRefused(
                f"Only a booked or missed assessment can be rebooked; this referral is "
                f"{referral.get_status_display().lower()}"
            )
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(referral=referral)
            .select_related("slot")
            .order_by("slot__starts_at", "pk")
        )
        missed = sum(1 for b in bookings if b.status == BookingStatus.MISSED)
        limit = referral.scheme.missed_appointments_limit
        if missed >= limit:
            raise BookingRefused(
                f"This person has missed {missed} of the {limit} appointments the scheme "
                "allows, so the assessment cannot be rebooked"
            )
        current = next(
            (b for b in reversed(bookings) if b.status in CALLABLE),
            None,
        )
        if current is None:
            raise BookingRefused("There is no assessment booking to rebook")
        booking = slot_book(
            slot_id=slot_id, scheme_id=referral.scheme_id, referral_id=referral.pk, token=""
        )
        _copy_interpreter(current, booking)
        if current.status == BookingStatus.BOOKED:
            current.status = BookingStatus.CANCELLED
            current.save(update_fields=["status"])
        BookingChange.objects.create(
            referral=referral,
            kind=ChangeKind.REBOOKED,
            from_booking=current,
            to_booking=booking,
            reason=reason,
            actor=actor.user,
            actor_label=actor.label,
            changed_at=now,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=booking,
            scheme=referral.scheme,
            reason="assessment rebooked",
            changes={
                "referral": referral.pk,
                "from_booking": {"id": current.pk, "status": current.status},
                "slot": {"from": current.slot_id, "to": booking.slot_id},
            },
        )
        if referral.status == ReferralStatus.ASSESSMENT_MISSED:
            referral_transition(
                referral_id=referral.pk,
                to_status=ReferralStatus.ASSESSMENT_BOOKED,
                actor=actor,
                reason="assessment rebooked",
            )
        publish(
            BookingMoved(
                kind=ChangeKind.REBOOKED,
                referral_id=referral.pk,
                from_booking_id=current.pk,
                to_booking_id=booking.pk,
                time_changed=booking.slot.starts_at != current.slot.starts_at,
            )
        )
    return booking


def booking_reassign(*, booking_id: int, slot_id: int, reason: str, actor: Actor) -> Booking:
    """Move a booked call to another slot: another worker at the same time, or another time.
    The old booking is cancelled, not deleted; the person hears only if the time changed."""
    reason = _reason_checked(reason)
    now = timezone.now()
    with transaction.atomic():
        old = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot", "referral__scheme")
            .get(pk=booking_id)
        )
        if old.status != BookingStatus.BOOKED:
            raise BookingRefused("Only a booked call can be reassigned")
        if old.slot_id == slot_id:
            raise BookingRefused("Choose a different worker or time")
        booking = slot_book(
            slot_id=slot_id, scheme_id=old.slot.scheme_id, referral_id=old.referral_id, token=""
        )
        _copy_interpreter(old, booking)
        old.status = BookingStatus.CANCELLED
        old.save(update_fields=["status"])
        BookingChange.objects.create(
            referral=old.referral,
            kind=ChangeKind.REASSIGNED,
            from_booking=old,
            to_booking=booking,
            reason=reason,
            actor=actor.user,
            actor_label=actor.label,
            changed_at=now,
        )
        new_slot = booking.slot
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=old,
            scheme=old.referral.scheme,
            reason="assessment call reassigned",
            changes={
                "to_booking": booking.pk,
                "worker": {"from": old.slot.worker_id, "to": new_slot.worker_id},
                "starts_at": {"from": old.slot.starts_at, "to": new_slot.starts_at},
            },
        )
        publish(
            BookingMoved(
                kind=ChangeKind.REASSIGNED,
                referral_id=old.referral_id,
                from_booking_id=old.pk,
                to_booking_id=booking.pk,
                time_changed=new_slot.starts_at != old.slot.starts_at,
            )
        )
    return booking
