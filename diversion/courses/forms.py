from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from diversion.core.forms import LengthNamedForm, ModelMultipleChoiceField
from diversion.courses.models import (
    Audience,
    CourseType,
    Delivery,
    DeliveryPreference,
    Enrolment,
    TimeOfDay,
)
from diversion.courses.rules import REGISTER_MARKS
from diversion.courses.services import MAX_REPEAT_WEEKS
from diversion.schemes.models import Scheme

NUMERIC = forms.TextInput(attrs={"inputmode": "numeric"})


def _whole_number(label: str, low: int, high: int, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=NUMERIC,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be {low} or more",
            "max_value": f"{label} must be {high} or fewer",
        },
        **kwargs,
    )


class CourseSettingsForm(LengthNamedForm):
    course_wait_target_days = _whole_number(
        "Target wait in days",
        7,
        120,
        help_text="The longest a person should wait for a course place (7 to 120 days)",
    )
    offers_in_person = forms.TypedChoiceField(
        label="Does the scheme run in-person sessions?",
        choices=[("False", "No, online only"), ("True", "Yes, online and in person")],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the scheme runs in-person sessions"},
    )


class CourseTypeForm(LengthNamedForm):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the course's name"}
    )
    code = forms.SlugField(
        label="Short code",
        max_length=40,
        help_text="Lower-case letters, numbers and hyphens, like cannabis-course",
        error_messages={
            "required": "Enter a short code",
            "invalid": "The short code can only have lower-case letters, numbers and hyphens",
        },
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the course is for"},
    )
    substance = forms.CharField(
        label="Substance (optional)",
        max_length=60,
        required=False,
        help_text="For a substance-specific course, like cannabis",
    )
    duration_minutes = _whole_number(
        "Length in minutes", 120, 180, help_text="Between 120 and 180 minutes (2 to 3 hours)"
    )
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=1000, widget=forms.Textarea
    )
    modules = forms.CharField(
        label="Modules",
        max_length=4000,
        help_text="One on each line, in the order they are taught",
        widget=forms.Textarea,
        error_messages={"required": "Enter at least one module"},
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code != code.lower():
            raise forms.ValidationError(
                "The short code can only have lower-case letters, numbers and hyphens"
            )
        return code

    def clean_modules(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["modules"].splitlines()]
        titles = [line for line in lines if line]
        if not titles:
            raise forms.ValidationError("Enter at least one module")
        if len(titles) > 10:
            raise forms.ValidationError("A course can have up to 10 modules")
        if any(len(title) > 120 for title in titles):
            raise forms.ValidationError("Each module title must be 120 characters or fewer")
        return titles

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == Audience.SUBSTANCE_SPECIFIC and not data.get("substance"):
            self.add_error("substance", "Enter the substance a substance-specific course is about")
        return data

    @staticmethod
    def initial_from(course_type: CourseType) -> dict[str, Any]:
        return {
            "name": course_type.name,
            "code": course_type.code,
            "audience": course_type.audience,
            "substance": course_type.substance,
            "duration_minutes": course_type.duration_minutes,
            "description": course_type.description,
            "modules": "\n".join(m.title for m in course_type.modules.all()),
        }


def _time_field(label: str, example: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=f"24-hour clock, for example {example}",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a time, like {example}",
        },
    )


class SessionForm(LengthNamedForm):
    course_type = forms.ModelChoiceField(
        label="Course type",
        queryset=CourseType.objects.none(),
        empty_label="Choose a course type",
        error_messages={"required": "Choose the course type"},
    )
    date = forms.DateField(
        label="Date",
        help_text="For example, 14/7/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date",
            "invalid": "Date must be a real date, like 14/7/2026",
        },
    )
    start_time = _time_field("Start time", "18:00")
    end_time = _time_field("End time", "21:00")
    delivery = forms.ChoiceField(
        label="How is it delivered?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        initial=Delivery.ONLINE,
        error_messages={"required": "Choose how the session is delivered"},
    )
    meeting_link = forms.URLField(
        assume_scheme="https",
        label="Meeting link",
        required=False,
        max_length=300,
        help_text="For an online session, like https://meet.example.org/abc",
        error_messages={"invalid": "Enter the meeting link as a web address starting https://"},
    )
    venue = forms.CharField(
        label="Venue", required=False, max_length=200, help_text="For an in-person session"
    )
    capacity = _whole_number("Seats", 1, 40, initial=15, help_text="1 to 40 people")
    facilitators = ModelMultipleChoiceField(
        label="Facilitators",
        queryset=CourseType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one facilitator"},
    )
    repeat_weeks = _whole_number(
        "Number of weeks",
        1,
        MAX_REPEAT_WEEKS,
        initial=1,
        help_text=f"1 for one session, or up to {MAX_REPEAT_WEEKS} to repeat it every week",
    )

    def __init__(self, *args: Any, scheme: Scheme, facilitators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course_type"].queryset = scheme.course_types.order_by("name")  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = facilitators  # type: ignore[attr-defined]
        self.fields["facilitators"].label_from_instance = lambda user: user.full_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            zone = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(data["date"], data["start_time"], tzinfo=zone)
            data["ends_at"] = dt.datetime.combine(data["date"], data["end_time"], tzinfo=zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", "The end time must be after the start time")
            elif not 60 <= (data["ends_at"] - data["starts_at"]).total_seconds() / 60 <= 240:
                self.add_error("end_time", "A session lasts between 1 and 4 hours")
        return data


class EnrolForm(LengthNamedForm):
    course_type = forms.ModelChoiceField(
        label="Course",
        queryset=CourseType.objects.none(),
        empty_label="Choose a course",
        error_messages={"required": "Choose the course"},
    )
    time_of_day = forms.ChoiceField(
        label="When can they attend?",
        choices=TimeOfDay.choices,
        widget=forms.RadioSelect,
        initial=TimeOfDay.ANY,
        error_messages={"required": "Choose when they can attend"},
    )
    delivery_preference = forms.ChoiceField(
        label="How would they like to attend?",
        choices=DeliveryPreference.choices,
        widget=forms.RadioSelect,
        initial=DeliveryPreference.ANY,
        required=False,
    )

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course_type"].queryset = scheme.course_types.order_by("name")  # type: ignore[attr-defined]

    def clean_delivery_preference(self) -> str:
        return self.cleaned_data.get("delivery_preference") or DeliveryPreference.ANY


MARK_LABELS = {
    "attended": "Attended",
    "late": "Late",
    "left_early": "Left early",
    "did_not_attend": "Did not attend",
}


class RegisterForm(LengthNamedForm):
    """One radio group per person still booked; nothing chosen to begin with."""

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            name = enrolment.referral.person.full_name
            self.fields[f"enrolment_{enrolment.pk}"] = forms.ChoiceField(
                label=name,
                choices=[(mark, MARK_LABELS[mark]) for mark in REGISTER_MARKS],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Mark whether {name} attended",
                    "invalid_choice": f"Mark whether {name} attended",
                },
            )

    def marks(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data[f"enrolment_{e.pk}"] for e in self.enrolments}
