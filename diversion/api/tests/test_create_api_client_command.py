from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from diversion.accounts.models import ApiClient
from diversion.api.tests.helpers import http_with_key

pytestmark = pytest.mark.django_db


def test_the_operator_command_prints_a_key_that_works_once_and_stores_only_its_hash(
    scheme: Any,
) -> None:
    out = StringIO()
    call_command(
        "create_api_client",
        "--force",
        scheme.force.name,
        "--name",
        "Niche RMS",
        "--scopes",
        "slots:read, referrals:read",
        stdout=out,
    )
    key = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get()
    assert client.scopes == ["referrals:read", "slots:read"]
    key_id, secret = key.split(".", 1)
    assert key_id == client.key_id and secret not in client.secret_hash
    assert http_with_key(key).get("/api/v1/slots/").status_code == 200
    assert http_with_key(key).get("/api/v1/notices/").status_code == 403


@pytest.mark.parametrize(
    ("force", "scopes", "message"),
    [
        ("No Such Police", "slots:read", "No police force is called"),
        (None, "slots:read,launch:missiles", "Choose known scopes"),
    ],
)
def test_the_operator_command_refuses_an_unknown_force_or_scope(
    scheme: Any, force: str | None, scopes: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command(
            "create_api_client",
            "--force",
            force or scheme.force.name,
            "--name",
            "RMS",
            "--scopes",
            scopes,
            stdout=StringIO(),
        )
    assert not ApiClient.objects.exists()


def test_the_operator_can_deactivate_a_key_and_it_stops_working_at_once(
    scheme: Any, make_api_client: Any
) -> None:
    http, client = make_api_client(scheme)
    assert http.get("/api/v1/slots/").status_code == 200
    out = StringIO()
    call_command("deactivate_api_client", client.key_id, stdout=out)
    assert "Deactivated" in out.getvalue()
    assert http.get("/api/v1/slots/").status_code == 401
    with pytest.raises(CommandError, match="No API client"):
        call_command("deactivate_api_client", "dvk_nosuchkey", stdout=StringIO())
