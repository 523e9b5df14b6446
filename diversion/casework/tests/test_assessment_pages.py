"""The assessment through its pages: saved page by page, bad input changes nothing, complete
moves the referral to assessed; scoped to the worker's scheme, audited and encrypted."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.casework.models import AdvicePlan, Allocation, Assessment, SafeguardingConcern
from diversion.casework.services import CaseworkSettings
from diversion.casework.tests.helpers import assessment_answered, young_referral
from diversion.core.roles import Role
from diversion.referrals.lifecycle import ReferralStatus


def _url(referral: Any, section: str) -> str:
    return reverse(
        "casework:assessment-section",
        kwargs={"reference": referral.reference, "section": section},
    )


def _snapshot(referral: Any) -> Any:
    assessment = Assessment.objects.filter(referral=referral).first()
    return None if assessment is None else (assessment.answers, assessment.sections_done)


FULL_RUN = [
    ("drugs", {"used": ["cannabis", "cocaine"], "notes": "Weekends mostly"}),
    ("drug-cannabis", {"frequency": "daily", "routes": ["smoked"], "age_first": "15"}),
    (
        "drug-cocaine",
        {"frequency": "monthly", "routes": ["snorted"], "age_first": "19", "together": ["alcohol"]},
    ),
    ("alcohol", {"q1": "3", "q2": "2", "q3": "2"}),
    ("audit", {"q4": "1", "q5": "1", "q6": "0", "q7": "2", "q8": "1", "q9": "0", "q10": "1"}),
    (
        "health",
        {
            "mental_health": "concerns",
            "mental_health_notes": "Low mood since losing his job",
            "physical_health": "no",
            "overdose": "never",
            "injecting": "never",
            "sharing": "no",
        },
    ),
    ("safeguarding", {"concerns": ["none"]}),
    ("risk", {"level": "medium"}),
]


def test_a_worker_saves_each_page_and_completes_the_assessment(
    referral: Any, client_for: Any, scheme: Any
) -> None:
    client = client_for(Role.WORKER, scheme)
    response = client.get(reverse("casework:assessment", kwargs={"reference": referral.reference}))
    assert response["Location"] == _url(referral, "drugs")
    for section, data in FULL_RUN:
        response = client.post(_url(referral, section), data)
        assert response.status_code == 302, (section, response.content.decode()[:2000])
    assert response["Location"] == reverse(
        "casework:assessment-check", kwargs={"reference": referral.reference}
    )
    assessment = Assessment.objects.get(referral=referral)
    assert assessment.audit_c_score == 7
    assert assessment.audit_score == 7 + 1 + 1 + 0 + 2 + 1 + 0 + 2  # 14
    assert assessment.audit_band == "increasing"
    assert assessment.proposed_risk == "medium"
    assert assessment.answers["drugs"]["details"]["cocaine"]["with"] == ["alcohol"]

    check = client.get(
        reverse("casework:assessment-check", kwargs={"reference": referral.reference})
    )
    assert "14 out of 40: increasing risk" in check.content.decode()
    done = client.post(
        reverse("casework:assessment-check", kwargs={"reference": referral.reference})
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSESSED
    assert referral.history.filter(to_status=ReferralStatus.ASSESSED).count() == 1
    assert AdvicePlan.objects.get(referral=referral).items.exists()
    # The scheme runs no cocaine course, so the cocaine rule is passed over for the adult one.
    allocation = Allocation.objects.get(referral=referral)
    assert allocation.proposed_course_type.code == "adult"
    assert allocation.proposed_reason == "The standard adult course."


def test_a_negative_audit_c_skips_the_full_audit(referral: Any, worker: Any) -> None:
    assessment = assessment_answered(referral, worker, audit_c=[2, 1, 1])
    assert assessment.audit_c_score == 4
    assert "audit" not in assessment.sections_done
    assert assessment.audit_band == ""


def test_the_full_audit_page_is_not_found_after_a_negative_audit_c(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker, audit_c=[1, 1, 1])
    assert client_for(Role.WORKER, scheme).get(_url(referral, "audit")).status_code == 404


BAD_INPUT = [
    ("drugs", {}, "Select every drug the person uses, or None of these"),
    ("drugs", {"used": ["cannabis", "none"]}, "not both"),
    ("drugs", {"used": ["heroin"]}, "Select every drug the person uses"),
    ("alcohol", {"q1": "1", "q2": "9"}, "Select an answer to question 3"),
    (
        "health",
        {
            "mental_health": "no",
            "physical_health": "no",
            "overdose": "never",
            "injecting": "never",
            "sharing": "yes",
        },
        "cannot have shared injecting equipment",
    ),
    ("safeguarding", {}, "Select any signs of harm, or None of these"),
    ("safeguarding", {"concerns": ["none", "county_lines"]}, "not both"),
]


@pytest.mark.parametrize(("section", "data", "message"), BAD_INPUT)
def test_bad_input_on_an_assessment_page_says_what_is_wrong_and_changes_nothing(
    referral: Any, client_for: Any, scheme: Any, section: str, data: dict[str, Any], message: str
) -> None:
    client = client_for(Role.WORKER, scheme)
    before = _snapshot(referral)
    response = client.post(_url(referral, section), data)
    assert response.status_code == 422
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content.replace("&#x27;", "'")
    assert _snapshot(referral) == before


def test_bad_input_on_a_drug_page_changes_nothing(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker)
    before = _snapshot(referral)
    client = client_for(Role.WORKER, scheme)
    response = client.post(
        _url(referral, "drug-cannabis"), {"frequency": "daily", "routes": [], "age_first": "90"}
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "Select how the person takes it" in content
    assert "Age at first use must be no more than" in content
    assert _snapshot(referral) == before


def test_changing_the_risk_level_needs_a_reason_and_keeps_it(
    referral: Any, worker: Any, client_for: Any, scheme: Any
) -> None:
    assessment_answered(referral, worker)
    client = client_for(Role.WORKER, scheme)
    refused = client.post(_url(referral, "risk"), {"level": "high"})
    assert refused.status_code == 422
    assert "Say why the risk level differs" in refused.content.decode()
    assert Assessment.objects.get(referral=referral).risk_level == "low"
    client.post(_url(referral, "risk"), {"level": "high", "reason": "Frightened of a dealer"})
    assessment = Assessment.objects.get(referral=referral)
    assert (assessment.proposed_risk, assessment.risk_level) == ("low", "high")
    assert assessment.risk_change_reason == "Frightened of a dealer"


def test_completing_before_every_part_is_done_changes_nothing(
    referral: Any, client_for: Any, scheme: Any
) -> None:
    client = client_for(Role.WORKER, scheme)
    client.post(_url(referral, "drugs"), {"used": ["cannabis"]})
    response = client.post(
        reverse("casework:assessment-check", kwargs={"reference": referral.reference})
    )
    assert response.status_code == 422
    assert "Finish every part of the assessment" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED


def test_a_safeguarding_concern_goes_to_the_schemes_lead(
    referral: Any, worker: Any, scheme: Any, make_user: Any, client_for: Any
) -> None:
    lead = make_user(Role.PROVIDER_MANAGER, scheme)
    CaseworkSettings.objects.create(scheme=scheme, safeguarding_lead=lead)
    assessment_answered(
        referral, worker, safeguarding={"concerns": ["county_lines"], "youth": [], "notes": "x"}
    )
    concern = SafeguardingConcern.objects.get(referral=referral)
    assert (concern.lead, concern.raised_by) == (lead, worker)
    assert concern.kinds == ["county_lines"]
    from django.test import Client

    from diversion.accounts.tests.helpers import sign_in

    page = sign_in(Client(), lead).get(reverse("casework:safeguarding"))
    assert referral.reference in page.content.decode()
    other_worker = client_for(Role.WORKER, scheme).get(reverse("casework:safeguarding"))
    assert referral.reference not in other_worker.content.decode()


def test_a_young_person_is_asked_the_youth_safeguarding_questions(
    officer: Any, scheme: Any, slots: list[Any], client_for: Any
) -> None:
    import datetime as dt

    from diversion.referrals.eligibility import age_on

    born = dt.date.today().replace(year=dt.date.today().year - 16) - dt.timedelta(days=30)
    young = young_referral(officer, scheme, slots[1], born=born)
    assert age_on(born, dt.date.today()) == 16
    client = client_for(Role.WORKER, scheme)
    assert "For a young person" in client.get(_url(young, "safeguarding")).content.decode()
    refused = client.post(_url(young, "safeguarding"), {"concerns": ["none"]})
    assert "Select any that apply to the young person" in refused.content.decode()


def test_a_worker_of_another_scheme_gets_not_found(
    referral: Any, other_scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.WORKER, other_scheme)
    assert (
        client.get(reverse("casework:case", kwargs={"reference": referral.reference})).status_code
        == 404
    )
    assert client.post(_url(referral, "drugs"), {"used": ["cannabis"]}).status_code == 404
    assert _snapshot(referral) is None


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.POLICE_SUPERVISOR, Role.ANALYST, Role.EVALUATOR, Role.SCHEME_ADMIN]
)
def test_police_analysts_and_evaluators_cannot_open_a_case(
    referral: Any, scheme: Any, client_for: Any, role: str
) -> None:
    client = client_for(role, scheme)
    assert (
        client.get(reverse("casework:case", kwargs={"reference": referral.reference})).status_code
        == 403
    )
    assert (
        client.get(
            reverse("casework:assessment-check", kwargs={"reference": referral.reference})
        ).status_code
        == 403
    )


def test_reading_and_saving_are_audited_without_the_answers(
    referral: Any, client_for: Any, scheme: Any
) -> None:
    client = client_for(Role.WORKER, scheme)
    client.get(reverse("casework:case", kwargs={"reference": referral.reference}))
    client.post(_url(referral, "drugs"), {"used": ["ketamine"], "notes": "Secret words"})
    read = AuditEvent.objects.filter(action="read", object_id=str(referral.pk)).first()
    assert read is not None and read.reason == "worker's case page"
    write = AuditEvent.objects.get(object_type="casework.Assessment", action="update")
    assert write.changes == {"referral": referral.reference, "section": "drugs"}
    assert "ketamine" not in str(write.changes) and "Secret" not in str(write.changes)


def test_answers_and_reasons_are_encrypted_at_rest(referral: Any, worker: Any) -> None:
    assessment = assessment_answered(
        referral,
        worker,
        health={"mental_health": "diagnosed", "mental_health_notes": "Bipolar disorder"},
        risk="high",
        risk_reason="Talked about a debt to a dealer",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers, risk_change_reason FROM casework_assessment WHERE id = %s",
            [assessment.pk],
        )
        answers, reason = cursor.fetchone()
    assert "Bipolar" not in answers and "cannabis" not in answers
    assert "dealer" not in reason
    assert Assessment.objects.get(pk=assessment.pk).risk_change_reason.endswith("dealer")
