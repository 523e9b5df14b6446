"""Bearer keys for police systems: `Authorization: Bearer <key_id>.<secret>`.

Only active clients get in. The key id finds the client; the secret is checked against its hash
in constant time. An unknown key, a wrong secret and an inactive client get the same answer, so
the response says nothing about which keys exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from diversion.accounts.models import ApiClient
from diversion.audit.services import Actor

LAST_USED_EVERY = dt.timedelta(minutes=1)
INVALID_KEY = "The API key is not valid. Check the key id and secret, or ask for a new key."


@dataclass(frozen=True)
class ApiPrincipal:
    """Stands in for `request.user` on API requests: a police system, never a person."""

    client: ApiClient
    is_authenticated: ClassVar[bool] = True
    is_active: ClassVar[bool] = True
    pk: ClassVar[None] = None

    @property
    def organisation(self) -> Any:
        return self.client.organisation

    @property
    def actor(self) -> Actor:
        return Actor(
            user=None, label=f"api:{self.client.key_id}", organisation=self.client.organisation
        )

    def has_scope(self, scope: str) -> bool:
        return scope in (self.client.scopes or [])

    def __str__(self) -> str:
        return f"api:{self.client.key_id}"


def _parse(header: str) -> tuple[str, str] | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    key_id, dot, secret = token.strip().partition(".")
    if not dot or not key_id or not secret:
        return None
    return key_id, secret


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiPrincipal, ApiClient] | None:
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        parsed = _parse(header)
        if parsed is None:
            raise exceptions.AuthenticationFailed(
                "Send the key as `Authorization: Bearer <key id>.<secret>`."
            )
        key_id, secret = parsed
        client = (
            ApiClient.objects.select_related("organisation")
            .filter(key_id=key_id[:24], is_active=True)
            .first()
        )
        if client is None:
            ApiClient.hash_secret(secret)  # the same work as a real check
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        if not client.check_secret(secret):
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        self._note_use(client)
        return ApiPrincipal(client), client

    @staticmethod
    def _note_use(client: ApiClient) -> None:
        now = timezone.now()
        if client.last_used_at is not None and now - client.last_used_at < LAST_USED_EVERY:
            return
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
