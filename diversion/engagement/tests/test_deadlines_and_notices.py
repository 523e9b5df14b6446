from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.audit.services import SYSTEM
from diversion.engagement.deadlines import deadlines_apply
from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.lifecycle import (
    ReferralStatus,
)
from diversion.referrals.models import Referral, StatusChange
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db
STATUSES = list(ReferralStatus.values)


@pytest.fixture
def referral(officer: Any, scheme: Any, slots: list[Any]) -> Referral:
    return referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(),
        stop=stop_details(scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slots[0].pk,
        idempotency_key="k",
    ).referral


def test_not_engaging_creates_one_intelligence_log(referral: Referral) -> None:
    referral_transition(
        referral_id=referral.pk, to_status=ReferralStatus.ASSESSMENT_MISSED, actor=SYSTEM
    )
    referral_transition(referral_id=referral.pk, to_status=ReferralStatus.NOT_ENGAGED, actor=SYSTEM)
    notices = PoliceNotice.objects.filter(referral=referral)
    assert [n.kind for n in notices] == [NoticeKind.INTELLIGENCE_LOG]


def test_engaging_then_completing_tells_the_police_each_once(referral: Referral) -> None:
    for status in (
        ReferralStatus.ASSESSED,
        ReferralStatus.COURSE_BOOKED,
        ReferralStatus.COURSE_BOOKED,
        ReferralStatus.COMPLETED,
    ):
        referral_transition(referral_id=referral.pk, to_status=status, actor=SYSTEM)
    kinds = sorted(PoliceNotice.objects.filter(referral=referral).values_list("kind", flat=True))
    assert kinds == [NoticeKind.COMPLETED, NoticeKind.ENGAGED]


def test_the_deadline_job_records_not_engaged_after_the_assessment_deadline(
    referral: Referral, scheme: Any
) -> None:
    Booking.objects.filter(referral=referral).update(status=BookingStatus.MISSED)
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.ASSESSMENT_MISSED)
    just_before = (
        referral.created_at + dt.timedelta(days=scheme.days_to_assessment) - dt.timedelta(minutes=1)
    )
    assert deadlines_apply(now=just_before).not_engaged == []  # one miss is under the limit of 2
    after = referral.created_at + dt.timedelta(days=scheme.days_to_assessment, minutes=1)
    assert deadlines_apply(now=after).not_engaged == [referral.reference]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NOT_ENGAGED
    assert (
        PoliceNotice.objects.filter(referral=referral, kind=NoticeKind.INTELLIGENCE_LOG).count()
        == 1
    )
    assert deadlines_apply(now=after + dt.timedelta(days=1)).not_engaged == []  # nothing twice
    assert (
        StatusChange.objects.filter(referral=referral, to_status=ReferralStatus.NOT_ENGAGED).count()
        == 1
    )


def test_the_deadline_job_waits_for_an_appointment_still_to_come(
    referral: Referral, scheme: Any, slots: list[Any]
) -> None:
    later = timezone.now() + dt.timedelta(days=scheme.days_to_assessment + 5)
    slots[0].__class__.objects.filter(pk=slots[0].pk).update(
        starts_at=later, ends_at=later + dt.timedelta(minutes=45)
    )
    now = referral.created_at + dt.timedelta(days=scheme.days_to_assessment + 1)
    assert deadlines_apply(now=now).not_engaged == []


def test_too_many_missed_appointments_means_not_engaged_before_the_deadline(
    referral: Referral, scheme: Any, slots: list[Any]
) -> None:
    Booking.objects.filter(referral=referral).update(status=BookingStatus.MISSED)
    Booking.objects.create(slot=slots[1], referral=referral, status=BookingStatus.MISSED)
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.ASSESSMENT_MISSED)
    report = deadlines_apply(now=referral.created_at + dt.timedelta(days=2))
    assert report.not_engaged == [referral.reference]
    assert (
        StatusChange.objects.filter(referral=referral).order_by("-pk").first().reason
        == "did not engage: missed 2 appointments"
    )


def test_an_assessment_only_engager_is_reported_never_logged_and_offered_diversion_again(
    referral: Referral, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    """Issue 15 §4: engaging with the assessment is engaging. Past the course deadline the
    referral is "assessed, course not completed": an engagement outcome for the police, no
    intelligence log, and the person is offered diversion again at their next stop."""
    referral_transition(referral_id=referral.pk, to_status=ReferralStatus.ASSESSED, actor=SYSTEM)
    assert PoliceNotice.objects.filter(referral=referral, kind=NoticeKind.ENGAGED).exists()
    after = referral.created_at + dt.timedelta(days=scheme.days_to_course, minutes=1)
    report = deadlines_apply(now=after)
    assert report.not_engaged == []
    assert report.course_not_completed == [referral.reference]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COURSE_NOT_COMPLETED
    kinds = set(PoliceNotice.objects.filter(referral=referral).values_list("kind", flat=True))
    assert kinds == {NoticeKind.ENGAGED, NoticeKind.COURSE_NOT_COMPLETED}
    assert deadlines_apply(now=after).course_not_completed == []  # once only
    again = referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(),
        stop=stop_details(scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slots[1].pk,
        idempotency_key="second stop",
    )
    assert again.created and again.referral.person_id == referral.person_id
    assert again.referral.eligibility["eligible"] is True
