"""Allocation (the proposal, the worker's decision, onward-only) and onward referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.casework.errors import CaseworkError
from diversion.casework.models import Allocation, OnwardReferral, OnwardService, OnwardStatus
from diversion.casework.onward_services import (
    onward_referral_make,
    onward_referral_update,
    onward_service_save,
)
from diversion.casework.selectors import allocation_for
from diversion.casework.tests.helpers import assessment_answered
from diversion.core.roles import Role
from diversion.courses.selectors import people_waiting
from diversion.referrals.lifecycle import ReferralStatus


def _allocation_url(referral: Any) -> str:
    return reverse("casework:allocation", kwargs={"reference": referral.reference})


def test_the_proposal_is_allocated_without_a_reason(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    assert allocation_for(referral) is None  # proposed, not yet decided
    response = client_for(Role.WORKER, scheme).post(_allocation_url(referral), {"choice": "adult"})
    assert response.status_code == 302
    assert allocation_for(referral).code == "adult"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSESSED


def test_choosing_other_than_the_proposal_needs_a_reason_and_keeps_it(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    client = client_for(Role.WORKER, scheme)
    refused = client.post(_allocation_url(referral), {"choice": "young-people"})
    assert refused.status_code == 422
    assert "Say why you are not following the proposal" in refused.content.decode()
    assert allocation_for(referral) is None
    client.post(
        _allocation_url(referral),
        {"choice": "young-people", "reason": "Turns 18 next week, at college"},
    )
    allocation = Allocation.objects.get(referral=referral)
    assert allocation.course_type.code == "young-people"
    assert allocation.change_reason == "Turns 18 next week, at college"


def test_an_unknown_course_is_refused_and_changes_nothing(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    response = client_for(Role.WORKER, scheme).post(
        _allocation_url(referral), {"choice": "another-schemes-course", "reason": "x"}
    )
    assert response.status_code == 422
    assert "Select a course, or onward referral only" in response.content.decode()
    assert allocation_for(referral) is None


def test_high_need_is_proposed_onward_only_and_choosing_it_moves_the_referral(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    daily_injecting = {
        "opioids": {"frequency": "daily", "routes": ["injected"], "age_first": 20, "with": []}
    }
    assessment_answered(
        referral, worker, drugs=daily_injecting, health={"injecting": "current"}, complete=True
    )
    allocation = Allocation.objects.get(referral=referral)
    assert allocation.proposed_onward_only is True
    client_for(Role.WORKER, scheme).post(_allocation_url(referral), {"choice": "onward_only"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ONWARD_ONLY
    assert referral.history.filter(to_status=ReferralStatus.ONWARD_ONLY).exists()
    assert allocation_for(referral) is None


def test_allocation_waits_for_the_assessment(referral: Any, worker: Any) -> None:
    from diversion.casework.services import allocation_decide

    with pytest.raises(CaseworkError):
        allocation_decide(actor=Actor.of(worker), referral=referral, choice="adult")
    assert not Allocation.objects.exists()


# --- Onward referrals ----------------------------------------------------------------------


@pytest.fixture
def housing(scheme: Any, make_user: Any) -> OnwardService:
    return onward_service_save(
        actor=Actor.of(make_user(Role.PROVIDER_MANAGER, scheme)),
        scheme=scheme,
        kind="housing",
        name="Birmingham Housing Options",
        contact="0121 303 7410",
    )


def _make(referral: Any, worker: Any, service: Any, **changes: Any) -> OnwardReferral:
    values: dict[str, Any] = {
        "consent": True,
        "follow_up_on": timezone.localdate() + dt.timedelta(days=14),
        "notes": "Sofa-surfing at a cousin's",
    }
    values.update(changes)
    return onward_referral_make(
        actor=Actor.of(worker), referral=referral, service=service, **values
    )


def test_an_onward_referral_goes_made_accepted_attended(
    referral: Any, worker: Any, housing: OnwardService
) -> None:
    onward = _make(referral, worker, housing)
    assert onward.status == OnwardStatus.MADE
    for status in (OnwardStatus.ACCEPTED, OnwardStatus.ATTENDED):
        onward = onward_referral_update(
            actor=Actor.of(worker), onward=onward, status=status, follow_up_on=None
        )
        assert onward.status == status


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([OnwardStatus.DECLINED], OnwardStatus.ACCEPTED),
        ([OnwardStatus.ACCEPTED, OnwardStatus.ATTENDED], OnwardStatus.DECLINED),
        ([], OnwardStatus.ATTENDED),
    ],
)
def test_an_onward_referral_cannot_skip_or_undo_a_status(
    referral: Any, worker: Any, housing: OnwardService, path: list[str], refused: str
) -> None:
    onward = _make(referral, worker, housing)
    for status in path:
        onward = onward_referral_update(
            actor=Actor.of(worker), onward=onward, status=status, follow_up_on=None
        )
    with pytest.raises(CaseworkError):
        onward_referral_update(
            actor=Actor.of(worker), onward=onward, status=refused, follow_up_on=None
        )
    onward.refresh_from_db()
    assert onward.status == (path[-1] if path else OnwardStatus.MADE)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"follow_up_on_0": "1", "follow_up_on_1": "1", "follow_up_on_2": "2030"},
            "Confirm the person agreed",
        ),
        (
            {
                "consent": "on",
                "follow_up_on_0": "1",
                "follow_up_on_1": "1",
                "follow_up_on_2": "2020",
            },
            "today or in the future",
        ),
        ({"consent": "on"}, "Enter the follow-up date"),
        (
            {
                "consent": "on",
                "follow_up_on_0": "1",
                "follow_up_on_1": "1",
                "follow_up_on_2": "2030",
                "service": "999",
            },
            "Select the service",
        ),
    ],
)
def test_bad_input_on_the_onward_referral_page_changes_nothing(
    referral: Any,
    housing: OnwardService,
    client_for: Any,
    scheme: Any,
    data: dict[str, str],
    message: str,
) -> None:
    data = {"service": str(housing.pk), **data}
    response = client_for(Role.WORKER, scheme).post(
        reverse("casework:onward-new", kwargs={"reference": referral.reference}), data
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not OnwardReferral.objects.exists()


def test_the_case_page_lists_onward_referrals(
    referral: Any, worker: Any, housing: OnwardService, client_for: Any, scheme: Any
) -> None:
    client = client_for(Role.WORKER, scheme)
    client.post(
        reverse("casework:onward-new", kwargs={"reference": referral.reference}),
        {
            "service": str(housing.pk),
            "consent": "on",
            "follow_up_on_0": "3",
            "follow_up_on_1": "2",
            "follow_up_on_2": "2099",
        },
    )
    page = client.get(reverse("casework:case", kwargs={"reference": referral.reference}))
    content = page.content.decode()
    assert "Birmingham Housing Options" in content and "3 Feb 2099" in content


def test_a_service_of_another_scheme_cannot_be_used(
    referral: Any, worker: Any, other_scheme: Any, make_user: Any
) -> None:
    elsewhere = onward_service_save(
        actor=Actor.of(make_user(Role.PROVIDER_MANAGER, other_scheme)),
        scheme=other_scheme,
        kind="housing",
        name="Elsewhere",
        contact="x",
    )
    with pytest.raises(CaseworkError):
        _make(referral, worker, elsewhere)


def test_onward_referral_notes_are_encrypted_at_rest(
    referral: Any, worker: Any, housing: OnwardService
) -> None:
    onward = _make(referral, worker, housing)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM casework_onwardreferral WHERE id = %s", [onward.pk])
        (raw,) = cursor.fetchone()
    assert "cousin" not in raw


def test_a_manager_adds_a_service_and_a_duplicate_name_is_refused(
    scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    url = reverse("casework:service-new", kwargs={"code": scheme.code})
    data = {"kind": "gambling", "name": "GamCare", "contact": "0808 8020 133", "is_active": "on"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 422
    assert "already a service with that name" in again.content.decode()
    assert OnwardService.objects.filter(scheme=scheme).count() == 1
    empty = client.post(url, {})
    assert empty.status_code == 422
    assert "Enter the service&#x27;s name" in empty.content.decode()


def test_the_decided_allocation_is_the_course_the_person_waits_for_and_is_offered(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, complete=True)
    assert [row.course_type for row in people_waiting(scheme=scheme)] == [None]
    client = client_for(Role.WORKER, scheme)
    client.post(
        _allocation_url(referral), {"choice": "young-people", "reason": "Turns 18 next week"}
    )

    (row,) = people_waiting(scheme=scheme)
    assert (row.referral, row.course_type.code) == (referral, "young-people")
    page = client.get(reverse("courses:enrol", kwargs={"pk": referral.pk}))
    assert "Allocated at assessment: Young people&#x27;s course." in page.content.decode()
