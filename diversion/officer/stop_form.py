"""The stop page's form: what happened, the drugs found, the signs of supply, the appropriate
adult. Fits two phone screens for an adult with one drug (issue 17): one drug row until the
officer adds another (a submit button, so it works without JavaScript), the long lists behind
details that open themselves when they hold an answer or an error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from diversion.core.dates import GovUKDateField
from diversion.officer.fields import limited
from diversion.people.phones import uk_phone
from diversion.referrals.choices import CIRCUMSTANCES
from diversion.referrals.details import DrugDetails, StopDetails
from diversion.referrals.drugs import DRUGS, drug_class, drug_name
from diversion.referrals.eligibility import OTHER_OFFENCES, SUPPLY_INDICATORS, age_on
from diversion.referrals.models import HowFound
from diversion.schemes.models import Scheme
from diversion.schemes.policy import ADULT_AGE, DRUG_CLASSES, EXCLUSIONS

OUTSIDE_AREA = "-1"
DRUG_ROWS = 3
ADD_DRUG = "add_drug"
ADULT_FIELDS = (
    "appropriate_adult_name",
    "appropriate_adult_relationship",
    "appropriate_adult_phone",
)


class StopForm(forms.Form):
    stopped_on = GovUKDateField(label="Date of the stop", help_text="For example, 23 11 2026")
    stopped_time = limited(
        5,
        label="Time of the stop",
        help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the stop"},
    )
    local_authority = forms.ChoiceField(
        label="Local authority where the drugs were found",
        choices=[],
        error_messages={"required": "Select the local authority where the drugs were found"},
    )
    place = limited(200, label="Place (street or landmark)", name="Place", required=False)
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
    supply_reason = limited(
        500,
        label="Your reason",
        help_text="Recorded for supervisors with the decision",
        widget=forms.Textarea,
        required=False,
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
    appropriate_adult_name = limited(100, label="Appropriate adult's full name", required=False)
    appropriate_adult_relationship = limited(
        60,
        label="Relationship to the young person",
        required=False,
        help_text="For example, mother, carer, social worker",
    )
    appropriate_adult_phone = limited(20, label="Appropriate adult's phone number", required=False)

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
            self.fields[f"drug_{row}_other"] = limited(
                60, label="Name of the other drug", required=False
            )
            self.fields[f"drug_{row}_class"] = forms.ChoiceField(
                label="Class of the other drug", choices=class_choices, required=False
            )
            self.fields[f"drug_{row}_quantity"] = limited(
                80,
                label="Approximate quantity",
                required=False,
                help_text="For example, 2 grams or 3 tablets",
            )

        self.rows_shown = self._rows_in_use()

    def _rows_in_use(self) -> int:
        """One row, or as many as hold an answer, plus one when the officer pressed "Add
        another drug"."""
        source: Any = self.data if self.is_bound else self.initial
        used = [
            row
            for row in range(DRUG_ROWS)
            if any(source.get(f"drug_{row}{part}") for part in ("", "_other", "_quantity"))
        ]
        shown = max(used, default=0) + 1
        if self.is_bound and self.data.get(ADD_DRUG):
            shown += 1
        return min(max(shown, 1), DRUG_ROWS)

    @property
    def can_add_drug(self) -> bool:
        return self.rows_shown < DRUG_ROWS

    def adding_a_drug(self) -> bool:
        """The officer asked for another row: show the page again as typed, without errors."""
        if not (self.is_bound and self.data.get(ADD_DRUG)):
            return False
        self._errors = ErrorDict()  # nothing was checked yet: no error to show
        return True

    def _answered(self, *names: str) -> bool:
        if self._errors is None and self.is_bound:
            self.full_clean()
        if any(name in (self._errors or {}) for name in names):
            return True
        source: Any = self.data if self.is_bound else self.initial
        return any(source.get(name) for name in names)

    @property
    def when_open(self) -> bool:
        return self._answered_wrongly("stopped_on", "stopped_time")

    @property
    def when_label(self) -> str:
        """The stop's date and time as entered (today's and now's unless changed)."""
        source: Any = self.data if self.is_bound else self.initial
        if self.is_bound:
            day = [source.get(f"stopped_on_{part}", "") for part in range(3)]
        else:
            day = list(source.get("stopped_on") or ["", "", ""])
        time = source.get("stopped_time", "")
        if not all(day) or not time:
            return "now, unless you change it"
        return f"{day[0]}/{day[1]}/{day[2]} at {time}"

    def _answered_wrongly(self, *names: str) -> bool:
        if self._errors is None and self.is_bound:
            self.full_clean()
        return any(name in (self._errors or {}) for name in names)

    @property
    def supply_open(self) -> bool:
        return self._answered("supply_indicators", "supply_suspected", "supply_reason")

    @property
    def offences_open(self) -> bool:
        return self._answered("other_offences", "circumstances")

    def adult_needed(self, today: dt.date) -> bool:
        """Show the appropriate adult's questions: a person under 18 (in a scheme that takes
        young people), or answers or errors already there."""
        young = age_on(self.date_of_birth, today) < ADULT_AGE and self.scheme.accepts_young_people
        return young or self._answered(*ADULT_FIELDS)

    def drug_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "drug": self[f"drug_{row}"],
                "other": self[f"drug_{row}_other"],
                "drug_class": self[f"drug_{row}_class"],
                "quantity": self[f"drug_{row}_quantity"],
                "hidden": row >= self.rows_shown,
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
