"""Writes for messaging: logging a message, handing it to the worker, sending it.

A message is created once per `dedupe_key` and sent once: `message_send` (sending.py) does
nothing for a message already sent, or one the far end refused for good, and asks the provider
before sending again after an attempt whose outcome is unknown. Sending happens after the
transaction that asked for it has committed, so a failed send never undoes (or blocks) the
change that caused it. A temporary failure is recorded and the message waits in the queue with
a back-off; the queue job below hands it over again when its time comes.

Quiet hours and opt-outs are checked when a message is sent, whatever queued it: a message due
in quiet hours is held (still "queued", `not_before` set) and the queue job sends it once that
time has come; a message to a person who opted out of its channel, or about an appointment that
was cancelled or has started, is "suppressed" with the reason in `last_error`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, Actor, audit_record
from diversion.core.logging import get_logger
from diversion.messaging.addresses import recipient_index
from diversion.messaging.models import Channel, Message, MessageStatus, MessagingPreference
from diversion.messaging.optout import OptOutInvalid, opt_out_link, opt_out_read
from diversion.messaging.sending import lease, message_send
from diversion.messaging.wording import ENGLISH, LANGUAGES
from diversion.people.models import Person
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking

logger = get_logger(__name__)

SEND_TASK = "diversion.messaging.sending.message_send"
STALE_AFTER_MINUTES = 10
STALE_BATCH = 500
EMAIL_LINK = Actor(label="person (email link)")


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
    Every email ends with the link that stops emails, whatever kind of message it is.
    """
    if channel == Channel.EMAIL:
        body = with_opt_out(body, person_id=person.pk, language=language)
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


def with_opt_out(body: str, *, person_id: int, language: str) -> str:
    """The email's words with the opt-out line last, in the person's language."""
    terms = LANGUAGES.get(language) or LANGUAGES[ENGLISH]
    wording = terms.opt_out_email or LANGUAGES[ENGLISH].opt_out_email
    link = opt_out_link(person_id=person_id, channel=Channel.EMAIL)
    return f"{body.rstrip()}\n\n{wording.format(link=link)}"


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


def messages_retry_stale(
    *, older_than_minutes: int = STALE_AFTER_MINUTES, now: dt.datetime | None = None
) -> int:
    """The scheduled job: hand messages to the worker again if they have waited too long,
    messages held (quiet hours, back-off after a failure) once their time has come, and messages
    whose attempt was cut off (still "sending" after the lease).

    A message waits in "queued" when the task that should have sent it was lost (the worker's
    queue was unavailable at commit, or the process died). Sending is idempotent, so handing one
    over twice is harmless. Returns how many were handed over.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=older_than_minutes)
    released = Q(not_before__isnull=True) | Q(not_before__lte=now)
    due = Q(queued_at__lt=cutoff) & released
    just_released = Q(not_before__lte=now, queued_at__lt=F("not_before"))
    cut_off = Q(status=MessageStatus.SENDING, claimed_at__lt=now - lease())
    with transaction.atomic():
        waiting = Message.objects.filter(
            (Q(status=MessageStatus.QUEUED) & (due | just_released)) | cut_off
        )
        ids = list(waiting.order_by("queued_at").values_list("pk", flat=True)[:STALE_BATCH])
        Message.objects.filter(pk__in=ids).update(queued_at=now)
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


def opt_out_by_link(*, token: str, actor: Actor, record: bool = True) -> Person:
    """The person an opt-out link was made for; with `record`, their opt-out of that channel.
    Raises OptOutInvalid for a link we did not make or a person no longer on record."""
    person_id, channel = opt_out_read(token)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise OptOutInvalid("no such person")
    if record:
        messaging_opt_out(person=person, channel=channel, actor=actor)
    return person
