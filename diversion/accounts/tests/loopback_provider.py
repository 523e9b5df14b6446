"""A minimal OpenID provider over real HTTP on loopback, for the tests that need to hand our
callback ID tokens a real provider would never send (tampered, wrong nonce, wrong audience,
expired, signed with a key not in its set). It serves a discovery document, a JWK set the test
can change while it runs (key rotation), and a token endpoint that checks the client's secret
and the PKCE verifier against the challenge of the authorization request, then returns whatever
ID token the test made for that code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "diversion-test-client"
CLIENT_SECRET = "loopback-client-secret"


def rsa_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


@dataclass
class Grant:
    """What the provider will answer for one code."""

    challenge: str
    id_token: str | Callable[[], str]


@dataclass
class LoopbackProvider:
    port: int = 0
    jwks_keys: list[RSAKey] = field(default_factory=list)
    grants: dict[str, Grant] = field(default_factory=dict)
    jwks_hits: int = 0
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    serve_jwks: bool = True
    _server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def mint(self, key: RSAKey, claims: dict[str, Any], *, alg: str = "RS256") -> str:
        header = {"alg": alg, "kid": key.kid}
        return jwt.encode(header, claims, key)

    def claims(self, *, nonce: str, sub: str, email: str, groups: list[str], **extra: Any) -> dict:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": sub,
            "email": email,
            "name": "Olive Officer",
            "groups": groups,
            "nonce": nonce,
            "iat": now,
            "exp": now + 600,
            **extra,
        }

    def start(self) -> LoopbackProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif path == "/jwks" and provider.serve_jwks:
                    provider.jwks_hits += 1
                    keys = [k.as_dict(private=False) for k in provider.jwks_keys]
                    self._json(200, {"keys": keys})
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append({"form": form, "headers": dict(self.headers)})
                expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    self._json(401, {"error": "invalid_client"})
                    return
                grant = provider.grants.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if grant is None or challenge != grant.challenge:
                    self._json(400, {"error": "invalid_grant"})
                    return
                id_token = grant.id_token() if callable(grant.id_token) else grant.id_token
                self._json(
                    200,
                    {
                        "access_token": "opaque-access-token",
                        "token_type": "Bearer",
                        "expires_in": 600,
                        "id_token": id_token,
                    },
                )

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
