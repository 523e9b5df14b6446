from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.referrals.lifecycle import BEFORE_ASSESSMENT, ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import (
    ACTIVE,
    Availability,
    Booking,
    BookingChange,
    BookingStatus,
    RotaException,
    Slot,
)
from diversion.scheduling.rotas import exception_covers
from diversion.schemes.selectors import schemes_for_user

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
        status__in=ACTIVE,
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


# --- The worker's day and the manager's team ---------------------------------------------------

CASE_LIST_LIMIT = 50


def workers_for_user(*, user: Any) -> QuerySet[Any]:
    """The workers a manager (or worker) may see: active workers of their own provider."""
    return User.objects.filter(
        organisation_id=user.organisation_id, role=Role.WORKER, is_active=True
    ).order_by("full_name", "pk")


def worker_for_user(*, user: Any, pk: int) -> Any:
    """One of the workers the user may see; 404 otherwise."""
    worker = workers_for_user(user=user).filter(pk=pk).first()
    if worker is None:
        raise Http404("No such worker.")
    return worker


@dataclass(frozen=True)
class Rota:
    """A worker's weekly hours, and their time away from today on."""

    worker: Any
    hours: list[Availability]
    away: list[RotaException]


def rotas_for_user(*, user: Any, today: dt.date) -> list[Rota]:
    """The rota of each worker the user may see."""
    workers = list(workers_for_user(user=user))
    hours = Availability.objects.filter(worker__in=workers).order_by("weekday", "starts_at")
    away = RotaException.objects.filter(worker__in=workers, ends_on__gte=today)
    return [
        Rota(
            worker=worker,
            hours=[h for h in hours if h.worker_id == worker.pk],
            away=[e for e in away if e.worker_id == worker.pk],
        )
        for worker in workers
    ]


def rota_of(*, worker: Any, today: dt.date) -> Rota:
    return Rota(
        worker=worker,
        hours=list(Availability.objects.filter(worker=worker).select_related("scheme")),
        away=list(RotaException.objects.filter(worker=worker, ends_on__gte=today)),
    )


def availability_for_user(*, user: Any, pk: int) -> Availability:
    """Weekly hours of one of the workers the user may see; 404 otherwise."""
    found = Availability.objects.filter(pk=pk, worker__in=workers_for_user(user=user)).first()
    if found is None:
        raise Http404("No such hours.")
    return found


def rota_exception_for_user(*, user: Any, pk: int) -> RotaException:
    """Time away of one of the workers the user may see; 404 otherwise."""
    found = RotaException.objects.filter(pk=pk, worker__in=workers_for_user(user=user)).first()
    if found is None:
        raise Http404("No such time away.")
    return found


def bookings_for_user(*, user: Any) -> QuerySet[Booking]:
    return Booking.objects.filter(slot__scheme__in=schemes_for_user(user=user)).select_related(
        "slot__worker", "slot__scheme", "referral__person"
    )


