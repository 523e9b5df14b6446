"""The course type each person was allocated to at their assessment.

Casework decides allocations and sits above courses, so courses cannot ask casework for them.
Casework registers where they are read from (`allocated_course_types_register`, from its
`AppConfig.ready()`), as courses registers its part of a scheme's policy with schemes. Until a
source is registered, nobody has an allocation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from diversion.courses.models import CourseType

# Referral ids -> the course type each was allocated to (those without one are left out).
AllocatedCourseTypes = Callable[[Collection[int]], Mapping[int, CourseType]]

_SOURCES: list[AllocatedCourseTypes] = []


def allocated_course_types_register(source: AllocatedCourseTypes) -> None:
    """Read allocations from `source`; registering again replaces it."""
    _SOURCES[:] = [source]


def allocated_course_types(referral_ids: Collection[int]) -> dict[int, CourseType]:
    """The course type allocated to each of these referrals that has one."""
    if not _SOURCES or not referral_ids:
        return {}
    return dict(_SOURCES[0](referral_ids))
