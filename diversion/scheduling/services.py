"""Writes for scheduling: generating slots from availability, holding and booking them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from diversion.scheduling.calendar import is_bank_holiday
from diversion.scheduling.models import Availability, Booking, BookingStatus, Slot

ACTIVE_BOOKING = Q(
    bookings__status__in=[BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.MISSED]
)


class SlotUnavailable(Exception):
    """The slot was booked, held by someone else, withdrawn or is in the past."""


def slots_generate(*, scheme_id: int, start: dt.date, days: int) -> int:
    """Create the slots the rota gives for `days` days from `start`; existing ones are kept.

    Returns how many were created. Bank holidays get no slots.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    wanted: list[Slot] = []
    rota = list(Availability.objects.filter(scheme_id=scheme_id, worker__is_active=True))
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if is_bank_holiday(day):
            continue
        for hours in rota:
            if hours.weekday != day.weekday():
                continue
            begins = dt.datetime.combine(day, hours.starts_at, tzinfo=zone)
            finish = dt.datetime.combine(day, hours.ends_at, tzinfo=zone)
            length = dt.timedelta(minutes=hours.slot_minutes)
            while begins + length <= finish:
                wanted.append(
                    Slot(
                        scheme_id=scheme_id,
                        worker_id=hours.worker_id,
                        starts_at=begins,
                        ends_at=begins + length,
                    )
                )
                begins += length
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
    from diversion.schemes.models import Scheme

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
    active = slot.bookings.filter(
        status__in=[BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.MISSED]
    )
    if active.exists():
        raise SlotUnavailable("That appointment has just been booked by someone else")


def slot_hold(*, slot_id: int, scheme_id: int, token: str, minutes: int) -> Slot:
    """Hold a slot for one draft referral for a few minutes; releases the draft's other holds."""
    now = timezone.now()
    with transaction.atomic():
        slot = Slot.objects.select_for_update().filter(pk=slot_id, scheme_id=scheme_id).first()
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
    slot = Slot.objects.select_for_update().filter(pk=slot_id, scheme_id=scheme_id).first()
    if slot is None:
        raise SlotUnavailable("That appointment is not available")
    _check_free(slot, token=token, now=now)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(slot=slot, referral_id=referral_id)
    except IntegrityError as error:
        raise SlotUnavailable("That appointment has just been booked by someone else") from error
    slot.held_for, slot.held_until = "", None
    slot.save(update_fields=["held_for", "held_until"])
    return booking
