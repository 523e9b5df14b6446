"""Events about a referral that other systems hear about (today: the forces' webhooks).

A service publishes an event inside the transaction that makes the change; subscribers hear of it
only once that transaction has committed, so a rolled-back change never tells anyone anything.
Subscribers are listed as data and imported lazily: engagement does not depend on who listens.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from diversion.core.logging import get_logger
from diversion.engagement.models import NoticeKind

logger = get_logger(__name__)

REFERRAL_CREATED = "referral.created"
REFERRAL_ENGAGED = "referral.engaged"
REFERRAL_COMPLETED = "referral.completed"
REFERRAL_NOT_ENGAGED = "referral.not_engaged"
INTELLIGENCE_LOG_CREATED = "intelligence_log.created"

# Every event name, with the words an administrator sees when choosing what to subscribe to.
EVENTS: dict[str, str] = {
    REFERRAL_CREATED: "A referral is made",
    REFERRAL_ENGAGED: "The person engaged, by the scheme's rule",
    REFERRAL_COMPLETED: "The person completed the scheme",
    REFERRAL_NOT_ENGAGED: "The person did not engage",
    INTELLIGENCE_LOG_CREATED: "An intelligence log is ready for the police",
}

# The events each kind of police notice causes, in this order.
NOTICE_EVENTS: dict[str, tuple[str, ...]] = {
    NoticeKind.ENGAGED: (REFERRAL_ENGAGED,),
    NoticeKind.COMPLETED: (REFERRAL_COMPLETED,),
    NoticeKind.INTELLIGENCE_LOG: (REFERRAL_NOT_ENGAGED, INTELLIGENCE_LOG_CREATED),
}

# Dotted paths of functions called as `subscriber(event=event)` after commit.
SUBSCRIBERS: list[str] = ["diversion.webhooks.services.webhook_event_queue"]


@dataclass(frozen=True)
class Event:
    name: str
    referral_id: int
    occurred_at: dt.datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def event_publish(*, name: str, referral_id: int, occurred_at: dt.datetime | None = None) -> Event:
    """Tell the subscribers about `name` once the current transaction commits."""
    if name not in EVENTS:
        raise ValueError(f"Unknown event {name!r}")
    event = Event(name=name, referral_id=referral_id, occurred_at=occurred_at or timezone.now())
    transaction.on_commit(lambda: _notify(event))
    return event


def _notify(event: Event) -> None:
    # One subscriber failing must neither stop the others nor reach the committed change.
    for path in SUBSCRIBERS:
        try:
            import_string(path)(event=event)
        except Exception:
            logger.exception(
                "event_subscriber_failed",
                subscriber=path,
                event_name=event.name,
                event_id=str(event.id),
            )
