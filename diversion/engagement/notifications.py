"""Messages to the person about their referral: the confirmation of a booked assessment (called
after the referral's transaction commits) and the reminders before it (`reminders_due`, a
scheduled job). When each goes, and what holds or stops it, is set out in `messaging/wording.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from diversion.core.logging import get_logger
from diversion.courses.models import EnrolmentState
from diversion.courses.selectors import sessions_starting_between
from diversion.engagement.models import LinkPurpose
from diversion.engagement.selfservice import link_issue, link_url
from diversion.messaging.invites import booking_uid, invite_build
from diversion.messaging.models import Channel, Message
from diversion.messaging.rendering import Appointment, render
from diversion.messaging.selectors import person_channels
from diversion.messaging.services import message_create, messages_dispatch
from diversion.messaging.timing import day_before_due, send_time, two_hours_due
from diversion.messaging.wording import (
    ASSESSMENT_CONFIRMATION,
    ASSESSMENT_REMINDER_DAY_BEFORE,
    ASSESSMENT_REMINDER_TWO_HOURS,
    COURSE_REMINDER,
)
from diversion.referrals.events import ReferralCreated
from diversion.referrals.models import Referral
from diversion.scheduling.events import BookingMoved
from diversion.scheduling.models import Booking, BookingStatus, ChangeKind

logger = get_logger(__name__)

# How far ahead the reminder job looks: the day-before reminder of an appointment late tomorrow.
REMINDER_HORIZON = dt.timedelta(hours=36)


def referral_confirmation_queue(
    *, referral_id: int, now: dt.datetime | None = None
) -> list[Message]:
    """Log the confirmation of the booked assessment on each of the person's channels, and
    send it after commit (or at the end of quiet hours). Queueing the same confirmation again
    creates nothing new.

    Returns the messages created by this call.
    """
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_related("person", "scheme__provider").get(pk=referral_id)
        booking = (
            referral.bookings.filter(status=BookingStatus.BOOKED)
            .select_related("slot")
            .order_by("-created_at", "-pk")
            .first()
        )
        if booking is None:
            logger.warning("confirmation_without_booking", referral_id=referral_id)
            return []
        return _booking_messages_queue(
            referral=referral, booking=booking, template=ASSESSMENT_CONFIRMATION, now=now
        )


CONFIRMATION_TASK = "diversion.engagement.notifications.referral_confirmation_queue"


def confirmation_on_referral_created(event: ReferralCreated) -> None:
    """Subscriber (in the referral's transaction): the confirmation to the person, written by
    the background worker so the officer's submission does not wait for it (inline after
    commit when MESSAGING_SEND_INLINE, as in development).

    The worker's task row is inserted in the referral's own transaction: the worker sees it
    when, and only if, the referral commits, with no commit of its own. Queued after commit
    instead, outside any transaction, django-q's broker would also close the request's database
    connection (`close_old_connections`) and the rest of the request would open another.
    """
    referral_id = event.referral_id
    if getattr(settings, "MESSAGING_SEND_INLINE", False):
        transaction.on_commit(
            lambda: referral_confirmation_queue(referral_id=referral_id), robust=True
        )
        return
    async_task(CONFIRMATION_TASK, referral_id=referral_id, group="messages")


def confirmation_on_booking_moved(event: BookingMoved) -> None:
    """Subscriber (after commit): offer the person their new time. A call reassigned to another
    worker at the same time changes nothing for them, so they hear nothing."""
    if event.kind == ChangeKind.REBOOKED or event.time_changed:
        referral_confirmation_queue(referral_id=event.referral_id)


def _booking_messages_queue(
    *, referral: Referral, booking: Booking, template: str, now: dt.datetime
) -> list[Message]:
    """The confirmation or a reminder of a booked assessment, with a calendar invitation and a
    self-service link (confirm, or choose another time) that expires when the call starts."""
    return messages_queue(
        referral=referral,
        template=template,
        starts_at=booking.slot.starts_at,
        ends_at=booking.slot.ends_at,
        booking=booking,
        link_expires_at=booking.slot.starts_at,
        invite_uid=booking_uid(booking.pk),
        dedupe_suffix=f"booking-{booking.pk}",
        now=now,
    )


def messages_queue(
    *,
    referral: Referral,
    template: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    dedupe_suffix: str,
    now: dt.datetime,
    booking: Booking | None = None,
    enrolment: Any = None,
    link_purpose: str = LinkPurpose.ASSESSMENT,
    link_expires_at: dt.datetime | None = None,
    invite_uid: str = "",
    joining: str = "",
) -> list[Message]:
    """Log one message per channel (once per dedupe key) and send the new ones after commit,
    unless quiet hours hold them. Call inside a transaction.

    With `link_expires_at`, the message carries a new self-service link (one per message, shared
    by its text and email), issued only if the message is new.
    """
    person = referral.person
    channels = person_channels(person=person)
    if not channels:
        logger.info("message_no_channel", referral_id=referral.pk, template=template)
        return []
    keys = {channel: f"{referral.pk}:{template}:{channel}:{dedupe_suffix}" for channel in channels}
    if Message.objects.filter(dedupe_key__in=keys.values()).count() == len(keys):
        return []  # all logged already: queueing again creates nothing
    link = ""
    if link_expires_at is not None and link_expires_at > now:
        issued = link_issue(
            referral=referral,
            purpose=link_purpose,
            booking=booking,
            enrolment=enrolment,
            expires_at=link_expires_at,
            now=now,
        )
        link = link_url(issued)
    provider = referral.scheme.provider
    words = render(
        template=template,
        language=person.preferred_language,
        discreet=person.discreet_messages,
        appointment=Appointment(
            starts_at=starts_at,
            ends_at=ends_at,
            reference=referral.reference,
            provider_name=provider.name,
            provider_short_name=provider.short_name,
            outcome_code=referral.outcome_code,
            link=link,
            joining=joining,
            record_statement=referral.scheme.record_statement,
        ),
    )
    goes_at = send_time(now)
    not_before = goes_at if goes_at > now else None
    created: list[Message] = []
    for channel, recipient in channels.items():
        invite = ""
        if channel == Channel.EMAIL and words.invite_summary and invite_uid:
            invite = invite_build(
                uid=invite_uid,
                starts_at=starts_at,
                ends_at=ends_at,
                summary=words.invite_summary,
                description=words.invite_description,
                organiser_name=words.sender_name,
                attendee_email=recipient,
            )
        message, new = message_create(
            person=person,
            referral=referral,
            template=template,
            language=words.language,
            discreet=words.discreet,
            channel=channel,
            recipient=recipient,
            subject=words.subject if channel == Channel.EMAIL else "",
            body=words.email_text if channel == Channel.EMAIL else words.sms,
            calendar_invite=invite,
            sender_name=words.sender_name,
            booking=booking,
            not_before=not_before,
            dedupe_key=keys[channel],
        )
        if new:
            created.append(message)
    if not_before is None:
        messages_dispatch(message_ids=[message.pk for message in created])
    return created


def reminder_kind(*, starts_at: dt.datetime, booked_at: dt.datetime, now: dt.datetime) -> str:
    """Which reminder of an appointment is due now: "day_before", "two_hours" or "" (the rules
    are in messaging/wording)."""
    two_hours = two_hours_due(starts_at)
    if now >= two_hours:
        kind, due = "two_hours", two_hours
    else:
        kind, due = "day_before", day_before_due(starts_at)
    if now < due or booked_at >= due:
        return ""  # not yet, or booked after it was due: the confirmation has just told them
    if send_time(now) >= starts_at:
        return ""  # it would arrive as the appointment starts, or after
    return kind


ASSESSMENT_REMINDERS = {
    "day_before": ASSESSMENT_REMINDER_DAY_BEFORE,
    "two_hours": ASSESSMENT_REMINDER_TWO_HOURS,
}


def _reminder_due(booking: Booking, *, now: dt.datetime) -> str:
    kind = reminder_kind(starts_at=booking.slot.starts_at, booked_at=booking.created_at, now=now)
    return ASSESSMENT_REMINDERS.get(kind, "")


def reminders_due(*, now: dt.datetime | None = None) -> int:
    """The scheduled job: queue the reminders now due for booked assessments, each once.

    Returns how many messages it created.
    """
    now = now or timezone.now()
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMINDER_HORIZON,
        )
        .select_related("slot", "referral__person", "referral__scheme__provider")
        .order_by("slot__starts_at", "pk")
    )
    created = 0
    for booking in bookings:
        template = _reminder_due(booking, now=now)
        if not template:
            continue
        with transaction.atomic():
            created += len(
                _booking_messages_queue(
                    referral=booking.referral, booking=booking, template=template, now=now
                )
            )
    created += course_reminders_due(now=now)
    if created:
        logger.info("reminders_queued", count=created)
    return created


def course_reminders_due(*, now: dt.datetime) -> int:
    """Reminders of booked course sessions, the day before and two hours before, each once."""
    created = 0
    for session in sessions_starting_between(start=now, end=now + REMINDER_HORIZON):
        enrolments = session.enrolments.filter(state=EnrolmentState.BOOKED).select_related(
            "referral__person", "referral__scheme__provider"
        )
        for enrolment in enrolments:
            kind = reminder_kind(
                starts_at=session.starts_at, booked_at=enrolment.created_at, now=now
            )
            if not kind:
                continue
            with transaction.atomic():
                created += len(
                    messages_queue(
                        referral=enrolment.referral,
                        template=COURSE_REMINDER,
                        starts_at=session.starts_at,
                        ends_at=session.ends_at,
                        enrolment=enrolment,
                        link_purpose=LinkPurpose.COURSE,
                        link_expires_at=session.starts_at,
                        joining=session.meeting_link or session.venue,
                        dedupe_suffix=f"enrolment-{enrolment.pk}-{kind}",
                        now=now,
                    )
                )
    return created
