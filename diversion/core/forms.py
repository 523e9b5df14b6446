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
