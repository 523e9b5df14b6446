"""The authentication back end for people who sign in at their organisation's OpenID provider.

It authenticates nobody by itself: `sso.provider_sign_in` checks the provider's ID token and
decides who the person is, and the callback view logs them in through this back end, so that
Django reloads them by it (only while the account stays active) on every later request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class IdentityProviderBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None
