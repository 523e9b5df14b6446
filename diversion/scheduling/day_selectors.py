"""The worker's day, the manager's team view and the page of one call. Each audits the read
of the people it shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from diversion.audit.services import Actor, audit_read
from diversion.core.roles import Role
from diversion.referrals.models import Referral
from diversion.scheduling.models import (
    CALLABLE,
    AttemptOutcome,
    Booking,
    BookingChange,
    BookingStatus,
    RotaException,
)
from diversion.scheduling.selectors import (
    Case,
    booking_history,
    bookings_needing_reassignment,
    calls_on_day,
    cases_unassigned_or_overdue,
    exceptions_on,
    missed_awaiting_follow_up,
    missed_count,
    workers_for_user,
)


def _audit_list(*, user: Any, reason: str, referral_ids: list[int]) -> None:
    if referral_ids:
        audit_read(
            actor=Actor.of(user),
            object_type="referrals.Referral",
            object_id=f"{len(referral_ids)} referrals",
            reason=reason,
            changes={"referral_ids": sorted(set(referral_ids))},
        )


def _referral_ids(*groups: list[Booking] | list[Case]) -> list[int]:
    return [
        item.referral_id if isinstance(item, Booking) else item.referral.pk
        for group in groups
        for item in group
    ]


@dataclass(frozen=True)
class WorkerDay:
    today: dt.date
    calls: list[Booking]
    missed: list[Booking]
    cases: list[Case]
    away: list[RotaException]


def worker_day(*, user: Any, day: dt.date) -> WorkerDay:
    """The worker's calls of the day in time order, missed calls to follow up, and cases nobody
    has booked; audited."""
    calls = calls_on_day(user=user, day=day, worker_ids=[user.pk])
    missed = missed_awaiting_follow_up(user=user, worker_ids=[user.pk])
    cases = cases_unassigned_or_overdue(user=user)
    _audit_list(user=user, reason="worker's day", referral_ids=_referral_ids(calls, missed, cases))
    away = exceptions_on(worker_ids=[user.pk], day=day)
    return WorkerDay(today=day, calls=calls, missed=missed, cases=cases, away=away)


@dataclass(frozen=True)
class WorkerCalls:
    worker: Any
    away: RotaException | None
    calls: list[Booking]


@dataclass(frozen=True)
class TeamDay:
    today: dt.date
    team: list[WorkerCalls]
    to_reassign: list[Booking]
    missed: list[Booking]
    cases: list[Case]


def team_day(*, user: Any, day: dt.date) -> TeamDay:
    """Every worker's calls of the day, calls to reassign, misses and unassigned cases;
    audited."""
    workers = list(workers_for_user(user=user))
    calls = calls_on_day(user=user, day=day, worker_ids=[w.pk for w in workers])
    away = {e.worker_id: e for e in exceptions_on(worker_ids=[w.pk for w in workers], day=day)}
    team = [
        WorkerCalls(
            worker=worker,
            away=away.get(worker.pk),
            calls=[c for c in calls if c.slot.worker_id == worker.pk],
        )
        for worker in workers
    ]
    to_reassign = bookings_needing_reassignment(user=user)
    missed = missed_awaiting_follow_up(user=user)
    cases = cases_unassigned_or_overdue(user=user)
    _audit_list(
        user=user,
        reason="team's day",
        referral_ids=_referral_ids(calls, to_reassign, missed, cases),
    )
    return TeamDay(today=day, team=team, to_reassign=to_reassign, missed=missed, cases=cases)


@dataclass(frozen=True)
class CallPage:
    """One call: who to ring and how, the attempts so far, and what can be done next."""

    booking: Booking
    referral: Referral
    person: Any
    attempts: QuerySet[Any]
    history: list[BookingChange]
    missed_count: int
    limit: int
    outcomes: list[tuple[str, str]]
    can_attempt: bool
    can_miss: bool
    is_manager: bool


def call_page(*, user: Any, booking: Booking, now: dt.datetime | None = None) -> CallPage:
    """The call page of one of the user's bookings (from `booking_for_user`); audited."""
    now = now or timezone.now()
    referral = booking.referral
    audit_read(
        actor=Actor.of(user),
        obj=referral,
        scheme=booking.slot.scheme,
        reason="assessment call page",
    )
    return CallPage(
        booking=booking,
        referral=referral,
        person=referral.person,
        attempts=booking.attempts.select_related("made_by").order_by("made_at", "pk"),
        history=booking_history(referral=referral),
        missed_count=missed_count(referral=referral),
        limit=booking.slot.scheme.missed_appointments_limit,
        outcomes=[
            (value, label)
            for value, label in AttemptOutcome.choices
            if value != AttemptOutcome.VOICEMAIL or referral.person.safe_to_leave_voicemail
        ],
        can_attempt=booking.status in CALLABLE,
        can_miss=booking.status == BookingStatus.BOOKED and booking.slot.starts_at <= now,
        is_manager=getattr(user, "role", "") == Role.PROVIDER_MANAGER,
    )
