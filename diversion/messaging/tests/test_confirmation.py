"""The confirmation of a booked assessment, end to end: from `referral_submit` to a real SMTP
server on loopback and the file back end."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from diversion.audit.models import AuditEvent
from diversion.engagement.notifications import referral_confirmation_queue
from diversion.messaging.models import Channel, Message, MessageStatus
from diversion.messaging.rendering import sms_segments
from diversion.messaging.services import message_send
from diversion.messaging.tests.helpers import Mailbox, first_line, invite_of, plain_text
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking, Slot

pytestmark = pytest.mark.django_db

GIVE_AWAY = ("police", "drug")


def sms_lines(outbox: Path) -> list[dict[str, Any]]:
    path = outbox / "sms.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_referral_sends_one_email_with_a_calendar_invite_for_the_booked_slot(
    mailbox: Mailbox, refer: Callable[..., Referral], slot: Slot
) -> None:
    referral = refer(safe_to_text=False)

    assert len(mailbox.envelopes) == 1
    assert mailbox.envelopes[0].rcpt_tos == ["jamie@example.org"]
    sent = mailbox.messages()[0]
    assert sent["To"] == "jamie@example.org"
    assert {part.get_content_type() for part in sent.walk()} >= {"text/plain", "text/html"}
    invite = invite_of(sent)
    assert invite["METHOD"] == "REQUEST"
    event = next(iter(invite.walk("VEVENT")))
    assert event.decoded("dtstart") == slot.starts_at
    assert event.decoded("dtend") == slot.ends_at
    booking = Booking.objects.get(referral=referral)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[1]
    assert str(event["UID"]) == f"booking-{booking.pk}@{domain}"
    assert referral.reference in plain_text(sent)
    assert referral.reference in str(event["DESCRIPTION"])
    message = Message.objects.get(referral=referral)
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.provider_reference == sent["Message-ID"]


def test_discreet_messages_never_mention_police_or_drugs_in_the_text_subject_or_preview(
    mailbox: Mailbox, refer: Callable[..., Referral], outbox: Path
) -> None:
    refer(discreet_messages=True)

    sent = mailbox.messages()[0]
    [sms] = sms_lines(outbox)
    event = next(iter(invite_of(sent).walk("VEVENT")))
    glance = [str(sent["Subject"]), first_line(sent), sms["body"], str(event["SUMMARY"])]
    glance.append(str(sent["From"]))
    for text in glance:
        assert not [word for word in GIVE_AWAY if word in text.casefold()], text
    assert str(sent["Subject"]).startswith("Your appointment on ")
    assert "10:30am" in str(sent["Subject"])


def test_plain_messages_name_the_drug_service_and_the_community_resolution(
    mailbox: Mailbox, refer: Callable[..., Referral], outbox: Path, scheme: Any
) -> None:
    refer(discreet_messages=False)

    sent = mailbox.messages()[0]
    text = plain_text(sent)
    assert "drug service" in str(sent["Subject"]).casefold()
    assert "Community Resolution" in text
    assert scheme.provider.name in text
    [sms] = sms_lines(outbox)
    assert "drug service" in sms["body"]
    assert scheme.provider.name in sms["body"]


def test_the_file_back_end_writes_one_line_per_text_message_and_the_email_to_the_outbox(
    outbox: Path, refer: Callable[..., Referral]
) -> None:
    referral = refer()

    [line] = sms_lines(outbox)
    assert line["to"] == "+447700900982"
    assert referral.reference in line["body"]
    assert line["segments"] == sms_segments(line["body"]) <= 2
    emails = [path for path in outbox.iterdir() if path.name != "sms.jsonl"]
    assert len(emails) == 1
    assert "text/calendar" in emails[0].read_text(encoding="utf-8")
    assert set(Message.objects.values_list("channel", "status")) == {
        (Channel.SMS, MessageStatus.SENT),
        (Channel.EMAIL, MessageStatus.SENT),
    }


def test_queueing_the_same_confirmation_twice_creates_no_duplicate_message(
    outbox: Path, refer: Callable[..., Referral], django_capture_on_commit_callbacks: Any
) -> None:
    referral = refer()
    with django_capture_on_commit_callbacks(execute=True):
        again = referral_confirmation_queue(referral_id=referral.pk)

    assert again == []
    assert Message.objects.filter(referral=referral).count() == 2
    assert len(sms_lines(outbox)) == 1
    audited = AuditEvent.objects.filter(object_type="messaging.Message", action="create")
    assert audited.count() == 2


def test_a_person_who_is_not_safe_to_text_gets_no_text_message(
    outbox: Path, refer: Callable[..., Referral]
) -> None:
    referral = refer(safe_to_text=False)

    assert list(Message.objects.filter(referral=referral).values_list("channel", flat=True)) == [
        Channel.EMAIL
    ]
    assert sms_lines(outbox) == []


def test_a_failing_back_end_retries_with_back_off_then_gives_up_and_leaves_the_referral_alone(
    settings: Any, outbox: Path, refer: Callable[..., Referral]
) -> None:
    from django.utils import timezone

    from diversion.messaging.tests.helpers import free_port

    settings.MESSAGING_BACKEND = "smtp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.MESSAGING_MAX_ATTEMPTS = 5

    referral = refer(mobile="")  # the first attempt runs after commit and fails
    message = Message.objects.get(referral=referral)
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.last_error == "ConnectionRefusedError"
    assert message.not_before is not None
    for attempt in range(2, 6):  # as the queue job hands it over when each back-off ends
        assert message.not_before is not None
        message = message_send(message_id=message.pk, now=message.not_before)
        assert message.attempts == attempt
    late = timezone.now() + dt.timedelta(days=2)
    after_last = message_send(message_id=message.pk, now=late)  # a late retry does nothing

    message.refresh_from_db()
    assert after_last.attempts == message.attempts == 5
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "ConnectionRefusedError"
    assert message.sent_at is None
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    assert Booking.objects.filter(referral=referral).count() == 1


def test_an_address_the_mail_server_refuses_fails_at_once_without_retrying(
    mailbox: Mailbox, refer: Callable[..., Referral]
) -> None:
    mailbox.refuse_recipients = True
    referral = refer(mobile="")

    message = Message.objects.get(referral=referral)
    assert (message.status, message.last_error) == (
        MessageStatus.FAILED,
        "refused:recipient_refused",
    )
    assert message_send(message_id=message.pk).attempts == 1  # refused: no exception, no retry
    assert mailbox.envelopes == []


def test_a_message_already_sent_is_not_sent_again(
    mailbox: Mailbox, refer: Callable[..., Referral]
) -> None:
    referral = refer(mobile="")
    message = Message.objects.get(referral=referral)

    message_send(message_id=message.pk)

    assert len(mailbox.envelopes) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_without_inline_sending_the_worker_writes_the_confirmation_then_sends_each_message(
    settings: Any,
    outbox: Path,
    refer: Callable[..., Referral],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    settings.MESSAGING_SEND_INLINE = False
    referral = refer()

    # The officer's request only queued one task: writing the confirmation.
    tasks = [SignedPackage.loads(task.payload) for task in OrmQ.objects.all()]
    assert [(t["func"], t["kwargs"]) for t in tasks] == [
        (
            "diversion.engagement.notifications.referral_confirmation_queue",
            {"referral_id": referral.pk},
        )
    ]
    assert not Message.objects.filter(referral=referral).exists()

    OrmQ.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        import_string(tasks[0]["func"])(**tasks[0]["kwargs"])
    tasks = [SignedPackage.loads(task.payload) for task in OrmQ.objects.all()]
    messages = Message.objects.filter(referral=referral)
    assert sorted(task["kwargs"]["message_id"] for task in tasks) == sorted(
        messages.values_list("pk", flat=True)
    )
    assert {task["func"] for task in tasks} == {"diversion.messaging.sending.message_send"}
    assert set(messages.values_list("status", flat=True)) == {MessageStatus.QUEUED}
    assert sms_lines(outbox) == []


def test_a_text_is_not_sent_once_the_person_says_texts_are_no_longer_safe(
    settings: Any, outbox: Path, refer: Callable[..., Referral]
) -> None:
    settings.MESSAGING_SEND_INLINE = False
    referral = refer()
    referral_confirmation_queue(referral_id=referral.pk)  # as the worker would
    referral.person.safe_to_text = False
    referral.person.save(update_fields=["safe_to_text"])
    sms = Message.objects.get(referral=referral, channel=Channel.SMS)

    message_send(message_id=sms.pk)

    sms.refresh_from_db()
    assert (sms.status, sms.last_error, sms.attempts) == (
        MessageStatus.SUPPRESSED,
        "channel_withdrawn",
        0,
    )
    assert sms_lines(outbox) == []


def test_the_recipient_and_the_words_are_encrypted_at_rest(
    outbox: Path, refer: Callable[..., Referral]
) -> None:
    referral = refer()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient, subject, body, calendar_invite FROM messaging_message "
            "WHERE referral_id = %s",
            [referral.pk],
        )
        stored = " ".join(" ".join(row) for row in cursor.fetchall())
    for secret in ("7700900982", "jamie@", referral.reference, "appointment"):
        assert secret not in stored
