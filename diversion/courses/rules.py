"""The course rules that are tables: what each attendance mark means for the referral, and which
sessions suit a person's preferences. Change the rule here, nowhere else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from diversion.courses.models import Delivery, DeliveryPreference, EnrolmentState, TimeOfDay

COMPLETES = "completes"
REBOOK = "rebook"

# What a mark on the register does: the course is completed, or the person needs another place.
ATTENDANCE_OUTCOME: dict[str, str] = {
    EnrolmentState.ATTENDED: COMPLETES,
    EnrolmentState.LATE: COMPLETES,
    EnrolmentState.LEFT_EARLY: REBOOK,
    EnrolmentState.DID_NOT_ATTEND: REBOOK,
}

REGISTER_MARKS = list(ATTENDANCE_OUTCOME)

# A session starting at or after this local time is an evening session.
EVENING_FROM = dt.time(17, 0)

DELIVERIES_FOR: dict[str, frozenset[str]] = {
    DeliveryPreference.ANY: frozenset({Delivery.ONLINE, Delivery.IN_PERSON}),
    DeliveryPreference.ONLINE: frozenset({Delivery.ONLINE}),
    DeliveryPreference.IN_PERSON: frozenset({Delivery.IN_PERSON}),
}


def time_of_day_of(starts_at: dt.datetime) -> str:
    local = timezone.localtime(starts_at).time()
    return TimeOfDay.EVENING if local >= EVENING_FROM else TimeOfDay.DAYTIME


def session_suits(session: Any, *, time_of_day: str, delivery_preference: str) -> bool:
    if session.delivery not in DELIVERIES_FOR[delivery_preference]:
        return False
    return time_of_day == TimeOfDay.ANY or time_of_day_of(session.starts_at) == time_of_day
