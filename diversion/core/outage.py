"""While the database cannot be reached: 503 with Retry-After, not a 500 on every request.

A request has met an outage when a connection to a database failed to open (refused, timed out,
no connection free in the pool) or broke under it (the server went away). Django leaves such a
connection with `errors_occurred` set and no open connection behind it, and that is what is
looked at here, wherever the failure surfaced: in a view (`process_exception`), in a middleware
or in an error handler (the exception reaching this middleware), or inside the API, whose
exception handler has already answered 500 (the response). A query that fails on a working
connection (an IntegrityError, a deadlock, a bad query) leaves the connection open and stays the
error it is.

The answer is `core.errors.error_response` (the API's problem document under /api/, the service's
page elsewhere) with Retry-After. Nothing on the way touches the database again: the page's
context and the request log skip the signed-in user while `database_unreachable()` holds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from diversion.core.errors import error_response
from diversion.core.logging import get_logger

logger = get_logger(__name__)

RETRY_AFTER_SECONDS = 30
DETAIL = (
    "The service is unavailable at the moment. Try again in a few minutes. Nothing you "
    "submitted was saved unless you saw a confirmation."
)


def _broken(raw: object) -> bool:
    """psycopg marks a connection whose server went away as closed."""
    return bool(getattr(raw, "closed", False))


def database_unreachable() -> bool:
    """Whether a connection failed to open, or broke, since this request started."""
    return any(
        wrapper.errors_occurred and (wrapper.connection is None or _broken(wrapper.connection))
        for wrapper in connections.all(initialized_only=True)
    )


def _forget_earlier_failures() -> None:
    """A connection that failed in an earlier request keeps `errors_occurred` until it next
    connects; a request that never connects must not inherit the failure."""
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is None:
            wrapper.errors_occurred = False


def outage_response(request: HttpRequest) -> HttpResponse:
    logger.warning("database_unreachable", path=request.path_info)
    response = error_response(request, status=503, detail=DETAIL)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


class DatabaseOutageMiddleware:
    """Near the top of MIDDLEWARE: every later middleware's failure reaches it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _forget_earlier_failures()
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError):
            if database_unreachable():
                return outage_response(request)
            raise
        if response.status_code == 500 and database_unreachable():
            return outage_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError) and database_unreachable():
            return outage_response(request)
        return None
