"""What the demo referrals and the synthetic generator draw from: the public descriptions of the
West Midlands scheme (nine in ten for cannabis, about 65% completing at least the assessment),
and the path a referral takes through the lifecycle by how long ago it was made.

One source for both, so the demo and a generated scheme of any size look alike.
"""

from __future__ import annotations

from collections.abc import Callable

from diversion.referrals.lifecycle import ReferralStatus

S = ReferralStatus

DRUG_MIX = [
    ("cannabis", 88),
    ("cocaine", 6),
    ("ketamine", 2),
    ("mdma", 2),
    ("crack", 1),
    ("nitrous_oxide", 1),
]
# Self-defined ethnicity mix (illustrative, weighted to urban West Midlands), with the IC code an
# officer would most often record.
ETHNICITY = [
    ("W1", "IC1", 46),
    ("W9", "IC2", 4),
    ("A2", "IC4", 12),
    ("A1", "IC4", 5),
    ("A3", "IC4", 3),
    ("B1", "IC3", 8),
    ("B2", "IC3", 5),
    ("M1", "IC3", 6),
    ("M3", "IC1", 2),
    ("O9", "IC6", 2),
    ("NS", "IC9", 7),
]
HOW_FOUND = [("stop_and_search", 78), ("custody", 12), ("other", 10)]
# Stops by hour of the day, midnight first.
HOUR_WEIGHTS = [3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 7, 8, 8, 8, 8, 8, 7, 6, 5, 4]
# Days from the stop to each successive status, for the history's timestamps.
DAYS_TO_STATUS = [0, 0, 6, 12, 20, 40, 60]


def days_to_step(step: int) -> int:
    """Days from the stop to the history's `step`-th status (0: referred)."""
    return DAYS_TO_STATUS[min(step, len(DAYS_TO_STATUS) - 1)]


def status_path(
    age_days: int, draw: Callable[[], float], *, course_no_show: float = 0.0
) -> list[str]:
    """The statuses a referral went through, given how many days ago it was made: a third miss
    their assessment (not engaged after three weeks), a few withdraw, most of the assessed are
    booked on a course and complete it, one in twelve is referred on to treatment instead.

    `draw` gives the next uniform number in [0, 1) and is called only when a choice is made, in
    the order of the path (so a caller's random stream is used the same way every time); with
    `course_no_show`, that share of those booked on a course do not complete it."""
    path: list[str] = [S.REFERRED, S.ASSESSMENT_BOOKED]
    if age_days < 3:
        return path
    roll = draw()
    if roll < 0.02:
        return [*path, S.WITHDRAWN]
    if roll < 0.35:
        path.append(S.ASSESSMENT_MISSED)
        return path if age_days < 21 else [*path, S.NOT_ENGAGED]
    path.append(S.ASSESSED)
    if age_days < 10:
        return path
    if draw() < 0.08:
        return [*path, S.ONWARD_ONLY] + ([S.COMPLETED] if age_days > 60 else [])
    path.append(S.COURSE_BOOKED)
    if age_days < 35:
        return path
    no_show = course_no_show > 0 and draw() < course_no_show
    # Not finishing the course is engaging all the same: reported, never a bar (decision 0016).
    return [*path, S.COURSE_NOT_COMPLETED if no_show else S.COMPLETED]
