"""Referrals ready for casework, and assessments filled in through the real services."""

from __future__ import annotations

from typing import Any

from diversion.audit.services import Actor
from diversion.casework.questions import Section
from diversion.casework.services import assessment_complete, assessment_section_save
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, referral_made, stop_details

QUIET_HEALTH = {
    "mental_health": "no",
    "mental_health_notes": "",
    "physical_health": "no",
    "physical_health_notes": "",
    "overdose": "never",
    "injecting": "never",
    "sharing": "no",
}
NO_CONCERNS = {"concerns": ["none"], "youth": [], "notes": ""}


def booked_referral(officer: Any, scheme: Any, slot: Any, key: str = "key-1", **person: Any) -> Any:
    """A referral with its assessment booked (as the officer's pages leave it)."""
    return referral_made(officer, scheme, slot, key=key, **person).referral


def young_referral(officer: Any, scheme: Any, slot: Any, *, born: Any) -> Any:
    """A referral of a person under 18, with their appropriate adult."""
    return referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(given_name="Riley", family_name="Young", date_of_birth=born),
        stop=stop_details(
            scheme,
            appropriate_adult_name="Sam Young",
            appropriate_adult_relationship="Parent",
            appropriate_adult_phone="+447911123457",
        ),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slot.pk,
        idempotency_key=f"young-{slot.pk}",
    ).referral


def cannabis_only(frequency: str = "weekly") -> dict[str, Any]:
    return {"cannabis": {"frequency": frequency, "routes": ["smoked"], "age_first": 16, "with": []}}


def assessment_answered(
    referral: Any,
    worker: Any,
    *,
    drugs: dict[str, dict[str, Any]] | None = None,
    audit_c: list[int] | None = None,
    audit: list[int] | None = None,
    health: dict[str, Any] | None = None,
    safeguarding: dict[str, Any] | None = None,
    risk: str | None = None,
    risk_reason: str = "",
    complete: bool = False,
) -> Any:
    """Save every page of the assessment through the service, as the pages would."""
    actor = Actor.of(worker)
    drugs = cannabis_only() if drugs is None else drugs
    save = lambda section, data: assessment_section_save(  # noqa: E731
        actor=actor, referral=referral, section=section, data=data
    )
    save(Section.DRUGS, {"used": list(drugs), "notes": ""})
    for code, detail in drugs.items():
        save(f"drug-{code}", detail)
    assessment = save(Section.ALCOHOL, {"audit_c": audit_c or [1, 0, 0]})
    if audit is not None:
        save(Section.AUDIT, {"answers": audit})
    save(Section.HEALTH, {**QUIET_HEALTH, **(health or {})})
    assessment = save(Section.SAFEGUARDING, safeguarding or NO_CONCERNS)
    assessment = save(
        Section.RISK, {"level": risk or assessment.proposed_risk, "reason": risk_reason}
    )
    if complete:
        assessment = assessment_complete(actor=actor, referral=referral)
    return assessment
