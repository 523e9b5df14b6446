"""Course messages and the course side of the self-service link: joining details on enrolment,
reminders before the session, confirming a place and choosing another session."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from diversion.audit.services import SYSTEM
from diversion.courses.enrolment import enrolment_book
from diversion.courses.models import Enrolment, EnrolmentState, Session
from diversion.courses.tests.builders import (
    assessed_referrals,
    course_type_for,
    in_days,
    session_on,
)
from diversion.engagement.models import LinkUse, SelfServiceLink
from diversion.engagement.notifications import reminders_due
from diversion.messaging.models import Channel, Message
from diversion.messaging.wording import COURSE_JOINING, COURSE_REMINDER
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/r/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)/")


@pytest.fixture
def booked(
    scheme: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> tuple[Referral, list[Session]]:
    course_type = course_type_for(scheme)
    sessions = [session_on(scheme, course_type, in_days(days)) for days in (5, 12, 19)]
    referral = assessed_referrals(scheme, officer, 1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course_type.pk)
    return referral, sessions


def token_of(referral: Referral, template: str = COURSE_JOINING) -> str:
    email = Message.objects.filter(referral=referral, channel=Channel.EMAIL, template=template)
    found = LINK.search(email.latest("pk").body)
    assert found
    return found.group(1)


def test_enrolling_sends_the_joining_details_with_a_link(
    booked: tuple[Referral, list[Session]],
) -> None:
    referral, sessions = booked
    email = Message.objects.get(referral=referral, channel=Channel.EMAIL, template=COURSE_JOINING)
    assert "https://meet.example.org/course" in email.body
    link = SelfServiceLink.objects.get(referral=referral, purpose="course")
    assert link.expires_at == sessions[0].starts_at
    page = Client().get(f"/r/{token_of(referral)}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your session" in html and "join the session" in html


def test_the_person_confirms_their_place_once(booked: tuple[Referral, list[Session]]) -> None:
    referral, _ = booked
    token = token_of(referral)
    response = Client().post(f"/r/{token}/", {"action": "confirm"})
    assert response.status_code == 200 and "Place confirmed" in response.content.decode()
    assert SelfServiceLink.objects.get(referral=referral).used_for == LinkUse.CONFIRMED
    assert Client().get(f"/r/{token}/").status_code == 410


def test_the_person_moves_to_a_later_session_and_hears_the_new_details(
    booked: tuple[Referral, list[Session]], django_capture_on_commit_callbacks: Any
) -> None:
    referral, sessions = booked
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"/r/{token_of(referral)}/", {"action": "choose", "slot": sessions[2].pk}
        )
    assert response.status_code == 200, response.content.decode()
    assert "New session booked" in response.content.decode()
    current = Enrolment.objects.get(referral=referral, state=EnrolmentState.BOOKED)
    assert current.session == sessions[2]
    assert Enrolment.objects.get(referral=referral, session=sessions[0]).state == "moved"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COURSE_BOOKED
    assert (
        Message.objects.filter(
            referral=referral, template=COURSE_JOINING, channel=Channel.EMAIL
        ).count()
        == 2
    )


def test_a_full_session_or_another_course_cannot_be_chosen_and_nothing_changes(
    booked: tuple[Referral, list[Session]], scheme: Any
) -> None:
    referral, sessions = booked
    Session.objects.filter(pk=sessions[1].pk).update(capacity=1)
    other = session_on(scheme, course_type_for(scheme, "cocaine-course"), in_days(8))
    filler = assessed_referrals(scheme, referral.officer, 1, start=5)[0]
    Enrolment.objects.create(referral=filler, session=sessions[1], seat=1)
    token = token_of(referral)
    for chosen in (sessions[1].pk, other.pk):
        response = Client().post(f"/r/{token}/", {"action": "choose", "slot": chosen})
        assert response.status_code == 400, chosen
    assert Enrolment.objects.get(referral=referral, state="booked").session == sessions[0]
    assert SelfServiceLink.objects.get(referral=referral).used_at is None


def test_reminders_go_the_day_before_and_two_hours_before_the_session_once_each(
    booked: tuple[Referral, list[Session]],
) -> None:
    referral, sessions = booked
    starts = sessions[0].starts_at
    assert reminders_due(now=starts - dt.timedelta(hours=20)) == 2  # text and email
    assert reminders_due(now=starts - dt.timedelta(hours=19)) == 0
    assert reminders_due(now=starts - dt.timedelta(hours=1, minutes=50)) == 2
    sent = Message.objects.filter(referral=referral, template=COURSE_REMINDER)
    assert sent.count() == 4
    assert all("/r/" in message.body for message in sent.filter(channel=Channel.EMAIL))
