"""Reads for messaging."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min

from diversion.messaging.models import Channel, Message, MessageStatus
from diversion.people.models import Person


def person_channels(*, person: Person) -> dict[str, str]:
    """The channels we may use to reach the person now, with the address for each.

    Text messages only when the person said texts are safe: a message on a shared or
    watched phone could put them at risk.
    """
    channels: dict[str, str] = {}
    if person.mobile and person.safe_to_text:
        channels[Channel.SMS] = person.mobile
    if person.email:
        channels[Channel.EMAIL] = person.email
    return channels


def message_queue_summary(*, now: dt.datetime) -> dict[str, object]:
    """Counts for the operators (no personal data): how many messages wait, are being sent,
    or failed in the last day, and how long the oldest waiting one has waited."""
    by_status = dict(
        Message.objects.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING])
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    oldest = (
        Message.objects.filter(status=MessageStatus.QUEUED)
        .aggregate(oldest=Min("created_at"))
        .get("oldest")
    )
    return {
        "queued": by_status.get(MessageStatus.QUEUED, 0),
        "sending": by_status.get(MessageStatus.SENDING, 0),
        "failed_last_day": Message.objects.filter(
            status=MessageStatus.FAILED, created_at__gte=now - dt.timedelta(days=1)
        ).count(),
        "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest else None,
    }
