"""The rules that turn an assessment into proposals, as tables.

An assessment's answers are first reduced to a set of facts ("drug:cocaine", "route:injected",
"alcohol:higher", "mix:depressants", ...). Three tables read those facts:

- RISK_RULES: the risk level the product proposes (the highest level any rule gives);
- the allocation rules (STANDARD_ALLOCATION_RULES, or a scheme's own in its casework settings):
  the first rule that matches, and that the scheme has a course for, proposes the allocation;
- each advice version's `triggers`: advice whose triggers meet the facts goes in the draft plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from diversion.casework.questions import (
    ALCOHOL,
    COCAINES,
    DEPRESSANTS,
    DRUGS,
    INJECTING,
    NO_CONCERNS,
    OVERDOSE,
    ROUTES,
    RiskLevel,
)
from diversion.casework.scoring import AUDIT_C_POSITIVE, AuditBand
from diversion.courses.models import Audience


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def assessment_facts(
    answers: Mapping[str, Any],
    *,
    audit_c_score: int | None,
    audit_band: str,
    age: int,
    risk_level: str = "",
) -> frozenset[str]:
    """The facts the rules read, from the answers as saved."""
    facts: set[str] = {"always"}
    drugs = answers.get("drugs", {})
    used = [code for code in drugs.get("used", []) if code in DRUGS]
    details: Mapping[str, Any] = drugs.get("details", {})
    for code in used:
        facts.add(f"drug:{code}")
        detail = details.get(code, {})
        if detail.get("frequency") == "daily":
            facts.add(f"daily:{code}")
        for route in detail.get("routes", []):
            facts.add(f"route:{route}")
        together = set(detail.get("with", []))
        if code in DEPRESSANTS and together & (DEPRESSANTS - {code}):
            facts.add("mix:depressants")
        if code in COCAINES and ALCOHOL in together:
            facts.add("mix:cocaine_alcohol")
        if together:
            facts.add("mix:any")
    if len(used) == 1:
        facts.add(f"only:{used[0]}")
    if len(used) > 1:
        facts.add("polydrug")
    if audit_band:
        facts.add(f"alcohol:{audit_band}")
    elif audit_c_score is not None:
        positive = audit_c_score >= AUDIT_C_POSITIVE
        facts.add("alcohol:audit_c_positive" if positive else f"alcohol:{AuditBand.LOWER}")
    health = answers.get("health", {})
    if health.get("mental_health") in {"diagnosed", "concerns"}:
        facts.add("mental_health")
    if health.get("physical_health") == "yes":
        facts.add("physical_health")
    if health.get("overdose") in OVERDOSE and health.get("overdose") != "never":
        facts.add("overdose:ever")
        facts.add(f"overdose:{health['overdose']}")
    if health.get("injecting") in INJECTING and health.get("injecting") != "never":
        facts.add(f"injecting:{health['injecting']}")
    if health.get("sharing") == "yes":
        facts.add("sharing")
    concerns = [c for c in answers.get("safeguarding", {}).get("concerns", []) if c != NO_CONCERNS]
    if concerns:
        facts.add("safeguarding")
    if age < 18:
        facts.add("young_person")
    if risk_level:
        facts.add(f"risk:{risk_level}")
    return frozenset(facts)


# (level, fact, why): the proposal is the highest level of any rule whose fact is present.
RISK_RULES: list[tuple[str, str, str]] = [
    (RiskLevel.HIGH, "injecting:current", "injects now"),
    (RiskLevel.HIGH, "sharing", "has shared injecting equipment"),
    (RiskLevel.HIGH, "overdose:last_year", "overdosed in the last year"),
    (RiskLevel.HIGH, "mix:depressants", "takes depressants together"),
    (RiskLevel.HIGH, "daily:opioids", "uses heroin or other opioids every day"),
    (RiskLevel.HIGH, "daily:crack", "uses crack cocaine every day"),
    (RiskLevel.HIGH, f"alcohol:{AuditBand.DEPENDENCE}", "AUDIT shows possible dependence"),
    (RiskLevel.MEDIUM, "drug:opioids", "uses heroin or other opioids"),
    (RiskLevel.MEDIUM, "drug:crack", "uses crack cocaine"),
    (RiskLevel.MEDIUM, "drug:benzodiazepines", "uses benzodiazepines"),
    (RiskLevel.MEDIUM, "drug:synthetic_cannabinoids", "uses synthetic cannabinoids"),
    (RiskLevel.MEDIUM, "daily:cannabis", "uses cannabis every day"),
    (RiskLevel.MEDIUM, "daily:cocaine", "uses cocaine every day"),
    (RiskLevel.MEDIUM, "daily:ketamine", "uses ketamine every day"),
    (RiskLevel.MEDIUM, "mix:cocaine_alcohol", "takes cocaine with alcohol"),
    (RiskLevel.MEDIUM, f"alcohol:{AuditBand.HIGHER}", "AUDIT shows higher-risk drinking"),
    (RiskLevel.MEDIUM, f"alcohol:{AuditBand.INCREASING}", "AUDIT shows increasing-risk drinking"),
    (RiskLevel.MEDIUM, "alcohol:audit_c_positive", "AUDIT-C is positive"),
    (RiskLevel.MEDIUM, "injecting:past", "has injected in the past"),
    (RiskLevel.MEDIUM, "overdose:over_a_year", "has overdosed before"),
    (RiskLevel.MEDIUM, "mental_health", "has mental health concerns"),
    (RiskLevel.MEDIUM, "safeguarding", "there is a safeguarding concern"),
]
RISK_RANK: dict[str, int] = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


@dataclass(frozen=True)
class RiskProposal:
    level: str
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        if not self.reasons:
            return "No answer points to a higher risk."
        return "The person " + "; ".join(self.reasons) + "."


def risk_propose(facts: Iterable[str]) -> RiskProposal:
    present = set(facts)
    matched = [(level, why) for level, fact, why in RISK_RULES if fact in present]
    if not matched:
        return RiskProposal(RiskLevel.LOW, ())
    level = max((level for level, _why in matched), key=lambda lv: RISK_RANK[lv])
    return RiskProposal(level, tuple(why for lv, why in matched if lv == level))


# --- Allocation ---------------------------------------------------------------------------

ONWARD_ONLY = "onward_only"
ALLOCATION_OUTCOMES = {ONWARD_ONLY, *Audience.values}

# First match wins. A rule matches when any of `if_any` is among the facts (and all of `if_all`,
# if given). A course rule is skipped when the scheme has no course type for its audience (and
# substance). The last rule matches every assessment.
STANDARD_ALLOCATION_RULES: list[dict[str, Any]] = [
    {
        "if_any": [
            "injecting:current",
            "sharing",
            "daily:opioids",
            "daily:crack",
            f"alcohol:{AuditBand.DEPENDENCE}",
        ],
        "if_all": ["risk:high"],
        "propose": ONWARD_ONLY,
        "reason": "High need: structured treatment instead of the course.",
    },
    {
        "if_any": ["young_person"],
        "propose": Audience.YOUNG_PEOPLE,
        "reason": "Under 18: the young people's course.",
    },
    {
        "if_any": ["drug:cocaine", "drug:crack", "mix:cocaine_alcohol"],
        "propose": Audience.SUBSTANCE_SPECIFIC,
        "substance": "cocaine",
        "reason": "Uses cocaine: the cocaine-specific course.",
    },
    {
        "if_any": ["only:cannabis"],
        "propose": Audience.SUBSTANCE_SPECIFIC,
        "substance": "cannabis",
        "reason": "Uses cannabis only: the cannabis course.",
    },
    {
        "if_any": ["always"],
        "propose": Audience.ADULT,
        "reason": "The standard adult course.",
    },
]


def allocation_rules_validate(rules: Any) -> list[dict[str, Any]]:
    """A scheme's own rules, checked before they are saved; raises ValidationError."""
    if not isinstance(rules, list) or not rules:
        raise ValidationError("Allocation rules must be a list with at least one rule.")
    cleaned = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict):
            raise ValidationError(f"Rule {number} must be an object.")
        if rule.get("propose") not in ALLOCATION_OUTCOMES:
            raise ValidationError(
                f"Rule {number} must propose one of: {', '.join(sorted(ALLOCATION_OUTCOMES))}."
            )
        if_any, if_all = rule.get("if_any", []), rule.get("if_all", [])
        if not isinstance(if_any, list) or not if_any or not isinstance(if_all, list):
            raise ValidationError(f"Rule {number} needs a list of facts in if_any.")
        if not str(rule.get("reason", "")).strip():
            raise ValidationError(f"Rule {number} needs a reason the worker will see.")
        unknown = set(rule) - {"if_any", "if_all", "propose", "substance", "reason"}
        if unknown:
            raise ValidationError(f"Rule {number} has unknown keys: {', '.join(sorted(unknown))}.")
        cleaned.append(rule)
    if not any("always" in rule["if_any"] and not rule.get("if_all") for rule in cleaned):
        raise ValidationError('The last resort is missing: add a rule with if_any ["always"].')
    return cleaned


