"""Whether the messaging back end is working, and the alert when it is not.

Every attempt that fails for a temporary reason (5xx, time-out, rate limit, our key refused)
counts; a message the far end accepted, or refused for good, resets the count. After
MESSAGING_ALERT_AFTER_FAILURES failures in a row the operators are alerted once: an `error`
log line `messaging_provider_down` (log alerting picks it up) and `diversion messaging_status`
exits non-zero (for a monitoring check). Recovery logs `messaging_provider_recovered`.
An alert cannot go by email or text: those are what is down.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from diversion.core.logging import get_logger
from diversion.messaging.models import DeliveryHealth

logger = get_logger(__name__)


def delivery_failed(*, backend: str, error: str, now: dt.datetime) -> DeliveryHealth:
    with transaction.atomic():
        health, _ = DeliveryHealth.objects.select_for_update(of=("self",)).get_or_create(
            backend=backend
        )
        health.consecutive_failures += 1
        health.failing_since = health.failing_since or now
        health.last_error = error[:100]
        alert = (
            health.alerted_at is None
            and health.consecutive_failures >= settings.MESSAGING_ALERT_AFTER_FAILURES
        )
        if alert:
            health.alerted_at = now
        health.save()
    if alert:
        logger.error(
            "messaging_provider_down",
            backend=backend,
            consecutive_failures=health.consecutive_failures,
            failing_since=health.failing_since,
            error=health.last_error,
        )
    return health


def delivery_succeeded(*, backend: str, now: dt.datetime) -> None:
    """Cheap when all is well: one indexed read that finds no row."""
    with transaction.atomic():
        failing = (
            DeliveryHealth.objects.select_for_update(of=("self",))
            .filter(backend=backend, consecutive_failures__gt=0)
            .first()
        )
        if failing is None:
            return
        was_alerted, since = failing.alerted_at is not None, failing.failing_since
        failures = failing.consecutive_failures
        failing.consecutive_failures, failing.failing_since = 0, None
        failing.alerted_at, failing.last_error, failing.last_success_at = None, "", now
        failing.save()
    log = logger.warning if was_alerted else logger.info
    log(
        "messaging_provider_recovered",
        backend=backend,
        failures=failures,
        down_seconds=int((now - since).total_seconds()) if since else None,
    )


def delivery_health(*, backend: str) -> DeliveryHealth:
    """The back end's record (not saved when it has never failed)."""
    return DeliveryHealth.objects.filter(backend=backend).first() or DeliveryHealth(backend=backend)
