"""Scheme administrators' user pages: invite by email with a single-use link that expires, set
a role the organisation may hold, reset the security code, deactivate and reactivate. Each
change writes its audit row; a bad link or bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from diversion.accounts.models import IdentityProvider, Invitation, InvitationStatus, User
from diversion.accounts.tests.factories import PASSWORD
from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role

NEW_PASSWORD = "mauve tractor quietly sings"


def _invite(client: Client, scheme: Any, **overrides: Any) -> Any:
    data = {
        "full_name": "Ada Newcomer",
        "email": "Ada.Newcomer@example.org",
        "organisation": str(scheme.force_id),
        "role": Role.OFFICER,
        **overrides,
    }
    return client.post(reverse("accounts:user-invite"), data, follow=False)


def _token_from_last_email() -> str:
    body = str(mail.outbox[-1].body)
    match = re.search(r"http://testserver/invitation/([\w-]+)/", body)
    assert match, body
    return match.group(1)


def _audited(object_type: str, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type, action=action).order_by("pk"))


@pytest.mark.django_db
def test_an_invited_officer_sets_a_password_then_a_security_code_and_the_link_is_spent(
    scheme: Any, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(admin, scheme)
    user = User.objects.get(email="ada.newcomer@example.org")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:user-detail", args=[user.pk]
    )
    assert user.role == Role.OFFICER and user.organisation_id == scheme.force_id
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada.newcomer@example.org"]
    token = _token_from_last_email()
    invitation = Invitation.objects.get(user=user)
    assert token not in invitation.token_hash  # only the hash is stored
    assert _audited("accounts.User", "create") and _audited("accounts.Invitation", "create")
    listing = admin.get(reverse("accounts:user-list")).content.decode()
    assert "Ada Newcomer" in listing and "Invited" in listing

    invitee = Client()
    url = reverse("accounts:invitation", args=[token])
    assert invitee.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING  # opening the link changes nothing
    done = invitee.post(url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:set-up-second-factor")
    assert invitee.session[SESSION_KEY] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    used = _audited("accounts.Invitation", "update")
    assert used and used[0].actor_id == user.pk
    # The security-code step is the usual one, and nothing else opens before it.
    assert invitee.get(reverse("accounts:set-up-second-factor")).status_code == 200
    assert invitee.get(reverse("core:home"))["Location"] == reverse("accounts:second-factor")

    # Used twice: a clear page, nothing changed, the refusal audited.
    again = Client().post(url, {"password": "another long passphrase", "confirm": "x"})
    assert again.status_code == 410
    assert "expired or has already been used" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        action="sign_in_failed", reason="invitation: link accepted", object_id=str(user.pk)
    ).exists()


@pytest.mark.django_db
def test_an_expired_link_is_refused_and_sets_no_password(
    scheme: Any, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(Role.SCHEME_ADMIN, scheme), scheme)
    token = _token_from_last_email()
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    url = reverse("accounts:invitation", args=[token])
    assert Client().get(url).status_code == 410
    response = Client().post(url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    user = User.objects.get(email="ada.newcomer@example.org")
    assert not user.has_usable_password()
    assert Invitation.objects.get().status == InvitationStatus.PENDING
    assert AuditEvent.objects.filter(reason="invitation: link expired").count() == 2


@pytest.mark.django_db
def test_a_made_up_or_replaced_link_is_refused(
    scheme: Any, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    assert Client().get(reverse("accounts:invitation", args=["x" * 43])).status_code == 410
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, scheme)
    first = _token_from_last_email()
    user = User.objects.get(email="ada.newcomer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        resent = admin.post(
            reverse("accounts:user-detail", args=[user.pk]), {"action": "resend-invitation"}
        )
    assert resent.status_code == 302
    second = _token_from_last_email()
    assert first != second
    assert Client().get(reverse("accounts:invitation", args=[first])).status_code == 410
    assert Client().get(reverse("accounts:invitation", args=[second])).status_code == 200
    assert list(Invitation.objects.order_by("pk").values_list("status", flat=True)) == [
        InvitationStatus.WITHDRAWN,
        InvitationStatus.PENDING,
    ]


@pytest.mark.django_db
def test_a_weak_or_mismatched_password_is_an_error_and_the_link_still_works(
    scheme: Any, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, scheme)
    url = reverse("accounts:invitation", args=[_token_from_last_email()])
    weak = Client().post(url, {"password": "password123", "confirm": "password123"})
    assert weak.status_code == 400 and "govuk-error-summary" in weak.content.decode()
    mismatch = Client().post(url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
    assert "The passwords are not the same" in mismatch.content.decode()
    assert Invitation.objects.get().status == InvitationStatus.PENDING
    assert not User.objects.get(email="ada.newcomer@example.org").has_usable_password()


@pytest.mark.django_db
def test_an_invitee_of_an_sso_organisation_is_sent_to_their_provider_and_has_no_password(
    scheme: Any, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    IdentityProvider.objects.create(
        organisation=scheme.force,
        display_name="West Midlands Police",
        issuer="https://login.example/tenant/v2.0",
        client_id="diversion",
        client_secret="s3cret",
        authorization_endpoint="https://login.example/authorize",
        token_endpoint="https://login.example/token",
        jwks_uri="https://login.example/keys",
    )
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, scheme)
    assert "signs you in with your own account" in mail.outbox[-1].body
    url = reverse("accounts:invitation", args=[_token_from_last_email()])
    invitee = Client()
    page = invitee.get(url)
    assert "Sign in with West Midlands Police" in page.content.decode()
    assert "https://login.example" in page["Content-Security-Policy"]
    # A password cannot be set for someone whose organisation signs in at its provider.
    response = invitee.post(url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("https://login.example/authorize?")
    assert "login_hint=ada.newcomer%40example.org" in response["Location"]
    assert not User.objects.get(email="ada.newcomer@example.org").has_usable_password()
    assert Invitation.objects.get().status == InvitationStatus.ACCEPTED
    assert Client().get(url).status_code == 410


@pytest.mark.django_db
def test_a_duplicate_email_or_a_role_the_organisation_may_not_hold_saves_nothing(
    scheme: Any, client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    existing = make_user(Role.WORKER, scheme, email="taken@example.org")
    before = (User.objects.count(), Invitation.objects.count(), AuditEvent.objects.count())
    duplicate = _invite(admin, scheme, email="TAKEN@example.org")
    assert duplicate.status_code == 400
    assert "A user with this email address already exists" in duplicate.content.decode()
    wrong_role = _invite(admin, scheme, role=Role.WORKER)  # a force holds no workers
    assert wrong_role.status_code == 400
    assert "cannot belong to a police force" in wrong_role.content.decode()
    foreign = _invite(admin, scheme, organisation="999999")
    assert foreign.status_code == 400
    assert (User.objects.count(), Invitation.objects.count()) == before[:2]
    assert not mail.outbox
    assert User.objects.get(pk=existing.pk).role == Role.WORKER


@pytest.mark.django_db
def test_an_administrator_sets_a_role_only_one_the_organisation_may_hold(
    scheme: Any, client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    officer = make_user(Role.OFFICER, scheme)
    url = reverse("accounts:user-detail", args=[officer.pk])
    assert admin.post(url, {"action": "role", "role": Role.POLICE_SUPERVISOR}).status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.POLICE_SUPERVISOR
    (row,) = _audited("accounts.User", "update")
    assert row.changes == {"role": [Role.OFFICER, Role.POLICE_SUPERVISOR]}
    refused = admin.post(url, {"action": "role", "role": Role.WORKER})
    assert (
        refused.status_code == 400 and "cannot belong to a police force" in refused.content.decode()
    )
    officer.refresh_from_db()
    assert officer.role == Role.POLICE_SUPERVISOR
    assert len(_audited("accounts.User", "update")) == 1


@pytest.mark.django_db
def test_resetting_the_security_code_removes_the_authenticator_and_backup_codes(
    scheme: Any, client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    worker = make_user(Role.WORKER, scheme)
    backup = StaticDevice.objects.create(user=worker, name="Backup codes")
    StaticToken.objects.create(device=backup, token="12345678")
    url = reverse("accounts:user-detail", args=[worker.pk])
    assert admin.post(url, {"action": "reset-second-factor"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not StaticDevice.objects.filter(user=worker).exists()
    (row,) = _audited("accounts.User", "update")
    assert row.changes == {"second_factor": "reset", "devices_removed": 2}
    # Their password still opens the first step, and leads to setting up a new authenticator.
    again = Client()
    signed = again.post(reverse("accounts:sign-in"), {"email": worker.email, "password": PASSWORD})
    assert signed["Location"] == reverse("accounts:set-up-second-factor")


@pytest.mark.django_db
def test_a_deactivated_user_cannot_sign_in_until_reactivated_and_an_admin_cannot_lock_themself_out(
    scheme: Any, client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    admin_user = make_user(Role.SCHEME_ADMIN, scheme)
    admin = sign_in(Client(), admin_user)
    worker = make_user(Role.WORKER, scheme)
    session = sign_in(Client(), worker)
    assert session.get(reverse("core:home")).status_code == 200
    url = reverse("accounts:user-detail", args=[worker.pk])
    assert admin.post(url, {"action": "deactivate"}).status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    assert session.get(reverse("core:home")).status_code == 302  # their session is over
    refused = Client().post(
        reverse("accounts:sign-in"), {"email": worker.email, "password": PASSWORD}
    )
    assert (
        refused.status_code == 200 and "Enter a correct email address" in refused.content.decode()
    )
    assert admin.post(url, {"action": "reactivate"}).status_code == 302
    worker.refresh_from_db()
    assert worker.is_active
    changes = [e.changes for e in _audited("accounts.User", "update")]
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]
    own = admin.post(
        reverse("accounts:user-detail", args=[admin_user.pk]), {"action": "deactivate"}
    )
    assert own.status_code == 400 and "cannot deactivate your own account" in own.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.django_db
def test_an_administrator_cannot_act_on_a_user_outside_their_schemes(
    scheme: Any, other_scheme: Any, client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    stranger = make_user(Role.OFFICER, other_scheme)
    url = reverse("accounts:user-detail", args=[stranger.pk])
    for action in ("deactivate", "reset-second-factor", "resend-invitation"):
        assert admin.post(url, {"action": action}).status_code == 404
    assert admin.post(url, {"action": "role", "role": Role.POLICE_SUPERVISOR}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active and stranger.role == Role.OFFICER
    assert TOTPDevice.objects.filter(user=stranger).exists()
    invited = _invite(admin, scheme, organisation=str(other_scheme.force_id))
    assert invited.status_code == 400
    assert not User.objects.filter(email="ada.newcomer@example.org").exists()


@pytest.mark.django_db
def test_a_user_number_no_database_holds_is_not_found_rather_than_an_error(
    scheme: Any, client_for: Callable[..., Client]
) -> None:
    admin = client_for(Role.SCHEME_ADMIN, scheme)
    for pk in (2**63, 10**30):
        assert admin.get(f"/users/{pk}/").status_code == 404
        assert admin.post(f"/users/{pk}/", {"action": "deactivate"}).status_code == 404
