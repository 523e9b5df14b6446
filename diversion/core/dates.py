"""The GOV.UK date input: day, month and year in three boxes, with the Design System's messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms


class DateInputWidget(forms.MultiWidget):
    template_name = "includes/date_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric"}),
            forms.TextInput(attrs={"inputmode": "numeric"}),
            forms.TextInput(attrs={"inputmode": "numeric"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovUKDateField(forms.MultiValueField):
    """Reads day, month and year; says exactly what is missing or wrong, naming the field."""

    widget = DateInputWidget

    def __init__(self, *, label: str, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, label=label, **kwargs)

    def clean(self, value: Any) -> dt.date | None:
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        label = str(self.label)
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter the {label.lower()}")
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and a '.join(missing)}")
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise forms.ValidationError(f"{label} must be a real date")
        if len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        day, month, year = (int(part) for part in parts)
        try:
            date = dt.date(year, month, day)
        except (ValueError, OverflowError) as error:  # a day of 20 digits overflows
            raise forms.ValidationError(f"{label} must be a real date") from error
        if self.past_only and date >= dt.date.today():
            raise forms.ValidationError(f"{label} must be in the past")
        if date.year < 1900:
            raise forms.ValidationError(f"{label} must be after 1900")
        return date

    def compress(self, data_list: list[Any]) -> Any:
        return data_list
