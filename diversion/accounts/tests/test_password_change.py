"""A local account changes its own password: the current one is checked, the password rules
apply, the change is audited, this browser stays signed in and every other session ends. Someone
whose password is their organisation's (no usable local password) cannot set one here."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from diversion.accounts.tests.factories import PASSWORD, UserFactory
from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent

NEW = "amber kettle drifting north"
URL = reverse("accounts:account-password")
pytestmark = pytest.mark.django_db


def _post(client: Client, current: str = PASSWORD, new: str = NEW, again: str | None = None) -> str:
    data = {"current_password": current, "new_password": new, "new_password_again": again or new}
    return client.post(URL, data).content.decode()


def test_change_keeps_this_session_and_ends_the_others() -> None:
    user = UserFactory()
    here, elsewhere = sign_in(Client(), user), sign_in(Client(), user)
    answer = here.post(
        URL, {"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW}
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("accounts:account")
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert here.get(reverse("accounts:account")).status_code == 200
    assert elsewhere.get(reverse("accounts:account")).status_code == 302  # back to sign-in
    event = AuditEvent.objects.get(object_type="accounts.User", reason="password changed")
    assert event.actor_id == user.pk and NEW not in str(event.changes)


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("not my password at all", NEW, None, "Your current password is not right"),
        (PASSWORD, NEW, "amber kettle drifting south", "The passwords do not match"),
        (PASSWORD, "short", None, "This password is too short"),
        (PASSWORD, "password1234", None, "This password is too common"),
        (PASSWORD, PASSWORD, None, "must be different from the current one"),
        (PASSWORD, "x" * 129, None, "128 characters or fewer"),
        ("", "", None, "Enter your current password"),
    ],
)
def test_bad_input_names_the_problem_and_changes_nothing(
    current: str, new: str, again: str | None, message: str
) -> None:
    user = UserFactory()
    page = _post(sign_in(Client(), user), current, new, again)
    assert "There is a problem" in page and message in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(reason="password changed").exists()


def test_an_account_without_a_local_password_cannot_set_one() -> None:
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client = sign_in(Client(), user)
    assert "changed there, not here" in client.get(URL).content.decode()
    assert "Change your password" not in client.get(reverse("accounts:account")).content.decode()
    _post(client, "", NEW)
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_signed_out_visitor_is_sent_to_sign_in() -> None:
    assert Client().get(URL).status_code == 302
