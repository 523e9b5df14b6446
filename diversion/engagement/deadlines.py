"""The scheduled job that applies each scheme's deadlines. Running it twice changes nothing twice:
it only moves referrals whose current status and dates still call for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from diversion.audit.services import SYSTEM
from diversion.referrals.lifecycle import (
    AWAITING_COURSE,
    BEFORE_ASSESSMENT,
    ReferralStatus,
    TransitionNotAllowed,
)
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.models import Booking, BookingStatus
from diversion.schemes.models import Scheme


@dataclass
class DeadlineReport:
    not_engaged: list[str] = field(default_factory=list)
    course_not_completed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.not_engaged)} referral(s) recorded as not engaged, "
            f"{len(self.course_not_completed)} as assessed with the course not completed"
        )


def _upcoming_booking(now: dt.datetime) -> Exists:
    return Exists(
        Booking.objects.filter(
            referral=OuterRef("pk"), status=BookingStatus.BOOKED, slot__starts_at__gte=now
        )
    )


def overdue_referrals(*, scheme: Scheme, now: dt.datetime) -> list[tuple[int, str, str, str]]:
    """(id, reference, status to move to, reason) of the scheme's referrals past a deadline.
    Only a referral never assessed becomes `not_engaged`; an assessed one past the course
    deadline has engaged, and becomes `course_not_completed` (decision 0016)."""
    assessment_by = now - dt.timedelta(days=scheme.days_to_assessment)
    course_by = now - dt.timedelta(days=scheme.days_to_course)
    referrals = Referral.objects.filter(scheme=scheme).annotate(
        missed=Count("bookings", filter=Q(bookings__status=BookingStatus.MISSED)),
        upcoming=_upcoming_booking(now),
    )
    not_engaged, course_not_done = ReferralStatus.NOT_ENGAGED, ReferralStatus.COURSE_NOT_COMPLETED
    found: list[tuple[int, str, str, str]] = []
    too_many_misses = referrals.filter(
        status=ReferralStatus.ASSESSMENT_MISSED, missed__gte=scheme.missed_appointments_limit
    )
    for pk, reference, missed in too_many_misses.values_list("pk", "reference", "missed"):
        found.append((pk, reference, not_engaged, f"did not engage: missed {missed} appointments"))
    late = referrals.filter(
        status__in=BEFORE_ASSESSMENT, created_at__lt=assessment_by, upcoming=False
    ).exclude(pk__in=[row[0] for row in found])
    for pk, reference in late.values_list("pk", "reference"):
        why = f"did not engage: no assessment within {scheme.days_to_assessment} days"
        found.append((pk, reference, not_engaged, why))
    no_course = referrals.filter(status__in=AWAITING_COURSE, created_at__lt=course_by)
    for pk, reference in no_course.values_list("pk", "reference"):
        why = f"engaged, but no course completed within {scheme.days_to_course} days"
        found.append((pk, reference, course_not_done, why))
    return found


def deadlines_apply(*, now: dt.datetime | None = None) -> DeadlineReport:
    now = now or timezone.now()
    report = DeadlineReport()
    for scheme in Scheme.objects.filter(is_active=True):
        for referral_id, reference, to_status, why in overdue_referrals(scheme=scheme, now=now):
            try:
                referral_transition(
                    referral_id=referral_id,
                    to_status=to_status,
                    actor=SYSTEM,
                    reason=why,
                    now=now,
                )
            except TransitionNotAllowed:
                continue  # moved on since we looked (a worker recorded the assessment)
            if to_status == ReferralStatus.NOT_ENGAGED:
                report.not_engaged.append(reference)
            else:
                report.course_not_completed.append(reference)
    return report
