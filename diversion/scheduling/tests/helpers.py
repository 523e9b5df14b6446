"""Booked calls for the scheduling tests, made through the referral service as an officer would,
then moved to the time a test needs (today, or already past)."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from django.utils import timezone

from diversion.officer.tests.builders import referral_made
from diversion.scheduling.models import Booking, Slot

_keys = count(1)
GIVEN = ["Alex", "Bilal", "Ceri", "Dana", "Elif", "Fynn", "Gita", "Hugo", "Iwan", "Joss", "Kofi"]
FAMILY = ["Ashby", "Bello", "Crane", "Dutta", "Evans", "Frost", "Gill", "Hart", "Ivey", "Jones"]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def free_slot(scheme: Any, worker: Any, starts_at: dt.datetime, minutes: int = 45) -> Slot:
    return Slot.objects.create(
        scheme=scheme,
        worker=worker,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
    )


def booked_call(
    officer: Any, scheme: Any, worker: Any, starts_at: dt.datetime, **person: Any
) -> Booking:
    """A referral booked through the service into a slot that is then moved to `starts_at`."""
    number = next(_keys)
    later = timezone.now() + dt.timedelta(days=60, minutes=number)
    slot = free_slot(scheme, worker, later)
    person.setdefault("given_name", GIVEN[number % len(GIVEN)])
    person.setdefault("family_name", f"{FAMILY[number % len(FAMILY)]}-{FAMILY[number // 10 % 10]}")
    person.setdefault(
        "date_of_birth", dt.date(1980 + number % 20, 1 + number % 12, 1 + number % 28)
    )
    created = referral_made(officer, scheme, slot, key=f"call-{number}", **person)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=45)
    )
    return Booking.objects.select_related("slot", "referral").get(referral=created.referral)
