"""Writes for webhooks: subscriptions, turning events into deliveries, sending and retrying them.

A delivery is created once per subscription and event, after the change that caused the event
has committed. Sending happens outside any transaction (no row stays locked during an HTTP call):
a short transaction claims the delivery, the request goes out, a second transaction records the
attempt and either marks it delivered or schedules the next try with exponential back-off.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django_q.tasks import async_task

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.logging import get_logger
from diversion.core.roles import OrganisationKind
from diversion.engagement.events import PoliceNoticeCreated
from diversion.referrals.events import ReferralCreated
from diversion.referrals.models import Referral
from diversion.schemes.models import Organisation, Scheme
from diversion.webhooks import signing, transport
from diversion.webhooks.events import EVENTS, WebhookEvent, webhook_events_of
from diversion.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

logger = get_logger(__name__)

DELIVER_TASK = "diversion.webhooks.services.webhook_deliver"
# Minutes to wait after each failed attempt; one more attempt than there are delays.
RETRY_DELAYS_MINUTES: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)
MAX_ATTEMPTS = len(RETRY_DELAYS_MINUTES) + 1
# A claimed delivery is not due again until this has passed (longer than the HTTP time-out).
IN_FLIGHT_LEASE = dt.timedelta(minutes=1)
DUE_BATCH = 200
DEACTIVATED = "subscription deactivated"


class ReplayRefused(Exception):
    pass


def webhook_url_problem(url: str) -> str:
    """Why this address cannot receive webhooks, or "" if it can.

    https only; plain http is allowed to this computer (127.0.0.1, localhost) outside production,
    for development and tests.
    """
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return "Enter a full web address, like https://police.example/diversion/webhooks"
    parts = urlsplit(url)
    if parts.username or parts.password:
        return "The address must not contain a user name or password"
    if parts.scheme == "https":
        return ""
    if parts.hostname in {"127.0.0.1", "localhost"} and not settings.PRODUCTION:
        return ""
    return "The address must start with https://"


def webhook_subscription_create(
    *, actor: Actor, organisation: Organisation, url: str, events: Iterable[str]
) -> tuple[WebhookSubscription, str]:
    """Subscribe a force's system. Returns the subscription and its secret, to show once."""
    chosen = [name for name in EVENTS if name in set(events)]
    errors: dict[str, str] = {}
    if organisation.kind != OrganisationKind.FORCE:
        errors["organisation"] = "Only a police force can subscribe to webhooks"
    if problem := webhook_url_problem(url):
        errors["url"] = problem
    if not chosen:
        errors["events"] = "Choose at least one event"
    if errors:
        raise ValidationError(errors)
    secret = signing.secret_generate()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            organisation=organisation,
            url=url,
            events=chosen,
            secret=secret,
            created_by=actor.user,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=subscription,
            scheme=_scheme_of_force(organisation.pk),
            reason="webhook subscription created",
            changes={"organisation": organisation.pk, "url": url, "events": chosen},
        )
    return subscription, secret


def webhook_subscription_deactivate(*, actor: Actor, subscription_id: int) -> WebhookSubscription:
    """Stop sending to the address; its pending deliveries fail now rather than retry."""
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update(of=("self",)).get(
            pk=subscription_id
        )
        if not subscription.active:
            return subscription
        subscription.active = False
        subscription.save(update_fields=["active"])
        stopped = WebhookDelivery.objects.filter(
            subscription=subscription, status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=DEACTIVATED)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=subscription,
            scheme=_scheme_of_force(subscription.organisation_id),
            reason="webhook subscription deactivated",
            changes={"active": {"from": True, "to": False}, "pending_deliveries_stopped": stopped},
        )
    return subscription


def webhook_subscription_update(
    *, actor: Actor, subscription_id: int, url: str, events: Iterable[str]
) -> WebhookSubscription:
    """Change an active subscription's address or events; the secret stays the same. Deliveries
    already made keep the address they were made for (it is read when each is sent)."""
    chosen = [name for name in EVENTS if name in set(events)]
    errors: dict[str, str] = {}
    if problem := webhook_url_problem(url):
        errors["url"] = problem
    if not chosen:
        errors["events"] = "Choose at least one event"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update(of=("self",)).get(
            pk=subscription_id
        )
        if not subscription.active:
            raise ValidationError("A deactivated subscription cannot be changed: add a new one")
        changes: dict[str, Any] = {}
        if subscription.url != url:
            changes["url"] = {"from": subscription.url, "to": url}
        if subscription.events != chosen:
            changes["events"] = {"from": subscription.events, "to": chosen}
        if changes:
            subscription.url = url
            subscription.events = chosen
            subscription.save(update_fields=["url", "events"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=subscription,
                scheme=_scheme_of_force(subscription.organisation_id),
                reason="webhook subscription changed",
                changes=changes,
            )
    return subscription


def webhook_event_queue(*, event: WebhookEvent) -> list[int]:
    """Create a delivery for each active subscription of the referral's force that wants the
    event, then send them. Called after commit by `engagement.events`; safe to call twice."""
    force_id = Referral.objects.filter(pk=event.referral_id).values("scheme__force_id")[:1]
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(organisation_id=Subquery(force_id), active=True)
        if event.name in s.events
    ]
    if not subscriptions:
        return []  # most forces subscribe to nothing: one query, and the referral is not read
    referral = Referral.objects.select_related("scheme").get(pk=event.referral_id)
    payload = webhook_payload(event=event, referral=referral)
    created: list[int] = []
    for subscription in subscriptions:
        try:
            with transaction.atomic():
                delivery, is_new = WebhookDelivery.objects.get_or_create(
                    subscription=subscription,
                    event_id=event.id,
                    defaults={
                        "event": event.name,
                        "payload": payload,
                        "next_attempt_at": timezone.now(),
                    },
                )
        except IntegrityError:
            continue  # made at the same moment by another call for the same event
        if is_new:
            created.append(delivery.pk)
    _dispatch(created)
    return created


