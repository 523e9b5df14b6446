"""The demo's courses match its referrals: completed people attended, booked people hold a seat,
the facilitator has a register of 15 to fill in, one session is full and there is a waitlist."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from diversion.accounts.models import User
from diversion.courses.capacity import capacity_for_scheme
from diversion.courses.models import Enrolment, Session, WaitlistEntry
from diversion.courses.selectors import people_waiting
from diversion.demo.accounts import create_accounts
from diversion.demo.courses import create_course_sessions
from diversion.demo.referrals import create_referrals
from diversion.demo.schemes import create_schemes
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme


@pytest.fixture
def demo(reference_data: Any) -> None:
    create_schemes()
    create_accounts()
    create_referrals(weeks=12)
    create_course_sessions()


def test_the_demo_courses_match_the_referrals_with_a_register_a_full_session_and_a_waitlist(
    demo: None,
) -> None:
    booked = Referral.objects.filter(status=ReferralStatus.COURSE_BOOKED)
    assert booked.exists()
    assert not booked.exclude(enrolments__state="booked").exists()
    attended = Enrolment.objects.filter(state__in=["attended", "late"])
    assert attended.exists()
    assert set(attended.values_list("referral__status", flat=True)) == {"completed"}

    facilitator = User.objects.get(email="facilitator@demo.diversion.invalid")
    today = Session.objects.filter(
        facilitators=facilitator,
        starts_at__lte=timezone.now(),
        starts_at__date__gte=timezone.localdate() - timezone.timedelta(days=1),
        enrolments__state="booked",
    ).distinct()
    assert [s.enrolments.filter(state="booked").count() for s in today] == [15]

    scheme = Scheme.objects.get(code="WM")
    assert WaitlistEntry.objects.filter(scheme=scheme, state="waiting").count() == 4
    plan = capacity_for_scheme(scheme=scheme)
    assert any(row.warning for row in plan.projections)
    assert any(row.situation == "On the waitlist" for row in people_waiting(scheme=scheme))
    full = [
        s
        for s in Session.objects.filter(scheme=scheme, starts_at__gt=timezone.now())
        if s.enrolments.exclude(state__in=["moved", "cancelled"]).count() == s.capacity
    ]
    assert full
