"""No input reaches a 500: hostile requests get a problem document that says what is wrong, and
change nothing. (The NUL cases failed only on PostgreSQL, which cannot store a NUL.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client

from diversion.api.problems import problem_exception_handler
from diversion.api.tests.helpers import problem, referral_body
from diversion.people.models import Person
from diversion.referrals.models import Referral

pytestmark = pytest.mark.django_db
TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.mark.parametrize("url", ["/api/v1/referrals/", "/api/v1/eligibility-checks/"])
def test_a_ten_megabyte_body_is_too_large_not_a_server_error(api: Any, url: str) -> None:
    body = json.dumps({"padding": "x" * TEN_MEGABYTES})
    response = api.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="too-large"
    )
    assert response.status_code == 413
    assert "larger than" in problem(response)["detail"]
    assert not Referral.objects.exists()


def test_a_body_too_large_found_while_parsing_is_a_413_problem() -> None:
    response = problem_exception_handler(RequestDataTooBig("too big"), {"request": None})
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def _nested(value: Any, levels: int) -> Any:
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    "body",
    [
        "[" * 2000 + "]" * 2000,
        '{"a":' * 2000 + "1" + "}" * 2000,
        json.dumps({"person": {"given_name": _nested(["x"], 22)}}),
    ],
    ids=["arrays-2000-deep", "objects-2000-deep", "just-over-the-limit"],
)
def test_json_nested_too_deeply_is_a_400_problem_saying_so(api: Any, body: str) -> None:
    response = api.post("/api/v1/eligibility-checks/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in problem(response)["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/referrals/WM%00AAA/",
        "/api/v1/referrals/WM-AAAA-22%00/",
        "/api/v1/notices/%00/acknowledge/",
        "/api/v1/referrals/WM%0AAAA/",
        "/api/v1/referrals/WM%0D%0AX/",
        "/api/v1/%1B[31m/",
    ],
)
def test_a_control_character_in_an_api_path_is_a_404_problem(api: Any, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert "/api/v1/docs/" in problem(response)["detail"]


@pytest.mark.parametrize("path", ["/api/", "/api/v2/referrals/", "/api/x/"])
def test_every_not_found_under_api_is_a_problem_document(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404
    problem(response)


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/slots/", {"after": "2026-05-01T14:30:00Z\x00"}),
        ("/api/v1/notices/", {"kind": "engaged\x00"}),
        ("/api/v1/notices/", {"after": "1\x00"}),
        ("/api/v1/notices/", {"\x00": "1"}),
    ],
)
def test_a_control_character_in_a_query_parameter_is_a_400_problem(
    api: Any, url: str, query: dict[str, str]
) -> None:
    response = api.get(url, query)
    assert response.status_code == 400
    assert "control character" in problem(response)["detail"]


def test_an_over_long_api_address_is_a_414_problem(api: Any) -> None:
    response = api.get("/api/v1/slots/", {"after": "1" * 3000})
    assert response.status_code == 414
    problem(response)
    response = api.get("/api/v1/referrals/" + "W" * 3000 + "/")
    assert response.status_code == 414
    problem(response)


def test_null_bytes_in_the_body_are_field_errors_and_create_nothing(
    api: Any, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    body = referral_body(
        scheme,
        officer,
        slots[0],
        officer_email=f"{officer.email}\x00",
        person={"given_name": "Ja\x00mie", "police_person_id": "\x00", "sex": "male\x00"},
        stop={"local_authority": "E08000025\x00", "place": "\x00"},
    )
    response = api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="nul-1")
    assert response.status_code == 400
    fields = {error["field"] for error in problem(response)["errors"]}
    assert {"officer_email", "person.given_name", "stop.local_authority"} <= fields
    assert not Person.objects.exists()


BOOLEANS = ["consent_to_contact", "consent_to_share"]
PERSON_BOOLEANS = ["safe_to_text", "safe_to_leave_voicemail", "discreet_messages"]


@pytest.mark.parametrize("value", ["yes", "true", "on", 1, 0, "1", "false", None, [True], {}])
def test_every_boolean_must_be_a_json_true_or_false(
    api: Any, scheme: Any, officer: Any, slots: list[Any], value: Any
) -> None:
    body = referral_body(
        scheme,
        officer,
        slots[0],
        **dict.fromkeys(BOOLEANS, value),
        person=dict.fromkeys(PERSON_BOOLEANS, value),
    )
    response = api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="bool-1")
    assert response.status_code == 400
    errors = problem(response)["errors"]
    assert {e["field"] for e in errors} == {*BOOLEANS, *(f"person.{n}" for n in PERSON_BOOLEANS)}
    assert all("true or false" in e["message"] for e in errors)
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("query", "field", "allowed"),
    [
        ({"acknowledged": "null"}, "acknowledged", "true, false"),
        ({"acknowledged": ""}, "acknowledged", "true, false"),
        ({"acknowledged": "yes"}, "acknowledged", "true, false"),
        ({"acknowledged": "True"}, "acknowledged", "true, false"),
        ({"kind": ""}, "kind", "intelligence_log, engaged, completed"),
        ({"kind": "null"}, "kind", "intelligence_log, engaged, completed"),
        ({"after": ""}, "after", "whole number from 0"),
        ({"limit": ""}, "limit", "whole number from 1 to 200"),
        ({"limit": "0"}, "limit", "whole number from 1 to 200"),
    ],
)
def test_a_notice_query_parameter_sent_empty_or_unknown_is_a_400_naming_it(
    api: Any, query: dict[str, str], field: str, allowed: str
) -> None:
    response = api.get("/api/v1/notices/", query)
    assert response.status_code == 400
    errors = problem(response)["errors"]
    assert [e["field"] for e in errors] == [field]
    assert field in errors[0]["message"] and allowed in errors[0]["message"]


@pytest.mark.parametrize("query", [{"after": ""}, {"limit": ""}, {"limit": "x"}])
def test_a_slot_query_parameter_sent_empty_is_a_400_naming_it(
    api: Any, query: dict[str, str]
) -> None:
    response = api.get("/api/v1/slots/", query)
    assert response.status_code == 400
    errors = problem(response)["errors"]
    assert [e["field"] for e in errors] == list(query)
    assert errors[0]["message"].startswith(f"Send {next(iter(query))} as")
