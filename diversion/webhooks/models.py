"""A force's webhook subscriptions and the log of what was sent to them.

A delivery carries no personal data: the referral's reference, the event, when it happened, the
scheme and the status. The force's system fetches anything more through the API, with its own
credentials. One delivery per subscription and event, so retries and replays never duplicate.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from diversion.core.fields import EncryptedTextField
from diversion.core.roles import OrganisationKind


class WebhookSubscription(models.Model):
    organisation = models.ForeignKey(
        "schemes.Organisation",
        on_delete=models.PROTECT,
        related_name="webhook_subscriptions",
        limit_choices_to={"kind": OrganisationKind.FORCE},
    )
    url = models.URLField("Address", max_length=500)
    events = models.JSONField(default=list, help_text="The event names sent to this address.")
    secret = EncryptedTextField(help_text="Signs every delivery; shown once, when created.")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-active", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.url} ({self.organisation})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    delivery_id = models.UUIDField(
        default=uuid.uuid4, unique=True, help_text="Sent as Diversion-Delivery; same on retries."
    )
    event = models.CharField(max_length=40)
    event_id = models.UUIDField(help_text="The event's id, in the payload; same on retries.")
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Attempts in the current round; a replay starts a new round."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivery_delivered_has_time",
            ),
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription.url} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request for a delivery: every try, retry and replay is kept."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.PROTECT, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-attempted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.attempted_at}: {self.status_code or self.error}"
