"""Template helpers for rendering Django form fields in the GOV.UK markup."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField, MultiWidget

register = template.Library()


@register.simple_tag
def select_groups(field: BoundField) -> list[dict[str, Any]]:
    """A select's options, grouped as `<optgroup>`s where the choices are grouped."""
    current = field.value()
    chosen = {str(v) for v in current} if isinstance(current, list | tuple) else {str(current)}
    groups: list[dict[str, Any]] = []
    for value, label in field.field.choices:  # type: ignore[attr-defined]
        if isinstance(label, list | tuple):
            options = [(str(v), text, str(v) in chosen) for v, text in label]
            groups.append({"label": value, "options": options})
        else:
            groups.append({"label": None, "options": [(str(value), label, str(value) in chosen)]})
    return groups


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where an error summary link should take the focus: the first box of a date input."""
    if isinstance(field.field.widget, MultiWidget):
        return f"{field.auto_id}_0"
    return str(field.auto_id)
