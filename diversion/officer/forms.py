"""The three pages of the officer's referral. Each field says exactly what is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from diversion.core.dates import GovUKDateField
from diversion.people.models import Language, Sex
from diversion.people.phones import uk_mobile, uk_phone
from diversion.reference.models import ObservedEthnicity, SelfDefinedEthnicity
from diversion.referrals.choices import CIRCUMSTANCES, NO_CONTACT, NO_CONTACT_CONSENT, NO_SHARING
from diversion.referrals.details import DrugDetails, PersonDetails, StopDetails
from diversion.referrals.drugs import DRUGS, drug_class, drug_name
from diversion.referrals.eligibility import OTHER_OFFENCES, SUPPLY_INDICATORS, age_on
from diversion.referrals.models import HowFound
from diversion.schemes.models import Scheme
from diversion.schemes.policy import ADULT_AGE, DRUG_CLASSES, EXCLUSIONS

OUTSIDE_AREA = "-1"
DRUG_ROWS = 3


def _ethnicity_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for code in SelfDefinedEthnicity.objects.all():
        groups.setdefault(code.group, []).append((code.code, f"{code.name} ({code.code})"))
    return [("", "Choose how the person describes their ethnicity"), *groups.items()]


class PersonForm(forms.Form):
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the person's first name"},
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
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
    mobile = forms.CharField(
        label="Mobile number",
        required=False,
        max_length=20,
        help_text="For texts about the appointment",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
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
    police_person_id = forms.CharField(
        label="Police person identifier (optional)",
        required=False,
        max_length=40,
        help_text="For example, a PNC or local person number",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_defined_ethnicity"].choices = _ethnicity_choices()  # type: ignore[attr-defined]
        self.fields["observed_ethnicity"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an IC code"),
            *((c.code, f"{c.code}: {c.name}") for c in ObservedEthnicity.objects.all()),
        ]

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


class StopForm(forms.Form):
    stopped_on = GovUKDateField(label="Date of the stop", help_text="For example, 23 11 2026")
    stopped_time = forms.CharField(
        label="Time of the stop",
        max_length=5,
        help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the stop"},
    )
    local_authority = forms.ChoiceField(
        label="Local authority where the drugs were found",
        choices=[],
        error_messages={"required": "Select the local authority where the drugs were found"},
    )
    place = forms.CharField(label="Place (street or landmark)", required=False, max_length=200)
    how_found = forms.ChoiceField(
        label="How were the drugs found?",
        choices=HowFound.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the drugs were found"},
    )
    supply_indicators = forms.MultipleChoiceField(
        label="Indicators of supply",
        help_text="Select all that you found. Leave blank if none.",
        choices=list(SUPPLY_INDICATORS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    supply_suspected = forms.ChoiceField(
        label="Do you suspect intent to supply?",
        help_text=(
            "Your judgement decides, not the indicators alone: answer if you found any. "
            "Diversion is never offered if you suspect intent to supply."
        ),
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        required=False,
    )
    supply_reason = forms.CharField(
        label="Your reason",
        help_text="Recorded for supervisors with the decision",
        widget=forms.Textarea,
        required=False,
        max_length=500,
    )
    identity_answer = forms.ChoiceField(
        label="Is this the person another scheme referred before?",
        choices=[("same", "Yes, the same person"), ("different", "No, a different person")],
        widget=forms.RadioSelect,
        required=False,
    )
    other_offences = forms.MultipleChoiceField(
        label="Other offences at the same time",
        help_text="Leave blank if none.",
        choices=[(code, offence.label.capitalize()) for code, offence in OTHER_OFFENCES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    circumstances = forms.MultipleChoiceField(
        label="Circumstances",
        help_text="Leave blank if none apply.",
        choices=[(code, EXCLUSIONS[code]) for code in CIRCUMSTANCES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    appropriate_adult_name = forms.CharField(
        label="Appropriate adult's full name", required=False, max_length=100
    )
    appropriate_adult_relationship = forms.CharField(
        label="Relationship to the young person",
        required=False,
        max_length=60,
        help_text="For example, mother, carer, social worker",
    )
    appropriate_adult_phone = forms.CharField(
        label="Appropriate adult's phone number", required=False, max_length=20
    )

    def __init__(self, *args: Any, scheme: Scheme, date_of_birth: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme, self.date_of_birth = scheme, date_of_birth
        self.fields["local_authority"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a local authority"),
            *((str(la.pk), la.name) for la in scheme.local_authorities.all()),
            (OUTSIDE_AREA, "Somewhere outside this scheme's area"),
        ]
        drug_choices = [
            ("", "Choose a drug"),
            *((code, name) for code, (name, _cls) in DRUGS.items()),
        ]
        class_choices = [
            ("", "Choose its class"),
            *((code, f"Class {code}") for code in DRUG_CLASSES),
        ]
        for row in range(DRUG_ROWS):
            first = row == 0
            self.fields[f"drug_{row}"] = forms.ChoiceField(
                label="Drug found" if first else f"Another drug found ({row + 1})",
                choices=drug_choices,
                required=first,
                error_messages={"required": "Select the drug found"},
            )
            self.fields[f"drug_{row}_other"] = forms.CharField(
                label="Name of the other drug", required=False, max_length=60
            )
            self.fields[f"drug_{row}_class"] = forms.ChoiceField(
                label="Class of the other drug", choices=class_choices, required=False
            )
            self.fields[f"drug_{row}_quantity"] = forms.CharField(
                label="Approximate quantity",
                required=False,
                max_length=80,
                help_text="For example, 2 grams or 3 tablets",
            )

    def drug_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "drug": self[f"drug_{row}"],
                "other": self[f"drug_{row}_other"],
                "drug_class": self[f"drug_{row}_class"],
                "quantity": self[f"drug_{row}_quantity"],
            }
            for row in range(DRUG_ROWS)
        ]

    def clean_stopped_time(self) -> dt.time:
        value = self.cleaned_data["stopped_time"].strip().replace(".", ":")
        try:
            return dt.datetime.strptime(value, "%H:%M").time()
        except ValueError as error:
            raise forms.ValidationError(
                "Enter the time of the stop as hours and minutes, like 14:30"
            ) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("stopped_on"), data.get("stopped_time")
        if day and time:
            stopped_at = timezone.make_aware(dt.datetime.combine(day, time))
            now = timezone.now()
            if stopped_at > now + dt.timedelta(minutes=5):
                self.add_error("stopped_on", "The stop cannot be in the future")
            elif stopped_at < now - dt.timedelta(days=28):
                self.add_error("stopped_on", "The stop must be within the last 28 days")
            elif day < self.date_of_birth:
                self.add_error("stopped_on", "The stop cannot be before the person's date of birth")
            data["stopped_at"] = stopped_at
        drugs: list[DrugDetails] = []
        for row in range(DRUG_ROWS):
            code = data.get(f"drug_{row}")
            if not code:
                continue
            other = data.get(f"drug_{row}_other", "").strip()
            stated = data.get(f"drug_{row}_class", "")
            if code == "other" and not other:
                self.add_error(f"drug_{row}_other", "Enter the name of the other drug")
            if code == "other" and not stated:
                self.add_error(f"drug_{row}_class", "Select the class of the other drug")
            drugs.append(
                DrugDetails(
                    code=code,
                    name=drug_name(code, other),
                    drug_class=drug_class(code, stated),
                    quantity=data.get(f"drug_{row}_quantity", "").strip(),
                )
            )
        data["drugs"] = tuple(drugs)
        self._clean_supply_judgement(data)
        if day and age_on(self.date_of_birth, day) < ADULT_AGE and self.scheme.accepts_young_people:
            self._require_appropriate_adult(data)
        elif data.get("appropriate_adult_phone"):
            self._clean_adult_phone(data)
        return data

    def stop_details(self) -> StopDetails:
        data = self.cleaned_data
        area = data["local_authority"]
        return StopDetails(
            stopped_at=data["stopped_at"],
            local_authority_id=int(area) if area != OUTSIDE_AREA else -1,
            how_found=data["how_found"],
            drugs=data["drugs"],
            place=data["place"],
            supply_indicators=tuple(data["supply_indicators"]),
            other_offences=tuple(data["other_offences"]),
            circumstances=tuple(data["circumstances"]),
            appropriate_adult_name=data["appropriate_adult_name"].strip(),
            appropriate_adult_relationship=data["appropriate_adult_relationship"].strip(),
            appropriate_adult_phone=data["appropriate_adult_phone"],
            supply_suspected={"yes": True, "no": False}.get(data.get("supply_suspected", "")),
            supply_reason=data.get("supply_reason", "").strip(),
            identity_answer=data.get("identity_answer", ""),
        )

    def _clean_supply_judgement(self, data: dict[str, Any]) -> None:
        """Indicators found: the officer answers the question, with a reason either way."""
        answer, reason = data.get("supply_suspected", ""), data.get("supply_reason", "").strip()
        if data.get("supply_indicators") and not answer:
            self.add_error(
                "supply_suspected",
                "Select yes if you suspect intent to supply, or no if you do not",
            )
        elif answer and not reason:
            self.add_error("supply_reason", "Enter your reason")
        elif answer == "no" and not data.get("supply_indicators"):
            data["supply_suspected"], data["supply_reason"] = "", ""

    def _require_appropriate_adult(self, data: dict[str, Any]) -> None:
        if not data.get("appropriate_adult_name", "").strip():
            self.add_error(
                "appropriate_adult_name",
                "Enter the appropriate adult's name: a person under 18 needs one present",
            )
        if not data.get("appropriate_adult_relationship", "").strip():
            self.add_error(
                "appropriate_adult_relationship",
                "Enter the appropriate adult's relationship to the young person",
            )
        if not data.get("appropriate_adult_phone", "").strip():
            self.add_error("appropriate_adult_phone", "Enter the appropriate adult's phone number")
        else:
            self._clean_adult_phone(data)

    def _clean_adult_phone(self, data: dict[str, Any]) -> None:
        try:
            data["appropriate_adult_phone"] = uk_phone(data["appropriate_adult_phone"])
        except forms.ValidationError as error:
            self.add_error("appropriate_adult_phone", error)


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
