"""Signing in at an organisation's OpenID provider, over real HTTP to a provider on loopback
(tests/loopback_provider.py): what our callback accepts, and every ID token it must refuse, each
with a clear page and an audit row."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diversion.accounts import sso
from diversion.accounts.middleware import PROVIDER_SIGN_IN
from diversion.accounts.models import GroupRole, IdentityProvider, ProviderIdentity, User
from diversion.accounts.tests.factories import PASSWORD, UserFactory
from diversion.accounts.tests.loopback_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    Grant,
    LoopbackProvider,
    rsa_key,
)
from diversion.audit.models import AuditAction, AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role

SIGN_IN = reverse("accounts:sign-in")
CALLBACK = reverse("accounts:sso-callback")
OFFICERS = "WMP-Diversion-Officers"
SUPERVISORS = "WMP-Diversion-Supervisors"


@pytest.fixture
def op() -> Iterator[LoopbackProvider]:
    provider = LoopbackProvider(jwks_keys=[rsa_key("key-1")]).start()
    yield provider
    provider.stop()


@pytest.fixture
def idp(op: LoopbackProvider, scheme: Any) -> IdentityProvider:
    provider = sso.identity_provider_save(
        actor=SYSTEM,
        organisation=scheme.force,
        display_name="West Midlands Police",
        issuer=op.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains=["wmp.example"],
    )
    sso.group_role_save(actor=SYSTEM, identity_provider=provider, group=OFFICERS, role=Role.OFFICER)
    sso.group_role_save(
        actor=SYSTEM, identity_provider=provider, group=SUPERVISORS, role=Role.POLICE_SUPERVISOR
    )
    return provider


def _start(client: Client, email: str = "olive@wmp.example") -> dict[str, str]:
    response = client.post(SIGN_IN, {"email": email})
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    return {k: v[0] for k, v in parse_qs(location.query).items()} | {"path": location.path}


def _sign_in(
    client: Client,
    op: LoopbackProvider,
    *,
    groups: list[str] | None = None,
    key: Any = None,
    sub: str = "subject-olive",
    start_email: str = "olive@wmp.example",
    **claims: Any,
) -> Any:
    """One whole sign-in: our redirect to the provider, the provider's answer, our callback."""
    request = _start(client, start_email)
    token_claims = op.claims(
        nonce=request["nonce"],
        sub=sub,
        email="olive@wmp.example",
        groups=[OFFICERS] if groups is None else groups,
    )
    token_claims.update(claims)
    token = op.mint(key or op.jwks_keys[0], token_claims)
    op.grants["the-code"] = Grant(challenge=request["code_challenge"], id_token=token)
    return client.get(CALLBACK, {"code": "the-code", "state": request["state"]})


def _last_refusal() -> AuditEvent:
    return AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).order_by("-pk").first()


# --- The authorization request -------------------------------------------------------------


@pytest.mark.django_db
def test_an_address_of_the_forces_domain_goes_to_its_provider_with_pkce_state_and_nonce(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    request = _start(Client())
    assert request["path"] == "/auth"
    assert request["client_id"] == CLIENT_ID
    assert request["response_type"] == "code"
    assert request["code_challenge_method"] == "S256"
    assert request["scope"] == "openid email profile"
    assert request["login_hint"] == "olive@wmp.example"
    assert request["redirect_uri"] == "http://testserver/sign-in/provider/callback/"
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32
    assert request["state"] != _start(Client())["state"]


@pytest.mark.django_db
def test_other_addresses_get_the_password_step_and_a_password_is_never_checked_for_sso(
    idp: IdentityProvider, scheme: Any
) -> None:
    page = Client().post(SIGN_IN, {"email": "worker@provider.example"})
    assert page.status_code == 200
    assert b'name="password"' in page.content
    # A local account of the force (made before its provider) goes to the provider too.
    local = UserFactory(email="old@elsewhere.example", organisation=scheme.force)
    sent = Client().post(SIGN_IN, {"email": local.email, "password": PASSWORD})
    assert sent.status_code == 302 and sent["Location"].startswith(f"{idp.issuer}/auth?")


# --- First sign-in, roles from groups, leavers ---------------------------------------------


@pytest.mark.django_db
def test_the_first_sign_in_creates_the_officer_with_the_mapped_role(
    idp: IdentityProvider, op: LoopbackProvider, scheme: Any
) -> None:
    client = Client()
    response = _sign_in(client, op)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="olive@wmp.example")
    assert (user.role, user.organisation, user.is_active) == (Role.OFFICER, scheme.force, True)
    assert not user.has_usable_password()
    assert ProviderIdentity.objects.get(user=user).subject == "subject-olive"
    assert client.get("/").status_code == 200  # signed in with both factors
    actions = set(
        AuditEvent.objects.filter(object_type="accounts.User", object_id=str(user.pk)).values_list(
            "action", flat=True
        )
    )
    assert {AuditAction.CREATE, AuditAction.SIGN_IN} <= actions
    # The token request proved the PKCE verifier (checked by the provider against the challenge).
    assert op.token_requests[-1]["form"]["grant_type"] == "authorization_code"
    assert len(op.token_requests[-1]["form"]["code_verifier"]) >= 43


