from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from diversion.scheduling.models import Booking, BookingStatus, Slot

# An officer's booking needs time for the provider to see it before the call.
MINIMUM_NOTICE = dt.timedelta(hours=2)


def slots_available(
    *,
    scheme_id: int,
    token: str = "",
    after: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Slot]:
    """Bookable assessment slots of the scheme, soonest first (one per start time is enough
    for the officer: which worker calls does not matter to the person)."""
    now = now or timezone.now()
    earliest = max(after or now, now + MINIMUM_NOTICE)
    active = Booking.objects.filter(
        slot=OuterRef("pk"),
        status__in=[BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.MISSED],
    )
    return (
        Slot.objects.filter(scheme_id=scheme_id, starts_at__gte=earliest, is_withdrawn=False)
        .filter(
            Q(held_until__isnull=True) | Q(held_until__lte=now) | Q(held_for=token)
            if token
            else Q(held_until__isnull=True) | Q(held_until__lte=now)
        )
        .exclude(Exists(active))
        .order_by("starts_at", "pk")
    )


def distinct_times(slots: QuerySet[Slot], *, limit: int) -> list[Slot]:
    """The first slot at each start time, up to `limit` times."""
    chosen: list[Slot] = []
    seen: set[dt.datetime] = set()
    for slot in slots.iterator(chunk_size=200):
        if slot.starts_at in seen:
            continue
        seen.add(slot.starts_at)
        chosen.append(slot)
        if len(chosen) == limit:
            break
    return chosen
