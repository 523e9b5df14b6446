"""The course types a scheme offers: the courses app's part of a scheme's policy.

Registered from CoursesConfig.ready() with schemes' `policy_part_register`, so the scheme's
policy page, scheme page and policy service handle it with the rest of the policy, while the
schemes app knows nothing of courses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from diversion.core.forms import ModelMultipleChoiceField
from diversion.courses.models import Audience, CourseType
from diversion.schemes.models import Scheme
from diversion.schemes.policy_parts import PolicyPart


def course_types_check(policy: Mapping[str, Any], course_types: Iterable[CourseType]) -> list[str]:
    """The problems with offering `course_types` under `policy` (the scheme's policy fields)."""
    audiences = {course.audience for course in course_types}
    problems = []
    if not audiences:
        problems.append("Select at least one course type")
    if policy.get("accepts_young_people") and Audience.YOUNG_PEOPLE not in audiences:
        problems.append("A scheme that accepts young people needs a young people's course type")
    return problems


def _form_field() -> forms.Field:
    return ModelMultipleChoiceField(
        label="Course types offered",
        queryset=CourseType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _current(scheme: Scheme) -> list[CourseType]:
    return list(scheme.course_types.all())


def _snapshot(course_types: Iterable[CourseType]) -> list[str]:
    return sorted(course.code for course in course_types)


def _save(scheme: Scheme, course_types: Iterable[CourseType]) -> None:
    scheme.course_types.set(course_types)


def _summary(scheme: Scheme) -> list[str]:
    return [f"{course.name} ({course.duration_minutes} minutes)" for course in _current(scheme)]


COURSE_TYPES = PolicyPart(
    name="course_types",
    label="Course types",
    form_field=_form_field,
    form_template="includes/checkboxes.html",
    current=_current,
    snapshot=_snapshot,
    check=course_types_check,
    save=_save,
    summary=_summary,
)
