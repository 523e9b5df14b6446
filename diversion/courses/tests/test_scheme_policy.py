"""The course types a scheme offers, courses' part of the scheme's policy (scheme_policy.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.courses.models import Audience, CourseType
from diversion.courses.scheme_policy import course_types_check
from diversion.schemes.models import Scheme
from diversion.schemes.services import scheme_policy_update


def _course(audience: str) -> CourseType:
    return CourseType(code=audience, name=audience, audience=audience, duration_minutes=150)


def test_a_scheme_that_takes_young_people_needs_a_young_peoples_course() -> None:
    problems = course_types_check({"accepts_young_people": True}, [_course(Audience.ADULT)])
    assert problems == ["A scheme that accepts young people needs a young people's course type"]


def test_a_scheme_offers_at_least_one_course_type() -> None:
    assert course_types_check({"accepts_young_people": False}, []) == [
        "Select at least one course type"
    ]
    assert course_types_check({"accepts_young_people": False}, [_course(Audience.ADULT)]) == []


@pytest.mark.django_db
def test_course_types_change_with_the_policy_as_one_audited_version(scheme: Scheme) -> None:
    adult = scheme.course_types.get(audience=Audience.ADULT)
    young = scheme.course_types.get(audience=Audience.YOUNG_PEOPLE)
    updated = scheme_policy_update(
        actor=SYSTEM,
        scheme=scheme,
        changes={"accepts_young_people": False},
        parts={"course_types": [adult]},
        reason="adults only",
    )
    assert updated.policy_version == 2
    assert list(scheme.course_types.all()) == [adult]
    assert adult.schemes.get() == scheme and not young.schemes.exists()
    event = AuditEvent.objects.order_by("-occurred_at", "-pk").first()
    assert event is not None and event.reason == "adults only"
    assert event.changes["course_types"] == {
        "from": sorted([adult.code, young.code]),
        "to": [adult.code],
    }


@pytest.mark.django_db
def test_a_course_type_problem_is_reported_with_the_schemes_own(scheme: Scheme) -> None:
    adult = scheme.course_types.get(audience=Audience.ADULT)
    with pytest.raises(ValidationError) as caught:
        scheme_policy_update(
            actor=SYSTEM,
            scheme=scheme,
            changes={"days_to_course": 3},
            parts={"course_types": [adult]},
        )
    errors = caught.value.message_dict
    assert set(errors) == {"days_to_course", "course_types"}
    assert scheme.course_types.count() == 2


@pytest.mark.django_db
def test_the_policy_page_shows_and_saves_the_course_types(scheme: Scheme, client_for: Any) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    detail = client.get(reverse("schemes:detail", kwargs={"code": scheme.code})).content.decode()
    assert "Course types" in detail and "Adult course (150 minutes)" in detail
    url = reverse("schemes:policy-edit", kwargs={"code": scheme.code})
    page = client.get(url).content.decode()
    assert "Course types offered" in page
    assert page.index("Course types offered") < page.index("Reason for the change")
    adult = scheme.course_types.get(audience=Audience.ADULT)
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
        "course_types": [adult.pk],
        "reason": "annual review",
    }
    refused = client.post(url, data).content.decode()
    message = "A scheme that accepts young people needs a young people&#x27;s course type"
    assert "govuk-error-summary" in refused and refused.count(message) >= 2
    assert client.post(url, {**data, "accepts_young_people": "False"}).status_code == 302
    assert list(scheme.course_types.all()) == [adult]
