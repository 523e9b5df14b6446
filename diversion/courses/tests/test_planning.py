"""The capacity maths, on numbers worked by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.audit.services import SYSTEM
from diversion.courses.capacity import capacity_for_scheme
from diversion.courses.enrolment import enrolment_book
from diversion.courses.models import CourseSettings
from diversion.courses.planning import CourseDemand, project, weekly_trend
from diversion.courses.tests.builders import assessed_referrals, course_type_for, session_on


def test_thirty_waiting_with_twenty_free_seats_over_four_weeks_wait_six_weeks() -> None:
    # 20 seats over 4 weeks = 5 a week; 30 people ahead = 6 weeks = 42 days.
    # Target 21 days needs 30 / 3 = 10 seats a week; with 6 new people a week, seating everyone
    # over 4 weeks needs (30 + 24) / 4 = 13.5 a week: 54 seats, 34 more than the 20 free, in
    # sessions of 12: 34 / 12 = 2.83, so 3 sessions.
    result = project(
        CourseDemand("Adult", waiting=30, free_seats=20, demand_per_week=6, usual_capacity=12),
        target_days=21,
        horizon_weeks=4,
    )
    assert result.seats_per_week == 5
    assert result.projected_wait_days == 42
    assert result.over_target
    assert result.queue_grows  # 6 arriving a week, 5 seats a week
    assert result.sessions_to_add == 3


def test_enough_seats_give_no_warning_and_no_sessions_to_add() -> None:
    # 60 free seats over 4 weeks = 15 a week; 10 waiting wait 7 x 10 / 15 = 4.67 days.
    # Needed: max(10 / 3, (10 + 4 x 8) / 4 = 10.5) = 10.5 a week = 42 seats < 60.
    result = project(
        CourseDemand("Adult", waiting=10, free_seats=60, demand_per_week=8, usual_capacity=15),
        target_days=21,
    )
    assert result.projected_wait_days == pytest.approx(4.667, abs=0.001)
    assert not result.warning
    assert result.sessions_to_add == 0


def test_people_waiting_with_no_sessions_scheduled_is_a_warning_with_sessions_to_add() -> None:
    # No seats: no projection. Needed max(14 / 2, (14 + 0) / 4) = 7 a week = 28 seats: 2 of 15.
    result = project(
        CourseDemand("Cannabis", waiting=14, free_seats=0, demand_per_week=0, usual_capacity=15),
        target_days=14,
    )
    assert result.projected_wait_days is None
    assert result.over_target
    assert result.sessions_to_add == 2


def test_nobody_waiting_and_no_sessions_is_not_a_warning() -> None:
    result = project(
        CourseDemand("Cocaine", waiting=0, free_seats=0, demand_per_week=0, usual_capacity=15),
        target_days=21,
    )
    assert result.projected_wait_days == 0
    assert not result.warning
    assert result.sessions_to_add == 0


def test_the_trend_is_the_least_squares_slope_of_the_weekly_counts() -> None:
    assert weekly_trend([10, 12, 14, 16]) == 2
    assert weekly_trend([5, 5, 5]) == 0
    # x = 0..3, mean 1.5; y = 4, 2, 2, 0, mean 2; sum (x - 1.5)(y - 2) = -3 - 0 + 0 - 3 = -6
    # over sum (x - 1.5)^2 = 5: -1.2.
    assert weekly_trend([4, 2, 2, 0]) == pytest.approx(-1.2)


def test_the_capacity_page_counts_a_schemes_waiting_people_and_free_seats(
    scheme: Any, officer: Any
) -> None:
    course = course_type_for(scheme)
    CourseSettings.objects.create(scheme=scheme, course_wait_target_days=7)
    session_on(scheme, course, timezone.now() + dt.timedelta(days=3), capacity=2)
    people = assessed_referrals(scheme, officer, 5)
    for referral in people:
        enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course.pk)

    plan = capacity_for_scheme(scheme=scheme)

    (row,) = [p for p in plan.projections if p.course_type == course.name]
    assert row.waiting == 3  # two seated, three on the waitlist
    assert row.free_seats == 0
    assert row.over_target
    assert plan.waiting_total == 3
    assert plan.target_days == 7
    assert sum(week.seats for week in plan.seats_by_week) == 2
    assert len(plan.referrals_by_week) == 12
