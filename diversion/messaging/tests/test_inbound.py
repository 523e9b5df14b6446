"""Replies to our texts: STOP opts the person out of texts, through Notify's callback or by hand;
a callback delivered twice acts once; a bad or unauthenticated callback changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from diversion.audit.models import AuditEvent
from diversion.messaging.inbound import is_stop
from diversion.messaging.models import (
    Channel,
    InboundAction,
    InboundMessage,
    Message,
    MessageStatus,
    MessagingPreference,
)
from diversion.messaging.services import message_send
from diversion.referrals.models import Referral

pytestmark = pytest.mark.django_db

TOKEN = "notify-inbound-test-token"
URL = "/messaging/inbound/notify/"


@pytest.fixture(autouse=True)
def inbound_token(settings: Any) -> None:
    settings.NOTIFY_INBOUND_TOKEN = TOKEN
    settings.MESSAGING_SEND_INLINE = True  # the confirmation texts exist as soon as `refer` returns


def callback(body: Any, *, token: str = TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return Client().post(URL, data=data, content_type="application/json", **headers)


def reply(text: str, *, sender: str = "447700900982", id_: str = "notify-1") -> dict[str, str]:
    return {
        "id": id_,
        "source_number": sender,
        "destination_number": "07700900000",
        "message": text,
        "date_received": "2026-11-23 18:04:12.123456",
    }


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("STOP", True),
        ("stop", True),
        (" Stop. ", True),
        ("STOP ALL", True),
        ("unsubscribe", True),
        ("Stopio", True),
        ("Please stop the course", False),
        ("Yes I'll be there", False),
        ("", False),
    ],
)
def test_stop_is_recognised_on_its_own_in_the_usual_forms(text: str, stop: bool) -> None:
    assert is_stop(text) is stop


def test_a_stop_reply_opts_the_person_out_of_texts_and_later_texts_are_not_sent(
    refer: Callable[..., Referral],
) -> None:
    referral = refer()
    assert Message.objects.filter(referral=referral, channel=Channel.SMS).exists()
    response = callback(reply("STOP"))
    assert response.status_code == 204
    preference = MessagingPreference.objects.get(person=referral.person)
    assert preference.sms_opted_out and not preference.email_opted_out
    inbound = InboundMessage.objects.get()
    assert (inbound.action, inbound.people) == (InboundAction.OPTED_OUT, 1)
    assert "STOP" not in inbound.sender_index  # the number is kept only as a blind index
    event = AuditEvent.objects.filter(object_type="messaging.MessagingPreference").get()
    assert event.actor_label == "person (text reply)"

    queued = Message.objects.create(
        person=referral.person,
        referral=referral,
        channel=Channel.SMS,
        template="assessment_confirmation",
        language="en",
        discreet=True,
        recipient="+447700900982",
        body="Later text",
        queued_at=inbound.recorded_at,
        dedupe_key="after-stop",
    )
    assert message_send(message_id=queued.pk).status == MessageStatus.SUPPRESSED


def test_the_same_callback_delivered_twice_is_acted_on_once(
    refer: Callable[..., Referral],
) -> None:
    refer()
    assert callback(reply("STOP")).status_code == 204
    assert callback(reply("STOP")).status_code == 204
    assert InboundMessage.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="messaging.MessagingPreference").count() == 1


def test_a_reply_that_is_not_stop_is_recorded_and_changes_nothing(
    refer: Callable[..., Referral],
) -> None:
    referral = refer()
    assert callback(reply("Can you call after 5?")).status_code == 204
    assert InboundMessage.objects.get().action == InboundAction.NO_ACTION
    assert not MessagingPreference.objects.filter(person=referral.person, sms_opted_out=True)


def test_stop_from_a_number_we_never_texted_opts_nobody_out(
    refer: Callable[..., Referral],
) -> None:
    refer()
    assert callback(reply("STOP", sender="447700900999")).status_code == 204
    assert InboundMessage.objects.get().action == InboundAction.UNKNOWN_SENDER
    assert not MessagingPreference.objects.filter(sms_opted_out=True).exists()


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_a_callback_without_the_right_token_is_refused_and_records_nothing(
    token: str, refer: Callable[..., Referral]
) -> None:
    refer()
    response = callback(reply("STOP"), token=token)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not InboundMessage.objects.exists()
    assert not MessagingPreference.objects.filter(sms_opted_out=True).exists()


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("not json", "Expecting value"),
        ({**reply("STOP"), "date_received": "yesterday"}, "date_received"),
        ({**reply("STOP"), "source_number": "not a number"}, "not a phone number"),
        ({**reply("STOP"), "id": ""}, "no id"),
    ],
)
def test_a_malformed_callback_gets_a_problem_document_and_changes_nothing(
    body: Any, detail: str
) -> None:
    response = callback(body)
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert not InboundMessage.objects.exists()


def test_the_callback_is_off_until_a_token_is_configured(settings: Any) -> None:
    settings.NOTIFY_INBOUND_TOKEN = ""
    assert callback(reply("STOP"), token="anything").status_code == 404


def test_staff_can_record_a_stop_by_hand(refer: Callable[..., Referral], capsys: Any) -> None:
    referral = refer()
    call_command("inbound_sms", "--from", "07700 900982", "--text", "stop")
    assert "Opted out" in capsys.readouterr().out
    assert MessagingPreference.objects.get(person=referral.person).sms_opted_out
