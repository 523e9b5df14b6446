from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


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
