"""The key that encrypts the officer's offline drafts on the phone, and the token that sends them.

Both live only in the officer's session (encrypted there like the page drafts, decision 0021):
the phone holds the key in `sessionStorage` while a tab is open and fetches it again from the
session when it needs it, so a stolen phone's IndexedDB holds ciphertext whose key is on neither
the phone's disk nor anywhere but the server-side session. Signing out ends the session and the
key with it; a key older than twelve hours is replaced, so drafts older than that are unreadable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass

from django.http import HttpRequest

from diversion.core import crypto

SESSION_KEY = "offline_app_key"
LIFETIME_SECONDS = 12 * 60 * 60


@dataclass(frozen=True)
class OfflineKey:
    key: str  # 32 random bytes, base64url: the AES-GCM key for the drafts
    key_id: str  # names the key on each stored draft (not derived from it)
    sync_token: str  # sent with each sync in a header: the endpoint's CSRF defence
    expires_at: float  # Unix seconds


def _new_key(now: float) -> OfflineKey:
    return OfflineKey(
        key=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="),
        key_id=secrets.token_hex(8),
        sync_token=secrets.token_urlsafe(32),
        expires_at=now + LIFETIME_SECONDS,
    )


def offline_key_for(request: HttpRequest, *, now: float | None = None) -> OfflineKey:
    """The session's key, made on first use and replaced once it is twelve hours old."""
    now = time.time() if now is None else now
    stored = request.session.get(SESSION_KEY)
    if stored:
        key = OfflineKey(**json.loads(crypto.decrypt(stored)))
        if key.expires_at > now:
            return key
    key = _new_key(now)
    request.session[SESSION_KEY] = crypto.encrypt(json.dumps(asdict(key)))
    return key


def sync_token_valid(request: HttpRequest, token: str) -> bool:
    """The header's token is this session's (compared in constant time); no key, no sync."""
    stored = request.session.get(SESSION_KEY)
    if not stored or not token:
        return False
    key = OfflineKey(**json.loads(crypto.decrypt(stored)))
    expected = hashlib.sha256(key.sync_token.encode()).digest()
    return hmac.compare_digest(expected, hashlib.sha256(token.encode()).digest())
