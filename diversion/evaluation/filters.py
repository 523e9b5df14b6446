"""The dashboard's filters and the evaluator's extract request: a scheme the user may see, a
period (GOV.UK date inputs) and, for the dashboard, an optional local authority of that scheme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from diversion.core.dates import GovUKDateField
from diversion.schemes.models import Scheme
from diversion.schemes.selectors import schemes_for_user

LONGEST_PERIOD_DAYS = 366 * 10


@dataclass(frozen=True)
class Filters:
    scheme: Scheme
    start: dt.date
    end: dt.date
    local_authority: str = ""


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months: from the first of the month a year ago to today."""
    today = today or dt.date.today()
    return today.replace(year=today.year - 1, day=1), today


def _date_parts(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


class PeriodForm(forms.Form):
    scheme = forms.ChoiceField(label="Scheme", error_messages={"required": "Choose a scheme"})
    start = GovUKDateField(label="From", help_text="For example, 1 4 2025")
    end = GovUKDateField(label="To", help_text="For example, 31 3 2026")

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data)
        self.schemes = list(
            schemes_for_user(user=user).prefetch_related("local_authorities").order_by("name")
        )
        scheme_field: Any = self.fields["scheme"]
        scheme_field.choices = [(s.code, s.name) for s in self.schemes]
        self.fields["scheme"].error_messages["invalid_choice"] = "Choose one of your schemes"

    @classmethod
    def defaults(cls, *, user: Any) -> dict[str, str]:
        first = schemes_for_user(user=user).order_by("name").first()
        start, end = default_period()
        return {
            "scheme": first.code if first else "",
            **_date_parts("start", start),
            **_date_parts("end", end),
        }

    @classmethod
    def from_query(cls, query: QueryDict, *, user: Any) -> PeriodForm:
        """Bound to the query, with the defaults for anything the query leaves out."""
        data = cls.defaults(user=user)
        for key in query:
            data[key] = query.get(key, "")
        return cls(data, user=user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error(
                    "end", "The end of the period must be the same as or after its start"
                )
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("end", "The period must be 10 years or shorter")
        return cleaned

    def scheme_chosen(self) -> Any:
        code = self.cleaned_data["scheme"]
        return next(s for s in self.schemes if s.code == code)

    def filters(self) -> Filters:
        return Filters(
            scheme=self.scheme_chosen(),
            start=self.cleaned_data["start"],
            end=self.cleaned_data["end"],
            local_authority=self.cleaned_data.get("local_authority", ""),
        )


class DashboardForm(PeriodForm):
    local_authority = forms.ChoiceField(
        label="Local authority", required=False, help_text="Or all of the scheme's areas"
    )

    field_order = ["scheme", "local_authority", "start", "end"]

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, user=user)
        choices: list[Any] = [("", "All local authorities")]
        for scheme in self.schemes:
            authorities = [(la.ons_code, la.name) for la in scheme.local_authorities.all()]
            if authorities:
                choices.append((scheme.name, authorities))
        area_field: Any = self.fields["local_authority"]
        area_field.choices = choices
        self.fields["local_authority"].error_messages["invalid_choice"] = (
            "Choose a local authority of the scheme"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        code = cleaned.get("local_authority")
        if code and cleaned.get("scheme"):
            scheme = self.scheme_chosen()
            if code not in {la.ons_code for la in scheme.local_authorities.all()}:
                self.add_error("local_authority", f"Choose a local authority of {scheme.name}")
        return cleaned


class ExtractForm(PeriodForm):
    """The evaluator's request: no local authority (the extract has it on every row)."""
