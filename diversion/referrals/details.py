"""What an officer's referral consists of, as plain values: built by the web flow and the API,
checked once, and handed to the service that saves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from diversion.referrals.eligibility import Drug, StopFacts


@dataclass(frozen=True)
class PersonDetails:
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    self_defined_ethnicity: str
    observed_ethnicity: str
    mobile: str = ""
    email: str = ""
    preferred_language: str = "en"
    safe_to_text: bool = False
    safe_to_leave_voicemail: bool = False
    discreet_messages: bool = True
    police_person_id: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PersonDetails:
        return cls(**{**data, "date_of_birth": dt.date.fromisoformat(data["date_of_birth"])})


@dataclass(frozen=True)
class DrugDetails:
    code: str
    name: str
    drug_class: str
    quantity: str = ""


@dataclass(frozen=True)
class StopDetails:
    stopped_at: dt.datetime
    local_authority_id: int
    how_found: str
    drugs: tuple[DrugDetails, ...]
    place: str = ""
    supply_indicators: tuple[str, ...] = ()
    other_offences: tuple[str, ...] = ()
    circumstances: tuple[str, ...] = ()
    appropriate_adult_name: str = ""
    appropriate_adult_relationship: str = ""
    appropriate_adult_phone: str = ""
    # The officer's judgement when indicators of supply are found, and their reason.
    supply_suspected: bool | None = None
    supply_reason: str = ""
    # "same" / "different": the officer's answer about a possible match in another scheme.
    identity_answer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def appropriate_adult_present(self) -> bool:
        return bool(self.appropriate_adult_name.strip())

    def facts(self, *, date_of_birth: dt.date, stopped_on: dt.date) -> StopFacts:
        return StopFacts(
            date_of_birth=date_of_birth,
            stopped_on=stopped_on,
            local_authority_id=self.local_authority_id,
            drugs=tuple(Drug(d.name, d.drug_class) for d in self.drugs),
            supply_indicators=self.supply_indicators,
            other_offences=self.other_offences,
            circumstances=frozenset(self.circumstances),
            appropriate_adult_present=self.appropriate_adult_present,
            supply_suspected=self.supply_suspected,
            supply_reason=self.supply_reason,
            identity_answer=self.identity_answer,
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["stopped_at"] = self.stopped_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StopDetails:
        values = dict(data)
        values["stopped_at"] = dt.datetime.fromisoformat(values["stopped_at"])
        values["drugs"] = tuple(DrugDetails(**d) for d in values["drugs"])
        for name in ("supply_indicators", "other_offences", "circumstances"):
            values[name] = tuple(values.get(name, ()))
        return cls(**values)