@pytest.mark.django_db
def test_a_changed_group_changes_the_role_at_the_next_sign_in(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    _sign_in(Client(), op)
    user = User.objects.get(email="olive@wmp.example")
    _sign_in(Client(), op, groups=[OFFICERS, SUPERVISORS, "Some-Other-Group"])
    user.refresh_from_db()
    assert user.role == Role.POLICE_SUPERVISOR
    change = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="accounts.User", object_id=str(user.pk)
    ).get()
    assert change.changes == {"role": [Role.OFFICER, Role.POLICE_SUPERVISOR]}
    assert User.objects.filter(email="olive@wmp.example").count() == 1


@pytest.mark.django_db
def test_a_removed_group_refuses_sign_in_and_deactivates_the_account(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    _sign_in(Client(), op)
    client = Client()
    response = _sign_in(client, op, groups=["Payroll"])
    assert response.status_code == 403
    assert b"has not given you access to Diversion" in response.content
    user = User.objects.get(email="olive@wmp.example")
    assert user.is_active is False
    assert "no group maps to a role" in _last_refusal().reason
    assert client.get("/").status_code == 302  # not signed in
    # Their history stays: the audit rows still name them.
    assert AuditEvent.objects.filter(actor=user).exists()
    # Back in the group at the provider: active again, audited.
    assert _sign_in(Client(), op).status_code == 302
    user.refresh_from_db()
    assert user.is_active is True


@pytest.mark.django_db
def test_someone_in_no_mapped_group_is_not_created(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    response = _sign_in(Client(), op, groups=[])
    assert response.status_code == 403
    assert not User.objects.filter(email="olive@wmp.example").exists()
    assert "groups: none" in _last_refusal().reason


@pytest.mark.django_db
def test_an_address_of_another_organisations_account_is_refused(
    idp: IdentityProvider, op: LoopbackProvider, other_scheme: Any
) -> None:
    UserFactory(email="olive@wmp.example", organisation=other_scheme.force)
    # Sent to the force's provider under one address, which vouches for another.
    response = _sign_in(Client(), op, start_email="o.officer@wmp.example")
    assert response.status_code == 403
    assert "another organisation" in _last_refusal().reason


# --- ID tokens that must be refused --------------------------------------------------------


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    return ".".join([header, flipped, signature])


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("wrong nonce", "nonce"),
        ("wrong audience", "aud"),
        ("wrong issuer", "iss"),
        ("expired beyond the allowed skew", "expired"),
        ("issued in the future", "iat"),
        ("tampered", "signature"),
    ],
)
@pytest.mark.django_db
def test_a_bad_id_token_is_refused_with_a_page_and_an_audit_row(
    idp: IdentityProvider, op: LoopbackProvider, case: str, reason: str
) -> None:
    client = Client()
    request = _start(client)
    now = int(time.time())
    claims = op.claims(
        nonce=request["nonce"], sub="s", email="olive@wmp.example", groups=[OFFICERS]
    )
    if case == "wrong nonce":
        claims["nonce"] = "another-nonce"
    elif case == "wrong audience":
        claims["aud"] = "some-other-client"
    elif case == "wrong issuer":
        claims["iss"] = "http://127.0.0.1:1"
    elif case == "expired beyond the allowed skew":
        claims["exp"], claims["iat"] = now - 61, now - 700
    elif case == "issued in the future":
        claims["iat"] = now + 3600
    token = op.mint(op.jwks_keys[0], claims)
    if case == "tampered":
        token = _tampered(token)
    op.grants["code"] = Grant(challenge=request["code_challenge"], id_token=token)
    before = AuditEvent.objects.count()
    response = client.get(CALLBACK, {"code": "code", "state": request["state"]})
    assert response.status_code == 403
    assert b"You could not be signed in" in response.content
    assert b"could not be trusted" in response.content
    assert reason in _last_refusal().reason
    assert AuditEvent.objects.count() == before + 1
    assert not User.objects.filter(email="olive@wmp.example").exists()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_token_expired_within_the_allowed_skew_is_accepted(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    now = int(time.time())
    assert _sign_in(Client(), op, exp=now - 30, iat=now - 600).status_code == 302


@pytest.mark.django_db
def test_unsigned_and_shared_key_tokens_are_refused(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    from joserfc import jwt
    from joserfc.jwk import OctKey

    for alg, key in (("HS256", OctKey.import_key(b"x" * 32)), ("none", None)):
        client = Client()
        request = _start(client)
        claims = op.claims(
            nonce=request["nonce"], sub="s", email="olive@wmp.example", groups=[OFFICERS]
        )
        if alg == "none":
            token = op.mint(op.jwks_keys[0], claims).rsplit(".", 1)[0] + "."
        else:
            token = jwt.encode({"alg": alg, "kid": "key-1"}, claims, key)
        op.grants["code"] = Grant(challenge=request["code_challenge"], id_token=token)
        response = client.get(CALLBACK, {"code": "code", "state": request["state"]})
        assert response.status_code == 403, alg
    assert not User.objects.filter(email="olive@wmp.example").exists()


@pytest.mark.django_db
def test_a_code_the_provider_refuses_is_refused_here_too(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    client = Client()
    request = _start(client)
    # No grant for this code at the provider (or a verifier that does not match): invalid_grant.
    op.grants["code"] = Grant(challenge="not-the-challenge", id_token="x.y.z")
    response = client.get(CALLBACK, {"code": "code", "state": request["state"]})
    assert response.status_code == 403
    assert "the provider refused the code (invalid_grant)" in _last_refusal().reason
    # A wrong client secret: invalid_client.
    idp.client_secret = "wrong"
    idp.save()
    request = _start(client)
    response = client.get(CALLBACK, {"code": "code", "state": request["state"]})
    assert response.status_code == 403
    assert "invalid_client" in _last_refusal().reason


@pytest.mark.django_db
def test_a_replayed_state_is_refused(idp: IdentityProvider, op: LoopbackProvider) -> None:
    client = Client()
    request = _start(client)
    claims = op.claims(
        nonce=request["nonce"], sub="s", email="olive@wmp.example", groups=[OFFICERS]
    )
    op.grants["code"] = Grant(
        challenge=request["code_challenge"], id_token=op.mint(op.jwks_keys[0], claims)
    )
    assert client.get(CALLBACK, {"code": "code", "state": request["state"]}).status_code == 302
    replay = client.get(CALLBACK, {"code": "code", "state": request["state"]})
    assert replay.status_code == 403
    assert b"already been used or has expired" in replay.content
    assert "state" in _last_refusal().reason
    # Nor does a state from another browser's session work in this one.
    other = Client()
    foreign = _start(other)
    assert client.get(CALLBACK, {"code": "x", "state": foreign["state"]}).status_code == 403


@pytest.mark.django_db
def test_a_token_signed_with_a_key_not_in_the_jwks_is_refused_and_refetches_are_limited(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    # As if the keys were fetched long ago: an unknown key is worth one fresh look.
    IdentityProvider.objects.filter(pk=idp.pk).update(
        jwks_fetched_at=timezone.now() - dt.timedelta(minutes=5)
    )
    hits = op.jwks_hits
    stranger = rsa_key("not-published")
    assert _sign_in(Client(), op, key=stranger).status_code == 403
    assert "not in the provider's key set (not-published)" in _last_refusal().reason
    assert op.jwks_hits == hits + 1
    # Within OIDC_JWKS_REFETCH_SECONDS another unknown key does not make the keys fetched again.
    assert _sign_in(Client(), op, key=rsa_key("another")).status_code == 403
    assert op.jwks_hits == hits + 1


@pytest.mark.django_db
def test_key_rotation_at_the_provider_works_without_a_restart(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    assert _sign_in(Client(), op).status_code == 302
    new_key = rsa_key("key-2")
    op.jwks_keys = [new_key]  # the provider rotates: the old key is withdrawn
    IdentityProvider.objects.filter(pk=idp.pk).update(
        jwks_fetched_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert _sign_in(Client(), op, key=new_key).status_code == 302
    idp.refresh_from_db()
    assert [key["kid"] for key in idp.jwks["keys"]] == ["key-2"]


# --- Setting a provider up ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_client_secret_is_encrypted_at_rest_and_masked_in_the_audit_log(
    idp: IdentityProvider,
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_secret FROM accounts_identityprovider WHERE id = %s", [idp.pk]
        )
        stored = cursor.fetchone()[0]
    assert CLIENT_SECRET not in stored and stored.startswith("gAAAA")
    assert IdentityProvider.objects.get(pk=idp.pk).client_secret == CLIENT_SECRET
    created = AuditEvent.objects.get(object_type="accounts.IdentityProvider", action="create")
    assert created.changes["client_secret"] == "[redacted]"
    assert CLIENT_SECRET not in str(created.changes)


def _save(scheme: Any, issuer: str) -> IdentityProvider:
    return sso.identity_provider_save(
        actor=SYSTEM,
        organisation=scheme.force,
        display_name="West Midlands Police",
        issuer=issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains=["wmp.example"],
    )


@pytest.mark.django_db
def test_an_issuer_that_does_not_answer_is_refused_and_nothing_is_saved(scheme: Any) -> None:
    op = LoopbackProvider().start()
    issuer = op.issuer
    op.stop()  # nobody listens on that port now
    with pytest.raises(ValidationError) as refused:
        _save(scheme, issuer)
    assert "did not answer" in str(refused.value)
    assert not IdentityProvider.objects.exists()
    assert not AuditEvent.objects.filter(object_type="accounts.IdentityProvider").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("keys", ["missing", "empty"])
def test_an_issuer_with_no_usable_jwks_is_refused_and_nothing_is_saved(
    scheme: Any, keys: str
) -> None:
    op = LoopbackProvider(jwks_keys=[]).start()
    op.serve_jwks = keys != "missing"
    try:
        with pytest.raises(ValidationError) as refused:
            _save(scheme, op.issuer)
    finally:
        op.stop()
    assert ("answered 404" if keys == "missing" else "no public signing key") in str(refused.value)
    assert not IdentityProvider.objects.exists()


@pytest.mark.django_db
def test_a_discovery_document_naming_another_issuer_is_refused(
    scheme: Any, op: LoopbackProvider
) -> None:
    with pytest.raises(ValidationError, match="names the issuer"):
        _save(scheme, op.issuer + "/")
    assert not IdentityProvider.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.WORKER, Role.ANALYST, Role.EVALUATOR, Role.FACILITATOR])
def test_a_group_mapped_to_a_role_the_organisation_may_not_hold_is_refused(
    idp: IdentityProvider, role: str
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="cannot belong to a police force"):
        sso.group_role_save(actor=SYSTEM, identity_provider=idp, group="WMP-Workers", role=role)
    assert not GroupRole.objects.filter(group="WMP-Workers").exists()
    assert AuditEvent.objects.count() == before


# --- The session and single logout ----------------------------------------------------------


@pytest.mark.django_db
def test_the_session_ends_when_the_providers_token_expired_longer_ago_than_the_idle_time_out(
    idp: IdentityProvider, op: LoopbackProvider, settings: Any
) -> None:
    client = Client()
    _sign_in(client, op)
    assert client.get("/").status_code == 200
    session = client.session
    session[PROVIDER_SIGN_IN] = {
        **session[PROVIDER_SIGN_IN],
        "expires_at": time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS + 60,
    }
    session.save()
    assert client.get("/").status_code == 200  # expired, but within the idle time-out
    session = client.session
    session[PROVIDER_SIGN_IN]["expires_at"] = (
        time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS - 1
    )
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_signing_out_signs_out_at_the_provider_too(
    idp: IdentityProvider, op: LoopbackProvider
) -> None:
    client = Client()
    _sign_in(client, op)
    response = client.post(reverse("accounts:sign-out"))
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{op.issuer}/session/end"
    assert query["post_logout_redirect_uri"] == ["http://testserver/sign-out/done/"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["id_token_hint"][0].count(".") == 2
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).exists()


# --- The command line -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_connects_a_force_and_maps_groups_refusing_a_role_it_may_not_hold(
    op: LoopbackProvider, scheme: Any, monkeypatch: Any
) -> None:
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("OIDC_CLIENT_SECRET", CLIENT_SECRET)
    call_command(
        "identity_provider",
        scheme.force.name,
        f"--issuer={op.issuer}",
        f"--client-id={CLIENT_ID}",
        "--domain=wmp.example",
        f"--group={OFFICERS}=officer",
    )
    provider = IdentityProvider.objects.get(organisation=scheme.force)
    assert provider.client_secret == CLIENT_SECRET
    assert list(provider.group_roles.values_list("group", "role")) == [(OFFICERS, "officer")]
    with pytest.raises(CommandError, match="cannot belong to a police force"):
        call_command("identity_provider", scheme.force.name, "--group=WMP-Workers=worker")
    assert provider.group_roles.count() == 1
