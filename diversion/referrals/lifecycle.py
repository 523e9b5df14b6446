"""The referral's lifecycle, in one place: every status, every move allowed between them, and
the named sets of statuses the other parts ask about. Nothing else declares a status set.

referred -> assessment_booked -> assessed -> course_booked -> completed
              |  ^                 |   \\-> onward_only -> completed
              v  |                 v
          assessment_missed     (course rebooked)
assessed / course_booked -> course_not_completed (engaged: reported to the police, never a bar)
any unfinished status -> withdrawn; never assessed -> not_engaged (intelligence log)

The guarded transition service that applies this table is `referrals/transitions.py`.
"""

from __future__ import annotations

from django.db import models


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ASSESSMENT_BOOKED = "assessment_booked", "Assessment booked"
    ASSESSMENT_MISSED = "assessment_missed", "Assessment missed"
    ASSESSED = "assessed", "Assessed"
    COURSE_BOOKED = "course_booked", "Course booked"
    COMPLETED = "completed", "Completed"
    ONWARD_ONLY = "onward_only", "Referred on to treatment"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # Assessed (so engaged) but the course was not completed in time: reported, never a bar.
    COURSE_NOT_COMPLETED = "course_not_completed", "Assessed, course not completed"
    NOT_ENGAGED = "not_engaged", "Did not engage"


S = ReferralStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({S.REFERRED}),
    S.REFERRED: frozenset({S.ASSESSMENT_BOOKED, S.WITHDRAWN, S.NOT_ENGAGED}),
    S.ASSESSMENT_BOOKED: frozenset({S.ASSESSED, S.ASSESSMENT_MISSED, S.WITHDRAWN, S.NOT_ENGAGED}),
    S.ASSESSMENT_MISSED: frozenset({S.ASSESSMENT_BOOKED, S.NOT_ENGAGED, S.WITHDRAWN}),
    # Once assessed, the person has engaged: not finishing the course is its own ending.
    S.ASSESSED: frozenset(
        {S.COURSE_BOOKED, S.ONWARD_ONLY, S.COMPLETED, S.WITHDRAWN, S.COURSE_NOT_COMPLETED}
    ),
    S.COURSE_BOOKED: frozenset({S.COMPLETED, S.COURSE_BOOKED, S.COURSE_NOT_COMPLETED, S.WITHDRAWN}),
    S.ONWARD_ONLY: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.COURSE_NOT_COMPLETED: frozenset(),
    S.NOT_ENGAGED: frozenset(),
}

# Not yet assessed: the scheme's assessment deadline runs; the worker's day shows them.
BEFORE_ASSESSMENT = frozenset({S.REFERRED, S.ASSESSMENT_BOOKED, S.ASSESSMENT_MISSED})
# An assessment call is booked or was missed: it can be held, rebooked or changed by the person.
AWAITING_ASSESSMENT = frozenset({S.ASSESSMENT_BOOKED, S.ASSESSMENT_MISSED})
# Assessed and waiting for (or booked on) a course: can be enrolled; the course deadline runs.
AWAITING_COURSE = frozenset({S.ASSESSED, S.COURSE_BOOKED})
FINISHED = frozenset({S.COMPLETED, S.WITHDRAWN, S.NOT_ENGAGED, S.COURSE_NOT_COMPLETED})
# Nothing left for the person to arrange: finished, or referred on to treatment instead.
NOTHING_TO_ARRANGE = FINISHED | frozenset({S.ONWARD_ONLY})
# Engaged: at least the assessment (the scheme's rule, seed 003 and 004; decision 0016).
ENGAGED = frozenset(
    {S.ASSESSED, S.COURSE_BOOKED, S.COMPLETED, S.ONWARD_ONLY, S.COURSE_NOT_COMPLETED}
)
# Finished the whole programme (the course, or treatment instead): reported, never a rule.
ENGAGED_WITH_COURSE = frozenset({S.COMPLETED, S.ONWARD_ONLY})


class TransitionNotAllowed(Exception):
    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(
            f"A referral cannot go from {S(from_status).label if from_status else 'new'} "
            f"to {S(to_status).label}."
        )
        self.from_status, self.to_status = from_status, to_status


def check_transition(from_status: str, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise TransitionNotAllowed(from_status, to_status)


def check_path(path: tuple[str, ...]) -> None:
    """Every step of a whole history, from a new referral, is allowed by the table."""
    for from_status, to_status in zip(("", *path), path, strict=False):
        check_transition(from_status, to_status)


def is_engaged(status: str) -> bool:
    """At least the assessment: the only rule. Not finishing the course never bars."""
    return status in ENGAGED
