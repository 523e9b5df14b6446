"""The attendance register: one submit marks everyone booked on a session; the mark's outcome
(`rules.ATTENDANCE_OUTCOME`) completes the referral or leaves it to be rebooked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.courses.models import Enrolment, EnrolmentState, Session
from diversion.courses.rules import ATTENDANCE_OUTCOME, COMPLETES
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.transitions import referral_transition


@dataclass(frozen=True)
class RegisterResult:
    completed: int
    to_rebook: int


def register_open(session: Session, *, now: dt.datetime | None = None) -> bool:
    return session.starts_at <= (now or timezone.now())


def register_submit(
    *,
    actor: Actor,
    session_id: int,
    marks: Mapping[int, str],
    now: dt.datetime | None = None,
) -> RegisterResult:
    """Mark everyone still booked on the session. Every one of them needs a mark; otherwise
    nothing is saved and the error names each person left unmarked (by enrolment)."""
    now = now or timezone.now()
    completed = to_rebook = 0
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session_id)
        if not register_open(session, now=now):
            raise ValidationError("You can complete the register once the session has started")
        booked = list(
            Enrolment.objects.filter(session=session, state=EnrolmentState.BOOKED).select_related(
                "referral"
            )
        )
        unmarked = {
            f"enrolment_{e.pk}": "unmarked"
            for e in booked
            if marks.get(e.pk) not in ATTENDANCE_OUTCOME
        }
        if unmarked:
            raise ValidationError(unmarked)
        for enrolment in booked:
            mark = marks[enrolment.pk]
            enrolment.state, enrolment.marked_at = mark, now
            enrolment.marked_by = actor.user
            enrolment.save(update_fields=["state", "marked_at", "marked_by"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=enrolment,
                scheme=session.scheme,
                changes={"attendance": {"from": EnrolmentState.BOOKED.value, "to": mark}},
            )
            if ATTENDANCE_OUTCOME[mark] == COMPLETES:
                if enrolment.referral.status == ReferralStatus.COURSE_BOOKED:
                    referral_transition(
                        referral_id=enrolment.referral_id,
                        to_status=ReferralStatus.COMPLETED,
                        actor=actor,
                        reason=f"Attended the course ({EnrolmentState(mark).label.lower()})",
                        now=now,
                    )
                completed += 1
            else:
                to_rebook += 1
    return RegisterResult(completed=completed, to_rebook=to_rebook)
