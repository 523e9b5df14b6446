"""The provider manager's forms: the directory of services, the advice library and the
casework settings."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from diversion.casework.forms import checkbox_field, radio_field
from diversion.casework.models import ServiceKind
from diversion.casework.rules import ADVICE_TRIGGERS, allocation_rules_validate
from diversion.core.forms import LengthNamedForm


class OnwardServiceForm(LengthNamedForm):
    kind = radio_field("Kind of service", ServiceKind.choices, "Select the kind of service")
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the service's name"}
    )
    contact = forms.CharField(
        label="How to refer",
        max_length=200,
        help_text="Phone, email or web address",
        error_messages={"required": "Enter how to refer to the service"},
    )
    description = forms.CharField(
        label="Description", max_length=500, required=False, widget=forms.Textarea
    )
    is_active = forms.BooleanField(label="Workers can refer people to this service", required=False)


class AdviceForm(LengthNamedForm):
    title = forms.CharField(
        label="Title", max_length=120, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(
        label="What the worker explains",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter the advice"},
    )
    message_text = forms.CharField(
        label="For the person's summary",
        max_length=300,
        help_text="One or two sentences, safe to be read over their shoulder",
        error_messages={
            "required": "Enter the sentence for the person's summary",
            "max_length": "The summary sentence must be 300 characters or fewer",
        },
    )
    triggers = checkbox_field(
        "When does this advice apply?",
        ADVICE_TRIGGERS.items(),
        "Select when this advice applies",
        help_text="It goes in a draft plan when any of these is true",
    )
    change_note = forms.CharField(
        label="What changed and why",
        max_length=300,
        error_messages={"required": "Say what changed and why"},
    )


class SettingsForm(LengthNamedForm):
    safeguarding_lead = forms.ChoiceField(
        label="Safeguarding lead",
        choices=[],
        required=False,
        help_text="Safeguarding concerns raised in assessments go to this person",
    )
    allocation_rules = forms.CharField(
        label="Allocation rules (JSON)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea,
        help_text="Leave empty to use the standard rules shown below",
    )

    def __init__(self, *args: Any, staff: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in staff}
        self.fields["safeguarding_lead"].choices = [  # type: ignore[attr-defined]
            ("", "No lead: concerns go to every provider manager"),
            *[(pk, user.full_name) for pk, user in self.staff.items()],
        ]

    def clean_safeguarding_lead(self) -> Any:
        return self.staff.get(self.cleaned_data["safeguarding_lead"])

    def clean_allocation_rules(self) -> Any:
        text = self.cleaned_data["allocation_rules"].strip()
        if not text:
            return None
        try:
            rules = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"The rules are not valid JSON: {error.msg} on line {error.lineno}"
            ) from error
        return allocation_rules_validate(rules)
