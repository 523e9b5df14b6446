"""The referral's allowed status changes: one table, checked by every transition."""

from __future__ import annotations

from diversion.referrals.models import ReferralStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({S.REFERRED}),
    S.REFERRED: frozenset({S.ASSESSMENT_BOOKED, S.WITHDRAWN, S.NOT_ENGAGED}),
    S.ASSESSMENT_BOOKED: frozenset({S.ASSESSED, S.ASSESSMENT_MISSED, S.WITHDRAWN}),
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


class TransitionNotAllowed(Exception):
    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(f"A referral cannot go from {from_status or 'new'} to {to_status}.")
        self.from_status, self.to_status = from_status, to_status


def check_transition(from_status: str, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise TransitionNotAllowed(from_status, to_status)
