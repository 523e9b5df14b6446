"""Writing audit events. Call inside the transaction that makes the change being recorded."""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from diversion.audit.chain import (
    CURRENT_VERSION,
    event_hash,
    hashed_fields,
    new_salt,
    values_digest,
)
from diversion.audit.models import AuditAction, AuditChainHead, AuditEvent

REDACTED = "[redacted]"

# Field names whose values never enter the audit log, whatever the model.
ALWAYS_MASKED = frozenset(
    {"password", "notes", "free_text", "phone", "mobile", "email", "date_of_birth", "name"}
)


@dataclass(frozen=True)
class Actor:
    """Who did something: a user, an API client or the system itself."""

    user: Any = None
    label: str = "system"
    organisation: Any = None  # an API client's; a user's is taken from the user

    @classmethod
    def of(cls, user: Any) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        return cls(user=user, label=f"user:{user.pk}")

    @property
    def organisation_id(self) -> int | None:
        """Without reading the user's organisation: the audit row only needs its id."""
        if self.organisation is not None:
            return int(self.organisation.pk)
        return getattr(self.user, "organisation_id", None)


SYSTEM = Actor()


def mask_changes(
    changes: Mapping[str, Any] | None, *, sensitive: Iterable[str] = ()
) -> dict[str, Any]:
    masked = ALWAYS_MASKED | set(sensitive)
    cleaned: dict[str, Any] = {}
    for key, value in (changes or {}).items():
        if key in masked or any(part in masked for part in key.split(".")):
            cleaned[key] = REDACTED
        elif isinstance(value, Mapping):
            cleaned[key] = mask_changes(value, sensitive=sensitive)
        else:
            cleaned[key] = value
    # Round-trip through JSON so that what is hashed is exactly what the database returns.
    result: dict[str, Any] = json.loads(json.dumps(cleaned, cls=DjangoJSONEncoder))
    return result


_pinned_chain: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "audit_chain", default=None
)


def chain_count() -> int:
    return max(1, int(getattr(settings, "AUDIT_CHAINS", 16)))


def current_chain() -> int:
    """The chain this thread appends to: fixed per process and thread, so one transaction (which
    runs in one thread) only ever locks one chain head and two transactions cannot deadlock."""
    pinned = _pinned_chain.get()
    if pinned is not None:
        return pinned
    key = f"{os.getpid()}:{threading.get_ident()}".encode()
    return zlib.crc32(key) % chain_count() + 1


def _locked_head() -> AuditChainHead:
    """Lock the head of the chain this transaction appends to.

    The first audit row of a transaction takes a chain head nobody else holds (PostgreSQL's SKIP
    LOCKED, in random order), falling back to this thread's own chain if all are busy; the rest of
    the transaction's rows go on the same chain. One transaction therefore holds at most one head,
    so two transactions can never deadlock on heads, and they wait for each other only when more
    transactions write audit rows at once than there are chains. The rest of the rows reuse the
    head the row before them wrote, without reading it again (`_held_head`).
    """
    connection = transaction.get_connection()
    pinned = _pinned_chain.get()
    held = _held_head(connection, pinned)
    if held is not None:
        return held
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    chosen = getattr(connection, "_diversion_audit_chain", None)
    if pinned is None and chosen is not None and chosen[0] is outermost:
        number = chosen[1]
    elif pinned is None and connection.features.has_select_for_update_skip_locked:
        _heads_exist(connection)
        free = (
            AuditChainHead.objects.select_for_update(skip_locked=True)
            .filter(pk__lte=chain_count())
            .order_by("?")
            .first()
        )
        if free is not None:
            connection._diversion_audit_chain = (outermost, free.pk)  # type: ignore[attr-defined]
            return free
        number = current_chain()
    else:
        number = current_chain()
    connection._diversion_audit_chain = (outermost, number)  # type: ignore[attr-defined]
    head, _ = AuditChainHead.objects.select_for_update(of=("self",)).get_or_create(pk=number)
    return head


def _held_head(connection: Any, pinned: int | None) -> AuditChainHead | None:
    """The head this transaction already locked and appended to, while it is still what the
    database holds: then the next event needs no second read of it."""
    held = getattr(connection, "_diversion_audit_head", None)
    if held is None:
        return None
    commit_hooks, head = held
    if commit_hooks is not connection.run_on_commit or (pinned is not None and pinned != head.pk):
        return None
    return head


def _hold_head(connection: Any, head: AuditChainHead) -> None:
    """Remember the head just written, for the rest of the transaction.

    It is remembered with the connection's list of on-commit hooks, which Django replaces with a
    new list at every commit and rollback and at the rollback of any savepoint: exactly the
    moments the remembered head may stop being what the database holds.
    """
    connection._diversion_audit_head = (connection.run_on_commit, head)


def _heads_exist(connection: Any) -> None:
    """Every chain's head row, created once per connection (a missing row cannot be locked)."""
    if getattr(connection, "_diversion_audit_heads", 0) >= chain_count():
        return
    if AuditChainHead.objects.filter(pk__lte=chain_count()).count() < chain_count():
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=number) for number in range(1, chain_count() + 1)],
            ignore_conflicts=True,
        )
    connection._diversion_audit_heads = chain_count()


@contextlib.contextmanager
def audit_chain(number: int) -> Iterator[None]:
    """Append to chain `number` inside the block (for tests and maintenance commands)."""
    if not 1 <= number <= chain_count():
        raise ValueError(f"There are {chain_count()} audit chains; {number} is not one of them.")
    token = _pinned_chain.set(number)
    try:
        yield
    finally:
        _pinned_chain.reset(token)


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    scheme: Any = None,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    sensitive: Iterable[str] = (),
) -> AuditEvent:
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    if not object_type:
        raise ValueError("An audit event needs the type of record it is about.")
    context = structlog.contextvars.get_contextvars()
    # No savepoint: an audit row that fails to be written must undo the whole change it records.
    with transaction.atomic(savepoint=False):
        connection = transaction.get_connection()
        head = _locked_head()
        connection._diversion_audit_head = None  # type: ignore[attr-defined]
        event = AuditEvent(
            chain=head.pk,
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor=actor.user,
            actor_label=actor.label[:200],
            organisation_id=actor.organisation_id,
            scheme=scheme,
            action=action,
            object_type=object_type,
            object_id=object_id[:64],
            reason=reason[:300],
            changes=mask_changes(changes, sensitive=sensitive),
            request_id=str(context.get("request_id", ""))[:64],
            previous_hash=head.hash,
            version=CURRENT_VERSION,
            values_salt=new_salt(),
        )
        event.values_digest = values_digest(
            salt=event.values_salt, changes=event.changes, reason=event.reason
        )
        event.hash = event_hash(hashed_fields(event))
        event.save()
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
        _hold_head(connection, head)
    return event


def audit_read(
    *,
    actor: Actor,
    reason: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    scheme: Any = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record that personal data was shown to `actor`, and why.

    For the selectors that return personal data to a page: they call this as they return it, so
    that no view has to remember to. A read has no transaction of its own, so this opens one.
    """
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=AuditAction.READ,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            scheme=scheme,
            reason=reason,
            changes=changes,
        )


def model_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields that differ, as {field: {"from": old, "to": new}}."""
    return {
        key: {"from": before.get(key), "to": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
