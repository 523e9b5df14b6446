"""Building API requests and reading problem documents in tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from diversion.accounts.services import API_SCOPES

ALL_SCOPES = sorted(API_SCOPES)


def http_with_key(key: str) -> APIClient:
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return http


def referral_body(scheme: Any, officer: Any, slot: Any, **changes: Any) -> dict[str, Any]:
    """A valid create request; `person={...}` or `stop={...}` change single nested fields."""
    body: dict[str, Any] = {
        "officer_email": officer.email,
        "person": {
            "given_name": "Jamie",
            "family_name": "O'Neill",
            "date_of_birth": "1998-06-14",
            "sex": "male",
            "self_defined_ethnicity": "W1",
            "observed_ethnicity": "IC1",
            "mobile": "07911 123456",
            "email": "jamie@example.org",
            "safe_to_text": True,
        },
        "stop": {
            "stopped_at": (timezone.now() - dt.timedelta(minutes=10)).isoformat(),
            "local_authority": scheme.local_authorities.first().ons_code,
            "how_found": "stop_and_search",
            "drugs": [{"code": "cannabis", "quantity": "2 grams"}],
        },
        "consent_to_contact": True,
        "consent_to_share": True,
        "slot_id": slot.pk,
    }
    body = copy.deepcopy(body)
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(body.get(name), dict):
            body[name].update(value)
        else:
            body[name] = value
    return body


def problem(response: Any) -> dict[str, Any]:
    """The response's problem document, after checking it is one."""
    assert response["Content-Type"] == "application/problem+json", response.content
    data: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(data)
    assert data["status"] == response.status_code
    return data
