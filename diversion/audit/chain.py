"""The hash of an audit event: SHA-256 over a canonical JSON form of every recorded field."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hashed_fields(event: Any) -> dict[str, Any]:
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
        "reason": event.reason,
        "changes": event.changes,
        "request_id": event.request_id,
        "previous_hash": event.previous_hash,
    }
