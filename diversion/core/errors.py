"""Error responses: the service's HTML page, or another app's format under its own addresses.

Core knows no other app: an app that answers errors in its own format (the API: RFC 9457 problem
documents under /api/) registers a renderer for its path prefix from its `AppConfig.ready()`.
Django's error handlers (`diversion/urls.py`) and the request guards answer through
`error_response`, so an address under such a prefix never gets the HTML page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# (request, status, detail) -> the response in the app's own format; detail "" means the
# renderer's own wording for the status.
ErrorRenderer = Callable[[HttpRequest, int, str], HttpResponse]


@dataclass(frozen=True)
class ErrorPage:
    title: str
    detail: str


PAGES: dict[int, ErrorPage] = {
    400: ErrorPage(
        "Sorry, there is a problem with your request",
        "The request could not be read. Go back, check what you entered and try again.",
    ),
    403: ErrorPage(
        "You do not have access to this page",
        "Your role does not include this page. If you think it should, ask your scheme "
        "administrator.",
    ),
    404: ErrorPage(
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied "
        "the entire address.",
    ),
    405: ErrorPage("Sorry, there is a problem with your request", "That method is not allowed."),
    413: ErrorPage(
        "What you sent is too large",
        "The request was larger than the service accepts. Go back and send less.",
    ),
    414: ErrorPage(
        "The web address is too long",
        "Check the address is correct, or go back and try again.",
    ),
    500: ErrorPage(
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you submitted was saved unless you saw a confirmation.",
    ),
}

_RENDERERS: dict[str, ErrorRenderer] = {}


def error_renderer_register(*, prefix: str, renderer: ErrorRenderer) -> None:
    """Answer errors for addresses starting with `prefix` with `renderer` instead of the page."""
    _RENDERERS[prefix] = renderer


def error_response(request: HttpRequest, *, status: int, detail: str = "") -> HttpResponse:
    """The error in the format the address calls for; `detail` replaces the page's own text."""
    page = PAGES.get(status, PAGES[400 if status < 500 else 500])
    for prefix, renderer in _RENDERERS.items():
        if request.path_info.startswith(prefix):
            return renderer(request, status, detail)
    return render(
        request,
        "core/error.html",
        {"title": page.title, "detail": detail or page.detail, "status": status},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, status=400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, status=500)
