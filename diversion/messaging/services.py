"""Writes for messaging: logging a message, handing it to the worker, sending it.

A message is created once per `dedupe_key` and sent at most once: `message_send` locks the row
and does nothing for a message already sent, or one the far end refused for good. Sending
happens after the transaction that asked for it has committed, so a failed send never undoes
(or blocks) the change that caused it. On a temporary failure `message_send` records it and
raises, and django-q tries again up to Q_CLUSTER["max_attempts"] times; after that the message
stays "failed".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, audit_record
from diversion.core.logging import get_logger
from diversion.messaging.backends import DeliveryRefused, deliver
from diversion.messaging.models import Message, MessageStatus
from diversion.messaging.selectors import person_channels
from diversion.people.models import Person

if TYPE_CHECKING:
    from diversion.referrals.models import Referral

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
) -> tuple[Message, bool]:
    """Log a message to send, once per dedupe key. Returns the message and whether it is new.

    Call inside the transaction that decides to send it, then `messages_dispatch` the new ones.
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
                "sender_name": sender_name[:200],
                "subject": subject,
                "body": body,
                "calendar_invite": calendar_invite,
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
                from django_q.tasks import async_task

                async_task(SEND_TASK, message_id=message_id, group="messages")
        except Exception:
            # Recorded on the message (inline) or left queued for `messages_retry_stale`.
            logger.exception("message_dispatch_failed", message_id=message_id, inline=inline)


def _suppression_reason(message: Message) -> str:
    """Why a queued message must no longer go out, if it must not."""
    current = person_channels(person=message.person).get(message.channel)
    if current is None:
        return "channel_withdrawn"
    if current != message.recipient:
        return "recipient_changed"
    return ""


def message_send(*, message_id: int) -> Message:
    """Send one message, at most once. Raises on a temporary failure so the worker retries."""
    failure: Exception | None = None
    with transaction.atomic(durable=True):
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=message_id)
        )
        if message.status in {MessageStatus.SENT, MessageStatus.SUPPRESSED}:
            return message
        if message.attempts >= max_send_attempts() or message.last_error.startswith(REFUSED):
            return message
        fields = ["status", "attempts", "last_error", "sent_at", "provider_reference"]
        reason = _suppression_reason(message)
        if reason:
            message.status, message.last_error = MessageStatus.SUPPRESSED, reason
            message.save(update_fields=fields)
            logger.info("message_suppressed", message_id=message.pk, reason=reason)
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
            message.sent_at = timezone.now()
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


def messages_retry_stale(*, older_than_minutes: int = STALE_AFTER_MINUTES) -> int:
    """The scheduled job: hand messages to the worker again if they have waited too long.

    A message waits in "queued" when the task that should have sent it was lost (the worker's
    queue was unavailable at commit, or the process died). Sending is idempotent, so handing one
    over twice is harmless. Returns how many were handed over.
    """
    now = timezone.now()
    cutoff = now - dt.timedelta(minutes=older_than_minutes)
    with transaction.atomic():
        stale = Message.objects.filter(status=MessageStatus.QUEUED, queued_at__lt=cutoff)
        ids = list(stale.order_by("queued_at").values_list("pk", flat=True)[:STALE_BATCH])
        Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(queued_at=now)
        messages_dispatch(message_ids=ids)
    if ids:
        logger.info("messages_requeued", count=len(ids))
    return len(ids)
