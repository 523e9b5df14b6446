from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from diversion.core import crypto
from diversion.core.fields import EncryptedTextField


def encrypted_columns() -> list[tuple[Any, str]]:
    return [
        (model, str(field.column))
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the first key in FIELD_ENCRYPTION_KEYS, "
        "so that older keys can then be removed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, column in encrypted_columns():
            stale, count = reencrypt_column(model, column, batch_size=options["batch_size"])
            total += stale
            self.stdout.write(f"{model._meta.label}.{column}: {stale} of {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} values."))


def reencrypt_column(model: Any, column: str, *, batch_size: int = 500) -> tuple[int, int]:
    """Rotate the values of one column not yet under the primary key; (rotated, non-empty)."""
    quote = connection.ops.quote_name
    table, pk, col = quote(model._meta.db_table), quote(model._meta.pk.column), quote(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} <> ''"  # noqa: S608
        )
        rows = cursor.fetchall()
    stale = [(key, token) for key, token in rows if not crypto.encrypted_with_primary_key(token)]
    for start in range(0, len(stale), batch_size):
        with transaction.atomic(), connection.cursor() as cursor:
            for key, token in stale[start : start + batch_size]:
                cursor.execute(
                    f"UPDATE {table} SET {col} = %s WHERE {pk} = %s",  # noqa: S608
                    [crypto.rotate(token), key],
                )
    return len(stale), len(rows)
