"""The client's address: forwarded headers believed only from the proxies we trust."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from diversion.core.proxies import client_address

PROXY = "10.0.0.2"


def address(settings: Any, *, peer: str, forwarded: str | None = None) -> str:
    meta: dict[str, str] = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))  # type: ignore[arg-type]


def test_without_trusted_proxies_a_forwarded_header_changes_nothing(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert address(settings, peer="203.0.113.5", forwarded="198.51.100.1") == "203.0.113.5"
    assert address(settings, peer=PROXY, forwarded="198.51.100.1") == PROXY


def test_a_client_that_is_not_a_trusted_proxy_cannot_name_another_address(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for forwarded in ("198.51.100.1", "10.0.0.9", "198.51.100.1, 10.0.0.9", "garbage"):
        assert address(settings, peer="203.0.113.5", forwarded=forwarded) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(settings, peer=PROXY, forwarded="198.51.100.7") == "198.51.100.7"
    assert address(settings, peer=PROXY) == PROXY  # the proxy's own request (a health probe)


@pytest.mark.parametrize(
    "forwarded",
    [
        "1.2.3.4, 198.51.100.7",  # the client wrote a hop of its own
        "127.0.0.1, 10.0.0.1, 198.51.100.7",  # and claimed to be one of ours
        "not an address, 198.51.100.7",
        "1.2.3.4,198.51.100.7, 10.0.0.3",  # two of our proxies in a row
    ],
)
def test_hops_the_client_wrote_left_of_our_proxys_are_ignored(
    settings: Any, forwarded: str
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(settings, peer=PROXY, forwarded=forwarded) == "198.51.100.7"


def test_something_that_is_not_an_address_stops_the_walk_at_our_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(settings, peer=PROXY, forwarded="198.51.100.7, bogus") == PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7:51234", "198.51.100.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_addresses_are_read_as_proxies_write_them(
    settings: Any, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(settings, peer=PROXY, forwarded=forwarded) == expected


def test_a_request_without_a_socket_address_has_none(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(settings, peer="", forwarded="198.51.100.7") == ""


@pytest.mark.parametrize(
    ("trusted", "argument"),
    [
        ([], "--forwarded-allow-ips="),
        (["10.0.0.0/8", "192.0.2.1/32"], "--forwarded-allow-ips=10.0.0.0/8,192.0.2.1/32"),
    ],
)
def test_gunicorn_believes_x_forwarded_proto_from_the_same_proxies(
    settings: Any, monkeypatch: pytest.MonkeyPatch, trusted: list[str], argument: str
) -> None:
    settings.TRUSTED_PROXIES = trusted
    started: list[list[str]] = []
    monkeypatch.setattr(os, "execvp", lambda _file, argv: started.append(argv))
    call_command("serve")
    (argv,) = started
    assert argument in argv
    assert not any(arg.startswith("--forwarded-allow-ips=*") for arg in argv)
