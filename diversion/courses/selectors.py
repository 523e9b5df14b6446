"""Reads for courses, always scoped to what the asking user may see (404 outside it)."""

from __future__ import annotations

import datetime as dt
import importlib
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from diversion.core.roles import Role
from diversion.courses.enrolment import held_seats_q
from diversion.courses.models import (
    SEAT_RELEASED,
    CourseSettings,
    CourseType,
    Enrolment,
    EnrolmentState,
    Session,
    WaitlistEntry,
    WaitlistState,
)
from diversion.courses.planning import CourseDemand, Projection, project, weekly_trend
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme
from diversion.schemes.selectors import schemes_for_user

HORIZON_WEEKS = 4
TREND_WEEKS = 12
USUAL_CAPACITY = 15


# --- For other parts (messaging: joining details and reminders) --------------------------------


def enrolment_current(*, referral_id: int) -> Enrolment | None:
    """The booking the person holds now (session, course type), or None."""
    return (
        Enrolment.objects.filter(referral_id=referral_id, state=EnrolmentState.BOOKED)
        .select_related("session", "session__course_type")
        .first()
    )


def sessions_starting_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[Session]:
    """Sessions starting in [start, end), each with `booked` (its current bookings) prefetched
    onto `session.enrolments`. Callers filter `state=booked` for who to remind."""
    return (
        Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("scheme", "course_type")
        .prefetch_related("facilitators")
        .order_by("starts_at", "pk")
    )


# --- Scoping ------------------------------------------------------------------------------------


def scheme_for_courses(*, user: Any, code: str | None) -> tuple[Scheme, list[Scheme]]:
    """The scheme asked for (or the user's first), and all the user's schemes; 404 if the code
    names a scheme the user cannot see."""
    schemes = list(schemes_for_user(user=user).order_by("name"))
    if not schemes:
        raise Http404("You are not part of any scheme.")
    if not code:
        return schemes[0], schemes
    for scheme in schemes:
        if scheme.code == code:
            return scheme, schemes
    raise Http404("No such scheme.")


def session_for_user(*, user: Any, pk: int) -> Session:
    session = (
        Session.objects.filter(pk=pk, scheme__in=schemes_for_user(user=user))
        .select_related("scheme", "course_type")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def settings_for(scheme: Scheme) -> CourseSettings:
    """The scheme's course settings (the defaults, unsaved, until a manager changes them)."""
    return CourseSettings.objects.filter(scheme=scheme).first() or CourseSettings(scheme=scheme)


# --- Course types -------------------------------------------------------------------------------


def course_types_for_manager(*, user: Any) -> QuerySet[CourseType]:
    schemes = schemes_for_user(user=user)
    return (
        CourseType.objects.filter(Q(schemes__in=schemes) | Q(provider=user.organisation))
        .distinct()
        .prefetch_related("modules", "schemes")
        .order_by("name")
    )


def course_type_editable(*, user: Any, course_type: CourseType) -> bool:
    """A manager keeps the course types their provider made, and shared ones offered only by
    their provider's schemes: never one another provider relies on."""
    if course_type.provider_id is not None:
        return bool(course_type.provider_id == user.organisation_id)
    return not course_type.schemes.exclude(provider=user.organisation).exists()


def course_type_for_manager(*, user: Any, pk: int) -> CourseType:
    course_type = course_types_for_manager(user=user).filter(pk=pk).first()
    if course_type is None or not course_type_editable(user=user, course_type=course_type):
        raise Http404("No such course type.")
    return course_type


# --- Sessions -----------------------------------------------------------------------------------


def sessions_for_scheme(*, scheme: Scheme, since: dt.datetime) -> QuerySet[Session]:
    return (
        Session.objects.filter(scheme=scheme, ends_at__gte=since)
        .select_related("course_type")
        .prefetch_related("facilitators")
        .annotate(held=Count("enrolments", filter=held_seats_q()))
        .order_by("starts_at", "pk")
    )


def sessions_for_facilitator(*, user: Any, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The facilitator's sessions from the start of today on."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Session.objects.filter(
            facilitators=user, starts_at__gte=today, scheme__in=schemes_for_user(user=user)
        )
        .select_related("scheme", "course_type")
        .annotate(
            booked=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.BOOKED)),
            held=Count("enrolments", filter=held_seats_q()),
        )
        .order_by("starts_at", "pk")
    )


def roster(session: Session) -> list[Enrolment]:
    """Everyone holding a seat on the session, by seat, with their person."""
    return list(
        Enrolment.objects.filter(session=session)
        .exclude(state__in=SEAT_RELEASED)
        .select_related("referral", "referral__person")
        .order_by("seat")
    )


def facilitators_of(scheme: Scheme) -> QuerySet[Any]:
    from diversion.accounts.models import User

    return User.objects.filter(
        role=Role.FACILITATOR, organisation=scheme.provider, is_active=True
    ).order_by("full_name")


# --- Who is waiting -----------------------------------------------------------------------------


NOT_BOOKED = "Not yet booked"
ON_WAITLIST = "On the waitlist"
TO_REBOOK = "To rebook (missed or left the session)"


@dataclass(frozen=True)
class Waiting:
    referral: Referral
    situation: str
    course_type: CourseType | None
    since: dt.datetime


def allocated_course_type(referral: Referral) -> CourseType | None:
    """The course type casework allocated, when the casework part provides one."""
    try:
        module = importlib.import_module("diversion.casework.selectors")
    except ImportError:
        return None
    allocation_for = getattr(module, "allocation_for", None)
    if allocation_for is None:
        return None
    found = allocation_for(referral)
    return found if isinstance(found, CourseType) else None


