"""The OpenAPI document's parts that drf-spectacular cannot infer: the bearer-key security scheme
and the problem documents every operation may answer with (one table, below)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from diversion.api.problems import PROBLEM_CONTENT_TYPE


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "diversion.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "<key id>.<secret>",
            "description": "The key id and secret of your API client, joined by a dot.",
        }


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path of the request"},
        "request_id": {"type": "string", "description": "Quote it when you ask for help"},
        "errors": {
            "type": "array",
            "description": "For validation errors: each field and what to fix",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "reasons": {
            "type": "array",
            "description": "For ineligible: why the person cannot be referred",
            "items": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "what_to_do_instead": {"type": "array", "items": {"type": "string"}},
    },
}

STATUS_MEANINGS: dict[int, str] = {
    400: "The request has errors: see `errors`",
    401: "No API key, or the key is not valid",
    403: "The API key does not have the scope this operation needs",
    404: "Not found, or not your force's",
    405: "This method is not allowed here",
    406: "Ask for application/json",
    409: "Conflict: see `type`",
    415: "Send application/json",
    422: "The person is not eligible for diversion: see `reasons`",
    429: "Too many requests: wait for the seconds in Retry-After",
    500: "Something went wrong on our side",
}
EVERY_OPERATION = {401, 403, 404, 405, 406, 429, 500}
PROBLEMS_BY_OPERATION: dict[str, set[int]] = {
    "referral_create": {400, 409, 415, 422},
    "referral_read": set(),
    "slot_list": {400},
    "eligibility_check": {400, 415},
    "notice_list": {400},
    "notice_acknowledge": {409},
}


def problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the problem responses to each operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            statuses = EVERY_OPERATION | PROBLEMS_BY_OPERATION.get(operation["operationId"], set())
            for status in sorted(statuses):
                operation["responses"].setdefault(
                    str(status), {"description": STATUS_MEANINGS[status], "content": content}
                )
    return result
