from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from diversion.accounts.models import ApiClient
from diversion.api.tests.helpers import ALL_SCOPES, http_with_key, problem

pytestmark = pytest.mark.django_db

# Each operation and the one scope it needs (the permission matrix).
OPERATIONS = [
    ("post", "/api/v1/referrals/", "referrals:write"),
    ("get", "/api/v1/referrals/ZZZ-AAAA-22/", "referrals:read"),
    ("get", "/api/v1/slots/", "slots:read"),
    ("post", "/api/v1/eligibility-checks/", "eligibility:read"),
    ("get", "/api/v1/notices/", "outcomes:read"),
    ("post", "/api/v1/notices/1/acknowledge/", "outcomes:acknowledge"),
]


@pytest.mark.parametrize(("method", "url", "needed"), OPERATIONS)
def test_a_request_without_a_key_is_unauthorised(method: str, url: str, needed: str) -> None:
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert problem(response)["title"] == "Unauthorized"


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer nodot", "Basic dXNlcjpwYXNz", "Bearer dvk_unknown.secret", "Token a.b"],
)
def test_a_malformed_or_unknown_key_is_unauthorised(header: str) -> None:
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=header)
    response = http.get("/api/v1/slots/")
    assert response.status_code == 401
    problem(response)


def test_a_wrong_secret_is_unauthorised(scheme: Any, make_api_client: Any) -> None:
    _, client = make_api_client(scheme)
    response = http_with_key(f"{client.key_id}.not-the-secret").get("/api/v1/slots/")
    assert response.status_code == 401
    assert "not valid" in problem(response)["detail"]


def test_an_inactive_client_is_unauthorised(scheme: Any, make_api_client: Any) -> None:
    http, client = make_api_client(scheme)
    assert http.get("/api/v1/slots/").status_code == 200
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)
    response = http.get("/api/v1/slots/")
    assert response.status_code == 401
    problem(response)


@pytest.mark.parametrize(("method", "url", "needed"), OPERATIONS)
@pytest.mark.parametrize("scope", ALL_SCOPES)
def test_each_operation_opens_only_to_a_key_with_its_scope(
    scheme: Any, make_api_client: Any, method: str, url: str, needed: str, scope: str
) -> None:
    http, _ = make_api_client(scheme, scopes=[scope])
    response = getattr(http, method)(url, {}, format="json")
    if scope == needed:
        assert response.status_code not in (401, 403), response.content
    else:
        assert response.status_code == 403
        assert needed in problem(response)["detail"]


def test_last_used_is_recorded_at_most_once_a_minute(scheme: Any, make_api_client: Any) -> None:
    http, client = make_api_client(scheme)
    http.get("/api/v1/slots/")
    client.refresh_from_db()
    first = client.last_used_at
    assert first is not None
    http.get("/api/v1/slots/")
    client.refresh_from_db()
    assert client.last_used_at == first
    ApiClient.objects.filter(pk=client.pk).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=2)
    )
    http.get("/api/v1/slots/")
    client.refresh_from_db()
    assert client.last_used_at is not None and client.last_used_at > first


def test_too_many_requests_are_throttled_per_key_with_retry_after(
    scheme: Any, make_api_client: Any
) -> None:
    http, _ = make_api_client(scheme)
    other, _ = make_api_client(scheme)
    rest_framework = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_client": "2/min"}}
    with override_settings(REST_FRAMEWORK=rest_framework):
        statuses = [http.get("/api/v1/slots/").status_code for _ in range(3)]
        limited = http.get("/api/v1/slots/")
        assert other.get("/api/v1/slots/").status_code == 200
    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    problem(limited)
