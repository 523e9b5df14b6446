"""The two legs of a sign-in at a provider: sending the person there (`sso_start`), and checking
what comes back (`sso_finish`). The pending request (state, nonce, PKCE verifier) lives in the
person's session between the two and is used once: a replayed `state` finds nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from diversion.accounts import oidc, sso
from diversion.accounts.middleware import PROVIDER_SIGN_IN
from diversion.accounts.models import IdentityProvider

PENDING = "sso_pending"
SIGNED_IN = PROVIDER_SIGN_IN  # the provider and its tokens' expiry, for single logout
PENDING_MAX = 5  # sign-ins started in other tabs and not finished
PENDING_SECONDS = 600


def sso_start(
    *, session: Any, provider: IdentityProvider, redirect_uri: str, login_hint: str, next_url: str
) -> str:
    """The provider's authorization address; the request is remembered in `session`."""
    request = oidc.authorization_request(
        authorization_endpoint=provider.authorization_endpoint,
        client_id=provider.client_id,
        scopes=provider.scopes,
        redirect_uri=redirect_uri,
        login_hint=login_hint,
    )
    pending = {
        state: entry
        for state, entry in dict(session.get(PENDING, {})).items()
        if time.time() - entry["at"] < PENDING_SECONDS
    }
    while len(pending) >= PENDING_MAX:
        pending.pop(min(pending, key=lambda s: pending[s]["at"]))
    pending[request.state] = {
        "provider": provider.pk,
        "nonce": request.nonce,
        "verifier": request.code_verifier,
        "next": next_url,
        "at": time.time(),
    }
    session[PENDING] = pending
    return request.url


@dataclass(frozen=True)
class Finished:
    outcome: sso.SignInOutcome
    provider: IdentityProvider | None
    id_token: str = ""
    expires_at: float = 0.0
    next_url: str = "/"
    provider_down: bool = False


def _refuse(
    provider: IdentityProvider | None, reason: str, *, refusal: str = "", down: bool = False
) -> Finished:
    with transaction.atomic():
        sso.sign_in_refused_record(
            organisation=provider.organisation if provider else None, user=None, reason=reason
        )
    text = refusal or "The answer from your organisation's sign-in service could not be trusted."
    return Finished(
        outcome=sso.SignInOutcome(user=None, refusal=text, reason=reason),
        provider=provider,
        provider_down=down,
    )


def sso_finish(*, session: Any, params: dict[str, str], redirect_uri: str) -> Finished:
    """Check the provider's answer (the callback's query) and sign the person in, or refuse.
    Every refusal has an audit row."""
    state = params.get("state", "")
    pending = dict(session.get(PENDING, {}))
    entry = pending.pop(state, None) if state else None
    session[PENDING] = pending
    if entry is None or time.time() - entry["at"] >= PENDING_SECONDS:
        return _refuse(
            None,
            "unknown, used or expired state",
            refusal="This sign-in link has already been used or has expired. Start again.",
        )
    provider = (
        IdentityProvider.objects.select_related("organisation")
        .filter(pk=entry["provider"], is_active=True)
        .first()
    )
    if provider is None:
        return _refuse(None, "provider no longer active")
    if params.get("error"):
        error = params["error"][:60]
        return _refuse(
            provider,
            f"the provider answered {error}",
            refusal="Your organisation's sign-in service did not sign you in.",
        )
    if params.get("iss") and params["iss"] != provider.issuer:
        return _refuse(provider, "the answer came from another issuer (iss)")
    code = params.get("code", "")
    if not code:
        return _refuse(provider, "no code in the answer")
    try:
        token = oidc.code_exchange(
            token_endpoint=provider.token_endpoint,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            auth_method=provider.token_auth_method,
            code=code,
            code_verifier=entry["verifier"],
            redirect_uri=redirect_uri,
        )
        id_token = token["id_token"]
        keys = sso.provider_keys(provider=provider, kid=oidc.token_key_id(id_token))
        claims = oidc.id_token_claims(
            id_token=id_token,
            jwks=keys,
            issuer=provider.issuer,
            client_id=provider.client_id,
            nonce=entry["nonce"],
            access_token=token.get("access_token"),
        )
    except oidc.TokenRefused as error:
        return _refuse(provider, error.reason)
    except oidc.ProviderError as error:
        return _refuse(
            provider,
            f"provider unreachable: {error}",
            refusal="Your organisation's sign-in service did not answer. Try again in a few "
            "minutes.",
            down=True,
        )
    outcome = sso.provider_sign_in(identity_provider=provider, claims=claims)
    expires_at = float(claims["exp"])
    if token.get("expires_in"):
        expires_at = min(expires_at, time.time() + float(token["expires_in"]))
    return Finished(
        outcome=outcome,
        provider=provider,
        id_token=id_token,
        expires_at=expires_at,
        next_url=entry["next"],
    )
