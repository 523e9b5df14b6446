"""One signed POST to a subscriber, with urllib: no redirects followed (a signed event goes only
to the address the administrator entered), a 10 second time-out, and any failure returned, never
raised, so the caller can log it and schedule the retry."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
USER_AGENT = "Diversion-Webhooks/1"


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# Loopback (tests, development) never goes through a proxy set in the environment.
_OPENER = urllib.request.build_opener(_NoRedirects)
_LOOPBACK_OPENER = urllib.request.build_opener(_NoRedirects, urllib.request.ProxyHandler({}))


def post(*, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
    opener = _LOOPBACK_OPENER if urlsplit(url).hostname in LOOPBACK_HOSTS else _OPENER
    request = urllib.request.Request(  # noqa: S310 - the address is checked to be https (or loopback)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    started = time.monotonic()
    status: int | None = None
    error = ""
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
            response.read(4096)
    except urllib.error.HTTPError as failure:
        status = failure.code
        error = f"HTTP {failure.code} {failure.reason}"
        failure.close()
    except urllib.error.URLError as failure:
        error = f"{type(failure.reason).__name__}: {failure.reason}"
    except (TimeoutError, OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"
    elapsed = int((time.monotonic() - started) * 1000)
    return PostResult(status_code=status, error=error[:300], duration_ms=elapsed)
