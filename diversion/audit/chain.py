"""The hash of an audit event.

Version 1 (events written before migration 0004): SHA-256 over a canonical JSON form of every
recorded field. Version 2: the event's personal values (`changes` and `reason`) enter the hash
only through `values_digest`, a SHA-256 of the values with a random per-event salt. Erasing a
person (privacy app) drops the values and the salt and keeps the digest, so the event's hash is
still recomputable (`audit verify` passes) while nothing identifying, nor anything a dictionary
attack on the digest could recover, is left (docs/decisions/0019-erasure-and-audit-chain.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

GENESIS_HASH = "0" * 64
CURRENT_VERSION = 2


def canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def values_digest(*, salt: str, changes: Any, reason: str) -> str:
    """The salted digest of an event's personal values (version 2)."""
    return event_hash({"salt": salt, "changes": changes, "reason": reason})


def _common(event: Any) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "occurred_at": canonical_time(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "scheme_id": event.scheme_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "previous_hash": event.previous_hash,
    }


def hashed_fields(event: Any) -> dict[str, Any]:
    """What an event's hash is computed over, by its version."""
    fields = _common(event)
    if getattr(event, "version", 1) == 1:
        fields["reason"] = event.reason
        fields["changes"] = event.changes
    else:
        fields["version"] = event.version
        fields["values_digest"] = event.values_digest
    return fields


def residue_digest(event: Any) -> str:
    """A version-1 event's fields other than its personal values, with its hash: recorded in the
    erasure's own (version 2) audit event when a version-1 event's values are dropped."""
    return event_hash({**_common(event), "hash": event.hash})
