"""A fixed-window rate limit on the shared cache (the database cache: no Redis needed).

Used where there is no account to lock: the person's self-service link and inbound webhooks.
Key it by `core.proxies.client_address`, never by a header the client writes.
"""

from __future__ import annotations

import time

from django.core.cache import cache


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
