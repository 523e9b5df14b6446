"""The event bus: subscribers found by type, in-transaction ones sharing the change's fate,
after-commit ones hearing only of committed changes, and a failing one logged by name and retried
by the background worker (django-q's own scheduler runs the retry here)."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import Schedule
from django_q.scheduler import scheduler
from structlog.testing import capture_logs

from diversion.core.events import (
    RETRY_DELAYS_SECONDS,
    DomainEvent,
    _event_data,
    _event_from_data,
    publish,
    subscribe,
    subscriptions,
    unsubscribe,
)
from diversion.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True, kw_only=True)
class ThingHappened(DomainEvent):
    thing_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class SpecialThingHappened(ThingHappened):
    pass


heard: list[tuple[str, int]] = []


def writes_in_transaction(event: ThingHappened) -> None:
    heard.append(("in", event.thing_id))
    WorkerHeartbeat.objects.create(name=f"thing {event.thing_id}", beat_at=timezone.now())


def hears_after_commit(event: ThingHappened) -> None:
    heard.append(("after", event.thing_id))


failures_left = {"count": 0}


def fails_until_told(event: ThingHappened) -> None:
    if failures_left["count"] > 0:
        failures_left["count"] -= 1
        raise ConnectionError("the outside service is down")
    heard.append(("flaky", event.thing_id))


@pytest.fixture
def subscribed() -> Iterator[Callable[..., None]]:
    added: list[tuple[type[DomainEvent], Callable[..., None]]] = []

    def add(event_type: type[DomainEvent], handler: Callable[..., None], **kw: Any) -> None:
        subscribe(event_type, handler, **kw)
        added.append((event_type, handler))

    heard.clear()
    yield add
    for event_type, handler in added:
        unsubscribe(event_type, handler)
    heard.clear()


def test_subscribers_are_found_by_type_including_subclasses(subscribed: Any) -> None:
    subscribed(ThingHappened, hears_after_commit)
    assert [s.name for s in subscriptions(SpecialThingHappened)] == [
        f"{__name__}.hears_after_commit"
    ]
    assert subscriptions(DomainEvent) == []


def test_after_commit_subscribers_hear_only_committed_changes(
    subscribed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribed(ThingHappened, writes_in_transaction, in_transaction=True)
    subscribed(ThingHappened, hears_after_commit)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            publish(ThingHappened(thing_id=1))
            assert heard == [("in", 1)]  # in the transaction, before commit
    assert heard == [("in", 1), ("after", 1)]

    heard.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(ThingHappened(thing_id=2))
            raise RuntimeError("the change fails")
    assert callbacks == []
    assert heard == [("in", 2)]
    assert not WorkerHeartbeat.objects.filter(name="thing 2").exists()  # rolled back with it


def test_a_failing_in_transaction_subscriber_fails_the_change(subscribed: Any) -> None:
    failures_left["count"] = 1
    subscribed(ThingHappened, writes_in_transaction, in_transaction=True)
    subscribed(ThingHappened, fails_until_told, in_transaction=True)
    with pytest.raises(ConnectionError), transaction.atomic():
        publish(ThingHappened(thing_id=3))
    assert not WorkerHeartbeat.objects.filter(name="thing 3").exists()


def test_a_failing_subscriber_is_logged_by_name_and_retried_by_the_worker(
    subscribed: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    failures_left["count"] = 2
    subscribed(ThingHappened, fails_until_told)
    subscribed(ThingHappened, hears_after_commit)
    event = ThingHappened(thing_id=4)
    with capture_logs() as logs, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            publish(event)
    # The other subscriber still heard; the failure is logged with the subscriber's name.
    assert heard == [("after", 4)]
    failed = [entry for entry in logs if entry["event"] == "event_subscriber_failed"]
    assert failed == [
        {
            "event": "event_subscriber_failed",
            "subscriber": f"{__name__}.fails_until_told",
            "event_type": "ThingHappened",
            "event_id": str(event.id),
            "attempt": 1,
            "retry_in_seconds": RETRY_DELAYS_SECONDS[0],
            "log_level": "error",
            "exc_info": True,
        }
    ]
    retry = Schedule.objects.get()
    assert retry.func == "diversion.core.events.subscriber_retry"
    assert retry.next_run > timezone.now()

    # The worker's scheduler runs what is due (synchronously here): the second attempt fails
    # again and schedules a third, which succeeds. Nobody else hears twice.
    monkeypatch.setattr(Conf, "SYNC", True)
    for attempt in (2, 3):
        Schedule.objects.filter(repeats__gt=0).update(next_run=timezone.now())
        with capture_logs() as logs:
            scheduler()
        if attempt == 2:
            assert [e["attempt"] for e in logs if e["event"] == "event_subscriber_failed"] == [2]
    assert heard == [("after", 4), ("flaky", 4)]
    assert failures_left["count"] == 0


def test_an_event_comes_back_from_the_queue_as_it_went_in(subscribed: Any) -> None:
    event = SpecialThingHappened(thing_id=5)
    assert _event_from_data(ast.literal_eval(repr(_event_data(event)))) == event
