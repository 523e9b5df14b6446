from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.api.tests.helpers import problem, referral_body
from diversion.audit.models import AuditEvent
from diversion.people.models import Person
from diversion.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_slots_list_the_next_available_times_soonest_first(api: Any, slots: list[Any]) -> None:
    response = api.get("/api/v1/slots/", {"limit": 3})
    assert response.status_code == 200
    data = response.json()
    assert [slot["id"] for slot in data["results"]] == [s.pk for s in slots[:3]]
    assert set(data["results"][0]) == {"id", "starts_at", "ends_at"}
    later = api.get(data["next"]).json()["results"]
    assert [slot["id"] for slot in later] == [s.pk for s in slots[3:6]]


def test_slots_after_a_time_start_after_it_and_a_booked_slot_is_not_offered(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    created = api.post(
        "/api/v1/referrals/",
        referral_body(scheme, officer, slots[1]),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert created.status_code == 201
    after = slots[0].starts_at.isoformat()
    ids = [slot["id"] for slot in api.get("/api/v1/slots/", {"after": after}).json()["results"]]
    assert ids == [s.pk for s in slots[2:]]


def test_slots_with_a_bad_after_are_a_validation_problem(api: Any) -> None:
    response = api.get("/api/v1/slots/", {"after": "tomorrow"})
    assert response.status_code == 400
    assert problem(response)["errors"][0]["field"] == "after"


def _check(scheme: Any, **stop: Any) -> dict[str, Any]:
    return {
        "person": {"given_name": "Jamie", "family_name": "O'Neill", "date_of_birth": "1998-06-14"},
        "stop": {
            "stopped_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
            "local_authority": scheme.local_authorities.first().ons_code,
            "how_found": "stop_and_search",
            "drugs": [{"code": "cannabis"}],
            **stop,
        },
    }


def test_an_eligibility_check_says_yes_and_creates_nothing(api: Any, scheme: Any) -> None:
    response = api.post("/api/v1/eligibility-checks/", _check(scheme), format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["eligible"] is True and data["reasons"] == []
    assert data["scheme_code"] == scheme.code
    assert not Person.objects.exists() and not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="read", object_type="people.Person").exists()


def test_an_eligibility_check_gives_the_reasons_and_what_to_do_instead(
    api: Any, scheme: Any
) -> None:
    body = _check(scheme, other_offences=["intent_to_supply"])
    data = api.post("/api/v1/eligibility-checks/", body, format="json").json()
    assert data["eligible"] is False
    assert [reason["code"] for reason in data["reasons"]] == ["supply"]
    assert data["what_to_do_instead"] and "supply" in data["what_to_do_instead"][0]


def test_an_under_18_without_an_appropriate_adult_is_a_reason_not_an_input_error(
    api: Any, scheme: Any
) -> None:
    body = _check(scheme)
    body["person"]["date_of_birth"] = f"{timezone.localdate().year - 16}-01-01"
    data = api.post("/api/v1/eligibility-checks/", body, format="json").json()
    assert "appropriate_adult_absent" in [reason["code"] for reason in data["reasons"]]


def test_an_eligibility_check_that_matches_a_person_is_audited_as_a_read(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    created = api.post(
        "/api/v1/referrals/",
        referral_body(scheme, officer, slots[0]),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert created.status_code == 201
    data = api.post("/api/v1/eligibility-checks/", _check(scheme), format="json").json()
    assert [note["code"] for note in data["notes"]] == ["referral_in_progress"]
    person = Person.objects.get()
    read = AuditEvent.objects.get(action="read", object_type="people.Person")
    assert read.object_id == str(person.pk) and read.actor_label.startswith("api:")


def test_an_eligibility_check_with_a_missing_drug_is_a_validation_problem(
    api: Any, scheme: Any
) -> None:
    response = api.post("/api/v1/eligibility-checks/", _check(scheme, drugs=[]), format="json")
    assert response.status_code == 400
    assert problem(response)["errors"] == [
        {"field": "stop.drugs", "message": "Record each drug found"}
    ]
