"""Helpers for the messaging tests: a real SMTP server's mailbox and ways to read what it got."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from diversion.referrals.details import PersonDetails

LONDON = ZoneInfo("Europe/London")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What a real SMTP server on loopback received."""

    envelopes: list[Any] = field(default_factory=list)
    refuse_recipients: bool = False
    host: str = "127.0.0.1"
    port: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.refuse_recipients:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]


def person_details(**changes: Any) -> PersonDetails:
    values: dict[str, Any] = {
        "given_name": "Jamie",
        "family_name": "O'Neill",
        "date_of_birth": dt.date(1998, 6, 14),
        "sex": "male",
        "self_defined_ethnicity": "W1",
        "observed_ethnicity": "IC1",
        "mobile": "+447700900982",
        "email": "jamie@example.org",
        "safe_to_text": True,
        "discreet_messages": True,
    }
    values.update(changes)
    return PersonDetails(**values)


def invite_of(message: EmailMessage) -> icalendar.Calendar:
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return icalendar.Calendar.from_ical(parts[0].get_content())


def plain_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def first_line(message: EmailMessage) -> str:
    """What an inbox shows as the preview."""
    return plain_text(message).strip().splitlines()[0]
