"""Reads for courses, always scoped to what the asking user may see (404 outside it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from diversion.accounts.models import User
from diversion.audit.services import Actor, audit_read
from diversion.core.roles import Role
from diversion.courses.allocations import allocated_course_types
from diversion.courses.attendance import register_open
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
from diversion.referrals.lifecycle import AWAITING_COURSE, ReferralStatus
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme
from diversion.schemes.selectors import schemes_for_user

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


def roster(session: Session, *, shown_to: Any = None) -> list[Enrolment]:
    """Everyone holding a seat on the session, by seat, with their person. Given `shown_to`
    (the user about to see them), the read is audited."""
    people = list(
        Enrolment.objects.filter(session=session)
        .exclude(state__in=SEAT_RELEASED)
        .select_related("referral", "referral__person")
        .order_by("seat")
    )
    if shown_to is not None and people:
        audit_read(
            actor=Actor.of(shown_to),
            object_type="courses.Session",
            object_id=str(session.pk),
            scheme=session.scheme,
            reason="session roster",
            changes={"referral_ids": [e.referral_id for e in people]},
        )
    return people


@dataclass(frozen=True)
class SessionPage:
    session: Session
    people: list[Enrolment]
    register_open: bool
    facilitators: QuerySet[Any]


def session_page(*, user: Any, pk: int) -> SessionPage:
    """One of the user's sessions and who holds its seats (404 otherwise); audited."""
    session = session_for_user(user=user, pk=pk)
    return SessionPage(
        session=session,
        people=roster(session, shown_to=user),
        register_open=register_open(session),
        facilitators=session.facilitators.order_by("full_name"),
    )


def facilitators_of(scheme: Scheme) -> QuerySet[Any]:
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
    """The course type the person was allocated to at their assessment, if any."""
    return allocated_course_types([referral.pk]).get(referral.pk)


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
    assessed = list(
        Referral.objects.filter(scheme=scheme, status=ReferralStatus.ASSESSED).select_related(
            "person"
        )
    )
    allocated = (
        allocated_course_types([r.pk for r in assessed if r.pk not in waitlist])
        if allocations
        else {}
    )
    for referral in assessed:
        entry = waitlist.get(referral.pk)
        if entry is not None:
            rows.append(Waiting(referral, ON_WAITLIST, entry.course_type, entry.joined_at))
        else:
            course_type = allocated.get(referral.pk)
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


WAITING_SHOWN = 200


def waiting_list_for(*, user: Any, scheme: Scheme) -> list[Waiting]:
    """The first people waiting for a course in the scheme, for the page; audited."""
    rows = people_waiting(scheme=scheme)[:WAITING_SHOWN]
    if rows:
        audit_read(
            actor=Actor.of(user),
            object_type="referrals.Referral",
            object_id="waiting for a course",
            scheme=scheme,
            reason="people waiting for a course",
            changes={"referral_ids": [row.referral.pk for row in rows]},
        )
    return rows


@dataclass(frozen=True)
class EnrolmentPage:
    """A person to book on a course: where they are now, and the form's starting values."""

    referral: Referral
    scheme: Scheme
    entry: WaitlistEntry | None
    current: Enrolment | None
    allocated: CourseType | None
    enrollable: bool
    offers_in_person: bool
    initial: dict[str, Any]


def enrolment_page(*, user: Any, referral_id: int, shown_to: Any = None) -> EnrolmentPage:
    """The referral in one of the user's schemes (404 otherwise), to book a course place for.
    Given `shown_to` (the user about to see it), the read is audited."""
    referral = (
        Referral.objects.select_related("scheme", "person")
        .filter(pk=referral_id, scheme__in=schemes_for_user(user=user))
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    scheme = referral.scheme
    entry = (
        WaitlistEntry.objects.filter(referral=referral, state=WaitlistState.WAITING)
        .select_related("course_type")
        .first()
    )
    current = enrolment_current(referral_id=referral.pk)
    allocated = allocated_course_type(referral)
    initial: dict[str, Any] = {}
    if entry:
        initial = {
            "course_type": entry.course_type,
            "time_of_day": entry.time_of_day,
            "delivery_preference": entry.delivery_preference,
        }
    elif current:
        initial = {"course_type": current.session.course_type}
    elif allocated:
        initial = {"course_type": allocated}
    if shown_to is not None:
        audit_read(
            actor=Actor.of(shown_to),
            obj=referral,
            scheme=scheme,
            reason="booking a course place",
        )
    return EnrolmentPage(
        referral=referral,
        scheme=scheme,
        entry=entry,
        current=current,
        allocated=allocated,
        enrollable=referral.status in AWAITING_COURSE,
        offers_in_person=settings_for(scheme).offers_in_person,
        initial=initial,
    )
