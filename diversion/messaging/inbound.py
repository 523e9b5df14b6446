"""Replies to our text messages. A person who replies STOP (or a usual equivalent, in any of
our languages) gets no more text messages: every person we have texted at that number is opted
out, audited. GOV.UK Notify passes replies to `/messaging/inbound/notify/` (configure the
callback and its bearer token, NOTIFY_INBOUND_TOKEN, in Notify); `diversion inbound_sms` records
one by hand (development, or a reply that reached staff another way).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from diversion.audit.services import Actor
from diversion.messaging.addresses import InboundInvalid, recipient_index
from diversion.messaging.models import Channel, InboundAction, InboundMessage, Message
from diversion.messaging.services import messaging_opt_out
from diversion.people.models import Person

# The usual opt-out words (Ofcom / mobile networks), and the same in Welsh and Polish.
STOP_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "END", "CANCEL", "QUIT", "STOPIO", "DIM", "NIE", "STOPP"}
)
REPLIER = Actor(label="person (text reply)")


def is_stop(text: str) -> bool:
    words = re.findall(r"[A-Za-zÀ-ž]+", text.upper())
    return bool(words) and words[0] in STOP_WORDS and len(words) <= 3


def inbound_sms_record(
    *, provider_id: str, sender: str, text: str, received_at: dt.datetime
) -> InboundMessage:
    """Record a reply and act on it, once per provider id. Raises InboundInvalid."""
    if not provider_id.strip():
        raise InboundInvalid("The reply has no id")
    sender_index = recipient_index(sender, channel=Channel.SMS)
    if not sender_index:
        raise InboundInvalid(f"{sender!r} is not a phone number")
    with transaction.atomic():
        existing = InboundMessage.objects.select_for_update(of=("self",)).filter(
            provider_id=provider_id
        )
        if (found := existing.first()) is not None:
            return found
        people: list[Person] = []
        if is_stop(text):
            person_ids = (
                Message.objects.filter(channel=Channel.SMS, recipient_index=sender_index)
                .values_list("person_id", flat=True)
                .distinct()
            )
            people = list(Person.objects.filter(pk__in=list(person_ids)).order_by("pk"))
            action = InboundAction.OPTED_OUT if people else InboundAction.UNKNOWN_SENDER
        else:
            action = InboundAction.NO_ACTION
        inbound = InboundMessage.objects.create(
            provider_id=provider_id[:100],
            sender_index=sender_index,
            body=text[:1000],
            received_at=received_at,
            action=action,
            people=len(people),
        )
        for person in people:
            messaging_opt_out(person=person, channel=Channel.SMS, actor=REPLIER)
    return inbound
