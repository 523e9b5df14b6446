"""Demo course sessions, enrolments, attendance and a waitlist, matching the demo referrals.

- Completed referrals of the last 12 weeks that went through a course attended a past session.
- Referrals booked on a course hold a seat on an upcoming session.
- In West Midlands the demo facilitator has a session that started an hour ago with 15 people
  booked (its register is open), the cocaine course's only upcoming session is full, and the
  people assessed most recently for it are on the waitlist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.courses.models import (
    CourseSettings,
    CourseType,
    Enrolment,
    EnrolmentState,
    Session,
    WaitlistEntry,
)
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral, StatusChange
from diversion.referrals.transitions import referrals_bulk_transition
from diversion.schemes.models import Scheme

CAPACITY = 15
PAST_WEEKS = 12
FULL_COURSE = "cocaine-course"
FACILITATOR_SESSION_SIZE = 15
WAITLIST_SIZE = 4


def _course_for(referral: Referral, offered: dict[str, CourseType]) -> CourseType:
    drug = referral.drugs.all()[0].drug.lower() if referral.drugs.all() else ""
    age_days = (referral.stopped_at.date() - referral.person.date_of_birth).days
    if age_days < 18 * 365.25 and "young-peoples-course" in offered:
        return offered["young-peoples-course"]
    if "cocaine" in drug and "cocaine-course" in offered:
        return offered["cocaine-course"]
    if "cannabis" in drug and "cannabis-course" in offered:
        return offered["cannabis-course"]
    return offered.get("adult-drug-awareness") or next(iter(offered.values()))


def _session(
    scheme: Scheme, course: CourseType, starts_at: dt.datetime, facilitators: list[User]
) -> Session:
    session = Session.objects.create(
        scheme=scheme,
        course_type=course,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=course.duration_minutes),
        meeting_link=f"https://meet.example.org/{scheme.code.lower()}-{course.code}",
        capacity=CAPACITY,
        created_at=starts_at - dt.timedelta(days=28),
    )
    session.facilitators.set(facilitators)
    return session


def _seat(
    session: Session, referrals: list[Referral], state: str, when: dt.datetime
) -> list[Enrolment]:
    return [
        Enrolment(
            referral=referral,
            session=session,
            seat=seat,
            state=state,
            created_at=min(when, session.starts_at) - dt.timedelta(days=7),
            marked_at=session.ends_at if state != EnrolmentState.BOOKED else None,
        )
        for seat, referral in enumerate(referrals, start=1)
    ]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def create_course_sessions() -> int:
    """Returns how many sessions were made."""
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    for scheme in Scheme.objects.order_by("code"):
        CourseSettings.objects.get_or_create(scheme=scheme)
        offered = {c.code: c for c in scheme.course_types.all()}
        if not offered:
            continue
        facilitators = list(
            User.objects.filter(role=Role.FACILITATOR, organisation=scheme.provider)
        )
        enrolments: list[Enrolment] = []

        # Past sessions: completed referrals of the last 12 weeks that went through a course.
        completed_at = dict(
            StatusChange.objects.filter(
                referral__scheme=scheme,
                to_status=ReferralStatus.COMPLETED,
                changed_at__gte=now - dt.timedelta(weeks=PAST_WEEKS),
                referral__history__to_status=ReferralStatus.COURSE_BOOKED,
            ).values_list("referral_id", "changed_at")
        )
        completed = Referral.objects.filter(pk__in=completed_at).prefetch_related("drugs")
        groups: dict[tuple[str, dt.date], list[Referral]] = defaultdict(list)
        for referral in completed.select_related("person"):
            day = timezone.localtime(completed_at[referral.pk]).date()
            monday = day - dt.timedelta(days=day.weekday())
            groups[(_course_for(referral, offered).code, monday)].append(referral)
        for (code, monday), people in sorted(groups.items()):
            for start in range(0, len(people), CAPACITY):
                session = _session(scheme, offered[code], _at(monday, 18), facilitators)
                chunk = people[start : start + CAPACITY]
                marks = [
                    EnrolmentState.LATE if i % 7 == 3 else EnrolmentState.ATTENDED
                    for i in range(len(chunk))
                ]
                for enrolment, mark in zip(
                    _seat(session, chunk, EnrolmentState.ATTENDED, session.starts_at),
                    marks,
                    strict=True,
                ):
                    enrolment.state = mark
                    enrolments.append(enrolment)
                made += 1

        # Upcoming: everyone booked on a course holds a seat.
        booked = list(
            Referral.objects.filter(scheme=scheme, status=ReferralStatus.COURSE_BOOKED)
            .select_related("person")
            .prefetch_related("drugs")
            .order_by("status_changed_at")
        )
        if scheme.code == "WM" and facilitators:
            started = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
            course = offered.get("cannabis-course") or next(iter(offered.values()))
            session = _session(scheme, course, started - dt.timedelta(hours=1), facilitators)
            enrolments += _seat(
                session, booked[:FACILITATOR_SESSION_SIZE], EnrolmentState.BOOKED, now
            )
            booked = booked[FACILITATOR_SESSION_SIZE:]
            made += 1
        by_course: dict[str, list[Referral]] = defaultdict(list)
        for referral in booked:
            by_course[_course_for(referral, offered).code].append(referral)
        for code, people in by_course.items():
            day = today + dt.timedelta(days=2)
            for start in range(0, len(people), CAPACITY):
                session = _session(scheme, offered[code], _at(day, 18), facilitators)
                enrolments += _seat(session, people[start : start + CAPACITY], "booked", now)
                day += dt.timedelta(days=3)
                made += 1
        # Spare sessions so that new bookings have somewhere to go, except for the full course.
        for code, course in offered.items():
            if scheme.code == "WM" and code == FULL_COURSE:
                continue
            for week in (1, 2, 3):
                _session(scheme, course, _at(today + dt.timedelta(weeks=week), 10), facilitators)
                made += 1
        Enrolment.objects.bulk_create(enrolments)
        if scheme.code == "WM" and FULL_COURSE in offered:
            made += _full_session_and_waitlist(scheme, offered[FULL_COURSE], facilitators, now)
    return made


def _full_session_and_waitlist(
    scheme: Scheme, course: CourseType, facilitators: list[User], now: dt.datetime
) -> int:
    """Make the course's upcoming sessions full and put assessed people on its waitlist."""
    upcoming = list(Session.objects.filter(course_type=course, scheme=scheme, starts_at__gt=now))
    if not upcoming:
        upcoming = [_session(scheme, course, now + dt.timedelta(days=4), facilitators)]
    assessed: list[Any] = list(
        Referral.objects.filter(scheme=scheme, status=ReferralStatus.ASSESSED).order_by(
            "status_changed_at"
        )
    )
    for session in upcoming:
        held = session.enrolments.count()
        if held:
            Session.objects.filter(pk=session.pk).update(capacity=held)
            continue
        fill, assessed = assessed[:6], assessed[6:]
        Session.objects.filter(pk=session.pk).update(capacity=max(len(fill), 1))
        Enrolment.objects.bulk_create(_seat(session, fill, EnrolmentState.BOOKED, now))
        referrals_bulk_transition(
            referral_ids=[referral.pk for referral in fill],
            to_status=ReferralStatus.COURSE_BOOKED,
            changed_at=now - dt.timedelta(days=2),
            actor_label="demo data",
        )
    WaitlistEntry.objects.bulk_create(
        WaitlistEntry(
            scheme=scheme,
            referral=referral,
            course_type=course,
            joined_at=now - dt.timedelta(days=WAITLIST_SIZE - i),
        )
        for i, referral in enumerate(assessed[:WAITLIST_SIZE])
    )
    return len(upcoming)
