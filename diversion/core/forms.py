from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

_DATABASE_INTEGER = range(-(2**63), 2**63)


def copy_validation_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field if the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if item.messages else str(item))
    else:
        for message in error.messages:
            form.add_error(None, message)


def too_long_message(field: forms.Field, name: str) -> str:
    """GOV.UK's wording for too long an answer, naming the field."""
    label = str(field.label or name.replace("_", " ").capitalize()).removesuffix(" (optional)")
    return f"{label} must be {getattr(field, 'max_length', 0)} characters or fewer"


class LengthNamedForm(forms.Form):
    """Django's form, where a text field's length limit, unless the field words it itself, is
    reported naming the field ("Name must be 120 characters or fewer") rather than with Django's
    "Ensure this value has at most 120 characters", which names nothing in an error summary.
    The limit also reaches the browser: includes/field.html writes it as `maxlength`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if getattr(field, "max_length", None) and "max_length" not in field.error_messages:
                field.error_messages["max_length"] = too_long_message(field, name)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing a number no database integer holds before it reaches the query: SQLite
    raises OverflowError on `pk__in` with one (a 500), where it is only a wrong choice."""

    def _check_values(self, value: Any) -> Any:
        for choice in value or ():
            try:
                number = int(choice)
            except (TypeError, ValueError):
                continue  # not a number: Django's own checks answer it
            if number not in _DATABASE_INTEGER:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return super()._check_values(value)  # type: ignore[misc]
