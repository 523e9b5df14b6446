"""Guessing one password on many accounts from one address: each account stays under its own
limit, so the address has one too (SIGN_IN_ADDRESS_FAILURE_LIMIT)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diversion.accounts.services import ADDRESS_REFUSED
from diversion.accounts.tests.factories import PASSWORD
from diversion.audit.models import AuditAction, AuditEvent
from diversion.core.roles import Role

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
ATTACKER = "203.0.113.66"
PAUSED = "Sign-in is paused on your network"


def spray(client: Client, count: int, **headers: str) -> list[int]:
    """Wrong passwords for `count` different usernames."""
    return [
        client.post(
            SIGN_IN, {"email": f"guess{n}@police.example", "password": "Password1!"}, **headers
        ).status_code
        for n in range(count)
    ]


@pytest.fixture
def worker(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.WORKER, scheme)


def test_wrong_passwords_for_thirty_usernames_from_one_address_are_throttled(
    settings: Any, worker: Any
) -> None:
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    attacker = Client(REMOTE_ADDR=ATTACKER)
    codes = spray(attacker, 30)
    assert codes[:limit] == [200] * limit
    assert codes[limit:] == [429] * (30 - limit)
    # Even the right password is refused from that address for now...
    refused = attacker.post(SIGN_IN, {"email": worker.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert PAUSED in refused.content.decode()
    assert refused["Retry-After"] == "1800"
    assert "_auth_user_id" not in attacker.session
    audited = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, reason=ADDRESS_REFUSED)
    assert audited.count() == 30 - limit + 1
    # ...while the same person from another address signs in.
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    response = colleague.post(SIGN_IN, {"email": worker.email, "password": PASSWORD})
    assert response.status_code == 302


def test_rotating_x_forwarded_for_does_not_escape_the_address_limit(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    attacker = Client(REMOTE_ADDR=ATTACKER)
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    codes = [
        attacker.post(
            SIGN_IN,
            {"email": f"guess{n}@police.example", "password": "Password1!"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(limit + 3)
    ]
    assert codes[limit:] == [429] * 3


def test_behind_a_trusted_proxy_one_client_is_throttled_and_the_next_is_not(
    settings: Any, worker: Any
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    codes = spray(proxy, limit + 2, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
    assert codes[limit:] == [429, 429]
    colleague = proxy.post(
        SIGN_IN,
        {"email": worker.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert colleague.status_code == 302


def test_an_account_still_locks_after_its_own_lower_limit(settings: Any, worker: Any) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"email": worker.email, "password": "wrong password"})
    response = client.post(SIGN_IN, {"email": worker.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
