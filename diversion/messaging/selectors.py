"""Reads for messaging."""

from __future__ import annotations

from diversion.messaging.models import Channel
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
