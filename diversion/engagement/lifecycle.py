"""The referral's lifecycle: every status, and every move allowed between them, in one table.

referred -> assessment_booked -> assessed -> course_booked -> completed
              |  ^                 |   \\-> onward_only -> completed
              v  |                 v
          assessment_missed     (course rebooked)
any unfinished status -> withdrawn; unengaged ones -> not_engaged (intelligence log)
"""

from __future__ import annotations

from diversion.referrals.models import ReferralStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({S.REFERRED}),
    S.REFERRED: frozenset({S.ASSESSMENT_BOOKED, S.WITHDRAWN, S.NOT_ENGAGED}),
    S.ASSESSMENT_BOOKED: frozenset({S.ASSESSED, S.ASSESSMENT_MISSED, S.WITHDRAWN, S.NOT_ENGAGED}),
    S.ASSESSMENT_MISSED: frozenset({S.ASSESSMENT_BOOKED, S.NOT_ENGAGED, S.WITHDRAWN}),
    S.ASSESSED: frozenset(
        {S.COURSE_BOOKED, S.ONWARD_ONLY, S.COMPLETED, S.WITHDRAWN, S.NOT_ENGAGED}
    ),
    S.COURSE_BOOKED: frozenset({S.COMPLETED, S.COURSE_BOOKED, S.NOT_ENGAGED, S.WITHDRAWN}),
    S.ONWARD_ONLY: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.NOT_ENGAGED: frozenset(),
}

# Statuses in which the person has not yet done what counts as engaging with the assessment.
BEFORE_ASSESSMENT = frozenset({S.REFERRED, S.ASSESSMENT_BOOKED, S.ASSESSMENT_MISSED})
FINISHED = frozenset({S.COMPLETED, S.WITHDRAWN, S.NOT_ENGAGED})


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


def is_engaged(status: str, *, engagement_requires_course: bool) -> bool:
    """The scheme's rule: the assessment, or the course as well."""
    if engagement_requires_course:
        return status in {S.COMPLETED, S.ONWARD_ONLY}
    return status in {S.ASSESSED, S.COURSE_BOOKED, S.COMPLETED, S.ONWARD_ONLY}
