"""Where messages go, chosen by the MESSAGING_BACKEND setting.

| setting | email                                   | SMS                          |
| ------- | --------------------------------------- | ---------------------------- |
| file    | Django's EMAIL_BACKEND (var/outbox)     | a JSON line in sms.jsonl     |
| smtp    | Django's EMAIL_BACKEND (SMTP)           | a JSON line in sms.jsonl     |
| notify  | GOV.UK Notify                           | GOV.UK Notify                |

Each sender takes a frozen `Outgoing` and returns the provider's reference for it. A sender
raises `DeliveryRefused` when trying again cannot help (an address the far end rejects); any
other exception is treated as temporary and the send is retried.

Each message goes out with our reference (`message-<id>`). Before a message is sent again after
an attempt whose outcome is unknown, `delivered_reference` asks the provider whether it already
has it: Notify lists notifications by reference, the SMS file is read. SMTP cannot be asked, so
email through SMTP (development) is sent at least once, not exactly once.
"""

from __future__ import annotations

import json
import os
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from diversion.messaging.models import Channel, Message
from diversion.messaging.optout import opt_out_link
from diversion.messaging.rendering import sms_segments
from diversion.messaging.wording import LANGUAGES

SMS_OUTBOX_FILE = "sms.jsonl"
EMAIL_TIMEOUT_SECONDS = 30
RIGHT_TO_LEFT = {code for code, terms in LANGUAGES.items() if terms.right_to_left}


class DeliveryRefused(Exception):
    """The far end refused the message for good; `reason` is a code without personal data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Outgoing:
    message_id: int
    delivery_key: str
    channel: str
    language: str
    recipient: str
    sender_name: str
    subject: str
    body: str
    calendar_invite: str
    # The link that stops emails (RFC 8058 one-click); empty for a text message.
    opt_out: str = ""

    @classmethod
    def of(cls, message: Message) -> Outgoing:
        return cls(
            message_id=message.pk,
            delivery_key=message.delivery_key.hex,
            channel=message.channel,
            language=message.language,
            recipient=message.recipient,
            sender_name=message.sender_name,
            subject=message.subject,
            body=message.body,
            calendar_invite=message.calendar_invite,
            opt_out=opt_out_link(person_id=message.person_id, channel=Channel.EMAIL)
            if message.channel == Channel.EMAIL
            else "",
        )

    @property
    def reference(self) -> str:
        """Our identifier as the provider shows it: no personal data, unique across restores."""
        return f"message-{self.message_id}-{self.delivery_key[:12]}"


# Email through Django's email framework -------------------------------------------------------


def _from_header(sender_name: str) -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return formataddr((sender_name, address)) if sender_name else settings.DEFAULT_FROM_EMAIL


def _invite_part(invite: str) -> MIMEText:
    part = MIMEText(invite, "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _opt_out_headers(outgoing: Outgoing) -> dict[str, str]:
    """Mail programs show their own "unsubscribe" button with these (RFC 2369, RFC 8058)."""
    if not outgoing.opt_out:
        return {}
    return {
        "List-Unsubscribe": f"<{outgoing.opt_out}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def email_html(outgoing: Outgoing) -> str:
    return render_to_string(
        "messaging/email.html",
        {
            "language": outgoing.language,
            "direction": "rtl" if outgoing.language in RIGHT_TO_LEFT else "ltr",
            "subject": outgoing.subject,
            "paragraphs": [p for p in outgoing.body.split("\n\n") if p.strip()],
        },
    )


def email_send_django(outgoing: Outgoing) -> str:
    """Plain text, and HTML with the same words and clickable links, as alternatives; the
    invitation; the opt-out headers. Through settings.EMAIL_BACKEND."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or None
    message_id = make_msgid(domain=domain)
    connection = get_connection(
        fail_silently=False,
        timeout=getattr(settings, "EMAIL_TIMEOUT", None) or EMAIL_TIMEOUT_SECONDS,
    )
    email = EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.body,
        from_email=_from_header(outgoing.sender_name),
        to=[outgoing.recipient],
        headers={"Message-ID": message_id, **_opt_out_headers(outgoing)},
        connection=connection,
    )
    email.attach_alternative(email_html(outgoing), "text/html")
    if outgoing.calendar_invite:
        email.attach(_invite_part(outgoing.calendar_invite))
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryRefused("recipient_refused") from error
    return message_id


# SMS to a file (development and tests) --------------------------------------------------------


def sms_outbox_path() -> Path:
    return Path(settings.EMAIL_FILE_PATH) / SMS_OUTBOX_FILE


def sms_send_file(outgoing: Outgoing) -> str:
    """Append one JSON line per text message to var/outbox/sms.jsonl."""
    path = sms_outbox_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {
            "reference": outgoing.reference,
            "to": outgoing.recipient,
            "body": outgoing.body,
            "segments": sms_segments(outgoing.body),
            "written_at": timezone.now().isoformat(),
        },
        ensure_ascii=False,
    )
    with path.open("a", encoding="utf-8") as outbox:
        outbox.write(line + "\n")
    return f"{SMS_OUTBOX_FILE}:{outgoing.reference}"


