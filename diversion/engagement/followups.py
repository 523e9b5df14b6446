"""Messages to the person when their referral moves on: a missed call (with a link to choose a
new time), the course's joining details, and completion. Queued after the transition commits
(a subscriber to `StatusChanged`), so a failed send never undoes the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from diversion.core.logging import get_logger
from diversion.courses.selectors import enrolment_current
from diversion.engagement.models import LinkPurpose
from diversion.engagement.notifications import messages_queue
from diversion.engagement.selfservice import MISSED_LINK_DAYS, deadline_for
from diversion.messaging.models import Message
from diversion.messaging.wording import COMPLETION, COURSE_JOINING, MISSED_APPOINTMENT
from diversion.referrals.events import StatusChanged
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import BookingStatus

logger = get_logger(__name__)


def status_messages_on_change(event: StatusChanged) -> None:
    """Subscriber (after commit)."""
    status_messages_queue(referral_id=event.referral_id, status=event.to_status)


def status_messages_queue(
    *, referral_id: int, status: str, now: dt.datetime | None = None
) -> list[Message]:
    """Queue the message that goes with `status`, if any. Returns the messages created."""
    write = MESSAGE_OF_STATUS.get(status)
    if write is None:
        return []  # most moves, such as the booking at the scene, send nothing from here
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_related("person", "scheme__provider").get(pk=referral_id)
        if referral.status != status:
            return []  # it has moved on again since: that move brings its own message
        return write(referral, now=now)


def _missed(referral: Referral, *, now: dt.datetime) -> list[Message]:
    bookings = list(referral.bookings.select_related("slot").order_by("slot__starts_at", "pk"))
    missed = [b for b in bookings if b.status == BookingStatus.MISSED]
    if not missed:
        return []
    if len(missed) >= referral.scheme.missed_appointments_limit:
        # No new time can be chosen; the deadline job records that the person did not engage.
        logger.info("missed_message_skipped_limit_reached", referral_id=referral.pk)
        return []
    booking = missed[-1]
    expires_at = min(now + dt.timedelta(days=MISSED_LINK_DAYS), deadline_for(referral))
    if expires_at <= now:
        return []
    return messages_queue(
        referral=referral,
        template=MISSED_APPOINTMENT,
        starts_at=booking.slot.starts_at,
        ends_at=booking.slot.ends_at,
        booking=booking,
        link_expires_at=expires_at,
        dedupe_suffix=f"booking-{booking.pk}",
        now=now,
    )


def _course(referral: Referral, *, now: dt.datetime) -> list[Message]:
    enrolment = enrolment_current(referral_id=referral.pk)
    if enrolment is None:
        return []
    session = enrolment.session
    joining = session.meeting_link or session.venue
    return messages_queue(
        referral=referral,
        template=COURSE_JOINING,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        enrolment=enrolment,
        link_purpose=LinkPurpose.COURSE,
        link_expires_at=session.starts_at,
        joining=str(joining),
        dedupe_suffix=f"enrolment-{enrolment.pk}",
        now=now,
    )


def _completed(referral: Referral, *, now: dt.datetime) -> list[Message]:
    return messages_queue(
        referral=referral,
        template=COMPLETION,
        starts_at=now,
        ends_at=now,
        dedupe_suffix="completed",
        now=now,
    )


# The statuses that send the person a message, and how it is written.
MESSAGE_OF_STATUS: dict[str, Callable[..., list[Message]]] = {
    ReferralStatus.ASSESSMENT_MISSED: _missed,
    ReferralStatus.COURSE_BOOKED: _course,
    ReferralStatus.COMPLETED: _completed,
}
