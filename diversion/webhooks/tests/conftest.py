"""Fixtures for the webhook tests: a real receiver, subscriptions to it, referrals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.models import Referral
from diversion.webhooks.models import WebhookSubscription
from diversion.webhooks.services import webhook_subscription_create
from diversion.webhooks.tests.receiver import Receiver, serving


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as state:
        yield state


@pytest.fixture(autouse=True)
def deliver_inline(settings: Any) -> None:
    settings.WEBHOOKS_DELIVER_INLINE = True


@pytest.fixture
def admin(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.SCHEME_ADMIN, scheme)


@pytest.fixture
def subscribe(scheme: Any, admin: Any, receiver: Receiver) -> Callable[..., WebhookSubscription]:
    """Subscribe the scheme's force (or another) to the receiver, which learns the secret."""

    def make(events: list[str], *, organisation: Any = None, url: str = "") -> Any:
        subscription, secret = webhook_subscription_create(
            actor=Actor.of(admin),
            organisation=organisation or scheme.force,
            url=url or receiver.url,
            events=events,
        )
        if not url:
            receiver.secret = secret
        return subscription

    return make


@pytest.fixture
def refer(
    officer: Any, scheme: Any, slots: list[Any], django_capture_on_commit_callbacks: Any
) -> Callable[..., Referral]:
    """A referral made as at the scene, with what happens after commit run."""

    def make(key: str = "webhook-test") -> Referral:
        with django_capture_on_commit_callbacks(execute=True):
            result = referral_submit(
                officer=officer,
                scheme=scheme,
                person=person_details(),
                stop=stop_details(scheme),
                consent_to_contact=True,
                consent_to_share=True,
                slot_id=slots[0].pk,
                idempotency_key=key,
            )
        return result.referral

    return make
