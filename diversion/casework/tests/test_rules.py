"""The risk proposal and the allocation rules, read from an assessment's facts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from diversion.casework.questions import RiskLevel
from diversion.casework.rules import (
    ONWARD_ONLY,
    STANDARD_ALLOCATION_RULES,
    allocation_propose,
    allocation_rules_validate,
    assessment_facts,
    risk_propose,
)
from diversion.courses.models import Audience, CourseType

QUIET = {
    "mental_health": "no",
    "physical_health": "no",
    "overdose": "never",
    "injecting": "never",
    "sharing": "no",
}


def facts(
    drugs: dict[str, dict[str, Any]],
    *,
    health: dict[str, Any] | None = None,
    audit_c: int = 2,
    band: str = "",
    age: int = 25,
    concerns: list[str] | None = None,
    risk: str = "",
) -> frozenset[str]:
    answers = {
        "drugs": {"used": list(drugs), "details": drugs},
        "health": {**QUIET, **(health or {})},
        "safeguarding": {"concerns": concerns or ["none"]},
    }
    return assessment_facts(
        answers, audit_c_score=audit_c, audit_band=band, age=age, risk_level=risk
    )


def use(
    frequency: str = "weekly", routes: tuple[str, ...] = ("smoked",), *together: str
) -> dict[str, Any]:
    return {"frequency": frequency, "routes": list(routes), "age_first": 16, "with": list(together)}


def test_occasional_cannabis_and_nothing_else_is_low_risk() -> None:
    proposal = risk_propose(facts({"cannabis": use()}))
    assert proposal.level == RiskLevel.LOW
    assert proposal.reason_text == "No answer points to a higher risk."


def test_cocaine_with_alcohol_is_medium_risk_and_says_why() -> None:
    proposal = risk_propose(facts({"cocaine": use("monthly", ("snorted",), "alcohol")}))
    assert proposal.level == RiskLevel.MEDIUM
    assert "takes cocaine with alcohol" in proposal.reasons


def test_opioids_with_benzodiazepines_is_high_risk() -> None:
    drugs = {
        "opioids": use("weekly", ("smoked",), "benzodiazepines"),
        "benzodiazepines": use("weekly", ("swallowed",)),
    }
    proposal = risk_propose(facts(drugs))
    assert proposal.level == RiskLevel.HIGH
    assert proposal.reasons == ("takes depressants together",)


def test_the_highest_level_of_any_rule_wins() -> None:
    found = facts({"cannabis": use("daily")}, health={"injecting": "current"})
    proposal = risk_propose(found)
    assert proposal.level == RiskLevel.HIGH
    assert proposal.reasons == ("injects now",)


@pytest.mark.parametrize(
    ("band", "level"),
    [("lower", RiskLevel.LOW), ("increasing", RiskLevel.MEDIUM), ("dependence", RiskLevel.HIGH)],
)
def test_the_audit_band_sets_a_floor_on_the_risk(band: str, level: str) -> None:
    assert risk_propose(facts({"cannabis": use()}, audit_c=6, band=band)).level == level


def test_a_positive_audit_c_without_the_full_audit_is_medium_risk() -> None:
    assert risk_propose(facts({"cannabis": use()}, audit_c=5)).level == RiskLevel.MEDIUM


def test_a_safeguarding_concern_is_at_least_medium_risk() -> None:
    assert risk_propose(facts({}, concerns=["county_lines"])).level == RiskLevel.MEDIUM


# --- Allocation ---------------------------------------------------------------------------


@pytest.fixture
def courses(db: Any) -> list[CourseType]:
    made = [
        ("adult", Audience.ADULT, ""),
        ("young", Audience.YOUNG_PEOPLE, ""),
        ("cannabis", Audience.SUBSTANCE_SPECIFIC, "cannabis"),
        ("cocaine", Audience.SUBSTANCE_SPECIFIC, "cocaine"),
    ]
    return [
        CourseType.objects.create(
            code=f"t-{code}",
            name=code,
            audience=audience,
            substance=substance,
            duration_minutes=150,
        )
        for code, audience, substance in made
    ]


def _propose(found: frozenset[str], courses: list[CourseType]) -> Any:
    return allocation_propose(found, rules=STANDARD_ALLOCATION_RULES, course_types=courses)


def test_cannabis_only_goes_to_the_cannabis_course(courses: list[CourseType]) -> None:
    proposal = _propose(facts({"cannabis": use()}, risk="low"), courses)
    assert proposal.course_type.code == "t-cannabis"
    assert proposal.reason == "Uses cannabis only: the cannabis course."


def test_cocaine_goes_to_the_cocaine_course(courses: list[CourseType]) -> None:
    found = facts({"cannabis": use(), "cocaine": use("monthly", ("snorted",))}, risk="medium")
    assert _propose(found, courses).course_type.code == "t-cocaine"


def test_a_young_person_goes_to_the_young_peoples_course_whatever_they_use(
    courses: list[CourseType],
) -> None:
    found = facts({"cocaine": use("monthly", ("snorted",))}, age=16, risk="medium")
    assert _propose(found, courses).course_type.code == "t-young"


def test_high_need_is_proposed_onward_only_with_its_reason(courses: list[CourseType]) -> None:
    found = facts(
        {"opioids": use("daily", ("injected",))}, health={"injecting": "current"}, risk="high"
    )
    proposal = _propose(found, courses)
    assert proposal.onward_only is True
    assert proposal.course_type is None
    assert proposal.reason.startswith("High need")


def test_injecting_confirmed_at_medium_risk_still_gets_a_course(courses: list[CourseType]) -> None:
    found = facts(
        {"amphetamine": use("weekly", ("injected",))},
        health={"injecting": "current"},
        risk="medium",
    )
    proposal = _propose(found, courses)
    assert proposal.onward_only is False
    assert proposal.course_type.code == "t-adult"


def test_a_rule_for_a_course_the_scheme_does_not_run_is_skipped(courses: list[CourseType]) -> None:
    adult_and_young = [c for c in courses if c.audience != Audience.SUBSTANCE_SPECIFIC]
    proposal = _propose(facts({"cannabis": use()}, risk="low"), adult_and_young)
    assert proposal.course_type.code == "t-adult"
    assert proposal.reason == "The standard adult course."


def test_a_schemes_own_rules_are_used_in_order(courses: list[CourseType]) -> None:
    rules = allocation_rules_validate(
        [
            {
                "if_any": ["daily:cannabis"],
                "propose": ONWARD_ONLY,
                "reason": "Daily use: treatment.",
            },
            {"if_any": ["always"], "propose": Audience.ADULT, "reason": "Everyone else."},
        ]
    )
    daily = allocation_propose(facts({"cannabis": use("daily")}), rules=rules, course_types=courses)
    weekly = allocation_propose(facts({"cannabis": use()}), rules=rules, course_types=courses)
    assert daily.onward_only is True
    assert weekly.course_type.code == "t-adult"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([], "at least one rule"),
        ([{"if_any": ["always"], "propose": "prison", "reason": "x"}], "must propose one of"),
        ([{"if_any": [], "propose": "adult", "reason": "x"}], "needs a list of facts"),
        ([{"if_any": ["always"], "propose": "adult", "reason": " "}], "needs a reason"),
        ([{"if_any": ["always"], "propose": "adult", "reason": "x", "when": 1}], "unknown keys"),
        ([{"if_any": ["drug:cannabis"], "propose": "adult", "reason": "x"}], "last resort"),
    ],
)
def test_a_scheme_cannot_save_rules_that_do_not_work(rules: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        allocation_rules_validate(rules)
