"""The back ends: what GOV.UK Notify would be asked (through a stand-in client, as there is no
network here), and which sender each MESSAGING_BACKEND setting uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from notifications_python_client.errors import HTTPError

from diversion.messaging.backends import (
    SENDERS,
    DeliveryRefused,
    NotifyUnavailable,
    Outgoing,
    email_html,
    email_send_django,
    email_send_notify,
    sms_send_file,
    sms_send_notify,
)
from diversion.messaging.models import Channel


class FakeNotify:
    """Records requests and answers like Notify does."""

    def __init__(self, status_code: int | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.status_code = status_code

    def _answer(self, kind: str, request: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((kind, request))
        if self.status_code is not None:
            raise HTTPError(response=type("Response", (), {"status_code": self.status_code})())
        return {"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": request["reference"]}

    def send_sms_notification(self, **request: Any) -> dict[str, Any]:
        return self._answer("sms", request)

    def send_email_notification(self, **request: Any) -> dict[str, Any]:
        return self._answer("email", request)


SMS = Outgoing(
    message_id=41,
    delivery_key="0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    channel=Channel.SMS,
    language="en",
    recipient="+447700900982",
    sender_name="Appointments",
    subject="",
    body="Your phone appointment is on Tuesday 1 December at 10:30am.",
    calendar_invite="",
)
EMAIL = Outgoing(
    message_id=42,
    delivery_key="f9e8d7c6b5a4938271605f4e3d2c1b0a",
    channel=Channel.EMAIL,
    language="en",
    recipient="jamie@example.org",
    sender_name="Appointments",
    subject="Your appointment on Tuesday 1 December at 10:30am",
    body="Your phone appointment is on Tuesday 1 December at 10:30am.\n\nSee you <then>.",
    calendar_invite="",
)


@pytest.fixture
def notify_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_SMS_TEMPLATE_ID", "sms-template")
    monkeypatch.setenv("NOTIFY_EMAIL_TEMPLATE_ID", "email-template")


def test_a_text_through_notify_sends_the_body_to_the_sms_template_with_our_reference(
    notify_env: None,
) -> None:
    client = FakeNotify()
    reference = sms_send_notify(SMS, client=client)
    assert reference == "740e5834-3a29-46b4-9a6f-16142fde533a"
    assert client.calls == [
        (
            "sms",
            {
                "phone_number": "+447700900982",
                "template_id": "sms-template",
                "personalisation": {"body": SMS.body},
                "reference": "message-41-0a1b2c3d4e5f",
            },
        )
    ]


def test_an_email_through_notify_sends_the_subject_and_body_to_the_email_template(
    notify_env: None,
) -> None:
    client = FakeNotify()
    email_send_notify(EMAIL, client=client)
    [(kind, request)] = client.calls
    assert kind == "email"
    assert request == {
        "email_address": "jamie@example.org",
        "template_id": "email-template",
        "personalisation": {"subject": EMAIL.subject, "body": EMAIL.body},
        "reference": "message-42-f9e8d7c6b5a4",
    }


@pytest.mark.parametrize(
    ("status", "refused"), [(400, True), (403, False), (401, False), (429, False), (500, False)]
)
def test_notify_refusals_are_final_and_its_outages_and_our_key_errors_are_retried(
    notify_env: None, status: int, refused: bool
) -> None:
    expected = DeliveryRefused if refused else NotifyUnavailable
    with pytest.raises(expected):
        sms_send_notify(SMS, client=FakeNotify(status_code=status))


def test_notify_without_its_settings_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NOTIFY_API_KEY", raising=False)
    monkeypatch.delenv("NOTIFY_SMS_TEMPLATE_ID", raising=False)
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_SMS_TEMPLATE_ID"):
        sms_send_notify(SMS, client=FakeNotify())
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_API_KEY"):
        sms_send_notify(SMS)


def test_each_backend_setting_uses_the_agreed_senders() -> None:
    assert SENDERS["file"] == {Channel.EMAIL: email_send_django, Channel.SMS: sms_send_file}
    assert SENDERS["smtp"] == {Channel.EMAIL: email_send_django, Channel.SMS: sms_send_file}
    assert SENDERS["notify"] == {Channel.EMAIL: email_send_notify, Channel.SMS: sms_send_notify}


def test_the_file_back_end_creates_its_folder_and_appends_a_line_per_text(
    settings: Any, tmp_path: Path
) -> None:
    settings.EMAIL_FILE_PATH = tmp_path / "new" / "outbox"
    sms_send_file(SMS)
    sms_send_file(SMS)
    assert len((tmp_path / "new" / "outbox" / "sms.jsonl").read_text().splitlines()) == 2


def test_the_html_email_escapes_the_words_and_keeps_the_paragraphs() -> None:
    html = email_html(EMAIL)
    assert "See you &lt;then&gt;." in html
    assert html.count("<p ") == 2
    assert '<html lang="en" dir="ltr">' in html
