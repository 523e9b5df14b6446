"""Addresses in one form, and their blind index, so that a reply can be traced to the people we
wrote to at that address without decrypting the log."""

from __future__ import annotations

import phonenumbers

from diversion.core.crypto import blind_index
from diversion.messaging.models import Channel

RECIPIENT_PURPOSE = "message-recipient"


class InboundInvalid(ValueError):
    pass


def normalised_address(address: str, *, channel: str) -> str:
    """E.164 for phone numbers (Notify sends 447700900123), lower case for email."""
    address = address.strip()
    if channel == Channel.EMAIL:
        return address.casefold()
    candidate = address if address.startswith(("+", "0")) else f"+{address}"
    try:
        number = phonenumbers.parse(candidate, "GB")
    except phonenumbers.NumberParseException as error:
        raise InboundInvalid(f"{address!r} is not a phone number") from error
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def recipient_index(address: str, *, channel: str) -> str:
    """The blind index of an address, or "" if it is not a usable address."""
    try:
        return blind_index(normalised_address(address, channel=channel), purpose=RECIPIENT_PURPOSE)
    except InboundInvalid:
        return ""
