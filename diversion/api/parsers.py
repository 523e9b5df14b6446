"""The API's JSON parser: DRF's, refusing bodies nested deeper than any request needs.

Python's JSON decoder recurses once per level of nesting: a 4 KB body of 2,000 nested arrays
fails with RecursionError, and a body just inside the decoder's limit would fail further on (the
idempotency fingerprint, the serializers). The deepest documented request has four levels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 20
TOO_DEEP = f"The body is nested too deeply: send at most {MAX_DEPTH} levels of objects and arrays."


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels; without recursion."""
    level: list[Any] = [data]
    depth = 0
    while level:
        containers = [item for item in level if isinstance(item, dict | list)]
        if not containers:
            return False
        depth += 1
        if depth > limit:
            return True
        level = [
            child
            for container in containers
            for child in (container.values() if isinstance(container, Mapping) else container)
        ]
    return False


class JsonParser(JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(TOO_DEEP) from error
        if _deeper_than(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
