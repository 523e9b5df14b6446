"""The scheme administrator's single sign-on pages: a provider is checked before it is saved,
a group cannot be given a role its organisation may not hold, and every change is audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from diversion.accounts.models import GroupRole, IdentityProvider
from diversion.accounts.tests.loopback_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    LoopbackProvider,
    rsa_key,
)
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role


@pytest.fixture
def op() -> Iterator[LoopbackProvider]:
    provider = LoopbackProvider(jwks_keys=[rsa_key("key-1")]).start()
    yield provider
    provider.stop()


def _form(issuer: str, **overrides: str) -> dict[str, str]:
    return {
        "action": "save",
        "display_name": "West Midlands Police",
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "email_domains": "wmp.example, west-midlands.example",
        "scopes": "openid email profile",
        "groups_claim": "groups",
        **overrides,
    }


@pytest.mark.django_db
def test_an_administrator_connects_the_force_and_maps_its_groups(
    scheme: Any, client_for: Callable[..., Any], op: LoopbackProvider
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("accounts:identity-provider", args=[scheme.force_id])
    page = client.get(url).content.decode()
    assert "http://testserver/sign-in/provider/callback/" in page
    assert client.post(url, _form(op.issuer)).status_code == 302
    provider = IdentityProvider.objects.get(organisation=scheme.force)
    assert provider.email_domains == ["west-midlands.example", "wmp.example"]
    assert provider.client_secret == CLIENT_SECRET
    added = client.post(url, {"action": "add-group", "group": "WMP-Officers", "role": "officer"})
    assert added.status_code == 302
    mapping = GroupRole.objects.get(identity_provider=provider)
    # A form saved again without a secret keeps the secret.
    assert client.post(url, _form(op.issuer, client_secret="")).status_code == 302
    provider.refresh_from_db()
    assert provider.client_secret == CLIENT_SECRET
    removed = client.post(url, {"action": "remove-group", "mapping": str(mapping.pk)})
    assert removed.status_code == 302
    assert not GroupRole.objects.exists()
    types = list(AuditEvent.objects.values_list("object_type", "action"))
    assert ("accounts.IdentityProvider", "create") in types
    assert ("accounts.IdentityProvider", "update") in types
    assert ("accounts.GroupRole", "create") in types and ("accounts.GroupRole", "delete") in types


@pytest.mark.django_db
def test_an_issuer_that_does_not_answer_gets_an_error_summary_and_nothing_is_saved(
    scheme: Any, client_for: Callable[..., Any]
) -> None:
    silent = LoopbackProvider().start()
    issuer = silent.issuer
    silent.stop()
    client = client_for(Role.SCHEME_ADMIN, scheme)
    response = client.post(
        reverse("accounts:identity-provider", args=[scheme.force_id]), _form(issuer)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "did not answer" in page
    assert not IdentityProvider.objects.exists()


@pytest.mark.django_db
def test_a_force_group_mapped_to_provider_worker_is_refused_with_an_error_summary(
    scheme: Any, client_for: Callable[..., Any], op: LoopbackProvider
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("accounts:identity-provider", args=[scheme.force_id])
    client.post(url, _form(op.issuer))
    before = AuditEvent.objects.count()
    response = client.post(url, {"action": "add-group", "group": "WMP-Workers", "role": "worker"})
    assert response.status_code == 400
    assert "cannot belong to a police force" in response.content.decode()
    assert not GroupRole.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_an_organisation_outside_the_administrators_schemes_is_404(
    scheme: Any, other_scheme: Any, client_for: Callable[..., Any], op: LoopbackProvider
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("accounts:identity-provider", args=[other_scheme.force_id])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(op.issuer)).status_code == 404
    assert not IdentityProvider.objects.exists()
