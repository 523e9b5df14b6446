"""Course test data: assessed referrals made through the real services, and sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from diversion.accounts.tests.factories import UserFactory
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.courses.models import CourseType, Session
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.models import Slot
from diversion.schemes.tests.factories import CourseTypeFactory

GIVEN = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harun", "Isla", "Jay",
    "Kofi", "Lena", "Mo", "Nia", "Owen", "Priya", "Quinn", "Rhys", "Sara", "Tom",
]  # fmt: skip


def assessed_referrals(scheme: Any, officer: Any, count: int, start: int = 0) -> list[Referral]:
    """`count` different people referred and assessed, in the order they were assessed."""
    worker = UserFactory(role=Role.WORKER, organisation=scheme.provider)
    first_slot = timezone.localtime().replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + dt.timedelta(days=2)
    made = []
    for i in range(start, start + count):
        slot = Slot.objects.create(
            scheme=scheme,
            worker=worker,
            starts_at=first_slot + dt.timedelta(minutes=45 * i),
            ends_at=first_slot + dt.timedelta(minutes=45 * (i + 1)),
        )
        created = referral_submit(
            officer=officer,
            scheme=scheme,
            person=person_details(
                given_name=GIVEN[i % len(GIVEN)],
                family_name=f"Tester{i}",
                date_of_birth=dt.date(1990, 1, 1) + dt.timedelta(days=i),
            ),
            stop=stop_details(scheme),
            consent_to_contact=True,
            consent_to_share=True,
            slot_id=slot.pk,
            idempotency_key=f"courses-{scheme.code}-{i}",
        )
        made.append(
            referral_transition(
                referral_id=created.referral.pk,
                to_status=ReferralStatus.ASSESSED,
                actor=SYSTEM,
                reason="assessed by phone",
            )
        )
    return made


def course_type_for(scheme: Any, code: str = "adult-course") -> CourseType:
    course_type: CourseType = CourseTypeFactory(code=code, name=code.replace("-", " ").title())
    scheme.course_types.add(course_type)
    return course_type


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def session_on(
    scheme: Any,
    course_type: CourseType,
    starts_at: dt.datetime,
    *,
    capacity: int = 15,
    delivery: str = "online",
    facilitators: tuple[Any, ...] = (),
) -> Session:
    session = Session.objects.create(
        scheme=scheme,
        course_type=course_type,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=course_type.duration_minutes),
        delivery=delivery,
        meeting_link="https://meet.example.org/course" if delivery == "online" else "",
        venue="Community hall" if delivery == "in_person" else "",
        capacity=capacity,
    )
    session.facilitators.set(facilitators)
    return session


def in_days(days: int, hour: int = 18) -> dt.datetime:
    return local(timezone.localdate() + dt.timedelta(days=days), hour)
