"""Writing millions of rows fast: COPY on PostgreSQL, batched executemany elsewhere.

Rows go in with their primary keys chosen here (`ids_reserve`), so rows that point at each other
can be written table by table without reading ids back. Values are plain: str, int, bool, None,
and timestamps as naive UTC text ('2024-03-31 14:05:00'), which both databases read the way
Django writes them. Meant for the generator and benchmarks, not for concurrent live writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Max, Model

BATCH = 5000


def ids_reserve(model: type[Model], count: int) -> int:
    """The first of `count` fresh primary keys for the model's table."""
    current = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        # No row lies above the highest key, so moving the sequence to just past the reserved
        # range is safe even if it had run further ahead.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, current + count]
            )
    return int(current) + 1


def rows_write(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (values in `columns` order); returns how many."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from models)
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
