"""The three pages of the officer's referral. Each field says exactly what is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from diversion.core.dates import GovUKDateField
from diversion.officer.fields import limited
from diversion.officer.stop_form import DRUG_ROWS, OUTSIDE_AREA, StopForm
from diversion.people.models import Language, Sex
from diversion.people.phones import uk_mobile
from diversion.reference.models import ObservedEthnicity, SelfDefinedEthnicity
from diversion.referrals.choices import NO_CONTACT, NO_CONTACT_CONSENT, NO_SHARING
from diversion.referrals.details import PersonDetails
from diversion.referrals.eligibility import age_on

__all__ = ["DRUG_ROWS", "OUTSIDE_AREA", "ConsentForm", "PersonForm", "StopForm", "slot_label"]


def _ethnicity_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for code in SelfDefinedEthnicity.objects.all():
        groups.setdefault(code.group, []).append((code.code, f"{code.name} ({code.code})"))
    return [("", "Choose how the person describes their ethnicity"), *groups.items()]


class PersonForm(forms.Form):
    given_name = limited(
        100,
        label="First name",
        error_messages={"required": "Enter the person's first name"},
    )
    family_name = limited(
        100,
        label="Last name",
        error_messages={"required": "Enter the person's last name"},
    )
    date_of_birth = GovUKDateField(
        label="Date of birth", past_only=True, help_text="For example, 27 3 2001"
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's sex"},
    )
    self_defined_ethnicity = forms.ChoiceField(
        label="Ethnicity, as the person describes it",
        choices=[],
        error_messages={
            "required": "Select how the person describes their ethnicity, or Not stated"
        },
    )
    observed_ethnicity = forms.ChoiceField(
        label="Ethnicity you observed (IC code)",
        choices=[],
        error_messages={"required": "Select the ethnicity you observed (IC code)"},
    )
    mobile = limited(
        20,
        label="Mobile number",
        required=False,
        help_text="For texts about the appointment",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    preferred_language = forms.ChoiceField(
        label="Preferred language", choices=Language.choices, initial=Language.ENGLISH
    )
    safe_to_text = forms.BooleanField(label="It is safe to send this person texts", required=False)
    safe_to_leave_voicemail = forms.BooleanField(
        label="It is safe to leave a voicemail", required=False
    )
    discreet_messages = forms.BooleanField(
        label="Use discreet wording: no mention of police or drugs in message previews",
        required=False,
        initial=True,
    )
    police_person_id = limited(
        40,
        label="Police person identifier (optional)",
        name="Police person identifier",
        required=False,
        help_text="For example, a PNC or local person number",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_defined_ethnicity"].choices = _ethnicity_choices()  # type: ignore[attr-defined]
        self.fields["observed_ethnicity"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an IC code"),
            *((c.code, f"{c.code}: {c.name}") for c in ObservedEthnicity.objects.all()),
        ]

    @property
    def more_open(self) -> bool:
        """The optional settings are shown when one holds an error or differs from its default."""
        names = ("preferred_language", "safe_to_leave_voicemail", "discreet_messages")
        if any(self[name].errors for name in (*names, "police_person_id")):
            return True
        language, voicemail, discreet = (self[name].value() for name in names)
        police_id = self["police_person_id"].value()
        changed = language not in (None, "", "en") or bool(voicemail) or not discreet
        return changed or bool(police_id)

    def clean_mobile(self) -> str:
        value: str = self.cleaned_data.get("mobile", "").strip()
        return uk_mobile(value) if value else ""

    def clean_date_of_birth(self) -> dt.date:
        value: dt.date = self.cleaned_data["date_of_birth"]
        if age_on(value, timezone.localdate()) > 100:
            raise forms.ValidationError("Date of birth must be within the last 100 years")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_contact = not data.get("mobile") and not data.get("email")
        if no_contact and not self.errors.get("mobile") and not self.errors.get("email"):
            self.add_error("mobile", NO_CONTACT)
        if data.get("safe_to_text") and not data.get("mobile") and "mobile" not in self.errors:
            self.add_error("safe_to_text", "Texts need a mobile number: enter one, or untick this")
        return data

    def person_details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(**{name: data[name] for name in PersonDetails.__dataclass_fields__})


class ConsentForm(forms.Form):
    consent_to_contact = forms.BooleanField(
        label="The person agrees to be contacted by the provider",
        error_messages={"required": NO_CONTACT_CONSENT},
    )
    consent_to_share = forms.BooleanField(
        label="The person agrees to their information being shared with the provider",
        error_messages={
            "required": NO_SHARING,
        },
    )
    slot = forms.ChoiceField(
        label="Telephone assessment",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a time for the telephone assessment",
            "invalid_choice": "That time is no longer available. Choose another time",
        },
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, slots: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots_offer(slots)

    def slots_offer(self, slots: list[Any]) -> None:
        """The times shown: after a refused submission, the next free ones, not the one sent."""
        choices = [(str(slot.pk), slot_label(slot)) for slot in slots]
        self.fields["slot"].choices = choices  # type: ignore[attr-defined]


def slot_label(slot: Any) -> str:
    start = timezone.localtime(slot.starts_at)
    return f"{start:%A} {start.day} {start:%B} at {start:%H:%M}"
