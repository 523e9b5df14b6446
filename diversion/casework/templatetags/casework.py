"""Which GOV.UK include renders a form field, so casework forms can be laid out in a loop."""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField

from diversion.core.dates import GovUKDateField

register = template.Library()


@register.filter
def field_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(field.field, GovUKDateField):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "boolean"
    return "field"
