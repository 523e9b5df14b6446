"""The casework pages' forms. Each says exactly what is wrong; a form with errors saves nothing.

`cleaned_answers()` gives what the service stores for the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from diversion.casework.models import OnwardStatus
from diversion.casework.questions import (
    ALCOHOL,
    AUDIT_MORE,
    DRUGS,
    FREQUENCIES,
    INJECTING,
    MENTAL_HEALTH,
    NO_CONCERNS,
    OVERDOSE,
    PHYSICAL_HEALTH,
    ROUTES,
    SAFEGUARDING,
    YOUTH_SAFEGUARDING,
    RiskLevel,
)
from diversion.casework.rules import ONWARD_ONLY
from diversion.core.dates import GovUKDateField
from diversion.core.forms import LengthNamedForm
from diversion.reference.models import AuditCQuestion

NONE_USED = "none"
NOTES_MAX = 2000


def _notes(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea,
        help_text=help_text,
        error_messages={"max_length": f"{label} must be {NOTES_MAX} characters or fewer"},
    )


def radio_field(label: str, choices: Any, message: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def checkbox_field(
    label: str, choices: Any, message: str, **kwargs: Any
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


class DrugsForm(LengthNamedForm):
    used = checkbox_field(
        "Which drugs does the person use?",
        [*DRUGS.items(), (NONE_USED, "None of these")],
        "Select every drug the person uses, or None of these",
        help_text="Select all that apply",
    )
    notes = _notes("Notes on drug use", "Only what helps the plan; the person can see these")

    def clean_used(self) -> list[str]:
        used: list[str] = self.cleaned_data["used"]
        if NONE_USED in used and len(used) > 1:
            raise ValidationError("Select drugs the person uses, or None of these, not both")
        return [code for code in used if code != NONE_USED]

    def cleaned_answers(self) -> dict[str, Any]:
        return {"used": self.cleaned_data["used"], "notes": self.cleaned_data["notes"]}


class DrugDetailForm(LengthNamedForm):
    frequency = radio_field(
        "How often?", FREQUENCIES.items(), "Select how often the person uses it"
    )
    routes = checkbox_field(
        "How is it taken?",
        ROUTES.items(),
        "Select how the person takes it",
        help_text="Select all that apply",
    )
    age_first = forms.IntegerField(
        label="Age at first use",
        min_value=5,
        error_messages={
            "required": "Enter the person's age when they first used it",
            "invalid": "Age at first use must be a whole number, like 16",
            "min_value": "Age at first use must be 5 or more",
        },
    )
    together = checkbox_field(
        "What is taken with it?",
        [],
        "Select what the person takes with it",
        required=False,
        help_text="Select all that apply, or none",
    )

    def __init__(self, *args: Any, code: str, others: list[str], age: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.age = age
        choices = [(ALCOHOL, "Alcohol"), *[(c, DRUGS[c]) for c in others if c != code]]
        self.fields["together"].choices = choices  # type: ignore[attr-defined]

    def clean_age_first(self) -> int:
        age: int = self.cleaned_data["age_first"]
        if age > self.age:
            raise ValidationError(
                f"Age at first use must be no more than {self.age}, their age now"
            )
        return age

    def cleaned_answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "frequency": data["frequency"],
            "routes": data["routes"],
            "age_first": data["age_first"],
            "with": data["together"],
        }


class AlcoholForm(LengthNamedForm):
    """AUDIT-C: the three questions and answers come from the reference data."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in AuditCQuestion.objects.order_by("number"):
            self.fields[f"q{question.number}"] = radio_field(
                question.question,
                [(str(score), answer) for score, answer in enumerate(question.answers)],
                f"Select an answer to question {question.number}",
            )

    def cleaned_answers(self) -> dict[str, Any]:
        return {"audit_c": [int(self.cleaned_data[name]) for name in sorted(self.fields)]}


