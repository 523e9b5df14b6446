"""The register: each mark's rule moves the referral on, and an incomplete register saves
nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM, Actor
from diversion.courses.attendance import register_submit
from diversion.courses.enrolment import enrolment_book
from diversion.courses.models import EnrolmentState
from diversion.courses.selectors import TO_REBOOK, people_waiting
from diversion.courses.tests.builders import assessed_referrals, course_type_for, session_on
from diversion.engagement.models import PoliceNotice
from diversion.referrals.lifecycle import ReferralStatus


@pytest.fixture
def booked(scheme: Any, officer: Any) -> tuple[Any, list[Any]]:
    """A session starting in an hour with four people booked; then the clock moves past it."""
    course = course_type_for(scheme)
    session = session_on(scheme, course, timezone.now() + dt.timedelta(hours=1))
    people = assessed_referrals(scheme, officer, 4)
    for referral in people:
        enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course.pk)
    return session, people


def after(session: Any) -> dt.datetime:
    return session.starts_at + dt.timedelta(hours=3)


def marks_for(session: Any, *marks: str) -> dict[int, str]:
    enrolments = list(session.enrolments.order_by("seat"))
    return {e.pk: mark for e, mark in zip(enrolments, marks, strict=False)}


def test_attended_and_late_complete_the_course_and_the_others_are_to_be_rebooked(
    booked: tuple[Any, list[Any]], scheme: Any, make_user: Any
) -> None:
    session, people = booked
    facilitator = make_user("facilitator", scheme)

    result = register_submit(
        actor=Actor.of(facilitator),
        session_id=session.pk,
        marks=marks_for(session, "attended", "late", "left_early", "did_not_attend"),
        now=after(session),
    )

    assert (result.completed, result.to_rebook) == (2, 2)
    statuses = []
    for referral in people:
        referral.refresh_from_db()
        statuses.append(referral.status)
    assert statuses == ["completed", "completed", "course_booked", "course_booked"]
    assert PoliceNotice.objects.filter(referral__in=people[:2], kind="completed").count() == 2
    waiting = people_waiting(scheme=scheme)
    assert {(row.referral.pk, row.situation) for row in waiting} == {
        (people[2].pk, TO_REBOOK),
        (people[3].pk, TO_REBOOK),
    }
    assert (
        AuditEvent.objects.filter(object_type="courses.Enrolment", actor=facilitator).count() == 4
    )


def test_a_register_with_someone_unmarked_saves_nothing(
    booked: tuple[Any, list[Any]], scheme: Any
) -> None:
    session, people = booked
    enrolments = list(session.enrolments.order_by("seat"))

    with pytest.raises(ValidationError) as refused:
        register_submit(
            actor=SYSTEM,
            session_id=session.pk,
            marks=marks_for(session, "attended", "attended", "late"),
            now=after(session),
        )

    assert list(refused.value.message_dict) == [f"enrolment_{enrolments[3].pk}"]
    assert set(session.enrolments.values_list("state", flat=True)) == {EnrolmentState.BOOKED}
    people[0].refresh_from_db()
    assert people[0].status == ReferralStatus.COURSE_BOOKED


def test_a_register_cannot_be_completed_before_the_session_starts(
    booked: tuple[Any, list[Any]],
) -> None:
    session, _people = booked
    with pytest.raises(ValidationError, match="once the session has started"):
        register_submit(
            actor=SYSTEM,
            session_id=session.pk,
            marks=marks_for(session, *["attended"] * 4),
            now=session.starts_at - dt.timedelta(minutes=5),
        )
    assert set(session.enrolments.values_list("state", flat=True)) == {EnrolmentState.BOOKED}


def test_a_mark_that_is_not_on_the_register_is_refused(
    booked: tuple[Any, list[Any]],
) -> None:
    session, _people = booked
    with pytest.raises(ValidationError):
        register_submit(
            actor=SYSTEM,
            session_id=session.pk,
            marks=marks_for(session, "attended", "attended", "attended", "moved"),
            now=after(session),
        )
    assert set(session.enrolments.values_list("state", flat=True)) == {EnrolmentState.BOOKED}
