"""API test fixtures: a police system's HTTP client with a real bearer key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from diversion.accounts.models import ApiClient
from diversion.accounts.services import api_client_create
from diversion.api.tests.helpers import ALL_SCOPES, http_with_key
from diversion.audit.services import SYSTEM


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> None:
    cache.clear()


@pytest.fixture
def make_api_client(db: Any) -> Callable[..., tuple[APIClient, ApiClient]]:
    def make(scheme: Any, scopes: list[str] | None = None) -> tuple[APIClient, ApiClient]:
        client, secret = api_client_create(
            actor=SYSTEM,
            organisation=scheme.force,
            name="Records management system",
            scopes=ALL_SCOPES if scopes is None else scopes,
        )
        return http_with_key(f"{client.key_id}.{secret}"), client

    return make


@pytest.fixture
def api(scheme: Any, make_api_client: Callable[..., Any]) -> APIClient:
    """The scheme's force's system, with every scope."""
    http, _client = make_api_client(scheme)
    return http
