from __future__ import annotations

from typing import Any

import pytest

from diversion.api import views
from diversion.api.problems import problem_exception_handler
from diversion.api.tests.helpers import problem
from diversion.referrals.lifecycle import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_an_unknown_api_address_is_a_problem_document_not_a_web_page(api: Any) -> None:
    response = api.get("/api/v1/people/")
    assert response.status_code == 404
    assert "/api/v1/docs/" in problem(response)["detail"]


def test_an_address_without_its_slash_is_not_found_with_a_hint(api: Any) -> None:
    response = api.get("/api/v1/slots")
    assert response.status_code == 404
    assert "end with a slash" in problem(response)["detail"]


@pytest.mark.parametrize("method", ["delete", "put", "options"])
def test_a_method_an_operation_does_not_have_is_not_allowed(api: Any, method: str) -> None:
    response = getattr(api, method)("/api/v1/slots/")
    assert response.status_code == 405
    assert problem(response)["title"] == "Method Not Allowed"


def test_a_body_that_is_not_json_is_an_unsupported_media_type(api: Any) -> None:
    response = api.post(
        "/api/v1/eligibility-checks/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    problem(response)


def test_malformed_json_is_a_bad_request(api: Any) -> None:
    response = api.post("/api/v1/eligibility-checks/", "{not json", content_type="application/json")
    assert response.status_code == 400
    problem(response)


def test_a_body_that_is_not_an_object_is_a_validation_problem(api: Any) -> None:
    response = api.post("/api/v1/eligibility-checks/", [1, 2], format="json")
    assert response.status_code == 400
    assert problem(response)["errors"][0]["field"] == "body"


def test_an_unexpected_error_is_a_500_problem_with_the_request_id(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "distinct_times", broken)
    response = api.get("/api/v1/slots/", HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 500
    document = problem(response)
    assert document["request_id"] == "req-12345678"
    assert "boom" not in response.content.decode()


def test_a_force_without_an_active_scheme_is_told_so(api: Any, scheme: Any) -> None:
    scheme.is_active = False
    scheme.save(update_fields=["is_active"])
    response = api.get("/api/v1/slots/")
    assert response.status_code == 404
    assert problem(response)["detail"] == "Your force has no active diversion scheme."


def test_a_transition_the_lifecycle_refuses_is_a_409_problem() -> None:
    response = problem_exception_handler(
        TransitionNotAllowed("referred", "completed"), {"request": None}
    )
    assert response.status_code == 409
    assert response.data["type"] == "/api/v1/docs/#problem-transition-not-allowed"
    assert response.data["detail"] == "A referral cannot go from Referred to Completed."
    assert response.content_type == "application/problem+json"
