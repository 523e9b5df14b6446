"""Strict input: a value the API does not document is an error, never quietly something else.

DRF's BooleanField takes "yes", "on", 1 and "true" as true; django-filter's boolean filter reads
`?acknowledged=null` as "no filter"; a query serializer reads `?after=` as its default. Each
would act on a request its sender did not mean. These fields refuse them with a message naming
what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true` or `false`, nothing else."""

    default_error_messages = {
        "invalid": "Send true or false: a JSON boolean, not a string or a number",
        "null": "Send true or false, not null",
    }

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class QuerySerializer(serializers.Serializer):
    """Query parameters: one left out takes its default; one sent empty (`?after=`) is an error.

    Each field's `invalid` message says what the parameter takes; it answers an empty value, a
    wrong one and one out of range alike.
    """

    def to_internal_value(self, data: Any) -> Any:
        errors = {}
        for name, field in self.fields.items():
            sent = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            if name in data and "" in sent:
                errors[name] = [field.error_messages["invalid"]]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def query_integer(*, name: str, low: int, high: int, meaning: str, **kwargs: Any) -> Any:
    """A whole-number query parameter, with one message for every way it can be wrong."""
    message = f"Send {name} as a whole number from {low} to {high}: {meaning}"
    return serializers.IntegerField(
        min_value=low,
        max_value=high,
        required=False,
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "max_string_length": message,
        },
        **kwargs,
    )


class QueryValueField(forms.Field):
    """One query parameter of a filter: left out, no filter; sent, one of `values` exactly."""

    widget = forms.TextInput  # its value is None when left out, "" when sent empty

    def __init__(self, *, parameter: str, values: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values = dict(values)
        allowed = ", ".join(self.values)
        self.message = f"Send {parameter} as one of {allowed}, or leave it out"

    def clean(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) and value in self.values:
            return self.values[value]
        raise ValidationError(self.message, code="invalid")


class _QueryBooleanField(QueryValueField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(values={"true": True, "false": False}, **kwargs)


class _QueryChoiceField(QueryValueField):
    def __init__(self, *, choices: Any, **kwargs: Any) -> None:
        super().__init__(values={str(value): value for value, _label in choices}, **kwargs)


class StrictBooleanFilter(django_filters.BooleanFilter):
    """`true` or `false` only: django-filter's own reads `null`, `unknown` and `yes` as no
    filter."""

    field_class = _QueryBooleanField


class StrictChoiceFilter(django_filters.ChoiceFilter):
    """One of the choices only (django-filter's own reads an empty value as no filter)."""

    field_class = _QueryChoiceField
