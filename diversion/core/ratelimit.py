"""A fixed-window rate limit on the shared cache (the database cache: no Redis needed).

Used where there is no account to lock: the person's self-service link and inbound webhooks.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the proxy in front of us saw it (its last hop), else the socket's."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def rate_limited(key: str, *, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one hit on `key`; True once more than `limit` hits fall in the current window."""
    window = int((now if now is not None else time.time()) // window_seconds)
    bucket = f"ratelimit:{key}:{window}"
    if cache.add(bucket, 1, timeout=window_seconds + 5):
        return limit < 1
    try:
        hits = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window_seconds + 5)
        hits = 1
    return hits > limit
