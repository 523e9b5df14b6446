"""The manager's casework settings, and the demo casework."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.casework.models import Allocation, Assessment, CaseworkSettings, OnwardReferral
from diversion.core.roles import Role
from diversion.demo.casework import create_casework
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral


def test_a_manager_names_the_safeguarding_lead(
    scheme: Any, make_user: Any, client_for: Any
) -> None:
    lead = make_user(Role.WORKER, scheme, full_name="Alex Lead")
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    url = reverse("casework:settings", kwargs={"code": scheme.code})
    assert "Alex Lead" in client.get(url).content.decode()
    assert client.post(url, {"safeguarding_lead": str(lead.pk)}).status_code == 302
    assert CaseworkSettings.objects.get(scheme=scheme).safeguarding_lead == lead
    assert AuditEvent.objects.filter(object_type="casework.CaseworkSettings").exists()


def test_allocation_rules_that_are_not_json_or_do_not_work_change_nothing(
    scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    url = reverse("casework:settings", kwargs={"code": scheme.code})
    broken = client.post(url, {"allocation_rules": "[{"})
    assert broken.status_code == 422
    assert "The rules are not valid JSON" in broken.content.decode()
    unsafe = client.post(
        url,
        {"allocation_rules": '[{"if_any": ["drug:cannabis"], "propose": "adult", "reason": "x"}]'},
    )
    assert unsafe.status_code == 422
    assert "The last resort is missing" in unsafe.content.decode()
    assert not CaseworkSettings.objects.filter(scheme=scheme).exists()


def test_a_worker_cannot_change_the_settings_of_another_scheme(
    other_scheme: Any, scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    response = client.get(reverse("casework:settings", kwargs={"code": other_scheme.code}))
    assert response.status_code == 404


def test_the_demo_gives_referrals_past_assessment_their_casework(
    referral: Any, worker: Any, officer: Any, scheme: Any, slots: list[Any]
) -> None:
    from diversion.casework.tests.helpers import booked_referral

    onward = booked_referral(officer, scheme, slots[1], key="k2", given_name="Robin")
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.COMPLETED)
    Referral.objects.filter(pk=onward.pk).update(status=ReferralStatus.ONWARD_ONLY)
    assert create_casework(seed=1) == 2
    assert Assessment.objects.filter(completed_at__isnull=False).count() == 2
    assert Allocation.objects.get(referral=onward).onward_only is True
    assert Allocation.objects.get(referral=referral).course_type is not None
    assert OnwardReferral.objects.filter(referral=onward, service__kind="drug_treatment").exists()
    assert create_casework(seed=1) == 0  # run again: nothing twice
