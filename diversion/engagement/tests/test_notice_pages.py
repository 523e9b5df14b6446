from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.officer.tests.builders import referral_made
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.transitions import referral_transition

pytestmark = pytest.mark.django_db
URL = reverse("engagement:notices")


def _not_engaged(officer: Any, scheme: Any, slot: Any, key: str, **person: Any) -> Any:
    referral = referral_made(officer, scheme, slot, key, **person).referral
    referral_transition(
        referral_id=referral.pk, to_status=ReferralStatus.ASSESSMENT_MISSED, actor=SYSTEM
    )
    referral_transition(referral_id=referral.pk, to_status=ReferralStatus.NOT_ENGAGED, actor=SYSTEM)
    return referral


def test_a_supervisor_sees_their_forces_intelligence_logs_with_identifiers(
    scheme: Any, slots: list[Any], officer: Any, client_for: Any
) -> None:
    referral = _not_engaged(officer, scheme, slots[0], "a")
    response = client_for(Role.POLICE_SUPERVISOR, scheme).get(URL)
    html = response.content.decode()
    assert referral.reference in html
    assert "Jamie O&#x27;Neill, born 14 Jun 1998" in html
    assert "Intelligence log: did not engage" in html
    event = AuditEvent.objects.filter(object_type="engagement.PoliceNotice").get()
    assert event.changes["referral_ids"] == [referral.pk]


def test_a_supervisor_never_sees_another_forces_notices(
    scheme: Any, other_scheme: Any, slots: list[Any], officer: Any, client_for: Any
) -> None:
    referral = _not_engaged(officer, scheme, slots[0], "a")
    html = client_for(Role.POLICE_SUPERVISOR, other_scheme).get(URL).content.decode()
    assert referral.reference not in html and "Nothing yet." in html


def test_the_list_can_show_one_kind_only(
    scheme: Any, slots: list[Any], officer: Any, client_for: Any
) -> None:
    _not_engaged(officer, scheme, slots[0], "a")
    client = client_for(Role.POLICE_SUPERVISOR, scheme)
    assert "Nothing yet." in client.get(URL, {"kind": "completed"}).content.decode()
    assert "Nothing yet." not in client.get(URL, {"kind": "intelligence_log"}).content.decode()
    assert client.get(URL, {"kind": "<script>"}).status_code == 200  # unknown kind: everything
