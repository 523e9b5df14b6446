"""GOV.UK Notify down, then recovering, against a real HTTP server on loopback standing in for
Notify (fake_notify.py): messages wait and are retried with back-off, the operators are alerted
after N failures in a row, and nobody gets a text twice, even when a call timed out after Notify
had accepted it or the worker died in the middle of a send."""

from __future__ import annotations

import datetime as dt
import logging
import signal
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from diversion.messaging.backends import Outgoing
from diversion.messaging.models import Channel, DeliveryHealth, Message, MessageStatus
from diversion.messaging.sending import message_send
from diversion.messaging.services import messages_retry_stale
from diversion.messaging.tests.fake_notify import FakeNotify
from diversion.referrals.models import Referral

MINUTE = dt.timedelta(minutes=1)


class WorkerKilled(BaseException):
    """What the process sees of SIGKILL: nothing after this point runs."""


@pytest.fixture
def notify(settings: Any, monkeypatch: pytest.MonkeyPatch, outbox: Any) -> Iterator[FakeNotify]:
    server = FakeNotify().start()
    monkeypatch.setenv("NOTIFY_API_KEY", server.key)
    monkeypatch.setenv("NOTIFY_SMS_TEMPLATE_ID", "00000000-0000-4000-8000-000000000001")
    monkeypatch.setenv("NOTIFY_EMAIL_TEMPLATE_ID", "00000000-0000-4000-8000-000000000002")
    settings.MESSAGING_BACKEND = "notify"
    settings.NOTIFY_BASE_URL = server.url
    settings.NOTIFY_TIMEOUT_SECONDS = 0.5
    settings.MESSAGING_ALERT_AFTER_FAILURES = 3
    settings.MESSAGING_RETRY_BASE_SECONDS = 60
    settings.MESSAGING_RETRY_MAX_SECONDS = 3600
    settings.MESSAGING_SEND_LEASE_SECONDS = 120
    settings.MESSAGING_MAX_ATTEMPTS = 24
    try:
        yield server
    finally:
        server.stop()


def killed_after(seconds: float, send: Callable[[], object]) -> None:
    """Run `send` and kill it after `seconds`, while it waits for Notify's answer."""

    def kill(signum: int, frame: Any) -> None:
        raise WorkerKilled

    previous = signal.signal(signal.SIGALRM, kill)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with pytest.raises(WorkerKilled):
            send()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == name]


def reference(message: Message) -> str:
    return Outgoing.of(message).reference


def status_exit_code() -> int:
    try:
        call_command("messaging_status")
    except CommandError as error:
        return error.returncode
    return 0


