"""OpenID Connect, the relying party's half: discovery, the authorization request (code flow with
PKCE, `state` and `nonce`), the code exchange and the ID token's checks.

The protocol is Authlib's (`OAuth2Session`: PKCE, client authentication, the token request) and
joserfc's (signatures, JWK sets), with Authlib's `CodeIDToken` for the claims: issuer, audience,
authorized party, expiry, issued-at, nonce and the access token's hash. Nothing here writes to
the database; `sso.py` keeps the provider's keys and decides who is signed in.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

# Asymmetric signatures only: never "none", never a key shared with the client (HS256).
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


class ProviderError(Exception):
    """The provider could not be used: it did not answer, or answered something unusable. The
    message is for the person (or administrator) reading the page."""


class TokenRefused(Exception):
    """The provider's answer to a sign-in failed a check; `reason` goes to the audit log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownKey(TokenRefused):
    """The ID token names a signing key the provider's key set does not (yet) hold."""

    def __init__(self, kid: str | None) -> None:
        super().__init__(f"signed with a key not in the provider's key set ({kid or 'no kid'})")
        self.kid = kid


@dataclass(frozen=True)
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    token_auth_method: str


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_check(url: str, *, what: str) -> None:
    """HTTPS, or plain HTTP to this machine outside production (the loopback test provider)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    loopback = parts.scheme == "http" and parts.hostname and _loopback(parts.hostname)
    if loopback and not settings.PRODUCTION:
        return
    raise ProviderError(f"The {what} must be an https:// address")


def _get_json(url: str, *, what: str) -> dict[str, Any]:
    try:
        response = requests.get(
            url, timeout=settings.OIDC_HTTP_TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as error:
        raise ProviderError(
            f"The {what} at {url} did not answer ({type(error).__name__})"
        ) from error
    if response.status_code != 200:
        raise ProviderError(f"The {what} at {url} answered {response.status_code}, not 200")
    try:
        body = response.json()
    except ValueError as error:
        raise ProviderError(f"The {what} at {url} did not send JSON") from error
    if not isinstance(body, dict):
        raise ProviderError(f"The {what} at {url} did not send a JSON object")
    return body


def discover(issuer: str) -> Discovery:
    """The provider's endpoints from its discovery document, which must name the same issuer."""
    url_check(issuer, what="issuer")
    document = _get_json(
        issuer.rstrip("/") + "/.well-known/openid-configuration", what="discovery document"
    )
    if document.get("issuer") != issuer:
        raise ProviderError(
            f"The discovery document names the issuer {document.get('issuer')!r}, not {issuer!r}"
        )
    endpoints = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = document.get(name)
        if not isinstance(value, str) or not value:
            raise ProviderError(f"The discovery document has no {name}")
        url_check(value, what=name.replace("_", " "))
        endpoints[name] = value
    end_session = document.get("end_session_endpoint") or ""
    if end_session:
        url_check(end_session, what="end session endpoint")
    supported = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    method = next((m for m in CLIENT_AUTH_METHODS if m in supported), None)
    if method is None:
        raise ProviderError("The provider supports neither client_secret_basic nor _post")
    return Discovery(
        issuer=issuer,
        end_session_endpoint=end_session,
        token_auth_method=method,
        **endpoints,
    )


def jwks_fetch(jwks_uri: str) -> dict[str, Any]:
    """The provider's public signing keys; refuses a set with none usable for signatures."""
    document = _get_json(jwks_uri, what="key set (JWKS)")
    if not document.get("keys"):
        raise ProviderError(f"The key set at {jwks_uri} holds no public signing key")
    try:
        keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise ProviderError(f"The key set at {jwks_uri} is not a valid JWK set") from error
    signing = [
        key.as_dict(private=False)
        for key in keys.keys
        if key.get("use") in (None, "sig") and not key.is_private and key.key_type != "oct"
    ]
    if not signing:
        raise ProviderError(f"The key set at {jwks_uri} holds no public signing key")
    return {"keys": signing}


