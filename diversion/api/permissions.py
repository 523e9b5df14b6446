"""Scopes: each API view says which scope each HTTP method needs. No scope named, no entry."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from diversion.api.authentication import ApiPrincipal


class HasScope(BasePermission):
    message = "This API key does not have the scope this request needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.user
        if not isinstance(principal, ApiPrincipal):
            return False
        scopes: dict[str, str] = getattr(view, "required_scopes", {})
        method = "GET" if request.method == "HEAD" else str(request.method)
        if method not in scopes:
            # No handler for this method (OPTIONS has none: metadata is off): 405, not 403.
            return method == "OPTIONS" or not hasattr(view, method.lower())
        if principal.has_scope(scopes[method]):
            return True
        self.message = (
            f"This API key does not have the scope {scopes[method]!r} this request needs."
        )
        return False
