"""Field encryption (MultiFernet with rotating keys) and keyed-hash blind indexes.

The first key in FIELD_ENCRYPTION_KEYS encrypts; every key decrypts, so a new key can be put
first, `diversion reencrypt` run, and the old key removed. A blind index is an HMAC of a
normalised value: equal inputs give equal indexes, so encrypted values can still be looked up.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "Each FIELD_ENCRYPTION_KEYS entry must be a Fernet key (32 url-safe base64 bytes)."
        ) from error


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


class DecryptionError(Exception):
    pass


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise DecryptionError("No configured key decrypts this value.") from error


def rotate(token: str) -> str:
    """Re-encrypt under the first (newest) key."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise DecryptionError("No configured key decrypts this value.") from error


def encrypted_with_primary_key(token: str) -> bool:
    primary = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    try:
        primary.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def normalise_name(value: str) -> str:
    """Case, accents, punctuation and spacing removed: "O'Brien-Smith " -> "obriensmith"."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", without_accents.casefold())


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash, separate per purpose so indexes cannot be compared across fields."""
    key = hmac.new(settings.BLIND_INDEX_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
