"""Calendar invitations (iCalendar REQUEST) for appointments sent by email.

The UID is stable per booking, so a later update or cancellation of the same booking replaces
the event in the person's calendar instead of adding another. Times are in UTC. An invitation
holds only what the email itself says: never health, drugs or the offence.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone

PRODUCT_ID = "-//Diversion//Appointments//EN"


def sender_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def booking_uid(booking_id: int) -> str:
    return f"booking-{booking_id}@{sender_domain()}"


def invite_build(
    *,
    uid: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    summary: str,
    description: str,
    organiser_name: str,
    attendee_email: str,
    sequence: int = 0,
) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", starts_at.astimezone(dt.UTC))
    event.add("dtend", ends_at.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    organiser = icalendar.vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organiser.params["cn"] = icalendar.vText(organiser_name)
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("ACCEPTED")
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
