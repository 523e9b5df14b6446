"""A scheme's policy as data: the vocabularies it may draw on and the rules it must satisfy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

# Controlled-drug classes a scheme may accept (Misuse of Drugs Act 1971).
DRUG_CLASSES: dict[str, str] = {
    "A": "Class A (for example cocaine, crack cocaine, heroin, MDMA)",
    "B": "Class B (for example cannabis, ketamine, amphetamine)",
    "C": "Class C (for example benzodiazepines, anabolic steroids)",
}

# Circumstances a scheme may exclude from diversion on top of the rules every scheme applies
# (no supply, production or dealing; inside the scheme's area; age limits; engagement history).
EXCLUSIONS: dict[str, str] = {
    "violence_at_same_time": "Any offence of violence committed at the same time",
    "weapon_at_same_time": "Carrying a weapon at the same time",
    "drug_driving": "Drug driving at the same time",
    "on_school_premises": "Possession on school or college premises",
    "in_custodial_institution": "Possession inside a prison or young offender institution",
    "on_bail_or_licence": "The person is on bail or on licence",
    "class_a_under_18": (
        "Class A possession by a person under 18 (refer to the youth offending service)"
    ),
}

# Things an officer may find that can point to supply. They inform the officer's judgement
# ("Do you suspect intent to supply?"); only those a scheme lists in `automatic_supply_refusals`
# refuse on their own (decision 0016).
SUPPLY_INDICATORS: dict[str, str] = {
    "scales": "scales",
    "deal_bags": "deal bags or wraps",
    "cash": "a large amount of cash",
    "dealing_messages": "messages indicating dealing",
    "quantity_beyond_personal_use": "a quantity beyond personal use",
    "multiple_phones": "several phones",
}

# What a Community Resolution means for the person, said plainly (seed 003 and 004, DESIGN.md):
# the officer reads it out, the pages and the person's messages carry it. A scheme may word it
# its own way (`Scheme.record_statement`); these facts must stay in it.
RECORD_STATEMENT_DEFAULT = (
    "A Community Resolution is recorded by the police. It is not a conviction and does not "
    "give you a criminal record, but it may be disclosed on an enhanced DBS check for some jobs "
    "(for example working with children or vulnerable adults). Taking part in the drug service, "
    "or not, does not change that."
)
RECORD_STATEMENT_MUST_SAY = ("recorded by the police", "not a conviction", "enhanced DBS check")

# Earliest date Home Office outcome 22 could be recorded.
OUTCOME_22_FROM = dt.date(2019, 4, 1)
AGE_OF_CRIMINAL_RESPONSIBILITY = 10
ADULT_AGE = 18

LIMITS: dict[str, tuple[int, int]] = {
    "days_to_assessment": (1, 60),
    "days_to_course": (7, 365),
    "missed_appointments_limit": (1, 5),
    "youth_minimum_age": (AGE_OF_CRIMINAL_RESPONSIBILITY, ADULT_AGE - 1),
    "slot_hold_minutes": (1, 30),
}


def validate_policy(values: Mapping[str, Any]) -> None:
    """Raise a ValidationError naming every field that breaks a rule; return if the policy holds.

    The parts of the policy that other apps own (`policy_parts.py`) are checked by the policy
    service, with these rules, so that every error is reported at once."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if values.get("outcome_code") not in (8, 22):
        add("outcome_code", "Choose outcome 8 (Community resolution) or 22 (Diversionary activity)")
    go_live = values.get("go_live")
    if (
        values.get("outcome_code") == 22
        and isinstance(go_live, dt.date)
        and go_live < OUTCOME_22_FROM
    ):
        add("outcome_code", "Outcome 22 can only be recorded from 1 April 2019")

    classes = values.get("eligible_drug_classes")
    if not isinstance(classes, list) or not classes:
        add("eligible_drug_classes", "Select at least one drug class the scheme accepts")
    else:
        unknown = [c for c in classes if c not in DRUG_CLASSES]
        if unknown:
            add("eligible_drug_classes", f"Unknown drug class: {', '.join(map(str, unknown))}")
        if len(set(classes)) != len(classes):
            add("eligible_drug_classes", "A drug class is listed more than once")

    exclusions = values.get("excluded_circumstances", [])
    if not isinstance(exclusions, list):
        add("excluded_circumstances", "Exclusions must be a list")
    else:
        unknown = [e for e in exclusions if e not in EXCLUSIONS]
        if unknown:
            add("excluded_circumstances", f"Unknown exclusion: {', '.join(map(str, unknown))}")

    for field, (low, high) in LIMITS.items():
        value = values.get(field)
        if not isinstance(value, int) or isinstance(value, bool):
            add(field, "Enter a whole number")
        elif not low <= value <= high:
            add(field, f"Enter a number between {low} and {high}")

    refusals = values.get("automatic_supply_refusals", [])
    if not isinstance(refusals, list):
        add("automatic_supply_refusals", "Automatic refusals must be a list")
    else:
        unknown = [code for code in refusals if code not in SUPPLY_INDICATORS]
        if unknown:
            add(
                "automatic_supply_refusals",
                f"Unknown supply indicator: {', '.join(map(str, unknown))}",
            )

    statement = values.get("record_statement", "")
    if not isinstance(statement, str):
        add("record_statement", "Enter the words as text")
    elif statement.strip():
        missing = [p for p in RECORD_STATEMENT_MUST_SAY if p.casefold() not in statement.casefold()]
        if missing:
            add(
                "record_statement",
                "The words must say plainly: " + "; ".join(f"“{p}”" for p in missing),
            )

    assessment, course = values.get("days_to_assessment"), values.get("days_to_course")
    if isinstance(assessment, int) and isinstance(course, int) and course <= assessment:
        add("days_to_course", "The course deadline must be later than the assessment deadline")

    if errors:
        raise ValidationError(errors)


POLICY_FIELDS = [
    "outcome_code",
    "eligible_drug_classes",
    "excluded_circumstances",
    "days_to_assessment",
    "days_to_course",
    "missed_appointments_limit",
    "automatic_supply_refusals",
    "record_statement",
    "accepts_young_people",
    "youth_minimum_age",
    "slot_hold_minutes",
]
