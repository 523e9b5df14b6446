from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django_q.models import OrmQ

from diversion.audit.services import SYSTEM
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from diversion.webhooks.services import (
    DELIVER_TASK,
    MAX_ATTEMPTS,
    webhook_deliveries_due,
    webhook_url_problem,
)
from diversion.webhooks.tests.receiver import Receiver, free_port, signature_is_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def move(django_capture_on_commit_callbacks: Any) -> Callable[[Referral, str], None]:
    """Move a referral through the real lifecycle and run what happens after commit."""

    def transition(referral: Referral, to_status: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            referral_transition(referral_id=referral.pk, to_status=to_status, actor=SYSTEM)

    return transition


def test_an_engaged_referral_is_delivered_once_with_a_signature_the_receiver_verifies(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.engaged"])
    referral = refer()
    assert receiver.requests == []  # not subscribed to referral.created

    move(referral, ReferralStatus.ASSESSED)

    delivery = WebhookDelivery.objects.get()
    assert [r.verified for r in receiver.requests] == [True]
    received = receiver.requests[0]
    assert received.headers["Diversion-Event"] == "referral.engaged"
    assert received.headers["Diversion-Delivery"] == str(delivery.delivery_id)
    assert received.headers["Content-Type"] == "application/json"
    signed_at = int(received.headers["Diversion-Signature"].split(",")[0].removeprefix("t="))
    assert abs(time.time() - signed_at) < 60
    body = json.loads(received.body)
    assert body["id"] == str(delivery.event_id)
    assert (body["event"], body["reference"], body["status"]) == (
        "referral.engaged",
        referral.reference,
        "assessed",
    )
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert webhook_deliveries_due(now=delivery.created_at + dt.timedelta(days=1)) == 0
    assert len(receiver.requests) == 1


def test_a_referral_made_at_the_scene_is_announced_as_created(
    receiver: Receiver, subscribe: Any, refer: Any
) -> None:
    subscribe(["referral.created"])
    referral = refer()
    assert len(receiver.accepted) == 1
    body = json.loads(receiver.accepted[0].body)
    assert (body["event"], body["reference"], body["scheme"], body["status"]) == (
        "referral.created",
        referral.reference,
        referral.scheme.code,
        "assessment_booked",
    )


def test_a_person_who_did_not_engage_causes_not_engaged_and_intelligence_log_events(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.not_engaged", "intelligence_log.created", "referral.engaged"])
    referral = refer()
    move(referral, ReferralStatus.NOT_ENGAGED)
    bodies = [json.loads(r.body) for r in receiver.accepted]
    assert sorted(b["event"] for b in bodies) == [
        "intelligence_log.created",
        "referral.not_engaged",
    ]
    assert len({b["id"] for b in bodies}) == 2
    assert {b["status"] for b in bodies} == {"not_engaged"}


def test_events_go_only_to_the_referrals_force_and_only_those_it_chose(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any, other_scheme: Any
) -> None:
    subscribe(["referral.completed"])
    subscribe(["referral.engaged"], organisation=other_scheme.force, url=receiver.url + "/other")
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()
    move(referral, ReferralStatus.COMPLETED)
    assert [json.loads(r.body)["event"] for r in receiver.accepted] == ["referral.completed"]


def test_the_payload_carries_the_reference_and_status_but_no_names_or_contact_details(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.created", "referral.engaged"])
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)
    person = referral.person
    assert len(receiver.accepted) == 2
    for received in receiver.accepted:
        assert set(json.loads(received.body)) == {
            "id",
            "event",
            "occurred_at",
            "reference",
            "scheme",
            "status",
        }
        text = received.body.decode()
        for private in (
            person.given_name,
            person.family_name.replace("'", ""),
            "Neill",
            person.mobile,
            person.email,
            person.date_of_birth.isoformat(),
        ):
            assert private not in text


def test_a_failing_receiver_is_retried_with_growing_back_off_until_it_accepts(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.engaged"])
    receiver.answers = [500, 500, 200]
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    first_wait = delivery.next_attempt_at - delivery.attempt_log.get().attempted_at
    assert webhook_deliveries_due(now=delivery.next_attempt_at - dt.timedelta(seconds=1)) == 0
    assert len(receiver.requests) == 1

    assert webhook_deliveries_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    second_wait = delivery.next_attempt_at - delivery.attempt_log.first().attempted_at
    assert second_wait > first_wait
    assert first_wait == dt.timedelta(minutes=1)

    assert webhook_deliveries_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("delivered", 3, None)
    assert webhook_deliveries_due(now=delivery.delivered_at + dt.timedelta(hours=3)) == 0

    assert [r.answered for r in receiver.requests] == [500, 500, 200]
    assert len(receiver.accepted) == 1
    assert len({r.body for r in receiver.requests}) == 1
    assert {r.headers["Diversion-Delivery"] for r in receiver.requests} == {
        str(delivery.delivery_id)
    }
    assert sorted(WebhookAttempt.objects.values_list("status_code", flat=True)) == [200, 500, 500]


def test_a_receiver_that_never_accepts_is_given_up_after_the_last_attempt(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.engaged"])
    receiver.answers = [503] * (MAX_ATTEMPTS + 2)
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)
    delivery = WebhookDelivery.objects.get()
    waits = []
    while delivery.status == DeliveryStatus.PENDING:
        waits.append(delivery.next_attempt_at - delivery.attempt_log.first().attempted_at)
        webhook_deliveries_due(now=delivery.next_attempt_at)
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS == len(receiver.requests)
    assert waits == [dt.timedelta(minutes=2**n) for n in range(MAX_ATTEMPTS - 1)]
    assert webhook_deliveries_due(now=delivery.created_at + dt.timedelta(days=30)) == 0
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_a_tampered_body_fails_verification_in_the_receiver(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.engaged"])
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)
    original = receiver.requests[0]
    assert original.verified
    headers = {
        name: original.headers[name]
        for name in ("Diversion-Signature", "Diversion-Event", "Diversion-Delivery")
    }
    tampered = original.body.replace(b'"assessed"', b'"completed"')
    assert tampered != original.body

    request = urllib.request.Request(receiver.url, data=tampered, headers=headers, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    assert receiver.requests[-1].verified is False

    secret, header = receiver.secret, headers["Diversion-Signature"]
    signed_at = int(header.split(",")[0].removeprefix("t="))
    assert signature_is_valid(secret, header, original.body, now=signed_at + 299)
    assert not signature_is_valid(secret, header, original.body, now=signed_at + 301)
    assert not signature_is_valid("whsec_someone-else", header, original.body)


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.engaged"])
    receiver.answers = [307]
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 307)
    assert len(receiver.requests) == 1


def test_an_unreachable_receiver_is_logged_on_the_delivery_and_retried(
    subscribe: Any, refer: Any, move: Any
) -> None:
    subscribe(["referral.engaged"], url=f"http://127.0.0.1:{free_port()}/hooks")
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code is None
    assert "ConnectionRefused" in delivery.last_error
    assert delivery.attempt_log.get().error == delivery.last_error


def test_a_change_that_is_rolled_back_sends_nothing(
    receiver: Receiver, subscribe: Any, refer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(["referral.engaged"])
    referral = refer()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            referral_transition(
                referral_id=referral.pk, to_status=ReferralStatus.ASSESSED, actor=SYSTEM
            )
            raise RuntimeError("something later in the same change failed")
    assert callbacks == []
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://police.example/diversion/webhooks", True),
        ("https://police.example:8443/hooks?force=wm", True),
        ("http://127.0.0.1:8001/hooks", True),
        ("http://localhost:8001/hooks", True),
        ("http://police.example/hooks", False),
        ("ftp://police.example/hooks", False),
        ("police.example/hooks", False),
        ("https://user:password@police.example/hooks", False),
    ],
)
def test_an_address_must_use_https_except_on_this_computer(url: str, allowed: bool) -> None:
    assert (webhook_url_problem(url) == "") is allowed


def test_plain_http_to_this_computer_is_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    assert webhook_url_problem("http://127.0.0.1:8001/hooks") != ""
    assert webhook_url_problem("https://police.example/hooks") == ""


def test_without_inline_delivery_the_event_is_handed_to_the_worker_and_sent_by_the_job(
    settings: Any, receiver: Receiver, subscribe: Any, refer: Any, move: Any
) -> None:
    settings.WEBHOOKS_DELIVER_INLINE = False
    subscribe(["referral.engaged"])
    referral = refer()
    move(referral, ReferralStatus.ASSESSED)
    delivery = WebhookDelivery.objects.get()
    queued = [task.task for task in OrmQ.objects.all()]
    assert [t["kwargs"] for t in queued if t["func"] == DELIVER_TASK] == [
        {"delivery_id": delivery.pk}
    ]
    assert (delivery.status, receiver.requests) == ("pending", [])

    settings.WEBHOOKS_DELIVER_INLINE = True  # the worker running the job
    assert webhook_deliveries_due() == 1
    assert len(receiver.accepted) == 1
