"""Sending one message, exactly once as far as the provider can tell us.

An attempt has three steps. (1) In a short transaction the row is locked, checked (already sent,
suppressed, held, quiet hours, someone else sending) and marked "sending" with `claimed_at`,
and that is committed. (2) The provider is called with no transaction open and no lock held.
(3) The outcome is written in a second short transaction.

If the process dies in step 2, or the call times out, nobody knows whether the provider got the
message: the row stays "sending" (or goes back to the queue with the error). Such a message is
taken up again only after MESSAGING_SEND_LEASE_SECONDS, and any attempt after the first begins
by asking the provider for a message with our reference (`delivered_reference`): if it has one,
the message is recorded as sent with the provider's id and not sent again.

A temporary failure puts the message back in the queue with a back-off (`not_before`): 1, 2, 4
... minutes, at most MESSAGING_RETRY_MAX_SECONDS; the queue job (`messages_retry_stale`) hands
it over again when that time comes. After MESSAGING_MAX_ATTEMPTS attempts it is "failed".
A far end's final refusal is "failed" at once (`last_error` "refused:...").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from diversion.core.logging import get_logger
from diversion.messaging.backends import (
    DeliveryRefused,
    NotifyUnavailable,
    backend_name,
    deliver,
    delivered_reference,
)
from diversion.messaging.health import delivery_failed, delivery_succeeded
from diversion.messaging.models import Message, MessageStatus, MessagingPreference
from diversion.messaging.selectors import person_channels
from diversion.messaging.timing import quiet_hours_end
from diversion.scheduling.models import BookingStatus

logger = get_logger(__name__)

# `last_error` of a message the far end refused for good: never tried again.
REFUSED = "refused:"
FINAL = {MessageStatus.SENT, MessageStatus.SUPPRESSED, MessageStatus.FAILED}


def max_send_attempts() -> int:
    return max(1, int(settings.MESSAGING_MAX_ATTEMPTS))


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(settings.MESSAGING_SEND_LEASE_SECONDS))


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling, with a ceiling."""
    base = int(settings.MESSAGING_RETRY_BASE_SECONDS)
    ceiling = int(settings.MESSAGING_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=min(ceiling, base * 2 ** min(max(attempts - 1, 0), 20)))


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


@dataclass(frozen=True)
class Claim:
    message: Message
    ask_first: bool  # an earlier attempt may have reached the provider


def _claim(message_id: int, now: dt.datetime) -> Claim | Message:
    """Step 1: a Claim to send now, or the message as it is when there is nothing to do."""
    with transaction.atomic(durable=True):
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("person", "booking__slot")
            .get(pk=message_id)
        )
        if message.status in FINAL:
            return message
        under_way = message.status == MessageStatus.SENDING and message.claimed_at is not None
        if under_way and message.claimed_at is not None and now < message.claimed_at + lease():
            return message  # another attempt is under way
        reason = _suppression_reason(message, now=now)
        if reason:
            message.status, message.last_error, message.claimed_at = (
                MessageStatus.SUPPRESSED,
                reason,
                None,
            )
            message.save(update_fields=["status", "last_error", "claimed_at"])
            logger.info("message_suppressed", message_id=message.pk, reason=reason)
            return message
        waiting = message.status == MessageStatus.QUEUED and message.not_before is not None
        if waiting and message.not_before is not None and now < message.not_before:
            return message
        quiet_until = quiet_hours_end(now)
        if quiet_until is not None:
            message.status, message.not_before = MessageStatus.QUEUED, quiet_until
            message.claimed_at = None
            message.save(update_fields=["status", "not_before", "claimed_at"])
            logger.info("message_held", message_id=message.pk, not_before=quiet_until)
            return message
        ask_first = message.attempts > 0
        message.attempts += 1
        message.status, message.claimed_at = MessageStatus.SENDING, now
        message.save(update_fields=["status", "attempts", "claimed_at"])
    return Claim(message=message, ask_first=ask_first)


def _outcome(claim: Claim) -> tuple[str, str, bool]:
    """Step 2, outside any transaction: (status, provider reference or error, provider up)."""
    message = claim.message
    try:
        reference = delivered_reference(message) if claim.ask_first else None
        if reference is not None:
            logger.info("message_found_at_provider", message_id=message.pk)
            return MessageStatus.SENT, reference, True
        return MessageStatus.SENT, deliver(message), True
    except DeliveryRefused as refused:
        return MessageStatus.FAILED, f"{REFUSED}{refused.reason}", True
    except Exception as error:  # anything else is temporary: retried with back-off
        # A code or a class name: an SMTP error's text may quote the address.
        reason = str(error) if isinstance(error, NotifyUnavailable) else type(error).__name__
        logger.warning("message_attempt_failed", message_id=message.pk, error=reason)
        return MessageStatus.QUEUED, reason, False


def _record(claim: Claim, status: str, detail: str, now: dt.datetime) -> Message:
    """Step 3."""
    with transaction.atomic(durable=True):
        message = Message.objects.select_for_update(of=("self",)).get(pk=claim.message.pk)
        if message.status != MessageStatus.SENDING or message.claimed_at != now:
            # Our lease ran out and another attempt took over; it records its own outcome.
            logger.warning("message_claim_lost", message_id=message.pk, outcome=status)
            if status == MessageStatus.SENT and message.status != MessageStatus.SENT:
                message.status, message.sent_at = MessageStatus.SENT, now
                message.provider_reference, message.last_error = detail[:200], ""
                message.save()
            return message
        message.claimed_at = None
        if status == MessageStatus.SENT:
            message.status, message.sent_at = MessageStatus.SENT, now
            message.provider_reference, message.last_error = detail[:200], ""
        elif status == MessageStatus.FAILED or message.attempts >= max_send_attempts():
            message.status, message.last_error = MessageStatus.FAILED, detail[:100]
        else:
            message.status, message.last_error = MessageStatus.QUEUED, detail[:100]
            message.not_before = now + retry_delay(message.attempts)
        message.save(
            update_fields=[
                "status",
                "claimed_at",
                "sent_at",
                "provider_reference",
                "last_error",
                "not_before",
            ]
        )
    return message


def message_send(*, message_id: int, now: dt.datetime | None = None) -> Message:
    """Send one message, at most once as far as the provider can say. Never raises for the
    provider's failures: they are recorded and the message is retried with back-off."""
    now = now or timezone.now()
    claim = _claim(message_id, now)
    if isinstance(claim, Message):
        return claim
    status, detail, provider_up = _outcome(claim)
    message = _record(claim, status, detail, now)
    backend = backend_name()
    if provider_up:
        delivery_succeeded(backend=backend, now=now)
    else:
        delivery_failed(backend=backend, error=message.last_error, now=now)
    log = logger.info if message.status == MessageStatus.SENT else logger.warning
    log(
        "message_send",
        message_id=message.pk,
        status=message.status,
        attempt=message.attempts,
        error=message.last_error,
        retry_at=message.not_before if message.status == MessageStatus.QUEUED else None,
    )
    return message
