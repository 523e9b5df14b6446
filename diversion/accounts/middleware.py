from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

LAST_SEEN = "last_seen"
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    """Signs a user out after a period without requests (default 30 minutes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN)
            if (
                last_seen is not None
                and now - float(last_seen) > settings.SESSION_IDLE_TIMEOUT_SECONDS
            ):
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT_SECONDS // 60
                messages.info(
                    request, f"You were signed out because you were inactive for {minutes} minutes"
                )
                return redirect(settings.LOGIN_URL)
            # Refresh at most once a minute: writing the session on every request costs a
            # database write per page for no gain in precision.
            if last_seen is None or now - float(last_seen) > REFRESH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
