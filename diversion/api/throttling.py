"""A request budget per API client (per key, not per address: a force's system may sit behind
one gateway). The rate is read on every request, so tests can change it with override_settings."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from diversion.accounts.models import ApiClient


class ApiClientThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return str(rate) if rate else None

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_id}
