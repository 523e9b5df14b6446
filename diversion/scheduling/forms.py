"""Forms for the caseload and rota pages: field checks only; the rules are in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from diversion.core.forms import LengthNamedForm
from diversion.scheduling.models import AttemptOutcome, ExceptionKind, Interpreter, Slot, Weekday

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def slot_choice(slot: Slot, *, with_worker: bool = True) -> tuple[str, str]:
    start = timezone.localtime(slot.starts_at)
    label = f"{start:%A} {start.day} {start:%B} at {start:%H:%M}"
    if with_worker:
        label += f" with {slot.worker.full_name}"
    return str(slot.pk), label


def _time(label: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=TIME_FORMATS,
        help_text="For example, 09:30 or 14:00",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a time, like 09:30 or 14:00",
        },
    )


def _reason(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=300,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the reason",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )


class AttemptForm(LengthNamedForm):
    outcome = forms.ChoiceField(
        choices=AttemptOutcome.choices,
        error_messages={
            "required": "Choose what happened on the call",
            "invalid_choice": "Choose what happened on the call",
        },
    )


class SlotChoiceForm(LengthNamedForm):
    """Choose a free slot and say why: rebooking a missed call, or reassigning a booked one."""

    slot = forms.ChoiceField(
        label="New time",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a time",
            "invalid_choice": "Choose one of the times shown",
        },
    )
    reason = _reason("Reason")

    def __init__(self, *args: Any, slots: list[Slot], label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [slot_choice(s) for s in slots]  # type: ignore[attr-defined]
        self.fields["slot"].label = label


class InterpreterForm(LengthNamedForm):
    interpreter = forms.ChoiceField(
        label="Interpreter for this call",
        choices=Interpreter.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether an interpreter is needed"},
    )
    language = forms.CharField(
        label="Language",
        required=False,
        max_length=40,
        help_text="For example, Polish or Tigrinya. Leave empty if no interpreter is needed",
        error_messages={"max_length": "The language must be 40 characters or fewer"},
    )


class HoursForm(LengthNamedForm):
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        choices=[("", "Choose a day"), *Weekday.choices],
        coerce=int,
        error_messages={"required": "Choose the day of the week"},
    )
    starts_at = _time("Start time")
    ends_at = _time("End time")
    slot_minutes = forms.IntegerField(
        label="Length of each call in minutes",
        initial=45,
        help_text="15 to 120",
        error_messages={
            "required": "Enter the length of each call",
            "invalid": "The length of each call must be a whole number of minutes",
        },
    )
    scheme = forms.TypedChoiceField(label="Scheme", coerce=int)

    def __init__(self, *args: Any, schemes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(s.pk, s.name) for s in schemes]  # type: ignore[attr-defined]
        if len(schemes) == 1:
            self.fields["scheme"].initial = schemes[0].pk
            self.fields["scheme"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The end time must be after the start time")
        return data


class AwayForm(LengthNamedForm):
    kind = forms.ChoiceField(
        label="Kind of time away",
        choices=ExceptionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of time away"},
    )
    starts_on = forms.DateField(
        label="First day",
        input_formats=DATE_FORMATS,
        help_text="For example, 7/12/2026",
        error_messages={
            "required": "Enter the first day",
            "invalid": "First day must be a real date, like 7/12/2026",
        },
    )
    ends_on = forms.DateField(
        label="Last day",
        input_formats=DATE_FORMATS,
        help_text="The same as the first day for a single day",
        error_messages={
            "required": "Enter the last day",
            "invalid": "Last day must be a real date, like 11/12/2026",
        },
    )
    from_time = _time("From", required=False)
    to_time = _time("Until", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_time"].help_text = "Only for part of each day, like 13:00"
        self.fields["to_time"].help_text = "Only for part of each day, like 17:00"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day must be the same as or after the first day")
        from_time, to_time = data.get("from_time"), data.get("to_time")
        if "from_time" not in self.errors and "to_time" not in self.errors:
            if (from_time is None) != (to_time is None):
                missing = "to_time" if to_time is None else "from_time"
                self.add_error(missing, "Enter both times for part of a day, or neither")
            elif from_time and to_time and to_time <= from_time:
                self.add_error("to_time", "The end time must be after the start time")
        return data
