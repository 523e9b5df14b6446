"""The capacity plan: referrals by week and their trend, who is waiting, the seats ahead, and
whether each course will meet the scheme's waiting target."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from diversion.courses.models import Enrolment
from diversion.courses.planning import CourseDemand, Projection, project, weekly_trend
from diversion.courses.selectors import (
    NOT_BOOKED,
    ON_WAITLIST,
    TO_REBOOK,
    people_waiting,
    sessions_for_scheme,
    settings_for,
)
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme

HORIZON_WEEKS = 4
TREND_WEEKS = 12
USUAL_CAPACITY = 15


@dataclass(frozen=True)
class WeekCount:
    starts_on: dt.date
    count: int


@dataclass(frozen=True)
class SeatsWeek:
    starts_on: dt.date
    sessions: int
    seats: int
    free: int


@dataclass(frozen=True)
class Capacity:
    referrals_by_week: list[WeekCount]
    trend_per_week: float
    recent_rate: float
    waiting_total: int
    waiting_by_situation: dict[str, int]
    seats_by_week: list[SeatsWeek]
    projections: list[Projection]
    target_days: int
    horizon_weeks: int


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def capacity_for_scheme(*, scheme: Scheme, now: dt.datetime | None = None) -> Capacity:
    now = now or timezone.now()
    this_monday = _monday(timezone.localdate(now))
    first = this_monday - dt.timedelta(weeks=TREND_WEEKS)
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    until = dt.datetime.combine(this_monday, dt.time(), tzinfo=zone)
    created = Referral.objects.filter(
        scheme=scheme, created_at__gte=since, created_at__lt=until
    ).values_list("created_at", flat=True)
    per_week = Counter(_monday(timezone.localtime(moment).date()) for moment in created)
    weeks = [first + dt.timedelta(weeks=i) for i in range(TREND_WEEKS)]
    counts = [per_week.get(week, 0) for week in weeks]
    recent_rate = sum(counts[-4:]) / 4
    referrals_12w = sum(counts)

    waiting = people_waiting(scheme=scheme)
    by_situation = Counter(row.situation for row in waiting)
    waiting_by_type = Counter(row.course_type.pk if row.course_type else None for row in waiting)

    horizon_end = now + dt.timedelta(weeks=HORIZON_WEEKS)
    upcoming = list(sessions_for_scheme(scheme=scheme, since=now).filter(starts_at__gt=now))
    seats_by_week = []
    for i in range(6):
        monday = this_monday + dt.timedelta(weeks=i)
        in_week = [
            s
            for s in upcoming
            if monday <= timezone.localtime(s.starts_at).date() < monday + dt.timedelta(days=7)
        ]
        seats_by_week.append(
            SeatsWeek(
                monday,
                len(in_week),
                sum(s.capacity for s in in_week),
                sum(s.capacity - s.held for s in in_week),  # type: ignore[attr-defined]
            )
        )
    booked_pairs = set(
        Enrolment.objects.filter(
            session__scheme=scheme, created_at__gte=since, created_at__lt=until
        ).values_list("referral_id", "session__course_type_id")
    )
    booked_12w = Counter(course_type_id for _referral, course_type_id in booked_pairs)
    target_days = settings_for(scheme).course_wait_target_days
    projections = []
    for course_type in scheme.course_types.order_by("name"):
        in_horizon = [s for s in upcoming if s.course_type_id == course_type.pk]
        free = sum(
            s.capacity - s.held  # type: ignore[attr-defined]
            for s in in_horizon
            if s.starts_at < horizon_end
        )
        share = booked_12w.get(course_type.pk, 0) / referrals_12w if referrals_12w else 0.0
        capacities = [s.capacity for s in in_horizon] or [USUAL_CAPACITY]
        projections.append(
            project(
                CourseDemand(
                    course_type=course_type.name,
                    waiting=waiting_by_type.get(course_type.pk, 0),
                    free_seats=free,
                    demand_per_week=recent_rate * share,
                    usual_capacity=int(statistics.median(capacities)),
                ),
                target_days=target_days,
                horizon_weeks=HORIZON_WEEKS,
            )
        )
    return Capacity(
        referrals_by_week=[WeekCount(w, c) for w, c in zip(weeks, counts, strict=True)],
        trend_per_week=weekly_trend(counts),
        recent_rate=recent_rate,
        waiting_total=len(waiting),
        waiting_by_situation={
            key: by_situation.get(key, 0) for key in (NOT_BOOKED, ON_WAITLIST, TO_REBOOK)
        },
        seats_by_week=seats_by_week,
        projections=projections,
        target_days=target_days,
        horizon_weeks=HORIZON_WEEKS,
    )
