"""A JSON document encrypted at rest: the assessment's answers hold health and safeguarding
details, so the whole document is one Fernet token, never searchable."""

from __future__ import annotations

import json
from typing import Any

from diversion.core import crypto
from diversion.core.fields import EncryptedTextField


class EncryptedJSONField(EncryptedTextField):
    description = "JSON encrypted at rest"
    # What django-stubs reports for reading and writing the field: any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else {}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, sort_keys=True))
