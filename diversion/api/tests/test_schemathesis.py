"""Generated requests against the OpenAPI document, in-process through the WSGI application:
no server errors, and every response (status, content type, headers, body) as documented."""

from __future__ import annotations

import time
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks

from diversion.api.tests.helpers import referral_body
from diversion.audit.services import SYSTEM
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_the_test_connection(api_key: str) -> Any:
    """Requests here go straight to the WSGI application, not through Django's test client, so
    Django would close the test's database connection after each one (inside the test's
    transaction, on PostgreSQL): keep it open, as the test client does. After `api_key`, whose
    test-client requests put Django's handler back."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


EXAMPLES_PER_OPERATION = 20
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def api_key(scheme: Any, make_api_client: Any, officer: Any, slots: list[Any]) -> str:
    """A key with every scope, for a force with slots, referrals and notices to read."""
    http, _client = make_api_client(scheme)
    for index, given_name in enumerate(["Jamie", "Alex"]):
        body = referral_body(scheme, officer, slots[index], person={"given_name": given_name})
        created = http.post(
            "/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY=given_name
        )
        assert created.status_code == 201, created.content
    ignored, engaged = Referral.objects.order_by("pk")
    referral_transition(referral_id=ignored.pk, to_status=ReferralStatus.NOT_ENGAGED, actor=SYSTEM)
    referral_transition(referral_id=engaged.pk, to_status=ReferralStatus.ASSESSED, actor=SYSTEM)
    return str(http._credentials["HTTP_AUTHORIZATION"])


def test_generated_requests_get_no_server_error_and_responses_that_match_the_document(
    api_key: str,
    keep_the_test_connection: None,
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    headers = {"Authorization": api_key}
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            phases=[Phase.explicit, Phase.generate],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def generated(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        generated()

    assert time.monotonic() - started < 60


def test_successful_responses_match_the_document(
    api_key: str, keep_the_test_connection: None, scheme: Any, officer: Any, slots: list[Any]
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    auth = {"Authorization": api_key}
    reference = Referral.objects.first().reference  # type: ignore[union-attr]
    notice_id = 1
    cases = [
        schema["/api/v1/referrals/"]["POST"].Case(
            headers={**auth, "Idempotency-Key": "schema-check"},
            body=referral_body(scheme, officer, slots[5], person={"given_name": "Robin"}),
            media_type="application/json",
        ),
        schema["/api/v1/referrals/{reference}/"]["GET"].Case(
            headers=auth, path_parameters={"reference": reference}
        ),
        schema["/api/v1/slots/"]["GET"].Case(headers=auth, query={"limit": 2}),
        schema["/api/v1/notices/"]["GET"].Case(headers=auth),
    ]
    for case in cases:
        response = case.call()
        assert response.status_code in (200, 201), response.text
        case.validate_response(response, checks=CHECKS)
        if case.path == "/api/v1/notices/":
            notice_id = response.json()["results"][0]["id"]
    acknowledge = schema["/api/v1/notices/{id}/acknowledge/"]["POST"].Case(
        headers=auth, path_parameters={"id": notice_id}
    )
    response = acknowledge.call()
    assert response.status_code == 200
    acknowledge.validate_response(response, checks=CHECKS)
