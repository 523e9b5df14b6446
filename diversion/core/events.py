"""Domain events: a typed fact published by the service that makes a change, heard by the parts
that react to it, without the publisher knowing who they are.

Each app declares its events as frozen dataclasses (`referrals/events.py`, ...) and registers
its subscribers in its `AppConfig.ready()` with `subscribe`. A subscriber runs either

- `in_transaction=True`: at once, inside the publishing transaction. Its writes commit or roll
  back with the change (the police notices of a status change, the worker's task row for a
  message). An error there fails the change: nothing half-done.
- otherwise after the publishing transaction commits, so a rolled-back change tells nobody. A
  subscriber that fails is logged with its name and handed to the background worker, which
  retries it with back-off (`RETRY_DELAYS_SECONDS`); the other subscribers still run.

Subscribers are found by event type, never by dotted string, and are named (module.function) in
logs and retries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from diversion.core.logging import get_logger

logger = get_logger(__name__)

# Seconds before each retry of a failed after-commit subscriber; then it is given up (logged).
RETRY_DELAYS_SECONDS: tuple[int, ...] = (30, 120, 600, 3600)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """A fact that has happened. Subclasses add the ids a subscriber needs (never personal data:
    events are logged and stored in the worker's queue)."""

    occurred_at: dt.datetime = dataclasses.field(default_factory=timezone.now)
    id: uuid.UUID = dataclasses.field(default_factory=uuid.uuid4)


E = TypeVar("E", bound=DomainEvent)


@dataclasses.dataclass(frozen=True)
class Subscription:
    event_type: type[DomainEvent]
    handler: Callable[[Any], None]
    in_transaction: bool

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscriptions: list[Subscription] = []


def subscribe(
    event_type: type[E], handler: Callable[[E], None], *, in_transaction: bool = False
) -> None:
    """Call `handler(event)` for every published `event_type` (or subclass). Idempotent."""
    subscription = Subscription(event_type, handler, in_transaction)
    if subscription not in _subscriptions:
        _subscriptions.append(subscription)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Stop calling `handler` (tests)."""
    _subscriptions[:] = [
        s for s in _subscriptions if not (s.event_type is event_type and s.handler == handler)
    ]


def subscriptions(event_type: type[DomainEvent] | None = None) -> list[Subscription]:
    """Who hears `event_type` (every subscription without it), in registration order."""
    if event_type is None:
        return list(_subscriptions)
    return [s for s in _subscriptions if issubclass(event_type, s.event_type)]


def publish(event: DomainEvent) -> None:
    """Tell the subscribers. Call it inside the transaction that makes the change."""
    heard = subscriptions(type(event))
    for subscription in heard:
        if subscription.in_transaction:
            subscription.handler(event)
    later = [s for s in heard if not s.in_transaction]
    if later:
        transaction.on_commit(lambda: _deliver(event, later))


def _deliver(event: DomainEvent, later: list[Subscription]) -> None:
    for subscription in later:
        _run(subscription, event, attempt=1)


def _run(subscription: Subscription, event: DomainEvent, *, attempt: int) -> bool:
    """Run one after-commit subscriber; on failure log it by name and schedule a retry."""
    try:
        subscription.handler(event)
    except Exception:
        retry_in = (
            RETRY_DELAYS_SECONDS[attempt - 1] if attempt <= len(RETRY_DELAYS_SECONDS) else None
        )
        logger.exception(
            "event_subscriber_failed",
            subscriber=subscription.name,
            event_type=type(event).__name__,
            event_id=str(event.id),
            attempt=attempt,
            retry_in_seconds=retry_in,
        )
        if retry_in is not None:
            _retry_schedule(subscription, event, attempt=attempt + 1, seconds=retry_in)
        return False
    return True


def _retry_schedule(
    subscription: Subscription, event: DomainEvent, *, attempt: int, seconds: int
) -> None:
    from django_q.models import Schedule  # the worker's app registry: loaded once apps are

    Schedule.objects.create(
        name=f"event {event.id} {subscription.name} attempt {attempt}"[:100],
        func=f"{subscriber_retry.__module__}.{subscriber_retry.__qualname__}",
        args=repr((subscription.name, _event_data(event), attempt)),
        schedule_type=Schedule.ONCE,
        repeats=1,
        next_run=timezone.now() + dt.timedelta(seconds=seconds),
    )


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, text),) = value.items()
        decoders: dict[str, Callable[[str], Any]] = {
            "datetime": dt.datetime.fromisoformat,
            "date": dt.date.fromisoformat,
            "uuid": uuid.UUID,
        }
        if kind in decoders:
            return decoders[kind](text)
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def _event_data(event: DomainEvent) -> dict[str, Any]:
    """The event as plain values, for the worker's queue."""
    return {
        "type": _type_name(type(event)),
        "fields": {f.name: _encode(getattr(event, f.name)) for f in dataclasses.fields(event)},
    }


def _event_from_data(data: dict[str, Any]) -> DomainEvent:
    known = {_type_name(t): t for t in _all_event_types(DomainEvent)}
    event_type = known[data["type"]]
    return event_type(**{k: _decode(v) for k, v in data["fields"].items()})


def _type_name(event_type: type[DomainEvent]) -> str:
    return f"{event_type.__module__}.{event_type.__qualname__}"


def _all_event_types(base: type[DomainEvent]) -> list[type[DomainEvent]]:
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_all_event_types(sub))
    return found


def subscriber_retry(name: str, data: dict[str, Any], attempt: int) -> bool:
    """The worker's retry of a failed after-commit subscriber (scheduled by `_run`)."""
    event = _event_from_data(data)
    for subscription in subscriptions(type(event)):
        if subscription.name == name and not subscription.in_transaction:
            return _run(subscription, event, attempt=attempt)
    logger.error("event_subscriber_unknown", subscriber=name, event_id=str(event.id))
    return False