def webhook_events_queue(event: ReferralCreated | PoliceNoticeCreated) -> None:
    """Subscriber (after commit): the webhook events a domain event means, each delivered."""
    for webhook_event in webhook_events_of(event):
        webhook_event_queue(event=webhook_event)


def webhook_payload(*, event: WebhookEvent, referral: Referral) -> dict[str, Any]:
    """Everything a delivery says. No names, no health information: the force asks the API."""
    return {
        "id": str(event.id),
        "event": event.name,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "reference": referral.reference,
        "scheme": referral.scheme.code,
        "status": referral.status,
    }


def _dispatch(delivery_ids: list[int]) -> None:
    """Send now (WEBHOOKS_DELIVER_INLINE: tests, a demo without a worker) or hand to the worker.
    Anything not handed over is still due, and `webhook_deliveries_due` picks it up."""
    inline = bool(getattr(settings, "WEBHOOKS_DELIVER_INLINE", False))
    for delivery_id in delivery_ids:
        try:
            if inline:
                webhook_deliver(delivery_id=delivery_id)
            else:
                async_task(DELIVER_TASK, delivery_id=delivery_id, group="webhooks")
        except Exception:
            logger.exception("webhook_dispatch_failed", delivery_id=delivery_id, inline=inline)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes."""
    index = min(max(attempts, 1), len(RETRY_DELAYS_MINUTES)) - 1
    return dt.timedelta(minutes=RETRY_DELAYS_MINUTES[index])


def webhook_deliver(*, delivery_id: int, now: dt.datetime | None = None) -> WebhookDelivery:
    """Try one delivery if it is due. Never raises for the far end's failure: it is logged on the
    delivery and the next attempt scheduled, or the delivery marked failed after the last one."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("subscription")
            .get(pk=delivery_id)
        )
        if delivery.status != DeliveryStatus.PENDING:
            return delivery
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return delivery
        if not delivery.subscription.active:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            delivery.last_error = DEACTIVATED
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return delivery
        delivery.attempts += 1
        delivery.next_attempt_at = now + IN_FLIGHT_LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    subscription = delivery.subscription
    body = signing.body_encode(delivery.payload)
    # The signed time is the real time, whatever clock schedules the attempts.
    timestamp = int(time.time())
    result = transport.post(
        url=subscription.url,
        body=body,
        headers={
            signing.SIGNATURE_HEADER: signing.signature_header(
                secret=subscription.secret, timestamp=timestamp, body=body
            ),
            signing.EVENT_HEADER: delivery.event,
            signing.DELIVERY_HEADER: str(delivery.delivery_id),
        },
    )
    return _attempt_record(delivery_id=delivery.pk, result=result, now=now)


def _attempt_record(
    *, delivery_id: int, result: transport.PostResult, now: dt.datetime
) -> WebhookDelivery:
    with transaction.atomic(durable=True):
        delivery = WebhookDelivery.objects.select_for_update(of=("self",)).get(pk=delivery_id)
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
        )
        delivery.last_status_code, delivery.last_error = result.status_code, result.error
        if result.ok:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
            delivery.next_attempt_at = None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save(
            update_fields=[
                "status",
                "delivered_at",
                "next_attempt_at",
                "last_status_code",
                "last_error",
            ]
        )
    logger.info(
        "webhook_attempt",
        delivery_id=delivery.pk,
        webhook_event=delivery.event,
        attempt=delivery.attempts,
        status_code=result.status_code,
        outcome=delivery.status,
    )
    return delivery


def webhook_deliveries_due(*, now: dt.datetime | None = None) -> int:
    """The periodic job: send (or hand to the worker) every pending delivery whose time has come.
    Running it twice at once sends nothing twice: each attempt claims its delivery first."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    if bool(getattr(settings, "WEBHOOKS_DELIVER_INLINE", False)):
        for delivery_id in due:
            webhook_deliver(delivery_id=delivery_id, now=now)
    else:
        _dispatch(due)
    return len(due)


def webhook_delivery_replay(*, actor: Actor, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again, as it was: the same event id and body, freshly signed. Starts a
    new round of attempts. Refused for a subscription that has been deactivated."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("subscription")
            .get(pk=delivery_id)
        )
        if not delivery.subscription.active:
            raise ReplayRefused("The subscription has been deactivated: nothing can be sent to it")
        previous = delivery.status
        delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=delivery,
            scheme=Scheme.objects.filter(code=delivery.payload.get("scheme", "")).first(),
            reason="webhook delivery replayed",
            changes={
                "event": delivery.event,
                "event_id": str(delivery.event_id),
                "status": {"from": previous, "to": DeliveryStatus.PENDING},
            },
        )
        transaction.on_commit(lambda: _dispatch([delivery.pk]))
    return delivery


def _scheme_of_force(organisation_id: int) -> Scheme | None:
    """The scheme an audit row about a force's subscription is filed under, so that the
    administrators of that scheme see it in their audit log."""
    return Scheme.objects.filter(force_id=organisation_id).order_by("pk").first()
