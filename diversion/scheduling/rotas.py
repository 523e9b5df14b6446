"""Rotas: a worker's weekly hours, the exceptions to them (leave, training, sickness) and bank
holidays make the assessment slots. Changing a rota regenerates the worker's future free slots;
booked ones are never touched (a booked call that falls in new leave shows on the manager's page
for reassignment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.scheduling.calendar import is_bank_holiday
from diversion.scheduling.models import (
    ACTIVE,
    Availability,
    Booking,
    ExceptionKind,
    RotaException,
    Slot,
)
from diversion.schemes.models import Scheme

HORIZON_DAYS = 28


@dataclass(frozen=True)
class SlotTime:
    scheme_id: int
    worker_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


def exception_covers(
    exception: RotaException, starts_at: dt.datetime, ends_at: dt.datetime
) -> bool:
    """Whether the time away overlaps the slot (times are local)."""
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if not exception.starts_on <= local_start.date() <= exception.ends_on:
        return False
    if exception.from_time is None or exception.to_time is None:
        return True
    return local_start.time() < exception.to_time and local_end.time() > exception.from_time


def slot_times(
    *,
    rota: Iterable[Availability],
    exceptions: Iterable[RotaException],
    start: dt.date,
    days: int,
) -> list[SlotTime]:
    """The slots the rota gives over `days` days from `start`: none on bank holidays, none in
    a worker's time away."""
    zone = ZoneInfo(settings.TIME_ZONE)
    away: dict[int, list[RotaException]] = {}
    for exception in exceptions:
        away.setdefault(exception.worker_id, []).append(exception)
    rota = list(rota)
    times: list[SlotTime] = []
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
                ends = begins + length
                if not any(
                    exception_covers(e, begins, ends) for e in away.get(hours.worker_id, [])
                ):
                    times.append(SlotTime(hours.scheme_id, hours.worker_id, begins, ends))
                begins = ends
    return times


@dataclass(frozen=True)
class RotaChange:
    created: int = 0
    removed: int = 0
    restored: int = 0