def people_waiting(*, scheme: Scheme, allocations: bool = True) -> list[Waiting]:
    """Everyone who needs a course place: assessed and not booked (some on the waitlist), or
    booked before and needing another place. Longest waiting first."""
    waitlist = {
        entry.referral_id: entry
        for entry in WaitlistEntry.objects.filter(
            scheme=scheme, state=WaitlistState.WAITING
        ).select_related("course_type")
    }
    rows: list[Waiting] = []
    assessed = Referral.objects.filter(scheme=scheme, status=ReferralStatus.ASSESSED)
    for referral in assessed.select_related("person"):
        entry = waitlist.get(referral.pk)
        if entry is not None:
            rows.append(Waiting(referral, ON_WAITLIST, entry.course_type, entry.joined_at))
        else:
            course_type = allocated_course_type(referral) if allocations else None
            rows.append(Waiting(referral, NOT_BOOKED, course_type, referral.status_changed_at))
    unbooked = (
        Referral.objects.filter(scheme=scheme, status=ReferralStatus.COURSE_BOOKED)
        .exclude(enrolments__state=EnrolmentState.BOOKED)
        .select_related("person")
    )
    last_enrolments = {
        e.referral_id: e
        for e in Enrolment.objects.filter(referral__in=unbooked)
        .select_related("session__course_type")
        .order_by("created_at", "pk")
    }
    for referral in unbooked:
        last = last_enrolments.get(referral.pk)
        entry = waitlist.get(referral.pk)
        rows.append(
            Waiting(
                referral,
                ON_WAITLIST if entry else TO_REBOOK,
                entry.course_type if entry else (last.session.course_type if last else None),
                entry.joined_at
                if entry
                else (last.marked_at or last.created_at)
                if last
                else referral.status_changed_at,
            )
        )
    return sorted(rows, key=lambda row: row.since)


# --- Capacity planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCount:
    starts_on: dt.date
    count: int


@dataclass(frozen=True)
class SeatsWeek:
    starts_on: dt.date
    sessions: int
    seats: int
    free: int


@dataclass(frozen=True)
class Capacity:
    referrals_by_week: list[WeekCount]
    trend_per_week: float
    recent_rate: float
    waiting_total: int
    waiting_by_situation: dict[str, int]
    seats_by_week: list[SeatsWeek]
    projections: list[Projection]
    target_days: int
    horizon_weeks: int


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def capacity_for_scheme(*, scheme: Scheme, now: dt.datetime | None = None) -> Capacity:
    now = now or timezone.now()
    this_monday = _monday(timezone.localdate(now))
    first = this_monday - dt.timedelta(weeks=TREND_WEEKS)
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    until = dt.datetime.combine(this_monday, dt.time(), tzinfo=zone)
    created = Referral.objects.filter(
        scheme=scheme, created_at__gte=since, created_at__lt=until
    ).values_list("created_at", flat=True)
    per_week = Counter(_monday(timezone.localtime(moment).date()) for moment in created)
    weeks = [first + dt.timedelta(weeks=i) for i in range(TREND_WEEKS)]
    counts = [per_week.get(week, 0) for week in weeks]
    recent_rate = sum(counts[-4:]) / 4
    referrals_12w = sum(counts)

    waiting = people_waiting(scheme=scheme)
    by_situation = Counter(row.situation for row in waiting)
    waiting_by_type = Counter(row.course_type.pk if row.course_type else None for row in waiting)

    horizon_end = now + dt.timedelta(weeks=HORIZON_WEEKS)
    upcoming = list(sessions_for_scheme(scheme=scheme, since=now).filter(starts_at__gt=now))
    seats_by_week = []
    for i in range(6):
        monday = this_monday + dt.timedelta(weeks=i)
        in_week = [
            s
            for s in upcoming
            if monday <= timezone.localtime(s.starts_at).date() < monday + dt.timedelta(days=7)
        ]
        seats_by_week.append(
            SeatsWeek(
                monday,
                len(in_week),
                sum(s.capacity for s in in_week),
                sum(s.capacity - s.held for s in in_week),  # type: ignore[attr-defined]
            )
        )
    booked_pairs = set(
        Enrolment.objects.filter(
            session__scheme=scheme, created_at__gte=since, created_at__lt=until
        ).values_list("referral_id", "session__course_type_id")
    )
    booked_12w = Counter(course_type_id for _referral, course_type_id in booked_pairs)
    target_days = settings_for(scheme).course_wait_target_days
    projections = []
    for course_type in scheme.course_types.order_by("name"):
        in_horizon = [s for s in upcoming if s.course_type_id == course_type.pk]
        free = sum(
            s.capacity - s.held  # type: ignore[attr-defined]
            for s in in_horizon
            if s.starts_at < horizon_end
        )
        share = booked_12w.get(course_type.pk, 0) / referrals_12w if referrals_12w else 0.0
        capacities = [s.capacity for s in in_horizon] or [USUAL_CAPACITY]
        projections.append(
            project(
                CourseDemand(
                    course_type=course_type.name,
                    waiting=waiting_by_type.get(course_type.pk, 0),
                    free_seats=free,
                    demand_per_week=recent_rate * share,
                    usual_capacity=int(statistics.median(capacities)),
                ),
                target_days=target_days,
                horizon_weeks=HORIZON_WEEKS,
            )
        )
    return Capacity(
        referrals_by_week=[WeekCount(w, c) for w, c in zip(weeks, counts, strict=True)],
        trend_per_week=weekly_trend(counts),
        recent_rate=recent_rate,
        waiting_total=len(waiting),
        waiting_by_situation={
            key: by_situation.get(key, 0) for key in (NOT_BOOKED, ON_WAITLIST, TO_REBOOK)
        },
        seats_by_week=seats_by_week,
        projections=projections,
        target_days=target_days,
        horizon_weeks=HORIZON_WEEKS,
    )