@dataclass(frozen=True)
class AllocationProposal:
    course_type: Any  # a CourseType, or None for onward-only
    onward_only: bool
    reason: str


def allocation_propose(
    facts: Iterable[str], *, rules: Sequence[Mapping[str, Any]], course_types: Sequence[Any]
) -> AllocationProposal:
    present = set(facts)
    for rule in rules:
        if not present & set(rule["if_any"]) or not set(rule.get("if_all", [])) <= present:
            continue
        if rule["propose"] == ONWARD_ONLY:
            return AllocationProposal(None, True, rule["reason"])
        substance = rule.get("substance", "")
        for course_type in course_types:
            if course_type.audience == rule["propose"] and (
                not substance or course_type.substance == substance
            ):
                return AllocationProposal(course_type, False, rule["reason"])
    return AllocationProposal(None, False, "No rule matched a course this scheme runs.")


# --- Advice -----------------------------------------------------------------------------------

# Facts an advice version may be triggered by (besides "drug:<code>" and "route:<route>").
ADVICE_TRIGGERS: dict[str, str] = {
    "always": "Everyone",
    "mix:depressants": "Takes depressants together",
    "mix:cocaine_alcohol": "Takes cocaine with alcohol",
    "mix:any": "Takes drugs together",
    "polydrug": "Uses more than one drug",
    "alcohol:audit_c_positive": "AUDIT-C positive",
    **{f"alcohol:{band.value}": f"Alcohol: {band.label.lower()}" for band in AuditBand},
    "mental_health": "Mental health concerns",
    "overdose:ever": "Has overdosed",
    "injecting:current": "Injects now",
    "injecting:past": "Has injected",
    "sharing": "Has shared equipment",
    "young_person": "Under 18",
    "safeguarding": "Safeguarding concern",
    **{f"risk:{level.value}": f"Risk level {level.label.lower()}" for level in RiskLevel},
    **{f"drug:{code}": name for code, name in DRUGS.items()},
    **{f"daily:{code}": f"{name}, every day" for code, name in DRUGS.items()},
    **{f"route:{code}": f"Route: {name.lower()}" for code, name in ROUTES.items()},
}


def advice_matches(triggers: Iterable[str], facts: Iterable[str]) -> bool:
    return bool(set(triggers) & set(facts))
