"""`diversion create_first_admin`: the one account the pages cannot invite. It creates the
organisation and the administrator with their audit rows, refuses once an administrator exists,
and a refusal (weak password, wrong kind, missing password) saves nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from diversion.accounts.models import User
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role
from diversion.schemes.models import Organisation

PASSWORD = "heron lantern orchard seven"
pytestmark = pytest.mark.django_db


def _create(monkeypatch: pytest.MonkeyPatch, *, password: str = PASSWORD, **options: str) -> None:
    monkeypatch.setenv("DIVERSION_FIRST_ADMIN_PASSWORD", password)
    arguments = {"name": "Fola Admin", "organisation": "Office of the Test PCC", **options}
    call_command("create_first_admin", "Fola.Admin@example.org", **arguments)


def test_creates_organisation_and_administrator_with_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    _create(monkeypatch)
    user = User.objects.get(email="fola.admin@example.org")
    assert user.role == Role.SCHEME_ADMIN and user.check_password(PASSWORD)
    assert user.organisation.name == "Office of the Test PCC"
    assert user.organisation.kind == "commissioner"
    audited = AuditEvent.objects.filter(actor_label="command:create_first_admin")
    assert {e.object_type for e in audited} >= {"schemes.Organisation", "accounts.User"}
    # The password opens only the security-code set-up, as for every staff account.
    client = Client()
    answer = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:set-up-second-factor"))
    assert client.get(reverse("schemes:list")).status_code in (302, 403)


def test_refused_once_an_administrator_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    _create(monkeypatch)
    with pytest.raises(CommandError, match="already exists"):
        _create(monkeypatch, organisation="Another Office")
    assert not Organisation.objects.filter(name="Another Office").exists()
    assert User.objects.filter(role=Role.SCHEME_ADMIN).count() == 1


@pytest.mark.parametrize(
    ("password", "options", "message"),
    [
        ("", {}, "DIVERSION_FIRST_ADMIN_PASSWORD"),
        ("password", {}, "password"),
        (PASSWORD, {"kind": "provider"}, "belongs to a commissioner or force"),
    ],
)
def test_refusal_saves_nothing(
    monkeypatch: pytest.MonkeyPatch, password: str, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _create(monkeypatch, password=password, **options)
    assert not User.objects.exists()
    assert not Organisation.objects.filter(name="Office of the Test PCC").exists()
    assert not AuditEvent.objects.filter(actor_label="command:create_first_admin").exists()


def test_existing_organisation_of_another_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    Organisation.objects.create(kind="provider", name="Office of the Test PCC")
    with pytest.raises(CommandError, match="is not a commissioner"):
        _create(monkeypatch)
    assert not User.objects.exists()