# GOV.UK Notify (production) -------------------------------------------------------------------


class NotifyClient(Protocol):
    """The part of notifications_python_client.NotificationsAPIClient that we use."""

    def send_sms_notification(
        self,
        phone_number: str,
        template_id: str,
        personalisation: dict[str, Any] | None = None,
        reference: str | None = None,
    ) -> dict[str, Any]: ...

    def send_email_notification(
        self,
        email_address: str,
        template_id: str,
        personalisation: dict[str, Any] | None = None,
        reference: str | None = None,
    ) -> dict[str, Any]: ...

    def get_all_notifications(self, *, reference: str | None = None) -> dict[str, Any]: ...


def _environment(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set to send messages through GOV.UK Notify.")
    return value


def notify_client() -> NotifyClient:
    from notifications_python_client.notifications import NotificationsAPIClient

    client: NotifyClient = NotificationsAPIClient(
        _environment("NOTIFY_API_KEY"),
        base_url=settings.NOTIFY_BASE_URL,
        timeout=settings.NOTIFY_TIMEOUT_SECONDS,
    )
    return client


# Our key or service is wrong (or suspended): every message fails the same way until an operator
# acts, so these are retried and alerted on, never held against the message.
NOTIFY_NOT_OURS = {401, 403}


class NotifyUnavailable(Exception):
    """Notify could not take the message now (5xx, rate limit, time-out, our key refused)."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"notify_{status_code}")
        self.status_code = status_code


def _notify_call(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    from notifications_python_client.errors import HTTPError

    try:
        return call()
    except HTTPError as error:
        # Other 4xx: a bad number or address, or a refused template.
        if 400 <= error.status_code < 500 and error.status_code not in {429, *NOTIFY_NOT_OURS}:
            raise DeliveryRefused(f"notify_{error.status_code}") from error
        raise NotifyUnavailable(error.status_code) from error


def sms_send_notify(outgoing: Outgoing, *, client: NotifyClient | None = None) -> str:
    """Notify's SMS template must be exactly ((body))."""
    notify = client or notify_client()
    template_id = _environment("NOTIFY_SMS_TEMPLATE_ID")
    response = _notify_call(
        lambda: notify.send_sms_notification(
            phone_number=outgoing.recipient,
            template_id=template_id,
            personalisation={"body": outgoing.body},
            reference=outgoing.reference,
        )
    )
    return str(response["id"])


def email_send_notify(outgoing: Outgoing, *, client: NotifyClient | None = None) -> str:
    """Notify's email template must have subject ((subject)) and body ((body)).

    Notify cannot attach a calendar file, so the invitation is not sent this way.
    """
    notify = client or notify_client()
    template_id = _environment("NOTIFY_EMAIL_TEMPLATE_ID")
    response = _notify_call(
        lambda: notify.send_email_notification(
            email_address=outgoing.recipient,
            template_id=template_id,
            personalisation={"subject": outgoing.subject, "body": outgoing.body},
            reference=outgoing.reference,
        )
    )
    return str(response["id"])


def notify_find(outgoing: Outgoing, *, client: NotifyClient | None = None) -> str | None:
    """Notify's id for the notification with our reference, if Notify has one."""
    notify = client or notify_client()
    response = _notify_call(lambda: notify.get_all_notifications(reference=outgoing.reference))
    for notification in response.get("notifications", []):
        if notification.get("reference") == outgoing.reference:
            return str(notification["id"])
    return None


def sms_find_file(outgoing: Outgoing) -> str | None:
    path = sms_outbox_path()
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as outbox:
        for line in outbox:
            if json.loads(line).get("reference") == outgoing.reference:
                return f"{SMS_OUTBOX_FILE}:{outgoing.reference}"
    return None


Sender = Callable[[Outgoing], str]

SENDERS: dict[str, dict[str, Sender]] = {
    "file": {Channel.EMAIL: email_send_django, Channel.SMS: sms_send_file},
    "smtp": {Channel.EMAIL: email_send_django, Channel.SMS: sms_send_file},
    "notify": {Channel.EMAIL: email_send_notify, Channel.SMS: sms_send_notify},
}


Finder = Callable[[Outgoing], "str | None"]

FINDERS: dict[str, dict[str, Finder]] = {
    "file": {Channel.SMS: sms_find_file},
    "smtp": {Channel.SMS: sms_find_file},
    "notify": {Channel.EMAIL: notify_find, Channel.SMS: notify_find},
}


def backend_name() -> str:
    backend = str(settings.MESSAGING_BACKEND)
    if backend not in SENDERS:
        raise ImproperlyConfigured(f"MESSAGING_BACKEND must be one of {sorted(SENDERS)}.")
    return backend


def deliver(message: Message) -> str:
    """Send through the configured back end; returns the provider's reference."""
    return SENDERS[backend_name()][message.channel](Outgoing.of(message))


def delivered_reference(message: Message) -> str | None:
    """The provider's reference if it already has this message; None if it has not, or cannot
    say (then the message is sent again: at least once)."""
    finder = FINDERS[backend_name()].get(message.channel)
    return finder(Outgoing.of(message)) if finder is not None else None
