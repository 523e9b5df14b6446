from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.schemes.models import Scheme
from diversion.schemes.policy import POLICY_FIELDS, validate_policy
from diversion.schemes.services import scheme_policy_update

GOOD = {
    "outcome_code": 8,
    "eligible_drug_classes": ["A", "B", "C"],
    "excluded_circumstances": ["violence_at_same_time"],
    "days_to_assessment": 14,
    "days_to_course": 56,
    "missed_appointments_limit": 2,
    "automatic_supply_refusals": [],
    "record_statement": "",
    "accepts_young_people": True,
    "youth_minimum_age": 10,
    "slot_hold_minutes": 5,
    "go_live": dt.date(2021, 4, 1),
}


def _errors(**changes: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        validate_policy({**GOOD, **changes})
    return caught.value.message_dict


def test_a_good_policy_is_accepted() -> None:
    validate_policy(GOOD)


def test_automatic_supply_refusals_must_be_known_indicators() -> None:
    validate_policy({**GOOD, "automatic_supply_refusals": ["deal_bags"]})
    assert _errors(automatic_supply_refusals=["deal_bags", "hat"]) == {
        "automatic_supply_refusals": ["Unknown supply indicator: hat"]
    }


def test_a_schemes_own_words_about_the_record_must_keep_the_three_facts() -> None:
    validate_policy(
        {
            **GOOD,
            "record_statement": "It is recorded by the police, is not a conviction, and may "
            "be disclosed on an enhanced DBS check. Taking part does not change that.",
        }
    )
    errors = _errors(record_statement="It means no criminal record.")
    assert errors == {
        "record_statement": [
            "The words must say plainly: “recorded by the police”; “not a conviction”; "
            "“enhanced DBS check”"
        ]
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"outcome_code": 3}, "outcome_code", "Choose outcome 8 (Community resolution) or 22"),
        (
            {"outcome_code": 22, "go_live": dt.date(2019, 3, 31)},
            "outcome_code",
            "only be recorded from 1 April 2019",
        ),
        ({"eligible_drug_classes": []}, "eligible_drug_classes", "Select at least one drug class"),
        ({"eligible_drug_classes": ["B", "D"]}, "eligible_drug_classes", "Unknown drug class: D"),
        ({"eligible_drug_classes": ["B", "B"]}, "eligible_drug_classes", "listed more than once"),
        (
            {"excluded_circumstances": ["being rude"]},
            "excluded_circumstances",
            "Unknown exclusion: being rude",
        ),
        ({"days_to_assessment": 0}, "days_to_assessment", "between 1 and 60"),
        (
            {"days_to_course": 10, "days_to_assessment": 14},
            "days_to_course",
            "later than the assessment deadline",
        ),
        ({"missed_appointments_limit": 9}, "missed_appointments_limit", "between 1 and 5"),
        ({"youth_minimum_age": 9}, "youth_minimum_age", "between 10 and 17"),
        ({"slot_hold_minutes": "five"}, "slot_hold_minutes", "Enter a whole number"),
        ({"slot_hold_minutes": True}, "slot_hold_minutes", "Enter a whole number"),
    ],
)
def test_a_bad_policy_is_refused_with_a_clear_message(
    changes: dict[str, Any], field: str, message: str
) -> None:
    errors = _errors(**changes)
    assert any(message in text for text in errors[field]), errors


def test_every_broken_rule_is_reported_at_once() -> None:
    errors = _errors(days_to_assessment=0, youth_minimum_age=5, eligible_drug_classes=[])
    assert {"days_to_assessment", "youth_minimum_age", "eligible_drug_classes"} <= set(errors)


@pytest.mark.django_db
def test_a_policy_change_is_saved_versioned_and_audited(scheme: Scheme) -> None:
    before_events = AuditEvent.objects.count()
    updated = scheme_policy_update(
        actor=SYSTEM, scheme=scheme, changes={"days_to_assessment": 10}, reason="board decision"
    )
    assert (updated.days_to_assessment, updated.policy_version) == (10, 2)
    event = AuditEvent.objects.order_by("-occurred_at", "-pk").first()
    assert AuditEvent.objects.count() == before_events + 1
    assert event is not None and event.scheme == scheme and event.reason == "board decision"
    assert event.changes["days_to_assessment"] == {"from": 14, "to": 10}


@pytest.mark.django_db
def test_a_refused_policy_change_changes_nothing(scheme: Scheme) -> None:
    before = {field: getattr(scheme, field) for field in POLICY_FIELDS}
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        scheme_policy_update(actor=SYSTEM, scheme=scheme, changes={"days_to_course": 3})
    scheme.refresh_from_db()
    assert {field: getattr(scheme, field) for field in POLICY_FIELDS} == before
    assert scheme.policy_version == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_unchanged_policy_is_not_a_new_version(scheme: Scheme) -> None:
    same = scheme_policy_update(actor=SYSTEM, scheme=scheme, changes={"days_to_assessment": 14})
    assert same.policy_version == 1


def _form_data(scheme: Scheme, **changes: Any) -> dict[str, Any]:
    data = {
        "outcome_code": "8",
        "eligible_drug_classes": ["A", "B", "C"],
        "excluded_circumstances": ["violence_at_same_time"],
        "days_to_assessment": "14",
        "days_to_course": "56",
        "missed_appointments_limit": "2",
        "record_statement": "",
        "accepts_young_people": "True",
        "youth_minimum_age": "10",
        "slot_hold_minutes": "5",
        "course_types": list(scheme.course_types.values_list("pk", flat=True)),
        "reason": "annual review",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_scheme_administrator_changes_policy_through_the_page(
    scheme: Scheme, client_for: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("schemes:policy-edit", kwargs={"code": scheme.code})
    response = client.post(url, _form_data(scheme, days_to_assessment="7", outcome_code="22"))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.days_to_assessment, scheme.outcome_code, scheme.policy_version) == (7, 22, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days_to_course": "5"}, "The course deadline must be later than the assessment deadline"),
        ({"days_to_assessment": "fourteen"}, "Days to assessment must be a whole number"),
        ({"eligible_drug_classes": []}, "Select at least one drug class the scheme accepts"),
        ({"reason": ""}, "Enter the reason for the change"),
        ({"youth_minimum_age": "8"}, "Enter a number between 10 and 17"),
    ],
)
def test_a_bad_policy_on_the_page_shows_the_error_summary_and_saves_nothing(
    scheme: Scheme, client_for: Any, changes: dict[str, Any], message: str
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("schemes:policy-edit", kwargs={"code": scheme.code})
    response = client.post(url, _form_data(scheme, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert html.count(message) >= 2  # in the summary and beside the field
    scheme.refresh_from_db()
    assert scheme.policy_version == 1


@pytest.mark.django_db
def test_a_funding_period_with_an_end_before_its_start_is_refused(
    scheme: Scheme, client_for: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("schemes:funding-add", kwargs={"code": scheme.code})
    data = {
        "funder": "PCC",
        "source": "proceeds_of_crime",
        "starts_on": "1/4/2026",
        "ends_on": "31/3/2026",
        "amount_pounds": "1000",
    }
    response = client.post(url, data)
    assert "The end date must be after the start date" in response.content.decode()
    assert scheme.funding_periods.count() == 0
    response = client.post(url, {**data, "ends_on": "31/3/2027"})
    assert response.status_code == 302
    assert scheme.funding_periods.get().source == "proceeds_of_crime"
    assert AuditEvent.objects.filter(object_type="schemes.FundingPeriod").count() == 1
