from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.demo.accounts import create_accounts
from diversion.demo.referrals import create_referrals
from diversion.demo.refusals import create_refusals
from diversion.demo.rotas import create_rotas
from diversion.demo.schemes import create_schemes
from diversion.engagement.models import PoliceNotice
from diversion.engagement.services import notice_kinds
from diversion.referrals.lifecycle import ReferralStatus, check_path
from diversion.referrals.models import EligibilityRecord, Referral, StatusChange
from diversion.referrals.selectors import person_history, refusal_figures
from diversion.schemes.models import Scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(reference_data: Any) -> None:
    create_schemes()
    create_accounts()
    create_rotas(days=14)
    create_referrals(weeks=12)


def test_the_demo_has_an_account_for_every_role_and_slots_to_book(demo: None) -> None:
    assert set(User.objects.filter(is_demo=True).values_list("role", flat=True)) == set(Role.values)
    for scheme in Scheme.objects.all():
        assert scheme.slots.count() > 50


def test_the_demo_referrals_have_a_realistic_mix(demo: None) -> None:
    statuses = dict.fromkeys(ReferralStatus.values, 0)
    for status in Referral.objects.values_list("status", flat=True):
        statuses[status] += 1
    total = sum(statuses.values())
    assert total > 500
    assert 0.15 < statuses[ReferralStatus.NOT_ENGAGED] / total < 0.45
    assert statuses[ReferralStatus.COMPLETED] > 0 and statuses[ReferralStatus.ASSESSMENT_BOOKED] > 0
    cannabis = Referral.objects.filter(drugs__drug__startswith="Cannabis").count()
    assert 0.8 < cannabis / total < 0.95  # "nine in ten for cannabis"
    assert (
        PoliceNotice.objects.filter(kind="intelligence_log").count()
        == statuses[ReferralStatus.NOT_ENGAGED]
    )


def test_the_named_demo_people_show_the_eligibility_rules(demo: None) -> None:
    scheme = Scheme.objects.get(code="WM")
    jordan = person_history(
        scheme=scheme, given_name="Jordan", family_name="Smith", date_of_birth=dt.date(2001, 5, 12)
    )
    casey = person_history(
        scheme=scheme, given_name="Casey", family_name="Brown", date_of_birth=dt.date(1999, 9, 9)
    )
    assert jordan.summary == "Previous referrals: 2, engaged each time"
    assert not casey.eligible_so_far


def test_every_demo_history_follows_the_lifecycle_and_owes_exactly_its_notices(
    demo: None,
) -> None:
    paths: dict[int, list[str]] = {}
    for referral_id, to_status in StatusChange.objects.order_by("referral_id", "pk").values_list(
        "referral_id", "to_status"
    ):
        paths.setdefault(referral_id, []).append(to_status)
    notices: dict[int, list[str]] = {}
    for referral_id, kind in PoliceNotice.objects.order_by("pk").values_list("referral_id", "kind"):
        notices.setdefault(referral_id, []).append(kind)

    for referral in Referral.objects.select_related("scheme"):
        path = paths[referral.pk]
        check_path(tuple(path))
        assert path[-1] == referral.status
        owed = [
            kind
            for before, after in zip(["", *path], path, strict=False)
            for kind in notice_kinds(from_status=before, to_status=after)
        ]
        assert sorted(notices.get(referral.pk, [])) == sorted(owed)


def test_the_demo_has_a_decision_for_every_referral_and_a_realistic_mix_of_refusals(
    demo: None,
) -> None:
    refused = create_refusals()
    assert not Referral.objects.filter(eligibility_record__isnull=True).exists()
    refusals = EligibilityRecord.objects.filter(eligible=False)
    assert refusals.count() == refused
    share = refused / EligibilityRecord.objects.count()
    assert 0.05 < share < 0.15, share
    reasons = {code for codes in refusals.values_list("reason_codes", flat=True) for code in codes}
    assert {"supply", "did_not_engage", "outside_area"} <= reasons
    assert not refusals.filter(referral__isnull=False).exists()
    wm = Scheme.objects.get(code="WM")
    figures = refusal_figures(
        scheme_ids=[wm.pk], start=dt.date.today() - dt.timedelta(days=120), end=dt.date.today()
    )
    assert figures.refusals > 0 and len(figures.by_ethnic_group) > 3
    assert create_refusals() == 0  # the referrals have their decisions: nothing twice


def test_the_demo_schemes_share_engagement_facts_in_the_region_only(demo: None) -> None:
    shares = {
        scheme.code: sorted(s.code for s in scheme.shares_engagement_with.all())
        for scheme in Scheme.objects.all()
    }
    assert shares == {"WM": ["WMC"], "WMC": ["WM"], "TV": []}