def token_key_id(id_token: str) -> str | None:
    """The `kid` the token says it was signed with (read before the signature is checked)."""
    try:
        header = jws.extract_compact(id_token.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeEncodeError) as error:
        raise TokenRefused("the ID token is not a signed JWT") from error
    kid = header.get("kid")
    return str(kid) if kid is not None else None


def keys_hold(jwks: dict[str, Any], kid: str | None) -> bool:
    keys = jwks.get("keys") or []
    if kid is None:
        return len(keys) == 1
    return any(key.get("kid") == kid for key in keys)


def authorization_request(
    *, authorization_endpoint: str, client_id: str, scopes: str, redirect_uri: str, login_hint: str
) -> AuthorizationRequest:
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)
    client = OAuth2Session(
        client_id=client_id,
        scope=scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    url, _ = client.create_authorization_url(
        authorization_endpoint,
        state=state,
        code_verifier=code_verifier,
        nonce=nonce,
        login_hint=login_hint,
    )
    return AuthorizationRequest(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


def code_exchange(
    *,
    token_endpoint: str,
    client_id: str,
    client_secret: str,
    auth_method: str,
    code: str,
    code_verifier: str,
    redirect_uri: str,
) -> dict[str, Any]:
    """The provider's tokens for the code (the verifier proves we asked for it)."""
    client = OAuth2Session(
        client_id=client_id,
        client_secret=client_secret,
        token_endpoint_auth_method=auth_method,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    try:
        token = client.fetch_token(
            token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
            timeout=settings.OIDC_HTTP_TIMEOUT_SECONDS,
        )
    except AuthlibBaseError as error:
        raise TokenRefused(f"the provider refused the code ({error.error})") from error
    except (requests.RequestException, ValueError) as error:
        raise ProviderError("Your organisation's sign-in service did not answer") from error
    if not isinstance(token, dict) or not isinstance(token.get("id_token"), str):
        raise TokenRefused("the provider's answer has no ID token")
    return dict(token)


def id_token_claims(
    *,
    id_token: str,
    jwks: dict[str, Any],
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str | None,
    now: int | None = None,
) -> dict[str, Any]:
    """The ID token's claims once its signature (against the provider's keys), issuer, audience,
    expiry (with at most OIDC_CLOCK_SKEW_SECONDS of leeway) and nonce are checked."""
    kid = token_key_id(id_token)
    if not keys_hold(jwks, kid):
        raise UnknownKey(kid)
    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except BadSignatureError as error:
        raise TokenRefused("the ID token's signature does not match the provider's key") from error
    except JoseError as error:
        raise TokenRefused(f"the ID token could not be read ({error.error})") from error
    claims = CodeIDToken(
        token.claims,
        token.header,  # type: ignore[arg-type]
        options={
            "iss": {"essential": True, "value": issuer},
            "aud": {"essential": True, "value": client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
        },
        params={"nonce": nonce, "client_id": client_id, "access_token": access_token},
    )
    try:
        claims.validate(now=now, leeway=settings.OIDC_CLOCK_SKEW_SECONDS)
    except ExpiredTokenError as error:
        raise TokenRefused("the ID token has expired") from error
    except (InvalidClaimError, MissingClaimError) as error:
        raise TokenRefused(f"the ID token's {error.claim} claim is wrong or missing") from error
    except JoseError as error:
        raise TokenRefused(f"the ID token failed a check ({error.error})") from error
    return dict(claims)


def end_session_url(*, end_session_endpoint: str, id_token: str, client_id: str, after: str) -> str:
    query = urlencode(
        {"id_token_hint": id_token, "client_id": client_id, "post_logout_redirect_uri": after}
    )
    separator = "&" if "?" in end_session_endpoint else "?"
    return f"{end_session_endpoint}{separator}{query}"