@pytest.mark.django_db
def test_notify_down_then_recovering_sends_each_message_once_and_alerts_once(
    notify: FakeNotify,
    refer: Callable[..., Referral],
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    caplog.set_level(logging.INFO)
    notify.set("fail", status=500)
    referral = refer()  # its confirmation text and email are sent inline, and fail
    sms = referral.messages.get(channel=Channel.SMS)
    email = referral.messages.get(channel=Channel.EMAIL)
    third = Message.objects.create(
        person=referral.person,
        referral=referral,
        template="assessment_confirmation",
        language="en",
        discreet=True,
        channel=Channel.SMS,
        recipient=referral.person.mobile,
        body="A second text",
        dedupe_key="third",
        queued_at=timezone.now(),
    )
    start = timezone.now()
    assert message_send(message_id=third.pk, now=start).status == MessageStatus.QUEUED

    # Queued with a back-off that doubles: 1 minute after the first failure, then 2, 4.
    for message in (sms, email, third):
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == (
            MessageStatus.QUEUED,
            1,
            "notify_500",
        )
    assert notify.sent == []
    assert events(caplog, "messaging_provider_down")[0]["consecutive_failures"] == 3
    assert DeliveryHealth.objects.get(backend="notify").alerted_at is not None
    assert status_exit_code() == 2

    # Not before its time; then again (a lookup first, which fails too) with twice the wait.
    assert message_send(message_id=third.pk, now=start + 30 * dt.timedelta(seconds=1)).attempts == 1
    retried = message_send(message_id=third.pk, now=start + MINUTE)
    assert (retried.status, retried.attempts) == (MessageStatus.QUEUED, 2)
    assert retried.not_before == start + 3 * MINUTE
    retried = message_send(message_id=third.pk, now=start + 3 * MINUTE)
    assert retried.not_before == start + 7 * MINUTE
    assert len(events(caplog, "messaging_provider_down")) == 1  # alerted once

    # Notify accepts the text but answers after our client has given up: outcome unknown.
    notify.set("hang", hang=1.5)
    later = start + 10 * MINUTE
    timed_out = message_send(message_id=sms.pk, now=later)
    assert (timed_out.status, timed_out.attempts) == (MessageStatus.QUEUED, 2)
    # The worker is killed while Notify is taking the email: the row says "sending".
    killed_after(0.3, lambda: message_send(message_id=email.pk, now=later))
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claimed_at) == (MessageStatus.SENDING, 2, later)
    assert sorted(notify.sent_references()) == sorted([reference(sms), reference(email)])
    # Within the lease nobody else takes it up, even if asked to.
    posts = len(notify.requests)
    assert message_send(message_id=email.pk, now=later + MINUTE).status == MessageStatus.SENDING
    assert len(notify.requests) == posts

    # Notify recovers. The queue job hands over what is due, including the cut-off attempt.
    notify.set("ok")
    recovered = later + 30 * MINUTE
    with django_capture_on_commit_callbacks(execute=False):
        assert messages_retry_stale(now=recovered) == 3
    for message in (sms, email, third):
        assert message_send(message_id=message.pk, now=recovered).status == MessageStatus.SENT

    references = notify.sent_references()
    assert sorted(references) == sorted(reference(m) for m in (sms, email, third))
    by_reference = {n["reference"]: n["id"] for n in notify.sent}
    for message in (sms, email, third):
        message.refresh_from_db()
        assert message.provider_reference == by_reference[reference(message)]
        assert message.claimed_at is None
    assert events(caplog, "messaging_provider_recovered")[0]["failures"] >= 5
    assert DeliveryHealth.objects.get(backend="notify").consecutive_failures == 0
    assert status_exit_code() == 0

    # Asked again, nothing more goes out.
    for message in (sms, email, third):
        message_send(message_id=message.pk, now=recovered + 60 * MINUTE)
    assert len(notify.sent) == 3


@pytest.mark.django_db
def test_a_message_is_given_up_after_the_last_attempt_and_a_refusal_is_final(
    notify: FakeNotify, refer: Callable[..., Referral], settings: Any
) -> None:
    settings.MESSAGING_MAX_ATTEMPTS = 2
    notify.set("fail", status=503)
    sms = refer().messages.get(channel=Channel.SMS)
    given_up = message_send(message_id=sms.pk, now=timezone.now() + 5 * MINUTE)
    assert (given_up.status, given_up.attempts) == (MessageStatus.FAILED, 2)
    notify.set("ok")
    assert message_send(message_id=sms.pk, now=timezone.now() + 60 * MINUTE).attempts == 2
    assert notify.sent == []

    notify.set("fail", status=400)  # a number Notify will never accept
    other = Message.objects.create(
        person=given_up.person,
        template="assessment_confirmation",
        language="en",
        discreet=True,
        channel=Channel.SMS,
        recipient=given_up.recipient,
        body="Hello",
        dedupe_key="refused",
        queued_at=timezone.now(),
    )
    refused = message_send(message_id=other.pk)
    assert (refused.status, refused.last_error) == (MessageStatus.FAILED, "refused:notify_400")


@pytest.mark.django_db
def test_our_key_refused_by_notify_is_retried_and_alerted_not_held_against_the_message(
    notify: FakeNotify, refer: Callable[..., Referral], settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("NOTIFY_API_KEY", FakeNotify().key)  # another service's key
    settings.MESSAGING_ALERT_AFTER_FAILURES = 2
    referral = refer()
    assert set(referral.messages.values_list("status", "last_error")) == {
        (MessageStatus.QUEUED, "notify_403")
    }
    assert DeliveryHealth.objects.get(backend="notify").alerted_at is not None
