"""How a delivery is signed: HMAC-SHA256 of "<unix time>.<raw body>" with the subscription's
secret, sent as `Diversion-Signature: t=<unix time>,v1=<hex>`. The time is signed too, so a
captured request cannot be replayed later by someone else; receivers refuse old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

SIGNATURE_HEADER = "Diversion-Signature"
EVENT_HEADER = "Diversion-Event"
DELIVERY_HEADER = "Diversion-Delivery"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label, not a secret
TOLERANCE_SECONDS = 5 * 60


def secret_generate() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def body_encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent: compact, keys sorted, so a replay sends the same body."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret=secret, timestamp=timestamp, body=body)}"
