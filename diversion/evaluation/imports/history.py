"""The import batches a user may see: those of the schemes they may see, newest first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from diversion.evaluation.models import ImportBatch
from diversion.schemes.selectors import schemes_for_user

RECENT = 20


def import_batches_for_user(*, user: Any, limit: int = RECENT) -> list[ImportBatch]:
    """Counts only: a batch's bad-row report stays with the import that made it."""
    batches: QuerySet[ImportBatch] = (
        ImportBatch.objects.filter(scheme__in=schemes_for_user(user=user))
        .select_related("scheme", "imported_by")
        .defer("report")
        .order_by("-imported_at", "-pk")
    )
    return list(batches[:limit])
