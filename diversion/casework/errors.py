"""The casework error, on its own so that every casework service can raise it without importing
another service module."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CaseworkError(ValidationError):
    """A request the case's state does not allow; nothing was changed."""
