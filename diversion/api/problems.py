"""Every API error is an RFC 9457 problem document (`application/problem+json`).

Plain HTTP errors use `about:blank` with the status phrase as the title. Errors that mean something
in this domain have their own type, documented on the API docs page under the same anchor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import set_rollback

from diversion.api.services import IdempotencyKeyReused
from diversion.core.logging import get_logger
from diversion.officer.services import IneligibleReferral
from diversion.referrals.lifecycle import TransitionNotAllowed
from diversion.scheduling.services import SlotUnavailable

logger = get_logger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
DOCS_PATH = "/api/v1/docs/"
NOT_FOUND_DETAIL = (
    "There is no API endpoint at this address. Addresses end with a slash, "
    "like /api/v1/referrals/. See /api/v1/docs/."
)
SERVER_ERROR_DETAIL = "Something went wrong on our side. Try again later; quote the request_id."
# What the API says for an error raised outside its views (Django's handlers, core's guards).
DETAILS = {
    400: "The request could not be read.",
    403: "You do not have permission to perform this action.",
    404: NOT_FOUND_DETAIL,
    405: "That method is not allowed at this address.",
    500: SERVER_ERROR_DETAIL,
}


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int
    explanation: str

    @property
    def uri(self) -> str:
        return f"{DOCS_PATH}#problem-{self.slug}"


PROBLEM_TYPES: dict[str, ProblemType] = {
    problem.slug: problem
    for problem in (
        ProblemType(
            "validation-error",
            "Your request has errors",
            400,
            "One or more fields are missing or wrong. `errors` lists each field and what to fix.",
        ),
        ProblemType(
            "idempotency-key-reused",
            "This Idempotency-Key was used for a different request",
            409,
            "Send a new key for a new referral; send the same body to retry the old one.",
        ),
        ProblemType(
            "slot-unavailable",
            "That assessment slot is no longer available",
            409,
            "Someone else booked it. List the slots again and choose another.",
        ),
        ProblemType(
            "transition-not-allowed",
            "The referral cannot move to that status",
            409,
            "The referral's current status does not allow this change. Read it again.",
        ),
        ProblemType(
            "ineligible",
            "The person is not eligible for diversion",
            422,
            "The scheme's rules say no. `reasons` says why; `what_to_do_instead` says what next.",
        ),
    )
}


class Problem(exceptions.APIException):
    """A domain problem with its type, and any extra members for the document."""

    def __init__(self, slug: str, detail: str, **extra: Any) -> None:
        self.problem = PROBLEM_TYPES[slug]
        self.status_code = self.problem.status
        self.extra = extra
        super().__init__(detail)


class BodyTooLarge(exceptions.APIException):
    status_code = 413

    def __init__(self) -> None:
        megabytes = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / 1024 / 1024
        super().__init__(f"The request body is larger than the {megabytes:g} MB the API accepts.")


def _field_errors(detail: Any, path: str = "") -> Iterator[dict[str, str]]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            yield from _field_errors(value, f"{path}.{name}".strip(".") if name else path)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                yield from _field_errors(value, f"{path}.{index}".strip("."))
            else:
                yield {"field": path or "body", "message": str(value)}
    else:
        yield {"field": path or "body", "message": str(detail)}


def _domain_exception(exc: Exception) -> Exception:
    """Translate the services' exceptions into the API's."""
    if isinstance(exc, RequestDataTooBig):
        return BodyTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        )
    if isinstance(exc, IdempotencyKeyReused):
        return Problem(
            "idempotency-key-reused",
            "This Idempotency-Key was already used for a referral with different details.",
        )
    if isinstance(exc, TransitionNotAllowed):
        return Problem("transition-not-allowed", str(exc))
    if isinstance(exc, SlotUnavailable):
        return Problem("slot-unavailable", f"{exc}. List the slots again and choose another.")
    if isinstance(exc, IneligibleReferral):
        decision = exc.decision
        return Problem(
            "ineligible",
            "The scheme's rules say this person cannot be offered diversion for this stop.",
            reasons=[{"code": r.code, "message": r.message} for r in decision.reasons],
            what_to_do_instead=decision.what_to_do_instead.splitlines(),
        )
    return exc


def _problem_data(
    *, status: int, detail: str, path: str, request_id: str, problem: ProblemType | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": problem.uri if problem else "about:blank",
        "title": problem.title if problem else HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": path,
    }
    if request_id:
        data["request_id"] = request_id
    return data


def problem_response(
    *,
    status: int,
    detail: str,
    request: Request | None,
    problem: ProblemType | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    data = _problem_data(
        status=status,
        detail=detail,
        path=request.path if request is not None else "",
        request_id=getattr(request._request, "request_id", "") if request is not None else "",
        problem=problem,
    )
    data.update(extra or {})
    return Response(data, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_page(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """An error raised outside the API's views, for an address under /api/: core's error
    handlers and request guards answer with this (registered in `ApiConfig.ready`)."""
    data = _problem_data(
        status=status,
        detail=detail or DETAILS.get(status, HTTPStatus(status).phrase),
        path=request.path,
        request_id=getattr(request, "request_id", ""),
    )
    return HttpResponse(json.dumps(data), status=status, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request: Request | None = context.get("request")
    exc = _domain_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        logger.exception("api_unhandled_error", exc_info=exc)
        set_rollback()
        return problem_response(
            status=500,
            detail=SERVER_ERROR_DETAIL,
            request=request,
        )
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{int(exc.wait) + 1}"  # type: ignore[attr-defined]
    set_rollback()
    if isinstance(exc, Problem):
        return problem_response(
            status=exc.status_code,
            detail=str(exc.detail),
            request=request,
            problem=exc.problem,
            headers=headers,
            extra=exc.extra,
        )
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status=400,
            detail="Correct the fields listed in errors, then send the request again.",
            request=request,
            problem=PROBLEM_TYPES["validation-error"],
            extra={"errors": list(_field_errors(exc.detail))},
        )
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = "Send your API key: `Authorization: Bearer <key id>.<secret>`."
    elif isinstance(exc.detail, str):
        detail = exc.detail
    else:
        detail = "; ".join(error["message"] for error in _field_errors(exc.detail))
    return problem_response(
        status=exc.status_code, detail=str(detail), request=request, headers=headers
    )