def rota_regenerate(
    *, worker_id: int, start: dt.date | None = None, days: int = HORIZON_DAYS
) -> RotaChange:
    """Make the worker's future free slots match the rota: create the missing ones, take out
    the ones the rota no longer gives (deleted, or withdrawn if something refers to them) and
    put back withdrawn ones it gives again. Slots with an active booking are left alone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    start = start or timezone.localdate()
    window_start = max(now, dt.datetime.combine(start, dt.time(0), tzinfo=zone))
    window_end = dt.datetime.combine(start + dt.timedelta(days=days), dt.time(0), tzinfo=zone)
    wanted = {
        t.starts_at: t
        for t in slot_times(
            rota=Availability.objects.filter(worker_id=worker_id, worker__is_active=True),
            exceptions=RotaException.objects.filter(
                worker_id=worker_id, ends_on__gte=start, starts_on__lt=window_end.date()
            ),
            start=start,
            days=days,
        )
        if t.starts_at >= window_start
    }
    existing = Slot.objects.filter(
        worker_id=worker_id, starts_at__gte=window_start, starts_at__lt=window_end
    ).annotate(
        active=Exists(Booking.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE)),
        referred=Exists(Booking.objects.filter(slot=OuterRef("pk"))),
    )
    removed = restored = 0
    with transaction.atomic():
        for slot in existing.select_for_update(of=("self",)):
            wanted_time = wanted.pop(slot.starts_at, None)
            if slot.active:
                continue
            if wanted_time is not None:
                changed = (
                    slot.is_withdrawn
                    or slot.ends_at != wanted_time.ends_at
                    or slot.scheme_id != wanted_time.scheme_id
                )
                if changed:
                    restored += int(slot.is_withdrawn)
                    slot.is_withdrawn = False
                    slot.ends_at, slot.scheme_id = wanted_time.ends_at, wanted_time.scheme_id
                    slot.save(update_fields=["is_withdrawn", "ends_at", "scheme"])
                continue
            if slot.is_withdrawn:
                continue
            removed += 1
            held = slot.held_until is not None and slot.held_until > now
            if slot.referred or held:
                slot.is_withdrawn = True
                slot.save(update_fields=["is_withdrawn"])
            else:
                slot.delete()
        Slot.objects.bulk_create(
            [
                Slot(
                    scheme_id=t.scheme_id,
                    worker_id=t.worker_id,
                    starts_at=t.starts_at,
                    ends_at=t.ends_at,
                )
                for t in wanted.values()
            ],
            ignore_conflicts=True,
        )
    return RotaChange(created=len(wanted), removed=removed, restored=restored)


def _overlaps(a_start: dt.time, a_end: dt.time, b_start: dt.time, b_end: dt.time) -> bool:
    return a_start < b_end and a_end > b_start


def availability_add(
    *,
    actor: Actor,
    worker: Any,
    scheme: Scheme,
    weekday: int,
    starts_at: dt.time,
    ends_at: dt.time,
    slot_minutes: int = 45,
) -> Availability:
    """Add weekly hours to a worker's rota; they may not overlap the worker's other hours."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end time must be after the start time"})
    if not 15 <= slot_minutes <= 120:
        raise ValidationError({"slot_minutes": "Call length must be between 15 and 120 minutes"})
    with transaction.atomic():
        same_day = Availability.objects.select_for_update(of=("self",)).filter(
            worker=worker, weekday=weekday
        )
        if any(_overlaps(starts_at, ends_at, h.starts_at, h.ends_at) for h in same_day):
            raise ValidationError(
                {"starts_at": "These hours overlap hours the worker already has that day"}
            )
        hours = Availability.objects.create(
            worker=worker,
            scheme=scheme,
            weekday=weekday,
            starts_at=starts_at,
            ends_at=ends_at,
            slot_minutes=slot_minutes,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=hours,
            scheme=scheme,
            reason="weekly hours added to a rota",
            changes={
                "worker": worker.pk,
                "weekday": weekday,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "slot_minutes": slot_minutes,
            },
        )
        rota_regenerate(worker_id=worker.pk)
    return hours


def availability_remove(*, actor: Actor, availability: Availability) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=availability,
            scheme=availability.scheme,
            reason="weekly hours removed from a rota",
            changes={"worker": availability.worker_id, "weekday": availability.weekday},
        )
        worker_id = availability.worker_id
        availability.delete()
        rota_regenerate(worker_id=worker_id)


def rota_exception_add(
    *,
    actor: Actor,
    worker: Any,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    from_time: dt.time | None = None,
    to_time: dt.time | None = None,
) -> RotaException:
    """Record time away; the worker's free slots in it are taken out of the rota at once."""
    errors: dict[str, str] = {}
    if kind not in ExceptionKind.values:
        errors["kind"] = "Choose the kind of time away"
    if ends_on < starts_on:
        errors["ends_on"] = "The last day must be the same as or after the first day"
    if (from_time is None) != (to_time is None):
        errors["from_time"] = "Enter both times for part of a day, or neither for whole days"
    elif from_time is not None and to_time is not None and to_time <= from_time:
        errors["to_time"] = "The end time must be after the start time"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        exception = RotaException.objects.create(
            worker=worker,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            from_time=from_time,
            to_time=to_time,
            created_by=actor.user,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=exception,
            reason="time away added to a rota",
            changes={
                "worker": worker.pk,
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "from_time": from_time,
                "to_time": to_time,
            },
        )
        rota_regenerate(worker_id=worker.pk)
    return exception


def rota_exception_remove(*, actor: Actor, exception: RotaException) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=exception,
            reason="time away removed from a rota",
            changes={"worker": exception.worker_id, "kind": exception.kind},
        )
        worker_id = exception.worker_id
        exception.delete()
        rota_regenerate(worker_id=worker_id)
