"""A scheme administrator gives a force's system its API key through the pages: the key is shown
once and works, its scopes are enforced and can be changed, revoking stops it at once, the
list shows when it was last used, and every change is audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diversion.accounts.models import ApiClient
from diversion.api.tests.helpers import http_with_key
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role


def _changes(action: str) -> list[dict[str, Any]]:
    rows = AuditEvent.objects.filter(object_type="accounts.ApiClient", action=action)
    return [row.changes for row in rows.order_by("pk")]


@pytest.mark.django_db
def test_a_key_made_on_the_page_is_shown_once_works_within_its_scopes_and_is_revoked(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    created = admin.post(
        reverse("api_clients:create"), {"name": "Niche RMS", "scopes": ["outcomes:read"]}
    )
    assert created.status_code == 200
    assert created["Cache-Control"].startswith("max-age=0")
    page = created.content.decode()
    key = re.search(r'id="api-key">(dvk_[0-9a-f]{16}\.[\w-]+)<', page)
    assert key, page
    client = ApiClient.objects.get()
    assert client.organisation_id == scheme.force_id and client.scopes == ["outcomes:read"]
    assert key.group(1).split(".")[1] not in client.secret_hash  # not stored
    assert _changes("create") == [{"scopes": ["outcomes:read"]}]

    system = http_with_key(key.group(1))
    assert system.get(reverse("api:notice-list")).status_code == 200
    assert system.get(reverse("api:slot-list")).status_code == 403  # not given slots:read
    listing = admin.get(reverse("api_clients:list")).content.decode()
    assert "Niche RMS" in listing and client.key_id in listing and "Never" not in listing
    # The detail page never shows the key again.
    detail_url = reverse("api_clients:detail", args=[client.pk])
    assert key.group(1).split(".")[1] not in admin.get(detail_url).content.decode()

    changed = admin.post(detail_url, {"action": "scopes", "scopes": ["slots:read"]})
    assert changed.status_code == 302
    assert system.get(reverse("api:notice-list")).status_code == 403
    assert _changes("update") == [{"scopes": [["outcomes:read"], ["slots:read"]]}]

    assert admin.post(detail_url, {"action": "revoke"}).status_code == 302
    client.refresh_from_db()
    assert not client.is_active
    assert system.get(reverse("api:slot-list")).status_code == 401
    assert _changes("update")[-1] == {"is_active": False}


@pytest.mark.django_db
def test_no_scope_or_an_unknown_scope_or_no_name_saves_nothing(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("api_clients:create")
    for data in (
        {"name": "Niche RMS"},
        {"name": "Niche RMS", "scopes": ["admin:everything"]},
        {"name": "", "scopes": ["outcomes:read"]},
    ):
        response = admin.post(url, data)
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
    assert not ApiClient.objects.exists()
    assert not AuditEvent.objects.filter(object_type="accounts.ApiClient").exists()


@pytest.mark.django_db
def test_another_forces_client_is_not_found_and_cannot_be_revoked(
    scheme: Any, other_scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, other_scheme)
    mine = client_for(Role.SCHEME_ADMIN, scheme)
    mine.post(reverse("api_clients:create"), {"name": "Niche RMS", "scopes": ["slots:read"]})
    client = ApiClient.objects.get()
    url = reverse("api_clients:detail", args=[client.pk])
    assert admin.get(url).status_code == 404
    assert admin.post(url, {"action": "revoke"}).status_code == 404
    assert "Niche RMS" not in admin.get(reverse("api_clients:list")).content.decode()
    client.refresh_from_db()
    assert client.is_active


@pytest.mark.django_db
def test_a_number_no_database_holds_is_not_found_rather_than_an_error(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    for pk in (2**63, 10**30):
        assert admin.get(f"/api-clients/{pk}/").status_code == 404
        assert admin.post(f"/api-clients/{pk}/", {"action": "revoke"}).status_code == 404
