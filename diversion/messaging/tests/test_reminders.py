"""Reminders before a booked assessment, quiet hours and opt-outs, on a fake clock (`now=`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from diversion.audit.models import AuditEvent
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.engagement.notifications import referral_confirmation_queue, reminders_due
from diversion.messaging.models import Channel, Message, MessageStatus
from diversion.messaging.services import message_send, messages_retry_stale, messaging_opt_out
from diversion.messaging.tests.helpers import LONDON
from diversion.messaging.wording import (
    ASSESSMENT_CONFIRMATION,
    ASSESSMENT_REMINDER_DAY_BEFORE,
    ASSESSMENT_REMINDER_TWO_HOURS,
)
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking, BookingStatus, Slot

pytestmark = pytest.mark.django_db

DAY_BEFORE, TWO_HOURS = ASSESSMENT_REMINDER_DAY_BEFORE, ASSESSMENT_REMINDER_TWO_HOURS


@pytest.fixture
def booked(refer: Callable[..., Referral], settings: Any, outbox: Path) -> Referral:
    """A referral whose confirmation has gone, booked at 10:30 three days ahead; from then on,
    quiet hours apply."""
    referral = refer()
    assert set(referral.messages.values_list("status", flat=True)) == {MessageStatus.SENT}
    settings.MESSAGING_QUIET_HOURS = (21, 8)
    return referral


def at(slot: Slot, days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A UK time `days` from the appointment's day."""
    day = slot.starts_at.astimezone(LONDON).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def reminders(referral: Referral, template: str) -> list[Message]:
    return list(Message.objects.filter(referral=referral, template=template).order_by("channel"))


def move_slot(slot: Slot, starts_at: dt.datetime) -> None:
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=45)
    )


def test_the_day_before_reminder_goes_at_six_in_the_evening_once_on_each_channel(
    booked: Referral, slot: Slot
) -> None:
    assert reminders_due(now=at(slot, -1, 17, 59)) == 0
    assert reminders_due(now=at(slot, -1, 18, 0)) == 2
    assert reminders_due(now=at(slot, -1, 18, 5)) == 0
    assert reminders_due(now=at(slot, -1, 20, 55)) == 0

    email, sms = reminders(booked, DAY_BEFORE)
    assert (email.channel, sms.channel) == (Channel.EMAIL, Channel.SMS)
    booking = Booking.objects.get(referral=booked)
    assert sms.dedupe_key == f"{booked.pk}:{DAY_BEFORE}:sms:booking-{booking.pk}"
    assert sms.not_before is None and sms.booking == booking
    assert email.calendar_invite == ""
    assert "10:30am" in sms.body and booked.reference in sms.body
    sent = message_send(message_id=sms.pk, now=at(slot, -1, 18, 1))
    assert (sent.status, sent.sent_at) == (MessageStatus.SENT, at(slot, -1, 18, 1))


def test_the_two_hour_reminder_goes_two_hours_before_and_never_twice(
    booked: Referral, slot: Slot
) -> None:
    reminders_due(now=at(slot, -1, 18, 0))
    assert reminders_due(now=at(slot, 0, 8, 29)) == 0
    assert reminders_due(now=at(slot, 0, 8, 30)) == 2
    assert reminders_due(now=at(slot, 0, 8, 35)) == 0
    assert reminders_due(now=at(slot, 0, 10, 31)) == 0  # over

    assert {m.not_before for m in reminders(booked, TWO_HOURS)} == {None}
    assert Message.objects.filter(referral=booked).count() == 6  # confirmation + 2 reminders


def test_a_job_that_missed_the_evening_sends_only_the_two_hour_reminder(
    booked: Referral, slot: Slot
) -> None:
    assert reminders_due(now=at(slot, 0, 9, 0)) == 2
    assert reminders(booked, DAY_BEFORE) == []
    assert len(reminders(booked, TWO_HOURS)) == 2


def test_a_cancelled_booking_gets_no_reminder_and_a_queued_one_is_suppressed(
    booked: Referral, slot: Slot
) -> None:
    reminders_due(now=at(slot, -1, 18, 0))
    Booking.objects.filter(referral=booked).update(status=BookingStatus.CANCELLED)

    assert reminders_due(now=at(slot, 0, 8, 30)) == 0
    sms = reminders(booked, DAY_BEFORE)[1]
    sent = message_send(message_id=sms.pk, now=at(slot, -1, 18, 1))
    assert (sent.status, sent.last_error) == (MessageStatus.SUPPRESSED, "booking_cancelled")


def test_a_reminder_not_sent_before_the_appointment_starts_is_suppressed(
    booked: Referral, slot: Slot
) -> None:
    reminders_due(now=at(slot, 0, 8, 30))
    sms = reminders(booked, TWO_HOURS)[1]

    sent = message_send(message_id=sms.pk, now=at(slot, 0, 10, 30))

    assert (sent.status, sent.last_error, sent.attempts) == (
        MessageStatus.SUPPRESSED,
        "appointment_started",
        0,
    )


def test_a_booking_made_after_a_reminder_was_due_gets_no_such_reminder(
    booked: Referral, slot: Slot
) -> None:
    Booking.objects.filter(referral=booked).update(created_at=at(slot, -1, 19, 0))

    assert reminders_due(now=at(slot, -1, 19, 0)) == 0
    assert reminders_due(now=at(slot, 0, 8, 30)) == 2  # booked before this one was due
    assert reminders(booked, DAY_BEFORE) == []


