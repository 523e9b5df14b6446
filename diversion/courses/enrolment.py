"""Enrolment onto the next suitable session with a free seat, the waitlist, and offering freed
or new seats to the waitlist in the order people joined it.

Seats are never over-booked: a seat is taken under a row lock on the session, counting the
seats already held after the lock is granted, and each seat number is unique among the
session's live enrolments (a database constraint). Locks are always taken referral first,
then session, so two bookings cannot deadlock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.courses.models import (
    SEAT_RELEASED,
    Enrolment,
    EnrolmentState,
    Session,
    WaitlistEntry,
    WaitlistState,
)
from diversion.courses.rules import DELIVERIES_FOR, session_suits
from diversion.referrals.lifecycle import AWAITING_COURSE, ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition


class NotEnrollable(Exception):
    """The referral cannot be given a course place (its status, or a course the scheme lacks)."""


@dataclass(frozen=True)
class Placement:
    enrolment: Enrolment | None = None
    waitlist_entry: WaitlistEntry | None = None


def held_seats_q() -> Q:
    return ~Q(enrolments__state__in=SEAT_RELEASED)


def enrolment_book(
    *,
    actor: Actor,
    referral_id: int,
    course_type_id: int,
    time_of_day: str = "any",
    delivery_preference: str = "any",
    now: dt.datetime | None = None,
) -> Placement:
    """Book the person onto the next session of the course that suits them and has a free seat
    (moving them if they already hold one), or put them on the waitlist when every one is full."""
    now = now or timezone.now()
    freed_session_id: int | None = None
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("scheme")
            .get(pk=referral_id)
        )
        if referral.status not in AWAITING_COURSE:
            raise NotEnrollable(
                f"{referral.reference} is {referral.get_status_display().lower()}: only a person "
                "who has been assessed can be booked onto a course"
            )
        course_type = referral.scheme.course_types.filter(pk=course_type_id).first()
        if course_type is None:
            raise NotEnrollable("Choose a course type this scheme offers")
        current = Enrolment.objects.filter(referral=referral, state=EnrolmentState.BOOKED).first()
        candidates = (
            Session.objects.filter(
                scheme=referral.scheme,
                course_type=course_type,
                starts_at__gt=now,
                delivery__in=DELIVERIES_FOR[delivery_preference],
            )
            .exclude(
                pk__in=Enrolment.objects.filter(referral=referral)
                .exclude(state__in=SEAT_RELEASED)
                .values("session_id")
            )
            .annotate(held=Count("enrolments", filter=held_seats_q()))
            .filter(held__lt=F("capacity"))
            .order_by("starts_at", "pk")
        )
        enrolment = None
        for session in candidates:
            if not session_suits(
                session, time_of_day=time_of_day, delivery_preference=delivery_preference
            ):
                continue
            enrolment = _take_seat(
                session_id=session.pk,
                referral=referral,
                current=current,
                time_of_day=time_of_day,
                delivery_preference=delivery_preference,
                now=now,
            )
            if enrolment is not None:
                break
        if enrolment is None:
            return Placement(
                waitlist_entry=_join_waitlist(
                    actor=actor,
                    referral=referral,
                    course_type=course_type,
                    time_of_day=time_of_day,
                    delivery_preference=delivery_preference,
                    now=now,
                )
            )
        freed_session_id = current.session_id if current else None
        _record_booking(actor=actor, referral=referral, enrolment=enrolment, moved_from=current)
    if freed_session_id is not None:
        waitlist_offer(session_id=freed_session_id, actor=actor, now=now)
    return Placement(enrolment=enrolment)


def enrolment_move(
    *, referral_id: int, session_id: int, actor: Actor, reason: str, now: dt.datetime | None = None
) -> Enrolment:
    """Move a booked person to a session they chose (their self-service link): a later session of
    the same course type, in the future, with a free seat. Their old seat goes to the waitlist.
    Raises NotEnrollable and changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral_id)
        current = (
            Enrolment.objects.filter(referral=referral, state=EnrolmentState.BOOKED)
            .select_related("session")
            .first()
        )
        if referral.status != ReferralStatus.COURSE_BOOKED or current is None:
            raise NotEnrollable("There is no course booking to change")
        target = Session.objects.filter(
            pk=session_id,
            scheme_id=referral.scheme_id,
            course_type_id=current.session.course_type_id,
            starts_at__gt=now,
        ).first()
        if target is None or target.pk == current.session_id:
            raise NotEnrollable("Choose one of the sessions shown")
        enrolment = _take_seat(
            session_id=target.pk,
            referral=referral,
            current=current,
            time_of_day=current.time_of_day,
            delivery_preference=current.delivery_preference,
            now=now,
        )
        if enrolment is None:
            raise NotEnrollable("That session has just filled up: choose another")
        _record_booking(
            actor=actor, referral=referral, enrolment=enrolment, moved_from=current, reason=reason
        )
        freed = current.session_id
    waitlist_offer(session_id=freed, actor=actor, now=now)
    return enrolment


