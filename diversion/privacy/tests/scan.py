"""Looking for marker strings everywhere Diversion keeps anything: every table and column (raw,
and through the models so encrypted fields are read decrypted), the cache and the sessions
decoded, the evaluation's Parquet snapshots read back, and every file under a folder."""

from __future__ import annotations

import base64
import io
import json
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from diversion.evaluation.models import FrameSnapshotPart


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace") + value.decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _hits(where: str, values: Iterable[Any], markers: list[str]) -> set[tuple[str, str]]:
    found = set()
    for value in values:
        text = _text(value).lower()
        for marker in markers:
            if marker.lower() in text:
                found.add((where, marker))
    return found


def scan_tables(markers: list[str]) -> set[tuple[str, str]]:
    """Every column of every table, as the database returns it."""
    found: set[tuple[str, str]] = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                found |= _hits(f"table {table}", row, markers)
    return found


def scan_models(markers: list[str]) -> set[tuple[str, str]]:
    """Every concrete field of every model in the registry, decrypted where encrypted."""
    found: set[tuple[str, str]] = set()
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*names).iterator():
            found |= _hits(f"model {model._meta.label}", row, markers)
    return found


def scan_cache(markers: list[str]) -> set[tuple[str, str]]:
    table = settings.CACHES["default"]["LOCATION"]
    found: set[tuple[str, str]] = set()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {connection.ops.quote_name(table)}")  # noqa: S608
        for key, value in cursor.fetchall():
            decoded = pickle.loads(base64.b64decode(value))  # noqa: S301 (our own cache)
            found |= _hits("cache", [key, decoded], markers)
    return found


def scan_sessions(markers: list[str]) -> set[tuple[str, str]]:
    return _hits("sessions", (s.get_decoded() for s in Session.objects.all()), markers)


def scan_snapshots(markers: list[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for part in FrameSnapshotPart.objects.all():
        frame = pd.read_parquet(io.BytesIO(bytes(part.payload)))
        found |= _hits("snapshot", [frame.to_csv(index=False)], markers)
    return found


def scan_files(root: Path, markers: list[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in root.rglob("*"):
        if path.is_file():
            found |= _hits(f"file {path.name}", [path.read_bytes()], markers)
    return found


def scan_everywhere(markers: list[str], *, files: Path) -> set[tuple[str, str]]:
    return (
        scan_tables(markers)
        | scan_models(markers)
        | scan_cache(markers)
        | scan_sessions(markers)
        | scan_snapshots(markers)
        | scan_files(files, markers)
    )
