"""The self-service links' limit per address, attacked: someone guessing links writes their own
X-Forwarded-For on every request. Only our proxies' word counts (core/proxies.py)."""

from __future__ import annotations

import secrets
import types
from typing import Any

import pytest
from django.test import Client

from diversion.core import ratelimit
from diversion.engagement.selfservice_views import PER_ADDRESS

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
LIMIT = PER_ADDRESS[0]


@pytest.fixture(autouse=True)
def one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request in the same ten-minute window, so the count is never reset mid-test."""
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))


def guess(client: Client, forwarded: str) -> int:
    """One request for a made-up link, as someone trying links would send."""
    token = f"{secrets.token_urlsafe(16)}.{secrets.token_urlsafe(16)}"
    return int(client.get(f"/r/{token}/", HTTP_X_FORWARDED_FOR=forwarded).status_code)


def test_rotating_x_forwarded_for_from_an_untrusted_peer_is_still_refused(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    client = Client(REMOTE_ADDR="203.0.113.5")
    codes = [guess(client, f"198.51.100.{n % 250}") for n in range(LIMIT + 20)]
    assert 429 not in codes[:LIMIT]
    assert set(codes[LIMIT:]) == {429}


def test_a_peer_claiming_to_be_our_proxy_in_the_header_is_still_refused(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = Client(REMOTE_ADDR="203.0.113.5")
    codes = [guess(client, f"198.51.100.{n % 250}, {PROXY}") for n in range(LIMIT + 5)]
    assert set(codes[LIMIT:]) == {429}


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR=PROXY)
    codes = [guess(proxy, "198.51.100.7") for _ in range(LIMIT + 1)]
    assert 429 not in codes[:LIMIT] and codes[LIMIT] == 429
    assert guess(proxy, "198.51.100.8") != 429  # another person behind the same proxy


def test_behind_a_trusted_proxy_spoofed_left_most_hops_are_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR=PROXY)
    codes = [guess(proxy, f"192.0.2.{n % 250}, 198.51.100.7") for n in range(LIMIT + 10)]
    assert 429 not in codes[:LIMIT]
    assert set(codes[LIMIT:]) == {429}
