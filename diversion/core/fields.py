"""EncryptedTextField: stored as a Fernet token, read back as text. Never filter on it; use a
blind index column beside it instead."""

from __future__ import annotations

from typing import Any

from django.db import models

from diversion.core import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"Encrypted fields cannot be searched with {lookup_name!r}.")
        return super().get_lookup(lookup_name)