def sessions_to_move_to(*, referral_id: int, now: dt.datetime, limit: int = 8) -> list[Session]:
    """Later sessions of the person's course type with a free seat, soonest first."""
    current = (
        Enrolment.objects.filter(referral_id=referral_id, state=EnrolmentState.BOOKED)
        .select_related("session")
        .first()
    )
    if current is None:
        return []
    return list(
        Session.objects.filter(
            scheme_id=current.session.scheme_id,
            course_type_id=current.session.course_type_id,
            starts_at__gt=now,
        )
        .exclude(pk=current.session_id)
        .annotate(held=Count("enrolments", filter=held_seats_q()))
        .filter(held__lt=F("capacity"))
        .order_by("starts_at", "pk")[:limit]
    )


def waitlist_offer(*, session_id: int, actor: Actor, now: dt.datetime | None = None) -> int:
    """Give the session's free seats to the people waiting for its course, in the order they
    joined, skipping anyone whose preferences it does not suit. Returns how many were placed."""
    now = now or timezone.now()
    session = Session.objects.select_related("course_type").get(pk=session_id)
    if session.starts_at <= now:
        return 0
    placed = 0
    waiting = WaitlistEntry.objects.filter(
        scheme_id=session.scheme_id, course_type=session.course_type, state=WaitlistState.WAITING
    ).order_by("joined_at", "pk")
    for entry_id, referral_id in list(waiting.values_list("pk", "referral_id")):
        with transaction.atomic():
            referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral_id)
            entry = WaitlistEntry.objects.select_for_update(of=("self",)).get(pk=entry_id)
            if entry.state != WaitlistState.WAITING:
                continue
            if not session_suits(
                session,
                time_of_day=entry.time_of_day,
                delivery_preference=entry.delivery_preference,
            ):
                continue
            if referral.status not in AWAITING_COURSE:
                entry.state, entry.left_at = WaitlistState.REMOVED, now
                entry.save(update_fields=["state", "left_at"])
                continue
            current = Enrolment.objects.filter(
                referral=referral, state=EnrolmentState.BOOKED
            ).first()
            enrolment = _take_seat(
                session_id=session.pk,
                referral=referral,
                current=current,
                time_of_day=entry.time_of_day,
                delivery_preference=entry.delivery_preference,
                now=now,
            )
            if enrolment is None:
                break
            _record_booking(
                actor=actor,
                referral=referral,
                enrolment=enrolment,
                moved_from=current,
                reason="Given a place from the waitlist",
            )
            placed += 1
    return placed


def _take_seat(
    *,
    session_id: int,
    referral: Referral,
    current: Enrolment | None,
    time_of_day: str,
    delivery_preference: str,
    now: dt.datetime,
) -> Enrolment | None:
    """The lowest free seat on the session, counted under the session's row lock; None if full."""
    session = Session.objects.select_for_update(of=("self",)).get(pk=session_id)
    held = set(
        Enrolment.objects.filter(session=session)
        .exclude(state__in=SEAT_RELEASED)
        .values_list("seat", flat=True)
    )
    free = [seat for seat in range(1, session.capacity + 1) if seat not in held]
    if not free:
        return None
    if current is not None:
        current.state = EnrolmentState.MOVED
        current.save(update_fields=["state"])
    return Enrolment.objects.create(
        referral=referral,
        session=session,
        seat=free[0],
        time_of_day=time_of_day,
        delivery_preference=delivery_preference,
        created_at=now,
    )


def _record_booking(
    *,
    actor: Actor,
    referral: Referral,
    enrolment: Enrolment,
    moved_from: Enrolment | None,
    reason: str = "",
) -> None:
    WaitlistEntry.objects.filter(referral=referral, state=WaitlistState.WAITING).update(
        state=WaitlistState.ENROLLED, left_at=enrolment.created_at
    )
    starts = timezone.localtime(enrolment.session.starts_at)
    # The transition first: it locks the referral and its scheme before any audit chain head,
    # the same order as every other transition, so two bookings cannot deadlock.
    referral_transition(
        referral_id=referral.pk,
        to_status=ReferralStatus.COURSE_BOOKED,
        actor=actor,
        reason=reason or f"Booked on the course on {starts:%d %b %Y at %H:%M}",
        now=enrolment.created_at,
    )
    changes: dict[str, Any] = {"session": enrolment.session_id, "seat": enrolment.seat}
    if moved_from is not None:
        changes["moved_from_session"] = moved_from.session_id
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=enrolment,
        scheme=referral.scheme,
        reason=reason,
        changes=changes,
    )


def _join_waitlist(
    *,
    actor: Actor,
    referral: Referral,
    course_type: Any,
    time_of_day: str,
    delivery_preference: str,
    now: dt.datetime,
) -> WaitlistEntry:
    """Join the waitlist, or keep one's place in it with the new preferences."""
    entry = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .filter(referral=referral, state=WaitlistState.WAITING)
        .first()
    )
    creating = entry is None
    if entry is None:
        entry = WaitlistEntry(scheme=referral.scheme, referral=referral, joined_at=now)
    entry.course_type = course_type
    entry.time_of_day, entry.delivery_preference = time_of_day, delivery_preference
    entry.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=entry,
        scheme=referral.scheme,
        changes={
            "referral": referral.pk,
            "course_type": course_type.code,
            "time_of_day": time_of_day,
            "delivery_preference": delivery_preference,
        },
    )
    return entry