class AuditForm(LengthNamedForm):
    """AUDIT questions 4 to 10 (after a positive AUDIT-C)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, question, answers, _scores in AUDIT_MORE:
            self.fields[f"q{number}"] = radio_field(
                question,
                [(str(position), answer) for position, answer in enumerate(answers)],
                f"Select an answer to question {number}",
            )

    def cleaned_answers(self) -> dict[str, Any]:
        return {"answers": [int(self.cleaned_data[f"q{n}"]) for n, *_rest in AUDIT_MORE]}


YES_NO = [("no", "No"), ("yes", "Yes")]


class HealthForm(LengthNamedForm):
    mental_health = radio_field(
        "Mental health", MENTAL_HEALTH.items(), "Select whether there are mental health concerns"
    )
    mental_health_notes = _notes("Mental health notes")
    physical_health = radio_field(
        "Physical health",
        PHYSICAL_HEALTH.items(),
        "Select whether there are physical health concerns",
    )
    physical_health_notes = _notes("Physical health notes")
    overdose = radio_field(
        "Has the person ever overdosed?",
        OVERDOSE.items(),
        "Select whether the person has overdosed",
    )
    injecting = radio_field(
        "Has the person ever injected?", INJECTING.items(), "Select whether the person has injected"
    )
    sharing = radio_field(
        "Has the person shared needles, syringes or other injecting equipment?",
        YES_NO,
        "Select whether the person has shared injecting equipment",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sharing") == "yes" and data.get("injecting") == "never":
            self.add_error(
                "sharing",
                "The person has never injected, so they cannot have shared injecting equipment",
            )
        return data

    def cleaned_answers(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class SafeguardingForm(LengthNamedForm):
    concerns = checkbox_field(
        "Are there signs of any of these?",
        [*SAFEGUARDING.items(), (NO_CONCERNS, "None of these")],
        "Select any signs of harm, or None of these",
        help_text="Select all that apply. Any concern goes to the scheme's safeguarding lead",
    )
    youth = checkbox_field(
        "For a young person: do any of these apply?",
        [*YOUTH_SAFEGUARDING.items(), (NO_CONCERNS, "None of these")],
        "Select any that apply to the young person, or None of these",
        required=False,
        help_text="Select all that apply",
    )
    notes = _notes("Safeguarding notes")

    def __init__(self, *args: Any, young: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.young = young
        if young:
            self.fields["youth"].required = True
        else:
            del self.fields["youth"]

    def _exclusive(self, name: str) -> list[str]:
        chosen: list[str] = self.cleaned_data.get(name, [])
        if NO_CONCERNS in chosen and len(chosen) > 1:
            raise ValidationError("Select the signs you saw, or None of these, not both")
        return chosen

    def clean_concerns(self) -> list[str]:
        return self._exclusive("concerns")

    def clean_youth(self) -> list[str]:
        return self._exclusive("youth")

    def cleaned_answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "concerns": data["concerns"],
            "youth": data.get("youth", []),
            "notes": data["notes"],
        }


class RiskForm(LengthNamedForm):
    level = radio_field("Risk level", RiskLevel.choices, "Select a risk level")
    reason = _notes(
        "Why is it different from the proposal?",
        "Needed only when you choose a different level from the one proposed",
    )

    def __init__(self, *args: Any, proposed: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposed = proposed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level = data.get("level")
        if level and level != self.proposed and not data.get("reason", "").strip():
            self.add_error("reason", "Say why the risk level differs from the one proposed")
        return data

    def cleaned_answers(self) -> dict[str, Any]:
        return {"level": self.cleaned_data["level"], "reason": self.cleaned_data["reason"]}


class AllocationForm(LengthNamedForm):
    choice = radio_field("Allocate to", [], "Select a course, or onward referral only")
    reason = _notes(
        "Why are you not following the proposal?",
        "Needed only when you choose something other than the proposal",
    )

    def __init__(self, *args: Any, course_types: list[Any], proposed: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposed = proposed
        self.fields["choice"].choices = [  # type: ignore[attr-defined]
            *[(c.code, c.name) for c in course_types],
            (ONWARD_ONLY, "Onward referral only: structured treatment instead of the course"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("choice") and data["choice"] != self.proposed and not data["reason"].strip():
            self.add_error("reason", "Say why you are not following the proposal")
        return data


class PlanForm(LengthNamedForm):
    advice = checkbox_field(
        "Advice in the plan",
        [],
        "Select at least one piece of advice",
        help_text="Drafted from the assessment. Add or remove advice to suit the person",
    )
    personal_note = _notes("A personal note for the person", "Included in the summary sent to them")

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advice"].choices = [(str(v.pk), v.title) for v in versions]  # type: ignore[attr-defined]


class SendSummaryForm(LengthNamedForm):
    consent = forms.BooleanField(
        label="The person agreed to be sent this summary",
        error_messages={"required": "Confirm the person agreed to be sent the summary"},
    )


class OnwardReferralForm(LengthNamedForm):
    service = forms.ChoiceField(
        label="Service",
        choices=[],
        error_messages={
            "required": "Select the service to refer the person to",
            "invalid_choice": "Select the service to refer the person to",
        },
    )
    consent = forms.BooleanField(
        label="The person agreed to the referral and to their details going to the service",
        error_messages={"required": "Confirm the person agreed to the referral"},
    )
    follow_up_on = GovUKDateField(label="Follow-up date", help_text="For example, 27 3 2026")
    notes = _notes("Notes for the service")

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a service"),
            *[(str(s.pk), f"{s.name} ({s.get_kind_display()})") for s in services],
        ]

    def clean_follow_up_on(self) -> dt.date:
        date: dt.date = self.cleaned_data["follow_up_on"]
        if date < timezone.localdate():
            raise ValidationError("Follow-up date must be today or in the future")
        return date


class OnwardUpdateForm(LengthNamedForm):
    status = radio_field("Status", OnwardStatus.choices, "Select the referral's status")
    follow_up_on = GovUKDateField(label="Next follow-up date", required=False)
