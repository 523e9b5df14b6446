"""The delivery log: one row per message to a person, whatever the channel.

The content is rendered and frozen when the message is queued, so the log shows exactly what was
sent and a retry sends the same words. Recipient and content are encrypted at rest; `last_error`
holds an exception's class name or a reason code, never personal data.

A message may be held: it stays "queued" with a `not_before` time (quiet hours, see
`wording.py`, or the back-off after a failed attempt), and goes out at that time. "sending" is
written and committed before the provider is called, so an attempt whose outcome was never
recorded (the worker died, the call timed out) is known, and the provider is asked before the
message is sent again (sending.py). "failed" is final.

`MessagingPreference` records a person's opt-out of a channel; a message on a channel they
opted out of is "suppressed", never sent.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from diversion.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Handed to the provider; the outcome is not recorded yet (or the sender died).
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Not sent"


class Message(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="messages")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    template = models.CharField(max_length=60, help_text="The wording's code.")
    language = models.CharField(max_length=5)
    discreet = models.BooleanField(help_text="Worded so that a glance reveals nothing.")
    recipient = EncryptedTextField()
    # A blind index of the normalised address: finds whom a reply such as STOP came from.
    recipient_index = models.CharField(max_length=64, blank=True, db_index=True)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = EncryptedTextField(blank=True)
    body = EncryptedTextField()
    calendar_invite = EncryptedTextField(blank=True, help_text="An iCalendar REQUEST (email).")
    status = models.CharField(
        max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(help_text="When it was last handed to the worker.")
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the attempt under way (status sending) began."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    not_before = models.DateTimeField(
        null=True, blank=True, help_text="Held until then (quiet hours); empty: send at once."
    )
    booking = models.ForeignKey(
        "scheduling.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        help_text="The appointment it is about: not sent once that is cancelled or over.",
    )
    dedupe_key = models.CharField(max_length=150, unique=True)
    # In the reference the provider keeps: after a restore to a point in time, a new message may
    # get the id of one sent in the lost timeline, never its key (sending.py asks by reference).
    delivery_key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "queued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="message_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values), name="message_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="message_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template} ({self.status})"


class MessagingPreference(models.Model):
    """What the person told us about messages: whether they want texts and emails at all."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="messaging_preference"
    )
    sms_opted_out = models.BooleanField(default=False)
    email_opted_out = models.BooleanField(default=False)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Messaging preference of person {self.person_id}"

    def opted_out_of(self, channel: str) -> bool:
        if channel == Channel.SMS:
            return self.sms_opted_out
        if channel == Channel.EMAIL:
            return self.email_opted_out
        return False


class InboundAction(models.TextChoices):
    OPTED_OUT = "opted_out", "Opted out of text messages"
    NO_ACTION = "no_action", "No action: not a recognised request"
    UNKNOWN_SENDER = "unknown_sender", "No action: no messages were sent to this number"


class InboundMessage(models.Model):
    """A text message a person sent us (a reply), as GOV.UK Notify passed it on. Recorded once
    per Notify id, so a callback delivered twice is acted on once."""

    provider_id = models.CharField(max_length=100, unique=True)
    sender_index = models.CharField(max_length=64, db_index=True)
    body = EncryptedTextField()
    received_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=InboundAction.choices)
    people = models.PositiveIntegerField(default=0, help_text="How many people it applied to.")

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"Inbound text {self.provider_id} ({self.action})"


class DeliveryHealth(models.Model):
    """How the messaging back end is doing: consecutive temporary failures and whether the
    operators were alerted (messaging/health.py). One row per back end."""

    backend = models.CharField(max_length=20, unique=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=100, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.backend}: {self.consecutive_failures} consecutive failure(s)"
