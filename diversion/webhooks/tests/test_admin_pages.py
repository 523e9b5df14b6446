from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.transitions import referral_transition
from diversion.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from diversion.webhooks.services import webhook_deliveries_due
from diversion.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin: Any) -> Client:
    return sign_in(Client(), admin)


@pytest.fixture
def delivered(
    receiver: Receiver, subscribe: Any, refer: Any, django_capture_on_commit_callbacks: Any
) -> WebhookDelivery:
    """One referral.engaged event, delivered to the receiver."""
    subscribe(["referral.engaged"])
    referral = refer()
    with django_capture_on_commit_callbacks(execute=True):
        referral_transition(
            referral_id=referral.pk, to_status=ReferralStatus.ASSESSED, actor=SYSTEM
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    return delivery


def test_an_administrator_adds_a_subscription_and_sees_its_secret_only_once(
    admin_client: Client, scheme: Any
) -> None:
    page = admin_client.get(reverse("webhooks:create"))
    assert page.status_code == 200
    assert "The person engaged, by the scheme&#x27;s rule" in page.content.decode()

    response = admin_client.post(
        reverse("webhooks:create"),
        {
            "url": "https://police.example/diversion/webhooks",
            "events": ["referral.created", "intelligence_log.created"],
        },
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert subscription.organisation == scheme.force
    assert subscription.events == ["referral.created", "intelligence_log.created"]
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    listing = admin_client.get(reverse("webhooks:list")).content.decode()
    assert "https://police.example/diversion/webhooks" in listing
    assert subscription.secret not in listing
    audit = AuditEvent.objects.get(object_type="webhooks.WebhookSubscription")
    assert (audit.action, audit.scheme) == ("create", scheme)
    assert subscription.secret not in json.dumps(audit.changes)


@pytest.mark.parametrize(
    ("url", "events", "field", "message"),
    [
        ("http://police.example/hooks", ["referral.created"], "url", "must start with https://"),
        ("not an address", ["referral.created"], "url", "Enter a full web address"),
        ("", ["referral.created"], "url", "Enter the address of the force"),
        ("https://police.example/hooks", [], "events", "Choose at least one event"),
    ],
)
def test_bad_input_is_shown_in_the_error_summary_and_saves_nothing(
    admin_client: Client, url: str, events: list[str], field: str, message: str
) -> None:
    response = admin_client.post(reverse("webhooks:create"), {"url": url, "events": events})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</div>\n</div>", 1)[0]
    assert f'href="#id_{field}"' in summary
    assert message in summary
    assert f'id="id_{field}-error"' in page
    assert not WebhookSubscription.objects.exists()


def test_an_administrator_replays_a_delivery_and_the_receiver_gets_the_same_event_again(
    admin: Any,
    admin_client: Client,
    receiver: Receiver,
    delivered: WebhookDelivery,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("webhooks:replay", kwargs={"pk": delivered.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks:delivery", kwargs={"pk": delivered.pk})

    first, again = receiver.requests
    assert first.verified and again.verified
    assert again.body == first.body
    assert json.loads(again.body)["id"] == str(delivered.event_id)
    assert again.headers["Diversion-Delivery"] == first.headers["Diversion-Delivery"]
    delivered.refresh_from_db()
    assert (delivered.status, delivered.attempt_log.count()) == ("delivered", 2)
    assert WebhookDelivery.objects.count() == 1
    audit = AuditEvent.objects.get(
        object_type="webhooks.WebhookDelivery", object_id=str(delivered.pk)
    )
    assert audit.reason == "webhook delivery replayed"
    assert audit.actor == admin

    listing = admin_client.get(reverse("webhooks:list")).content.decode()
    assert delivered.payload["reference"] in listing
    assert reverse("webhooks:delivery", kwargs={"pk": delivered.pk}) in listing
    detail = admin_client.get(reverse("webhooks:delivery", kwargs={"pk": delivered.pk}))
    assert detail.status_code == 200
    assert detail.content.decode().count('<td class="govuk-table__cell">HTTP 200</td>') == 2


def test_a_scheme_admin_of_another_force_cannot_see_or_replay_this_forces_deliveries(
    receiver: Receiver,
    delivered: WebhookDelivery,
    other_scheme: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stranger = client_for(Role.SCHEME_ADMIN, other_scheme)
    listing = stranger.get(reverse("webhooks:list")).content.decode()
    assert delivered.subscription.url not in listing
    assert delivered.payload["reference"] not in listing

    record = {"pk": delivered.pk}
    assert stranger.get(reverse("webhooks:delivery", kwargs=record)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert stranger.post(reverse("webhooks:replay", kwargs=record)).status_code == 404
    mine = {"pk": delivered.subscription_id}
    assert stranger.get(reverse("webhooks:deactivate", kwargs=mine)).status_code == 404
    assert stranger.post(reverse("webhooks:deactivate", kwargs=mine)).status_code == 404

    assert len(receiver.requests) == 1
    assert WebhookSubscription.objects.get().active
    assert not AuditEvent.objects.filter(object_type="webhooks.WebhookDelivery").exists()


def test_deactivating_a_subscription_stops_its_waiting_retries_and_refuses_replays(
    admin_client: Client,
    receiver: Receiver,
    subscribe: Any,
    refer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscription = subscribe(["referral.created"])
    receiver.answers = [500]
    refer()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING

    confirm = admin_client.get(reverse("webhooks:deactivate", kwargs={"pk": subscription.pk}))
    assert "Stop sending events to this address?" in confirm.content.decode()
    response = admin_client.post(reverse("webhooks:deactivate", kwargs={"pk": subscription.pk}))
    assert response.status_code == 302

    subscription.refresh_from_db()
    delivery.refresh_from_db()
    assert subscription.active is False
    assert (delivery.status, delivery.last_error) == ("failed", "subscription deactivated")
    assert webhook_deliveries_due() == 0
    with django_capture_on_commit_callbacks(execute=True):
        replay = admin_client.post(
            reverse("webhooks:replay", kwargs={"pk": delivery.pk}), follow=True
        )
    assert "The subscription has been deactivated" in replay.content.decode()
    assert len(receiver.requests) == 1


def test_an_administrator_changes_a_subscriptions_events_and_the_next_event_follows_them(
    admin_client: Client, receiver: Receiver, subscribe: Any, refer: Any
) -> None:
    subscription = subscribe(["referral.engaged"])
    url = reverse("webhooks:edit", kwargs={"pk": subscription.pk})
    page = admin_client.get(url).content.decode()
    assert receiver.url in page and 'value="referral.engaged" checked' in page
    response = admin_client.post(url, {"url": receiver.url, "events": ["referral.created"]})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.events == ["referral.created"]
    (row,) = AuditEvent.objects.filter(object_type="webhooks.WebhookSubscription", action="update")
    assert row.changes == {"events": {"from": ["referral.engaged"], "to": ["referral.created"]}}
    refer()
    (received,) = receiver.accepted  # signed with the same secret as before
    assert json.loads(received.body)["event"] == "referral.created"


def test_a_change_to_a_bad_address_or_no_events_or_a_deactivated_subscription_saves_nothing(
    admin_client: Client, receiver: Receiver, subscribe: Any
) -> None:
    subscription = subscribe(["referral.engaged"])
    url = reverse("webhooks:edit", kwargs={"pk": subscription.pk})
    for data in (
        {"url": "http://police.example/hooks", "events": ["referral.created"]},
        {"url": receiver.url},
        {"url": receiver.url, "events": ["no.such.event"]},
    ):
        response = admin_client.post(url, data)
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
    admin_client.post(reverse("webhooks:deactivate", kwargs={"pk": subscription.pk}))
    refused = admin_client.post(url, {"url": receiver.url, "events": ["referral.created"]})
    assert refused.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.url, subscription.events) == (receiver.url, ["referral.engaged"])
    assert not AuditEvent.objects.filter(
        object_type="webhooks.WebhookSubscription", reason="webhook subscription changed"
    ).exists()


def test_an_administrator_of_another_force_cannot_change_the_subscription(
    other_scheme: Any, make_user: Any, receiver: Receiver, subscribe: Any
) -> None:
    subscription = subscribe(["referral.engaged"])
    stranger = sign_in(Client(), make_user(Role.SCHEME_ADMIN, other_scheme))
    url = reverse("webhooks:edit", kwargs={"pk": subscription.pk})
    assert stranger.get(url).status_code == 404
    data = {"url": "https://attacker.example/hook", "events": ["referral.created"]}
    assert stranger.post(url, data).status_code == 404
    subscription.refresh_from_db()
    assert subscription.url == receiver.url
