"""Writes for messaging: logging a message, handing it to the worker, sending it.

A message is created once per `dedupe_key` and sent at most once: `message_send` locks the row
and does nothing for a message already sent, or one the far end refused for good. Sending
happens after the transaction that asked for it has committed, so a failed send never undoes
(or blocks) the change that caused it. On a temporary failure `message_send` records it and
raises, and django-q tries again up to Q_CLUSTER["max_attempts"] times; after that the message
stays "failed".

Quiet hours and opt-outs are checked when a message is sent, whatever queued it: a message due
in quiet hours is held (still "queued", `not_before` set) and the queue job sends it once that
time has come; a message to a person who opted out of its channel, or about an appointment that
was cancelled or has started, is "suppressed" with the reason in `last_error`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, Actor, audit_record
from diversion.core.logging import get_logger
from diversion.messaging.addresses import recipient_index
from diversion.messaging.backends import DeliveryRefused, deliver
from diversion.messaging.models import Channel, Message, MessageStatus, MessagingPreference
from diversion.messaging.selectors import person_channels
from diversion.messaging.timing import quiet_hours_end
from diversion.people.models import Person
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking, BookingStatus

logger = get_logger(__name__)

SEND_TASK = "diversion.messaging.services.message_send"
STALE_AFTER_MINUTES = 10
STALE_BATCH = 500
# `last_error` of a message the far end refused for good: never tried again.
REFUSED = "refused:"


def max_send_attempts() -> int:
    configured: Any = settings.Q_CLUSTER.get("max_attempts", 0)
    attempts = int(configured or 0)
    return attempts if attempts > 0 else 5


def message_create(
    *,
    person: Person,
    referral: Referral | None,
    template: str,
    language: str,
    discreet: bool,
    channel: str,
    recipient: str,
    body: str,
    dedupe_key: str,
    subject: str = "",
    calendar_invite: str = "",
    sender_name: str = "",
    booking: Booking | None = None,
    not_before: dt.datetime | None = None,
) -> tuple[Message, bool]:
    """Log a message to send, once per dedupe key. Returns the message and whether it is new.

    Call inside the transaction that decides to send it, then `messages_dispatch` the new ones
    that are not held (`not_before` in the future); the queue job sends those when it is time.
    """
    with transaction.atomic():
        message, created = Message.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "person": person,
                "referral": referral,
                "template": template,
                "language": language,
                "discreet": discreet,
                "channel": channel,
                "recipient": recipient,
                "recipient_index": recipient_index(recipient, channel=channel),
                "sender_name": sender_name[:200],
                "subject": subject,
                "body": body,
                "calendar_invite": calendar_invite,
                "booking": booking,
                "not_before": not_before,
                "queued_at": timezone.now(),
            },
        )
        if created:
            audit_record(
                actor=SYSTEM,
                action=AuditAction.CREATE,
                obj=message,
                scheme=referral.scheme if referral is not None else person.scheme,
                reason=f"{template} message queued",
                changes={
                    "channel": channel,
                    "template": template,
                    "language": language,
                    "discreet": discreet,
                    "referral": getattr(referral, "reference", ""),
                    "not_before": not_before.isoformat() if not_before else None,
                },
            )
    return message, created


def messages_dispatch(*, message_ids: Sequence[int]) -> None:
    """Send now (MESSAGING_SEND_INLINE) or queue for the worker, once the transaction commits."""
    ids = list(message_ids)
    if ids:
        transaction.on_commit(lambda: _dispatch_now(ids))


def _dispatch_now(message_ids: list[int]) -> None:
    inline = bool(getattr(settings, "MESSAGING_SEND_INLINE", False))
    for message_id in message_ids:
        try:
            if inline:
                message_send(message_id=message_id)
            else:
                async_task(SEND_TASK, message_id=message_id, group="messages")
        except Exception:
            # Recorded on the message (inline) or left queued for `messages_retry_stale`.
            logger.exception("message_dispatch_failed", message_id=message_id, inline=inline)


def _suppression_reason(message: Message, *, now: dt.datetime) -> str:
    """Why a queued message must no longer go out, if it must not."""
    preference = MessagingPreference.objects.filter(person_id=message.person_id).first()
    if preference is not None and preference.opted_out_of(message.channel):
        return "opted_out"
    current = person_channels(person=message.person).get(message.channel)
    if current is None:
        return "channel_withdrawn"
    if current != message.recipient:
        return "recipient_changed"
    if message.booking is not None:
        if message.booking.status != BookingStatus.BOOKED:
            return f"booking_{message.booking.status}"
        if message.booking.slot.starts_at <= now:
            return "appointment_started"
    return ""


def message_send(*, message_id: int, now: dt.datetime | None = None) -> Message:
    """Send one message, at most once. Raises on a temporary failure so the worker retries.

    A message held until later, or due in quiet hours, is left queued (with `not_before`).
    """
    failure: Exception | None = None
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("person", "booking__slot")
            .get(pk=message_id)
        )
        if message.status in {MessageStatus.SENT, MessageStatus.SUPPRESSED}:
            return message
        if message.attempts >= max_send_attempts() or message.last_error.startswith(REFUSED):
            return message
        fields = ["status", "attempts", "last_error", "sent_at", "provider_reference"]
        reason = _suppression_reason(message, now=now)
        if reason:
            message.status, message.last_error = MessageStatus.SUPPRESSED, reason
            message.save(update_fields=fields)
            logger.info("message_suppressed", message_id=message.pk, reason=reason)
            return message
        if message.not_before is not None and now < message.not_before:
            return message
        quiet_until = quiet_hours_end(now)
        if quiet_until is not None:
            message.not_before = quiet_until
            message.save(update_fields=["not_before"])
            logger.info("message_held", message_id=message.pk, not_before=quiet_until)
            return message
        message.attempts += 1
        try:
            message.provider_reference = deliver(message)[:200]
        except DeliveryRefused as refused:
            message.status = MessageStatus.FAILED
            message.last_error = f"{REFUSED}{refused.reason}"[:100]
        except Exception as error:
            message.status, message.last_error = MessageStatus.FAILED, type(error).__name__
            failure = error
        else:
            message.status, message.last_error = MessageStatus.SENT, ""
            message.sent_at = now
        message.save(update_fields=fields)
    log = logger.warning if message.status == MessageStatus.FAILED else logger.info
    log(
        "message_send",
        message_id=message.pk,
        status=message.status,
        attempt=message.attempts,
        error=message.last_error,
    )
    if failure is not None:
        raise failure
    return message


def messages_retry_stale(
    *, older_than_minutes: int = STALE_AFTER_MINUTES, now: dt.datetime | None = None
) -> int:
    """The scheduled job: hand messages to the worker again if they have waited too long, and
    messages held for quiet hours once their time has come.

    A message waits in "queued" when the task that should have sent it was lost (the worker's
    queue was unavailable at commit, or the process died). Sending is idempotent, so handing one
    over twice is harmless. Returns how many were handed over.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=older_than_minutes)
    released = Q(not_before__isnull=True) | Q(not_before__lte=now)
    due = Q(queued_at__lt=cutoff) & released
    just_released = Q(not_before__lte=now, queued_at__lt=F("not_before"))
    with transaction.atomic():
        waiting = Message.objects.filter(due | just_released, status=MessageStatus.QUEUED)
        ids = list(waiting.order_by("queued_at").values_list("pk", flat=True)[:STALE_BATCH])
        Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(queued_at=now)
        messages_dispatch(message_ids=ids)
    if ids:
        logger.info("messages_requeued", count=len(ids))
    return len(ids)


def messaging_opt_out(
    *, person: Person, channel: str, actor: Actor, now: dt.datetime | None = None
) -> MessagingPreference:
    """Record that the person wants no more messages on `channel` (texts or emails), audited.

    Messages already queued on that channel are suppressed when their turn comes.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    now = now or timezone.now()
    with transaction.atomic():
        preference, _ = MessagingPreference.objects.select_for_update(of=("self",)).get_or_create(
            person=person
        )
        field = "sms_opted_out" if channel == Channel.SMS else "email_opted_out"
        if getattr(preference, field):
            return preference
        setattr(preference, field, True)
        preference.opted_out_at = now
        preference.save(update_fields=[field, "opted_out_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=preference,
            scheme=person.scheme,
            reason=f"Opted out of {Channel(channel).label.lower()}s",
            changes={field: {"from": False, "to": True}},
        )
    logger.info("messaging_opted_out", person_id=person.pk, channel=channel)
    return preference
