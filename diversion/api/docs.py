"""The API's own pages: the OpenAPI document, and a docs page drawn from it with our GOV.UK
template (no Swagger UI or ReDoc: nothing is fetched from a CDN)."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

from diversion.accounts.services import API_SCOPES
from diversion.api.problems import PROBLEM_TYPES
from diversion.api.schema import STATUS_MEANINGS
from diversion.core.access import AccessRule, public

METHODS = ("get", "post", "put", "patch", "delete")


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI 3 document; public, like the docs page: it holds no data."""

    access_rule = AccessRule(public=True)
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []


def _code_spans(text: str) -> SafeString:
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))  # noqa: S308


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`, `allOf` and enum alternatives (`oneOf`: a choice, or blank, or null)."""
    ref = schema.get("$ref") or next(
        (part["$ref"] for part in schema.get("allOf", []) if "$ref" in part), ""
    )
    if ref:
        schema = {**components.get(ref.rsplit("/", 1)[-1], {}), **schema}
    choices = schema.get("oneOf") or schema.get("anyOf")
    if choices:
        parts = [_resolve(part, components) for part in choices]
        if all("enum" in part for part in parts):
            schema = {**schema, "enum": [value for part in parts for value in part["enum"]]}
    return schema


ENUM_LINE = re.compile(r"^\* `([^`]*)` - (.*)$")


def _describe(text: str) -> SafeString:
    """drf-spectacular lists an enum's labels as Markdown bullets: keep the informative ones."""
    kept = []
    for line in text.splitlines():
        match = ENUM_LINE.match(line.strip())
        if match is None:
            kept.append(line)
        elif match.group(2).strip().lower() != match.group(1).lower():
            kept.append(f"`{match.group(1)}`: {match.group(2)}")
    return _code_spans("; ".join(part for part in kept if part.strip()))


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        values = [str(value) for value in schema["enum"] if value not in ("", None)]
        return "one of: " + ", ".join(values)
    return str(schema.get("format") or schema.get("type", ""))


def _fields(
    schema: dict[str, Any], components: dict[str, Any], prefix: str = ""
) -> list[dict[str, Any]]:
    """Each field of a request body, nested ones as dotted paths (`stop.drugs[].code`)."""
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    found = []
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(prop, components)
        path = f"{prefix}{name}"
        items = _resolve(prop.get("items", {}), components)
        if prop.get("type") == "object" or "properties" in prop:
            found.extend(_fields(prop, components, f"{path}."))
            continue
        if prop.get("type") == "array" and "properties" in items:
            found.extend(_fields(items, components, f"{path}[]."))
            continue
        kind = _type(prop)
        if prop.get("type") == "array":
            kind = f"list, each {_type(items)}"
        found.append(
            {
                "name": path,
                "required": name in required,
                "type": kind,
                "description": _describe(prop.get("description", "")),
            }
        )
    return found


def endpoints(document: dict[str, Any]) -> list[dict[str, Any]]:
    components = document.get("components", {}).get("schemas", {})
    found = []
    for path, operations in document.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            statuses = sorted(operation.get("responses", {}), key=int)
            found.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": _code_spans(operation.get("description", "")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": _describe(p.get("description", "")),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _fields(body["schema"], components) if body else [],
                    "success": [s for s in statuses if int(s) < 400],
                    "problems": [s for s in statuses if int(s) >= 400],
                }
            )
    return found


@public
def docs(request: HttpRequest) -> HttpResponse:
    document = SchemaGenerator().get_schema(request=None, public=True)
    context = {
        "endpoints": endpoints(document),
        "scopes": API_SCOPES.items(),
        "problem_types": [
            {
                "slug": problem.slug,
                "uri": problem.uri,
                "status": problem.status,
                "title": problem.title,
                "explanation": _code_spans(problem.explanation),
            }
            for problem in PROBLEM_TYPES.values()
        ],
        "statuses": [(status, _code_spans(meaning)) for status, meaning in STATUS_MEANINGS.items()],
        "version": document.get("info", {}).get("version", ""),
    }
    return render(request, "api/docs.html", context)
