"""Signatures over audit records kept or checked outside the database's control: checkpoints of
the chains' heads and prune points. The database holds no key to make one with
(AUDIT_CHECKPOINT_KEY, or a key derived from SECRET_KEY)."""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac


def canonical(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def secrets_in_use() -> list[str]:
    """The first signs; all are accepted, so that SECRET_KEY can be rotated (its fallbacks)."""
    if settings.AUDIT_CHECKPOINT_KEY:
        return [settings.AUDIT_CHECKPOINT_KEY]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def sign(salt: str, body: dict[str, Any], secret: str | None = None) -> str:
    key = secret if secret is not None else secrets_in_use()[0]
    return salted_hmac(salt, canonical(body), secret=key, algorithm="sha256").hexdigest()


def signature_valid(salt: str, body: dict[str, Any], signature: Any) -> bool:
    return isinstance(signature, str) and any(
        hmac.compare_digest(signature, sign(salt, body, secret)) for secret in secrets_in_use()
    )


PRUNE_SALT = "diversion.audit.prune-point"


def prune_point_body(point: Any) -> dict[str, Any]:
    """What a prune point's signature covers."""
    return {
        "chain": int(point.chain),
        "sequence": int(point.sequence),
        "hash": str(point.hash),
        "cutoff": point.cutoff.isoformat(),
    }
