"""Text fields of the officer's forms: the browser stops typing at the limit (`maxlength`) and
the server, for a value sent without the browser's help, names the field and its limit."""

from __future__ import annotations

from typing import Any

from django import forms


def too_long(label: str, max_length: int) -> str:
    return f"{label} must be {max_length} characters or fewer"


def limited(max_length: int, *, label: str, name: str = "", **kwargs: Any) -> forms.CharField:
    """A CharField whose over-long message names it (`name` when the label reads badly)."""
    messages = {"max_length": too_long(name or label, max_length)}
    messages.update(kwargs.pop("error_messages", {}))
    return forms.CharField(label=label, max_length=max_length, error_messages=messages, **kwargs)
