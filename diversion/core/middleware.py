from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from diversion.core.access import rule_for
from diversion.core.logging import get_logger
from diversion.core.outage import database_unreachable

logger = get_logger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Tags every log line of a request with its id (taken from the proxy when well-formed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = self.get_response(request)
        response["X-Request-Id"] = request_id
        # Reading the user may read the session: not while the database cannot be reached.
        user = None if database_unreachable() else getattr(request, "user", None)
        logger.info(
            "request",
            method=request.method,
            path=request.path_info if not request.resolver_match else request.resolver_match.route,
            status=response.status_code,
            user_id=getattr(user, "pk", None),
        )
        return response


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user may hold personal data: never keep them in a cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if database_unreachable():  # the outage's answer is not stored either
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class AccessRuleMiddleware:
    """Deny by default: a view without an access rule is refused, whoever asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        rule = rule_for(view_func)
        if rule is None:
            logger.error("view_without_access_rule", view=getattr(view_func, "__name__", "?"))
            raise PermissionDenied("This page has no access rule.")
        if rule.public:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        if rule.before_second_factor:
            return None
        if not user.is_verified():
            return redirect(settings.SECOND_FACTOR_URL)
        if not user.is_active or not rule.allows_role(user.role):  # type: ignore[union-attr]
            raise PermissionDenied("Your role does not give access to this page.")
        return None
