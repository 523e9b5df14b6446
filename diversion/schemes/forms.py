from __future__ import annotations

from typing import Any

from django import forms

from diversion.schemes.models import FundingSource, OutcomeCode
from diversion.schemes.policy import (
    DRUG_CLASSES,
    EXCLUSIONS,
    LIMITS,
    POLICY_FIELDS,
    SUPPLY_INDICATORS,
)
from diversion.schemes.policy_parts import policy_parts


def _number(label: str, field: str, help_text: str) -> forms.IntegerField:
    low, high = LIMITS[field]
    return forms.IntegerField(
        label=label,
        help_text=f"{help_text} ({low} to {high})",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a whole number",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class PolicyForm(forms.Form):
    """Field-level checks only; the whole-policy rules live in schemes.policy and come back as
    errors on the named fields."""

    outcome_code = forms.TypedChoiceField(
        label="Outcome recorded",
        choices=OutcomeCode.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome the scheme records"},
    )
    eligible_drug_classes = forms.MultipleChoiceField(
        label="Drug classes the scheme accepts",
        choices=list(DRUG_CLASSES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    excluded_circumstances = forms.MultipleChoiceField(
        label="Circumstances the scheme excludes",
        help_text=(
            "On top of supply, production, dealing, area and age rules, which apply to every scheme"
        ),
        choices=list(EXCLUSIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    days_to_assessment = _number(
        "Days to assessment",
        "days_to_assessment",
        "Days from referral by which the assessment must happen",
    )
    days_to_course = _number(
        "Days to course",
        "days_to_course",
        "Days from referral by which the course must be completed",
    )
    missed_appointments_limit = _number(
        "Missed appointments allowed",
        "missed_appointments_limit",
        "How many missed appointments before the person is recorded as not engaged",
    )
    automatic_supply_refusals = forms.MultipleChoiceField(
        label="Supply indicators that refuse diversion on their own",
        help_text=(
            "Leave all unticked to let the officer judge: indicators inform the question "
            "“Do you suspect intent to supply?”"
        ),
        choices=list(SUPPLY_INDICATORS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    record_statement = forms.CharField(
        label="What the officer says about the Community Resolution's record",
        help_text=(
            "Leave blank for the standard words. Must say it is recorded by the police, is not "
            "a conviction and may be disclosed on an enhanced DBS check"
        ),
        widget=forms.Textarea,
        required=False,
        max_length=1000,
    )
    accepts_young_people = forms.TypedChoiceField(
        label="Does the scheme accept young people (under 18)?",
        choices=[("True", "Yes, with an appropriate adult present"), ("False", "No, adults only")],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
    )
    youth_minimum_age = _number(
        "Youngest age accepted",
        "youth_minimum_age",
        "Never below 10, the age of criminal responsibility",
    )
    slot_hold_minutes = _number(
        "Minutes a slot is held",
        "slot_hold_minutes",
        "How long an officer's chosen slot is held while they finish",
    )
    # The fields of the parts other apps own (policy_parts.py) come here, before the reason.
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Recorded in the audit log with the change",
        max_length=300,
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields.pop("reason")
        for part in policy_parts():
            self.fields[part.name] = part.form_field()
        self.fields["reason"] = reason

    @property
    def part_fields(self) -> list[dict[str, Any]]:
        """The parts' fields, each with the template that shows it."""
        return [
            {"template": part.form_template, "field": self[part.name]} for part in policy_parts()
        ]

    def part_values(self) -> dict[str, Any]:
        """The parts' cleaned values, by name, for `scheme_policy_update(parts=...)`."""
        return {part.name: self.cleaned_data[part.name] for part in policy_parts()}

    @staticmethod
    def initial_from(scheme: Any) -> dict[str, Any]:
        initial = {field: getattr(scheme, field) for field in POLICY_FIELDS}
        initial["accepts_young_people"] = str(scheme.accepts_young_people)
        for part in policy_parts():
            initial[part.name] = part.current(scheme)
        return initial


class SharingForm(forms.Form):
    share_with = forms.MultipleChoiceField(
        label="Schemes told whether a person referred here engaged",
        help_text=(
            "Only the fact crosses: the date and “engaged” or “did not engage”. Never notes, "
            "health, place or officer. Untick all to share with no scheme"
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Recorded in the audit log of this scheme and of each scheme affected",
        max_length=300,
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args: Any, schemes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["share_with"].choices = [(str(s.pk), s.name) for s in schemes]  # type: ignore[attr-defined]


class FundingPeriodForm(forms.Form):
    funder = forms.CharField(
        label="Funder", max_length=200, error_messages={"required": "Enter the funder"}
    )
    source = forms.ChoiceField(
        label="Source of funding",
        choices=[("", "Choose a source"), *FundingSource.choices],
        error_messages={"required": "Choose the source of funding"},
    )
    starts_on = forms.DateField(
        label="Start date",
        help_text="For example, 1/4/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the start date",
            "invalid": "Start date must be a real date, like 1/4/2026",
        },
    )
    ends_on = forms.DateField(
        label="End date",
        help_text="For example, 31/3/2027",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the end date",
            "invalid": "End date must be a real date, like 31/3/2027",
        },
    )
    amount_pounds = forms.DecimalField(
        label="Amount in pounds",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount",
            "invalid": "Amount must be a number, like 250000",
            "min_value": "Amount cannot be negative",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "The end date must be after the start date")
        return data