def booking_for_user(*, user: Any, booking_id: int) -> Booking:
    """The booking, if it is in one of the user's schemes; 404 otherwise."""
    booking = bookings_for_user(user=user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404("No such booking.")
    return booking


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return start, start + dt.timedelta(days=1)


def calls_on_day(*, user: Any, day: dt.date, worker_ids: list[int]) -> list[Booking]:
    """The day's calls of these workers in time order, with their contact attempts."""
    start, end = day_bounds(day)
    return list(
        bookings_for_user(user=user)
        .filter(
            slot__worker_id__in=worker_ids,
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
            status__in=ACTIVE,
        )
        .prefetch_related("attempts")
        .order_by("slot__starts_at", "slot__worker__full_name", "pk")
    )


def missed_awaiting_follow_up(*, user: Any, worker_ids: list[int] | None = None) -> list[Booking]:
    """The latest missed call of each referral still waiting for a rebooking (assessment missed),
    oldest first; for the given workers' calls only if given."""
    missed = bookings_for_user(user=user).filter(
        status=BookingStatus.MISSED, referral__status=ReferralStatus.ASSESSMENT_MISSED
    )
    if worker_ids is not None:
        missed = missed.filter(slot__worker_id__in=worker_ids)
    latest: dict[int, Booking] = {}
    for booking in missed.prefetch_related("attempts").order_by("slot__starts_at", "pk"):
        latest[booking.referral_id] = booking
    return sorted(latest.values(), key=lambda b: b.slot.starts_at)


@dataclass(frozen=True)
class Case:
    referral: Referral
    unassigned: bool
    overdue: bool
    days_waiting: int


def cases_unassigned_or_overdue(*, user: Any, now: dt.datetime | None = None) -> list[Case]:
    """Referrals with no call booked (status referred), and referrals past the scheme's days to
    assessment not yet assessed (booked late, missed, or never booked): oldest first."""
    now = now or timezone.now()
    schemes = list(schemes_for_user(user=user))
    overdue = Q()
    for scheme in schemes:
        cutoff = now - dt.timedelta(days=scheme.days_to_assessment)
        overdue |= Q(scheme=scheme, created_at__lt=cutoff)
    found = (
        Referral.objects.filter(scheme__in=schemes)
        .filter(
            Q(status=ReferralStatus.REFERRED) | (Q(status__in=BEFORE_ASSESSMENT) & overdue)
            if schemes
            else Q(pk__in=[])
        )
        .select_related("scheme", "person")
        .order_by("created_at", "pk")[:CASE_LIST_LIMIT]
    )
    return [
        Case(
            referral=referral,
            unassigned=referral.status == ReferralStatus.REFERRED,
            overdue=referral.created_at
            < now - dt.timedelta(days=referral.scheme.days_to_assessment),
            days_waiting=(now - referral.created_at).days,
        )
        for referral in found
    ]


def exceptions_on(*, worker_ids: list[int], day: dt.date) -> list[RotaException]:
    return list(
        RotaException.objects.filter(
            worker_id__in=worker_ids, starts_on__lte=day, ends_on__gte=day
        ).select_related("worker")
    )


def bookings_needing_reassignment(
    *, user: Any, now: dt.datetime | None = None, days: int = 28
) -> list[Booking]:
    """Booked calls ahead whose worker can no longer take them: time away recorded after the
    booking, a slot withdrawn from the rota, or a worker who has left."""
    now = now or timezone.now()
    ahead = list(
        bookings_for_user(user=user)
        .filter(
            status=BookingStatus.BOOKED,
            slot__starts_at__gte=now,
            slot__starts_at__lt=now + dt.timedelta(days=days),
        )
        .order_by("slot__starts_at", "pk")
    )
    away: dict[int, list[RotaException]] = {}
    for exception in RotaException.objects.filter(
        worker_id__in={b.slot.worker_id for b in ahead}, ends_on__gte=now.date()
    ):
        away.setdefault(exception.worker_id, []).append(exception)
    return [
        b
        for b in ahead
        if b.slot.is_withdrawn
        or not b.slot.worker.is_active
        or any(
            exception_covers(e, b.slot.starts_at, b.slot.ends_at)
            for e in away.get(b.slot.worker_id, [])
        )
    ]


def free_slots_at_same_time(*, booking: Booking) -> list[Slot]:
    """Other workers' free slots starting when this call starts: for a reassignment."""
    active = Booking.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE)
    return list(
        Slot.objects.filter(
            scheme_id=booking.slot.scheme_id,
            starts_at=booking.slot.starts_at,
            is_withdrawn=False,
            worker__is_active=True,
        )
        .exclude(worker_id=booking.slot.worker_id)
        .exclude(Exists(active))
        .select_related("worker")
        .order_by("worker__full_name", "pk")
    )


def booking_history(*, referral: Referral) -> list[BookingChange]:
    return list(
        BookingChange.objects.filter(referral=referral)
        .select_related("from_booking__slot__worker", "to_booking__slot__worker", "actor")
        .order_by("changed_at", "pk")
    )


def missed_count(*, referral: Referral) -> int:
    return referral.bookings.filter(status=BookingStatus.MISSED).count()
