"""The information-rights forms: finding a person, recording a request, deciding it, holds."""

from __future__ import annotations

from django import forms

from diversion.core.dates import GovUKDateField
from diversion.core.forms import LengthNamedForm
from diversion.privacy.models import HoldKind, RequestKind


def _radio(label: str, choices: object, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,  # type: ignore[arg-type]
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class PersonSearchForm(LengthNamedForm):
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the last name"}
    )
    date_of_birth = GovUKDateField(label="Date of birth", past_only=True)


class RequestForm(LengthNamedForm):
    kind = _radio("What is the person asking for?", RequestKind.choices, "Choose the request")
    received_on = GovUKDateField(label="Date received", help_text="For example, 27 3 2026")
    identity_checked = forms.BooleanField(
        label="I have checked the person's identity",
        required=False,
    )
    identity_evidence = forms.CharField(
        label="How the identity was checked",
        max_length=200,
        required=False,
        help_text="For example, passport seen in person, or answers matching the referral",
    )
    details = forms.CharField(
        label="What the person asks for (optional for subject access)",
        widget=forms.Textarea,
        max_length=5000,
        required=False,
        help_text="For a correction: what is wrong and what it should say",
    )


class SignOffForm(LengthNamedForm):
    person_told = forms.CharField(
        label="How the export is sent to the person",
        max_length=200,
        error_messages={"required": "Enter how the export is sent to the person"},
    )


class DecisionForm(LengthNamedForm):
    agree = _radio(
        "Decision",
        [("yes", "Agree and make the change"), ("no", "Refuse")],
        "Choose whether to agree or refuse",
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        max_length=5000,
        help_text="When refusing, the legal reason: for example, the police must keep the "
        "Community Resolution record",
        error_messages={"required": "Enter the reasons for the decision"},
    )
    person_told = forms.CharField(
        label="How the person was told",
        max_length=200,
        error_messages={"required": "Enter how the person was told of the decision"},
    )
    given_name = forms.CharField(label="Corrected first name", max_length=100, required=False)
    family_name = forms.CharField(label="Corrected last name", max_length=100, required=False)
    date_of_birth = GovUKDateField(label="Corrected date of birth", required=False)
    mobile = forms.CharField(label="Corrected mobile number", max_length=30, required=False)
    email = forms.EmailField(label="Corrected email address", max_length=200, required=False)


class HoldForm(LengthNamedForm):
    reference = forms.CharField(
        label="Referral reference",
        max_length=16,
        help_text="The hold covers this referral, or the person and all their referrals",
        error_messages={"required": "Enter the referral reference"},
    )
    scope = _radio(
        "Hold",
        [("person", "The person and all their referrals"), ("referral", "This referral only")],
        "Choose what the hold covers",
    )
    kind = _radio("Kind of hold", HoldKind.choices, "Choose the kind of hold")
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        max_length=500,
        error_messages={"required": "Enter why the record must be kept"},
    )
    review_on = GovUKDateField(label="Review date")


class LiftForm(LengthNamedForm):
    lift_reason = forms.CharField(
        label="Why the hold can be lifted",
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": "Enter why the hold can be lifted"},
    )
