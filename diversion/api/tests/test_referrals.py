from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.api.tests.helpers import problem, referral_body
from diversion.audit.models import AuditEvent
from diversion.people.models import Person
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking
from diversion.schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"


def _create(api: Any, body: dict[str, Any], key: str = "rms-000123") -> Any:
    return api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_police_system_creates_a_referral_and_books_its_assessment(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    response = _create(api, referral_body(scheme, officer, slots[0]))
    assert response.status_code == 201, response.content
    data = response.json()
    referral = Referral.objects.get()
    assert data["reference"] == referral.reference
    assert response["Location"] == f"/api/v1/referrals/{referral.reference}/"
    assert data["status"] == ReferralStatus.ASSESSMENT_BOOKED
    assert data["engagement_status"] == "in_progress"
    assert data["outcome_code"] == scheme.outcome_code
    assert dt.datetime.fromisoformat(data["assessment"]["starts_at"]) == slots[0].starts_at
    assert [(h["from_status"], h["to_status"]) for h in data["history"]] == [
        (None, "referred"),
        ("referred", "assessment_booked"),
    ]
    assert referral.officer == officer
    assert referral.person.mobile == "+447911123456"
    created = AuditEvent.objects.get(action="create", object_type="referrals.Referral")
    assert created.actor is None and created.actor_label.startswith("api:dvk_")
    assert referral.history.last().actor_label == created.actor_label


def test_the_same_create_sent_three_times_with_one_idempotency_key_gives_one_referral(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    body = referral_body(scheme, officer, slots[0])
    responses = [_create(api, body, key="retry-me") for _ in range(3)]
    assert [r.status_code for r in responses] == [201, 200, 200]
    assert len({r.json()["reference"] for r in responses}) == 1
    assert Referral.objects.count() == 1
    assert Booking.objects.count() == 1
    assert Person.objects.count() == 1


def test_a_retry_gets_its_referral_even_after_its_slot_was_booked_by_itself(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    body = referral_body(scheme, officer, slots[0])
    first = _create(api, body, key="lost-response")
    again = _create(api, body, key="lost-response")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


def test_the_same_key_with_a_different_body_is_a_conflict_and_creates_nothing(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    _create(api, referral_body(scheme, officer, slots[0]), key="k1")
    other = referral_body(scheme, officer, slots[1], person={"given_name": "Alex"})
    response = _create(api, other, key="k1")
    assert response.status_code == 409
    assert problem(response)["type"] == "/api/v1/docs/#problem-idempotency-key-reused"
    assert Referral.objects.count() == 1


def test_two_forces_may_use_the_same_idempotency_key(
    api: Any, scheme: Any, officer: Any, slots: list[Any], make_api_client: Any, make_user: Any
) -> None:
    other_scheme = SchemeFactory()
    other_api, _ = make_api_client(other_scheme)
    other_officer = make_user("officer", other_scheme)
    other_slot = _slot_like(slots[0], other_scheme, make_user)
    first = _create(api, referral_body(scheme, officer, slots[0]), key="shared")
    second = _create(
        other_api, referral_body(other_scheme, other_officer, other_slot), key="shared"
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert Referral.objects.count() == 2


def _slot_like(slot: Any, scheme: Any, make_user: Any) -> Any:
    worker = make_user("worker", scheme)
    return type(slot).objects.create(
        scheme=scheme, worker=worker, starts_at=slot.starts_at, ends_at=slot.ends_at
    )


@pytest.mark.parametrize("key", [None, "", "has space", "x" * 65, "ünïcode"])
def test_a_create_without_a_well_formed_idempotency_key_is_refused(
    api: Any, scheme: Any, officer: Any, slots: list[Any], key: str | None
) -> None:
    body = referral_body(scheme, officer, slots[0])
    response = api.post(URL, body, format="json") if key is None else _create(api, body, key=key)
    assert response.status_code == 400
    assert [e["field"] for e in problem(response)["errors"]] == ["Idempotency-Key"]
    assert not Referral.objects.exists()


def _in(days: int = 0, minutes: int = 0) -> str:
    return (timezone.now() + dt.timedelta(days=days, minutes=minutes)).isoformat()


INVALID = [
    (
        "a bad mobile",
        {"person": {"mobile": "0121 496 0000"}},
        "person.mobile",
        "Enter a mobile number, not a landline, so the person can get texts",
    ),
    (
        "no contact method",
        {"person": {"mobile": "", "email": "", "safe_to_text": False}},
        "person.mobile",
        "Enter a mobile number or an email address, so the provider can contact the person",
    ),
    (
        "a stop in the future",
        {"stop": {"stopped_at": _in(minutes=30)}},
        "stop.stopped_at",
        "The stop cannot be in the future",
    ),
    (
        "a stop older than 28 days",
        {"stop": {"stopped_at": _in(days=-29)}},
        "stop.stopped_at",
        "The stop must be within the last 28 days",
    ),
    (
        "an under-18 without an appropriate adult",
        {"person": {"date_of_birth": f"{timezone.localdate().year - 16}-01-01"}},
        "stop.appropriate_adult_name",
        "Enter the appropriate adult's name: a person under 18 needs one present",
    ),
    (
        "an unknown drug",
        {"stop": {"drugs": [{"code": "unicorn-dust"}]}},
        "stop.drugs.0.code",
        'Select the drug found. "unicorn-dust" is not one of the codes this API accepts',
    ),
    (
        "another drug without its name",
        {"stop": {"drugs": [{"code": "other", "drug_class": "B"}]}},
        "stop.drugs.0.other_name",
        "Enter the name of the other drug",
    ),
    (
        "no consent to share",
        {"consent_to_share": False},
        "consent_to_share",
        "Confirm the person agrees to their information being shared, or they cannot be referred",
    ),
    (
        "an officer of no account",
        {"officer_email": "nobody@example.org"},
        "officer_email",
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "changes", "field", "message"), INVALID, ids=[case[0] for case in INVALID]
)
def test_invalid_details_are_refused_with_the_web_flows_message_for_the_field(
    api: Any,
    scheme: Any,
    officer: Any,
    slots: list[Any],
    case: str,
    changes: dict[str, Any],
    field: str,
    message: str | None,
) -> None:
    response = _create(api, referral_body(scheme, officer, slots[0], **changes))
    assert response.status_code == 400, response.content
    document = problem(response)
    assert document["type"] == "/api/v1/docs/#problem-validation-error"
    errors = {error["field"]: error["message"] for error in document["errors"]}
    assert field in errors, errors
    if message:
        assert errors[field] == message
    assert not Referral.objects.exists()


def test_an_under_18_with_an_appropriate_adult_is_referred(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    body = referral_body(
        scheme,
        officer,
        slots[0],
        person={"date_of_birth": f"{timezone.localdate().year - 16}-01-01"},
        stop={
            "appropriate_adult_name": "Sam O'Neill",
            "appropriate_adult_relationship": "mother",
            "appropriate_adult_phone": "0121 496 0000",
        },
    )
    response = _create(api, body)
    assert response.status_code == 201, response.content
    assert Referral.objects.get().appropriate_adult_phone == "+441214960000"


def test_signs_of_supply_make_the_person_ineligible_with_reasons_and_nothing_is_saved(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    stop = {"supply_indicators": ["scales"], "supply_suspected": True, "supply_reason": "Scales"}
    response = _create(api, referral_body(scheme, officer, slots[0], stop=stop))
    assert response.status_code == 422
    document = problem(response)
    assert document["type"] == "/api/v1/docs/#problem-ineligible"
    assert [reason["code"] for reason in document["reasons"]] == ["supply"]
    assert "supply offence" in " ".join(document["what_to_do_instead"])
    assert not Referral.objects.exists()
    assert not Person.objects.exists()
    assert not Booking.objects.exists()


def test_an_indicator_needs_the_officers_answer_and_without_suspicion_is_allowed(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    """Issue 15 §3: indicators inform the officer's judgement; they are not the judgement."""
    unanswered = _create(
        api, referral_body(scheme, officer, slots[0], stop={"supply_indicators": ["cash"]}), "a"
    )
    assert unanswered.status_code == 422
    codes = [reason["code"] for reason in problem(unanswered)["reasons"]]
    assert codes == ["supply_question_unanswered"]
    stop = {"supply_indicators": ["cash"], "supply_suspected": False, "supply_reason": "Wages"}
    allowed = _create(api, referral_body(scheme, officer, slots[0], stop=stop), "b")
    assert allowed.status_code == 201
    assert Referral.objects.get().eligibility_record.supply_reason == "Wages"


def test_a_slot_booked_by_someone_else_is_a_conflict(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    _create(api, referral_body(scheme, officer, slots[0]), key="a")
    other = referral_body(
        scheme, officer, slots[0], person={"given_name": "Alex", "family_name": "Smith"}
    )
    response = _create(api, other, key="b")
    assert response.status_code == 409
    assert problem(response)["type"] == "/api/v1/docs/#problem-slot-unavailable"
    assert Referral.objects.count() == 1


def test_reading_a_referral_gives_status_and_history_and_is_audited(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    reference = _create(api, referral_body(scheme, officer, slots[0])).json()["reference"]
    referral = Referral.objects.get()
    response = api.get(f"{URL}{reference}/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "assessment_booked"
    assert len(data["history"]) == 2
    text = response.content.decode()
    for private in ("Jamie", "O'Neill", "jamie@example.org", slots[0].worker.full_name):
        assert private not in text
    read = AuditEvent.objects.filter(
        action="read", object_type="referrals.Referral", object_id=str(referral.pk)
    ).get()
    assert read.actor is None and read.actor_label.startswith("api:dvk_")


def test_another_forces_referral_is_not_found(
    api: Any, scheme: Any, officer: Any, slots: list[Any], make_api_client: Any
) -> None:
    reference = _create(api, referral_body(scheme, officer, slots[0])).json()["reference"]
    stranger, _ = make_api_client(SchemeFactory())
    response = stranger.get(f"{URL}{reference}/")
    assert response.status_code == 404
    assert problem(response)["title"] == "Not Found"
    assert not AuditEvent.objects.filter(action="read", object_type="referrals.Referral").exists()