def test_the_two_hour_reminder_of_a_nine_oclock_appointment_is_held_until_eight(
    booked: Referral, slot: Slot
) -> None:
    move_slot(slot, at(slot, 0, 9, 0))

    assert reminders_due(now=at(slot, 0, 7, 0)) == 2
    held = reminders(booked, TWO_HOURS)
    assert {(m.status, m.not_before) for m in held} == {(MessageStatus.QUEUED, at(slot, 0, 8))}
    sms = held[1]
    assert message_send(message_id=sms.pk, now=at(slot, 0, 7, 30)).status == MessageStatus.QUEUED
    held_ids = {m.pk for m in held}
    assert messages_retry_stale(now=at(slot, 0, 7, 59)) == 0
    assert messages_retry_stale(now=at(slot, 0, 8, 0)) == len(held_ids)
    assert messages_retry_stale(now=at(slot, 0, 8, 5)) == 0  # handed over once
    sent = message_send(message_id=sms.pk, now=at(slot, 0, 8, 0))
    assert (sent.status, sent.sent_at) == (MessageStatus.SENT, at(slot, 0, 8))


def test_an_eight_oclock_appointment_gets_no_two_hour_reminder(
    booked: Referral, slot: Slot
) -> None:
    move_slot(slot, at(slot, 0, 8, 0))

    assert reminders_due(now=at(slot, -1, 18, 0)) == 2  # the day before still goes
    assert reminders_due(now=at(slot, 0, 6, 0)) == 0
    assert reminders_due(now=at(slot, 0, 7, 55)) == 0
    assert reminders(booked, TWO_HOURS) == []


def test_nothing_is_sent_in_quiet_hours_whatever_queued_it(booked: Referral, slot: Slot) -> None:
    reminders_due(now=at(slot, -1, 18, 0))
    sms = reminders(booked, DAY_BEFORE)[1]

    held = message_send(message_id=sms.pk, now=at(slot, -1, 21, 0))

    assert (held.status, held.attempts, held.not_before) == (
        MessageStatus.QUEUED,
        0,
        at(slot, 0, 8, 0),
    )
    assert message_send(message_id=sms.pk, now=at(slot, 0, 7, 59)).status == MessageStatus.QUEUED
    assert message_send(message_id=sms.pk, now=at(slot, 0, 8, 0)).status == MessageStatus.SENT


def test_a_confirmation_from_a_stop_at_night_is_held_until_eight(
    booked: Referral, slot: Slot, django_capture_on_commit_callbacks: Any
) -> None:
    Message.objects.filter(referral=booked).delete()
    night = at(slot, -2, 23, 30)

    with django_capture_on_commit_callbacks() as callbacks:
        created = referral_confirmation_queue(referral_id=booked.pk, now=night)

    assert len(created) == 2 and callbacks == []  # nothing handed to the worker yet
    assert {(m.template, m.status, m.not_before) for m in created} == {
        (ASSESSMENT_CONFIRMATION, MessageStatus.QUEUED, at(slot, -1, 8, 0))
    }
    assert messages_retry_stale(now=at(slot, -1, 7, 0)) == 0
    assert messages_retry_stale(now=at(slot, -1, 8, 0)) == 2


def test_a_person_who_opted_out_of_texts_gets_emails_only_and_it_is_audited(
    booked: Referral, slot: Slot, scheme: Any, make_user: Any
) -> None:
    worker = make_user(Role.WORKER, scheme)
    preference = messaging_opt_out(
        person=booked.person, channel=Channel.SMS, actor=Actor.of(worker), now=at(slot, -2, 12)
    )
    messaging_opt_out(person=booked.person, channel=Channel.SMS, actor=Actor.of(worker))

    assert (preference.sms_opted_out, preference.email_opted_out) == (True, False)
    assert preference.opted_out_at == at(slot, -2, 12)
    audited = AuditEvent.objects.filter(object_type="messaging.MessagingPreference")
    assert list(audited.values_list("action", "actor")) == [("update", worker.pk)]
    reminders_due(now=at(slot, -1, 18, 0))
    email, sms = reminders(booked, DAY_BEFORE)
    when = at(slot, -1, 18, 1)
    assert message_send(message_id=email.pk, now=when).status == MessageStatus.SENT
    suppressed = message_send(message_id=sms.pk, now=when)
    assert (suppressed.status, suppressed.last_error) == (MessageStatus.SUPPRESSED, "opted_out")


def test_an_unknown_channel_cannot_be_opted_out_of(booked: Referral) -> None:
    with pytest.raises(ValueError, match="Unknown channel"):
        messaging_opt_out(person=booked.person, channel="fax", actor=Actor())


@pytest.mark.parametrize(
    ("language", "expected"),
    [("cy", "Nodyn atgoffa"), ("pl", "Przypom"), ("ur", "یاد دہانی"), ("pa", "ਯਾਦ ਰਹੇ")],
)
def test_reminders_are_in_the_persons_language_and_go_through_the_back_end(
    booked: Referral, slot: Slot, outbox: Path, language: str, expected: str
) -> None:
    booked.person.preferred_language = language
    booked.person.save(update_fields=["preferred_language"])

    reminders_due(now=at(slot, -1, 18, 0))

    for message in reminders(booked, DAY_BEFORE):
        assert message.language == language
        assert expected in message.body
        sent = message_send(message_id=message.pk, now=at(slot, -1, 18, 1))
        assert sent.status == MessageStatus.SENT, sent.last_error
    assert expected in (outbox / "sms.jsonl").read_text(encoding="utf-8")


def test_a_language_without_templates_falls_back_to_english(booked: Referral, slot: Slot) -> None:
    type(booked.person).objects.filter(pk=booked.person.pk).update(preferred_language="fr")

    reminders_due(now=at(slot, -1, 18, 0))

    assert {m.language for m in reminders(booked, DAY_BEFORE)} == {"en"}
