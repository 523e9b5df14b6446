"""A force's system acknowledging a notice: recorded once, audited once, only for its force."""

from __future__ import annotations

from typing import Any

import pytest

from diversion.accounts.services import api_client_create
from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM, Actor
from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.engagement.services import police_notice_acknowledge
from diversion.officer.tests.builders import referral_made
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.transitions import referral_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(officer: Any, scheme: Any, slots: list[Any]) -> PoliceNotice:
    referral = referral_made(officer, scheme, slots[0]).referral
    for status in (ReferralStatus.ASSESSMENT_MISSED, ReferralStatus.NOT_ENGAGED):
        referral_transition(referral_id=referral.pk, to_status=status, actor=SYSTEM)
    return PoliceNotice.objects.get(referral=referral, kind=NoticeKind.INTELLIGENCE_LOG)


def _system(scheme: Any) -> tuple[Any, Actor]:
    client, _secret = api_client_create(
        actor=SYSTEM, organisation=scheme.force, name="Records", scopes=["outcomes:acknowledge"]
    )
    return client, Actor(user=None, label=f"api:{client.key_id}", organisation=scheme.force)


def test_the_first_acknowledgement_is_kept_and_audited_once(
    notice: PoliceNotice, scheme: Any
) -> None:
    client, actor = _system(scheme)
    first = police_notice_acknowledge(
        notice_id=notice.pk, force=scheme.force, acknowledged_by=client, actor=actor
    )
    again = police_notice_acknowledge(
        notice_id=notice.pk, force=scheme.force, acknowledged_by=client, actor=actor
    )
    assert first is not None and again is not None
    assert again.acknowledged_at == first.acknowledged_at
    assert again.acknowledged_by == client
    audited = AuditEvent.objects.filter(
        action="update", object_type="engagement.PoliceNotice", object_id=str(notice.pk)
    )
    assert audited.count() == 1
    assert audited.get().actor_label == actor.label


def test_another_forces_notice_is_not_found_and_stays_unacknowledged(
    notice: PoliceNotice, other_scheme: Any
) -> None:
    client, actor = _system(other_scheme)
    assert (
        police_notice_acknowledge(
            notice_id=notice.pk, force=other_scheme.force, acknowledged_by=client, actor=actor
        )
        is None
    )
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
