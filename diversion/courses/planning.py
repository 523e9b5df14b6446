"""Capacity planning maths, kept apart from the database so it can be checked by hand.

The method, per course type:

- `waiting`: people who need a place on this course now (assessed and not booked, on the
  waitlist, or to be rebooked after missing their session).
- `seats_per_week`: free seats in the sessions scheduled over the next `horizon_weeks`, divided
  by `horizon_weeks`.
- `projected_wait_days`: places are given in turn, so someone who joins the queue now waits for
  the people ahead of them to be seated: 7 x waiting / seats_per_week (no seats: no projection).
- `demand_per_week`: new people needing this course each week, from the recent referral rate
  times the share of referrals that were booked onto this course type over the last 12 weeks.
- Sessions to add over the horizon: enough seats both to bring the wait within the target
  (seats per week >= waiting / target weeks) and to seat everyone waiting plus everyone expected
  to arrive during the horizon; the shortfall divided by a session's usual capacity, rounded up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class CourseDemand:
    course_type: str
    waiting: int
    free_seats: int  # over the horizon
    demand_per_week: float
    usual_capacity: int


@dataclass(frozen=True)
class Projection:
    course_type: str
    waiting: int
    free_seats: int
    seats_per_week: float
    demand_per_week: float
    projected_wait_days: float | None  # None: no seats scheduled at all
    over_target: bool
    queue_grows: bool
    sessions_to_add: int

    @property
    def warning(self) -> bool:
        return self.over_target or self.queue_grows


def project(demand: CourseDemand, *, target_days: int, horizon_weeks: int = 4) -> Projection:
    seats_per_week = demand.free_seats / horizon_weeks
    if seats_per_week > 0:
        wait_days: float | None = 7 * demand.waiting / seats_per_week
    else:
        wait_days = None if demand.waiting else 0.0
    over_target = wait_days is None or wait_days > target_days
    queue_grows = demand.demand_per_week > seats_per_week
    needed_per_week = max(
        demand.waiting / (target_days / 7),
        (demand.waiting + demand.demand_per_week * horizon_weeks) / horizon_weeks,
    )
    shortfall = needed_per_week * horizon_weeks - demand.free_seats
    capacity = max(demand.usual_capacity, 1)
    sessions = math.ceil(round(shortfall / capacity, 9)) if shortfall > 0 else 0
    return Projection(
        course_type=demand.course_type,
        waiting=demand.waiting,
        free_seats=demand.free_seats,
        seats_per_week=seats_per_week,
        demand_per_week=demand.demand_per_week,
        projected_wait_days=wait_days,
        over_target=over_target and demand.waiting > 0,
        queue_grows=queue_grows,
        sessions_to_add=sessions,
    )


def weekly_trend(counts: list[int]) -> float:
    """The least-squares slope of weekly counts (oldest first): referrals per week, per week."""
    n = len(counts)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(counts) / n
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(counts))
    denominator = sum((x - mean_x) ** 2 for x in range(n))
    return numerator / denominator
