"""The events a force's system can subscribe to, and how the product's domain events become
them. A webhook event's id is derived from the domain event's id and its name, so a retried
subscriber produces the same id and the delivery is made once."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from diversion.engagement.events import PoliceNoticeCreated
from diversion.engagement.models import NoticeKind
from diversion.referrals.events import ReferralCreated

REFERRAL_CREATED = "referral.created"
REFERRAL_ENGAGED = "referral.engaged"
REFERRAL_COMPLETED = "referral.completed"
REFERRAL_NOT_ENGAGED = "referral.not_engaged"
REFERRAL_COURSE_NOT_COMPLETED = "referral.course_not_completed"
INTELLIGENCE_LOG_CREATED = "intelligence_log.created"

# Every event name, with the words an administrator sees when choosing what to subscribe to.
EVENTS: dict[str, str] = {
    REFERRAL_CREATED: "A referral is made",
    REFERRAL_ENGAGED: "The person engaged, by the scheme's rule",
    REFERRAL_COMPLETED: "The person completed the scheme",
    REFERRAL_NOT_ENGAGED: "The person did not engage",
    REFERRAL_COURSE_NOT_COMPLETED: "The person was assessed but did not complete the course",
    INTELLIGENCE_LOG_CREATED: "An intelligence log is ready for the police",
}

# The events each kind of police notice causes, in this order.
NOTICE_EVENTS: dict[str, tuple[str, ...]] = {
    NoticeKind.ENGAGED: (REFERRAL_ENGAGED,),
    NoticeKind.COMPLETED: (REFERRAL_COMPLETED,),
    NoticeKind.INTELLIGENCE_LOG: (REFERRAL_NOT_ENGAGED, INTELLIGENCE_LOG_CREATED),
    NoticeKind.COURSE_NOT_COMPLETED: (REFERRAL_COURSE_NOT_COMPLETED,),
}


@dataclass(frozen=True)
class WebhookEvent:
    name: str
    referral_id: int
    occurred_at: dt.datetime
    id: uuid.UUID


def webhook_events_of(event: ReferralCreated | PoliceNoticeCreated) -> list[WebhookEvent]:
    names = (
        NOTICE_EVENTS[event.kind] if isinstance(event, PoliceNoticeCreated) else (REFERRAL_CREATED,)
    )
    return [
        WebhookEvent(
            name=name,
            referral_id=event.referral_id,
            occurred_at=event.occurred_at,
            id=uuid.uuid5(event.id, name),
        )
        for name in names
    ]
