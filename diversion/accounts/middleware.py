from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from diversion.core.outage import database_unreachable

LAST_SEEN = "last_seen"
# Set by the provider's callback (accounts/sso_flow.py: SIGNED_IN): when its tokens expire.
PROVIDER_SIGN_IN = "sso_signed_in"
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    """Signs a user out after a period without requests (default 30 minutes), and someone signed
    in at their organisation's provider once its tokens have expired by more than that."""

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
            provider_sign_in = request.session.get(PROVIDER_SIGN_IN)
            if provider_sign_in and now > float(provider_sign_in["expires_at"]) + float(
                settings.SESSION_IDLE_TIMEOUT_SECONDS
            ):
                # Never longer than the provider's own sign-in plus the idle time-out: someone
                # the provider has switched off cannot stay signed in here.
                logout(request)
                messages.info(request, "Your sign-in has expired: sign in again")
                return redirect(settings.LOGIN_URL)
            # Refresh at most once a minute: writing the session on every request costs a
            # database write per page for no gain in precision.
            if last_seen is None or now - float(last_seen) > REFRESH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class ProviderSignOutFormActionMiddleware:
    """For someone signed in at their organisation's provider, the sign-out form on every page
    leads on to the provider's single logout: the page's Content Security Policy (form-action)
    must allow that address. Sits after django-csp's middleware, which reads `_csp_update`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or database_unreachable():  # the outage's 503 reads no session
            return response
        provider_sign_in = session.get(PROVIDER_SIGN_IN)
        if provider_sign_in and provider_sign_in.get("logout_origin"):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [
                *update.get("form-action", []),
                provider_sign_in["logout_origin"],
            ]
            response._csp_update = update  # type: ignore[attr-defined]
        return response
