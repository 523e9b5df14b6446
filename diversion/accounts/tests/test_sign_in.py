from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from diversion.accounts.middleware import LAST_SEEN
from diversion.accounts.tests.factories import PASSWORD
from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role

SIGN_IN = reverse("accounts:sign-in")
CODE = reverse("accounts:second-factor")
SET_UP = reverse("accounts:set-up-second-factor")


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def worker(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.WORKER, scheme)


@pytest.mark.django_db
def test_a_user_signs_in_with_password_then_security_code(worker: Any) -> None:
    client = Client()
    response = client.post(SIGN_IN, {"email": worker.email.upper(), "password": PASSWORD})
    assert response["Location"] == CODE
    assert client.get(reverse("core:home"))["Location"] == CODE  # not yet verified
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(CODE, {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="sign_in", object_id=str(worker.pk)).count() == 1


@pytest.mark.django_db
def test_a_wrong_password_gets_one_message_that_does_not_say_which_part_was_wrong(
    worker: Any,
) -> None:
    response = Client().post(SIGN_IN, {"email": worker.email, "password": "wrong password"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": "x"}, "Enter your email address"),
        (
            {"email": "not-an-email", "password": "x"},
            "Enter an email address in the correct format",
        ),
        ({"email": "a@b.org", "password": ""}, "Enter your password"),
    ],
)
def test_missing_or_malformed_sign_in_details_get_specific_messages(
    data: dict[str, str], message: str
) -> None:
    response = Client().post(SIGN_IN, data)
    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()


@pytest.mark.django_db
def test_an_account_is_locked_after_repeated_wrong_passwords(worker: Any, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"email": worker.email, "password": "wrong password"})
    response = client.post(SIGN_IN, {"email": worker.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="locked_out").exists()


@pytest.mark.django_db
def test_a_wrong_security_code_is_refused(worker: Any) -> None:
    client = Client()
    client.post(SIGN_IN, {"email": worker.email, "password": PASSWORD})
    device = TOTPDevice.objects.get(user=worker)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert "The security code is not correct or has expired" in response.content.decode()
    assert client.get(reverse("core:home"))["Location"] == CODE


@pytest.mark.django_db
def test_a_new_user_sets_up_an_authenticator_and_gets_backup_codes_that_work_once(
    scheme: Any, make_user: Any
) -> None:
    user = make_user(Role.OFFICER, scheme, authenticator=False)
    client = Client()
    assert client.post(SIGN_IN, {"email": user.email, "password": PASSWORD})["Location"] == SET_UP
    page = client.get(SET_UP)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SET_UP, {"code": current_code(device)})
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed

    again = Client()
    again.post(SIGN_IN, {"email": user.email, "password": PASSWORD})
    assert again.post(CODE, {"code": codes[0]}).status_code == 302
    assert again.get(reverse("core:home")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()  # used up


@pytest.mark.django_db
def test_a_user_is_signed_out_after_the_idle_time_out(worker: Any, settings: Any) -> None:
    client = sign_in(Client(), worker)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session
    follow = client.get(SIGN_IN)
    assert "signed out because you were inactive for 30 minutes" in follow.content.decode()


@pytest.mark.django_db
def test_signing_out_ends_the_session_and_is_audited(worker: Any) -> None:
    client = sign_in(Client(), worker)
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == SIGN_IN
    assert client.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(action="sign_out", object_id=str(worker.pk)).exists()


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_outside_tests(settings: Any, worker: Any) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    worker.set_password("a fresh password for this test")
    assert identify_hasher(worker.password).algorithm == "argon2"


@pytest.mark.django_db
def test_a_sign_in_never_redirects_to_another_site(worker: Any) -> None:
    client = Client()
    client.post(
        f"{SIGN_IN}?next=https://evil.example/", {"email": worker.email, "password": PASSWORD}
    )
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(CODE, {"code": current_code(device)})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_demo_sign_in_page_shows_demo_codes_only_in_demo_mode(settings: Any) -> None:
    from diversion.demo.accounts import create_accounts
    from diversion.demo.schemes import create_schemes

    create_schemes()
    create_accounts()
    settings.DEMO_MODE = False
    assert "Demo accounts" not in Client().get(SIGN_IN).content.decode()
    settings.DEMO_MODE = True
    page = Client().get(SIGN_IN)
    rows = page.context["demo_sign_ins"]
    assert {row["user"].role for row in rows} == set(Role.values)
    officer = next(row for row in rows if row["user"].email.startswith("officer@"))
    client = Client()
    client.post(SIGN_IN, {"email": officer["user"].email, "password": settings.DEMO_PASSWORD})
    assert client.post(CODE, {"code": officer["code"]}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_the_session_is_not_rewritten_on_every_request(worker: Any) -> None:
    client = sign_in(Client(), worker)
    client.get(reverse("core:home"))
    first = client.session[LAST_SEEN]
    client.get(reverse("core:home"))
    assert client.session[LAST_SEEN] == first
