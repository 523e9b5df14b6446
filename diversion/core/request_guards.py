"""Refuse input no page or endpoint can use before it reaches a view or the database.

PostgreSQL cannot store a NUL character: a NUL in an address or a form value once reached a
query and failed with a database error (a 500). A request is refused here, with the error in the
format its address calls for (`core.errors.error_response`: problem documents under /api/), when

- its address plus query string is longer than `MAX_URL_LENGTH` (414);
- its path holds a control character (404: no address has one);
- its body is larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` (413);
- a header, a query parameter or a form field (name or value) holds a control character other
  than tab, carriage return and line feed, which text areas send (400); or it has more fields
  than `DATA_UPLOAD_MAX_NUMBER_FIELDS` (400).

A cookie with a control character is dropped rather than refused: it may belong to another
site on the same domain, and the session's own cookie never has one.

gunicorn refuses longer request lines and headers itself, before Django (`serve.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, QueryDict, UnreadablePostError

from diversion.core.errors import error_response
from diversion.core.logging import get_logger

logger = get_logger(__name__)

# Longer than any address the service makes; under gunicorn's request-line limit (4094 bytes),
# so that the API's clients get a problem document, not gunicorn's HTML page.
MAX_URL_LENGTH = 2048

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Refused(Exception):
    def __init__(self, status: int, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.detail = detail


def _has_control(items: Iterable[tuple[str, str]], pattern: re.Pattern[str]) -> str | None:
    """The first name whose name or value holds a control character."""
    for name, value in items:
        if pattern.search(name) or pattern.search(value):
            return name
    return None


def _query_items(query: QueryDict) -> Iterable[tuple[str, str]]:
    for name, values in query.lists():
        for value in values:
            yield name, value if isinstance(value, str) else ""


def _refuse_control(kind: str, name: str | None) -> None:
    if name is not None:
        raise Refused(
            400,
            f"control_character_in_{kind}",
            f"The {kind} “{_printable(name)}” holds a control character (such as a null "
            "byte). Send printable text only.",
        )


def _printable(name: str) -> str:
    return _CONTROL.sub("?", name)[:60]


def _check(request: HttpRequest) -> None:
    query_string = request.META.get("QUERY_STRING", "")
    if len(request.path_info) + len(query_string) > MAX_URL_LENGTH:
        raise Refused(
            414,
            "url_too_long",
            f"The address and its query are longer than {MAX_URL_LENGTH} characters.",
        )
    if _CONTROL.search(request.path_info):
        raise Refused(404, "control_character_in_path")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    multipart = request.content_type == "multipart/form-data"
    if limit is not None and length > limit and not multipart:
        raise Refused(413, "body_too_large", _too_large_detail())
    headers = (
        (name[5:].replace("_", "-").title(), str(value))
        for name, value in request.META.items()
        if name.startswith("HTTP_")
    )
    _refuse_control("header", _has_control(headers, _CONTROL_IN_TEXT))
    for name in [name for name, value in request.COOKIES.items() if _CONTROL.search(name + value)]:
        del request.COOKIES[name]
    _refuse_control("query parameter", _has_control(_query_items(request.GET), _CONTROL_IN_TEXT))
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        _refuse_control("field", _has_control(_query_items(request.POST), _CONTROL_IN_TEXT))


def _too_large_detail() -> str:
    megabytes = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / 1024 / 1024
    return f"The request body is larger than the {megabytes:g} MB the service accepts."


class RequestGuardMiddleware:
    """Early in MIDDLEWARE: before the session is looked up and anything reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check(request)
        except Refused as refused:
            return self._refused(request, refused)
        except RequestDataTooBig:
            return self._refused(request, Refused(413, "body_too_large", _too_large_detail()))
        except (TooManyFieldsSent, TooManyFilesSent):
            return self._refused(
                request,
                Refused(400, "too_many_fields", "The request sends more fields than any form has."),
            )
        except UnreadablePostError:
            return self._refused(request, Refused(400, "unreadable_body"))
        return self.get_response(request)

    def _refused(self, request: HttpRequest, refused: Refused) -> HttpResponse:
        logger.info("request_refused", reason=refused.reason, status=refused.status)
        return error_response(request, status=refused.status, detail=refused.detail)
