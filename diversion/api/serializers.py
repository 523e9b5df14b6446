"""What police systems send: the same fields, rules and messages as the officer's web pages
(`officer/forms.py`; the shared choices and messages are `referrals/choices.py` and
`people/phones.py`), turned into the plain values the officer's submission service takes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers

from diversion.accounts.models import User
from diversion.api.strict import StrictBooleanField
from diversion.core.roles import Role
from diversion.people.models import Language, Sex
from diversion.people.phones import uk_mobile, uk_phone
from diversion.reference.models import ObservedEthnicity, SelfDefinedEthnicity
from diversion.referrals.choices import CIRCUMSTANCES, NO_CONTACT, NO_CONTACT_CONSENT, NO_SHARING
from diversion.referrals.details import DrugDetails, PersonDetails, StopDetails
from diversion.referrals.drugs import DRUGS, drug_class, drug_name
from diversion.referrals.eligibility import OTHER_OFFENCES, SUPPLY_INDICATORS, age_on
from diversion.referrals.models import HowFound
from diversion.schemes.models import LocalAuthority, Scheme
from diversion.schemes.policy import ADULT_AGE, DRUG_CLASSES

MAX_DRUGS = 10
OUTSIDE_AREA_ID = -1


def _choice(choices: Any, message: str, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices,
        error_messages={
            "required": message,
            "invalid_choice": f'{message}. "{{input}}" is not one of the codes this API accepts',
        },
        **kwargs,
    )


def _text(max_length: int, required_message: str = "", **kwargs: Any) -> serializers.CharField:
    if required_message:
        return serializers.CharField(
            max_length=max_length,
            error_messages={"required": required_message, "blank": required_message},
            **kwargs,
        )
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


class EligibilityPersonSerializer(serializers.Serializer):
    """Who was stopped: enough to find their earlier referrals."""

    given_name = _text(100, "Enter the person's first name")
    family_name = _text(100, "Enter the person's last name")
    date_of_birth = serializers.DateField(
        help_text="YYYY-MM-DD",
        error_messages={
            "required": "Enter the date of birth",
            "invalid": "Date of birth must be a real date, like 2001-03-27",
        },
    )
    police_person_id = _text(40, help_text="For example, a PNC or local person number")

    def validate_date_of_birth(self, value: dt.date) -> dt.date:
        today = timezone.localdate()
        if value >= today:
            raise serializers.ValidationError("Date of birth must be in the past")
        if value.year < 1900:
            raise serializers.ValidationError("Date of birth must be after 1900")
        if age_on(value, today) > 100:
            raise serializers.ValidationError("Date of birth must be within the last 100 years")
        return value


class PersonSerializer(EligibilityPersonSerializer):
    sex = _choice(Sex.choices, "Select the person's sex")
    self_defined_ethnicity = _choice(
        [], "Select how the person describes their ethnicity, or Not stated (Z)"
    )
    observed_ethnicity = _choice([], "Select the ethnicity you observed (IC code)")
    mobile = _text(20, help_text="A UK mobile number, for texts about the appointment")
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        default="",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    preferred_language = _choice(
        Language.choices, "Choose a preferred language", required=False, default=Language.ENGLISH
    )
    safe_to_text = StrictBooleanField(required=False, default=False)
    safe_to_leave_voicemail = StrictBooleanField(required=False, default=False)
    discreet_messages = StrictBooleanField(required=False, default=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        """The code lists come from the database: read when the fields are first used."""
        fields = super().get_fields()
        fields["self_defined_ethnicity"].choices = [  # type: ignore[attr-defined]
            (code.code, f"{code.group}: {code.name}") for code in SelfDefinedEthnicity.objects.all()
        ]
        fields["observed_ethnicity"].choices = [  # type: ignore[attr-defined]
            (code.code, code.name) for code in ObservedEthnicity.objects.all()
        ]
        return fields

    def validate_mobile(self, value: str) -> str:
        try:
            return uk_mobile(value.strip()) if value.strip() else ""
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("mobile") and not attrs.get("email"):
            raise serializers.ValidationError({"mobile": NO_CONTACT})
        if attrs.get("safe_to_text") and not attrs.get("mobile"):
            raise serializers.ValidationError(
                {"safe_to_text": "Texts need a mobile number: send one, or set this to false"}
            )
        return attrs


class DrugSerializer(serializers.Serializer):
    code = _choice(
        [(code, name) for code, (name, _class) in DRUGS.items()], "Select the drug found"
    )
    other_name = _text(60, help_text='The drug\'s name when code is "other"')
    drug_class = _choice(
        list(DRUG_CLASSES),
        "Select the class of the other drug",
        required=False,
        allow_blank=True,
        default="",
        help_text='The drug\'s class when code is "other"',
    )
    quantity = _text(80, help_text="For example, 2 grams or 3 tablets")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = {}
        if attrs["code"] == "other" and not attrs.get("other_name", "").strip():
            errors["other_name"] = "Enter the name of the other drug"
        if attrs["code"] == "other" and not attrs.get("drug_class"):
            errors["drug_class"] = "Select the class of the other drug"
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class StopSerializer(serializers.Serializer):
    stopped_at = serializers.DateTimeField(
        help_text="When the drugs were found, with its UTC offset: 2026-05-01T14:30:00+01:00",
        error_messages={
            "required": "Enter the date and time of the stop",
            "invalid": "Enter the date and time of the stop, like 2026-05-01T14:30:00+01:00",
        },
    )
    local_authority = serializers.RegexField(
        r"^[EWSN][0-9]{8}$",
        help_text="ONS code of the local authority where the drugs were found, like E08000025",
        error_messages={
            "required": "Enter the ONS code of the local authority where the drugs were found",
            "invalid": "Enter an ONS local authority code: a letter and 8 digits, like E08000025",
        },
    )
    place = _text(200, help_text="Street or landmark")
    how_found = _choice(HowFound.choices, "Select how the drugs were found")
    drugs = DrugSerializer(
        many=True,
        allow_empty=False,
        error_messages={"required": "Record each drug found", "empty": "Record each drug found"},
    )
    supply_indicators = serializers.ListField(
        child=_choice(list(SUPPLY_INDICATORS), "Choose a known indicator of supply"),
        required=False,
        default=list,
        max_length=len(SUPPLY_INDICATORS),
    )
    supply_suspected = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            'The officer\'s answer to "Do you suspect intent to supply?", needed when any '
            "supply indicator is given: true refuses diversion"
        ),
    )
    supply_reason = _text(500, help_text="The officer's reason for that answer")
    identity_answer = _choice(
        [("", "Not asked"), ("same", "The same person"), ("different", "A different person")],
        "Choose same or different",
        required=False,
        default="",
        help_text="The officer's answer about a possible match in another scheme",
    )
    other_offences = serializers.ListField(
        child=_choice(list(OTHER_OFFENCES), "Choose a known offence"),
        required=False,
        default=list,
        max_length=len(OTHER_OFFENCES),
    )
    circumstances = serializers.ListField(
        child=_choice(CIRCUMSTANCES, "Choose a known circumstance"),
        required=False,
        default=list,
        max_length=len(CIRCUMSTANCES),
    )
    appropriate_adult_name = _text(100, help_text="Needed for a person under 18")
    appropriate_adult_relationship = _text(60, help_text="For example, mother, carer")
    appropriate_adult_phone = _text(20)

    def validate_stopped_at(self, value: dt.datetime) -> dt.datetime:
        now = timezone.now()
        if value > now + dt.timedelta(minutes=5):
            raise serializers.ValidationError("The stop cannot be in the future")
        if value < now - dt.timedelta(days=28):
            raise serializers.ValidationError("The stop must be within the last 28 days")
        return value

    def validate_drugs(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_DRUGS:
            raise serializers.ValidationError(f"Record at most {MAX_DRUGS} drugs")
        return value

    def validate_local_authority(self, value: str) -> int:
        area = LocalAuthority.objects.filter(ons_code=value).values_list("pk", flat=True).first()
        if area is None:
            raise serializers.ValidationError(
                f"No local authority has the ONS code {value}. "
                "Use the code of the local authority where the drugs were found"
            )
        return area


def _stop_date_errors(
    dob: dt.date, stop: dict[str, Any], *, scheme: Scheme, require_adult: bool
) -> dict[str, str]:
    """Cross-field rules: the stop after the birth, and an appropriate adult for under 18s."""
    errors: dict[str, str] = {}
    day = timezone.localtime(stop["stopped_at"]).date()
    if day < dob:
        errors["stopped_at"] = "The stop cannot be before the person's date of birth"
        return errors
    young = age_on(dob, day) < ADULT_AGE and scheme.accepts_young_people
    if young and require_adult:
        if not stop.get("appropriate_adult_name", "").strip():
            errors["appropriate_adult_name"] = (
                "Enter the appropriate adult's name: a person under 18 needs one present"
            )
        if not stop.get("appropriate_adult_relationship", "").strip():
            errors["appropriate_adult_relationship"] = (
                "Enter the appropriate adult's relationship to the young person"
            )
        if not stop.get("appropriate_adult_phone", "").strip():
            errors["appropriate_adult_phone"] = "Enter the appropriate adult's phone number"
    if stop.get("appropriate_adult_phone", "").strip() and "appropriate_adult_phone" not in errors:
        try:
            stop["appropriate_adult_phone"] = uk_phone(stop["appropriate_adult_phone"])
        except ValidationError as error:
            errors["appropriate_adult_phone"] = error.messages[0]
    return errors


def stop_details(data: dict[str, Any]) -> StopDetails:
    return StopDetails(
        stopped_at=data["stopped_at"],
        local_authority_id=data["local_authority"],
        how_found=data["how_found"],
        drugs=tuple(
            DrugDetails(
                code=drug["code"],
                name=drug_name(drug["code"], drug.get("other_name", "")),
                drug_class=drug_class(drug["code"], drug.get("drug_class", "")),
                quantity=drug.get("quantity", "").strip(),
            )
            for drug in data["drugs"]
        ),
        place=data.get("place", "").strip(),
        supply_indicators=tuple(data.get("supply_indicators", ())),
        other_offences=tuple(data.get("other_offences", ())),
        circumstances=tuple(data.get("circumstances", ())),
        appropriate_adult_name=data.get("appropriate_adult_name", "").strip(),
        appropriate_adult_relationship=data.get("appropriate_adult_relationship", "").strip(),
        appropriate_adult_phone=data.get("appropriate_adult_phone", ""),
        supply_suspected=data.get("supply_suspected"),
        supply_reason=data.get("supply_reason", "").strip(),
        identity_answer=data.get("identity_answer", ""),
    )


class EligibilityCheckSerializer(serializers.Serializer):
    """An under-18 without an appropriate adult is a reason in the decision, not an input error."""

    person = EligibilityPersonSerializer(help_text="Who was stopped")
    stop = StopSerializer(help_text="What was found, where and when")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = _stop_date_errors(
            attrs["person"]["date_of_birth"],
            attrs["stop"],
            scheme=self.context["scheme"],
            require_adult=False,
        )
        if errors:
            raise serializers.ValidationError({"stop": errors})
        return attrs

    def person_details(self) -> PersonDetails:
        person = self.validated_data["person"]
        return PersonDetails(
            given_name=person["given_name"].strip(),
            family_name=person["family_name"].strip(),
            date_of_birth=person["date_of_birth"],
            sex=Sex.NOT_STATED,
            self_defined_ethnicity="",
            observed_ethnicity="",
            police_person_id=person.get("police_person_id", "").strip(),
        )

    def stop_details(self) -> StopDetails:
        return stop_details(self.validated_data["stop"])


class ReferralCreateSerializer(serializers.Serializer):
    officer_email = serializers.EmailField(
        help_text="The referring officer's Diversion account (work email address)",
        error_messages={
            "required": "Enter the referring officer's email address",
            "invalid": "Enter the officer's email address in the correct format",
        },
    )
    person = PersonSerializer(help_text="Who was stopped, and how to contact them")
    stop = StopSerializer(help_text="What was found, where and when")
    consent_to_contact = StrictBooleanField(
        error_messages={"required": "Confirm the person agrees to be contacted"}
    )
    consent_to_share = StrictBooleanField(error_messages={"required": NO_SHARING})
    slot_id = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="An assessment slot's id from GET /api/v1/slots/",
        error_messages={"required": "Choose a time for the telephone assessment"},
    )

    def validate_officer_email(self, value: str) -> User:
        officer = User.objects.filter(
            email__iexact=value,
            organisation=self.context["organisation"],
            role=Role.OFFICER,
            is_active=True,
        ).first()
        if officer is None:
            raise serializers.ValidationError(
                f"Enter the email address of an officer of {self.context['organisation']} "
                "who has a Diversion account"
            )
        return officer

    def validate_consent_to_contact(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(NO_CONTACT_CONSENT)
        return value

    def validate_consent_to_share(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(NO_SHARING)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = _stop_date_errors(
            attrs["person"]["date_of_birth"],
            attrs["stop"],
            scheme=self.context["scheme"],
            require_adult=True,
        )
        if errors:
            raise serializers.ValidationError({"stop": errors})
        return attrs

    def person_details(self) -> PersonDetails:
        data = self.validated_data["person"]
        return PersonDetails(
            **{
                name: data[name].strip() if isinstance(data[name], str) else data[name]
                for name in PersonDetails.__dataclass_fields__
            }
        )

    def stop_details(self) -> StopDetails:
        return stop_details(self.validated_data["stop"])
