"""The API's idempotency records in the retention schedule (registered from `apps.py`): a
police system retries within minutes, so a key is kept a month and then forgotten."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from diversion.api.models import IdempotencyRecord
from diversion.retention.registry import Action, Clock, RetentionKind, retention_kind_register


def _due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[IdempotencyRecord]:
    return IdempotencyRecord.objects.filter(referral__scheme_id=scheme_id, created_at__lte=cutoff)


def _delete(rows: QuerySet[IdempotencyRecord], action: str, now: dt.datetime) -> int:
    number = rows.count()
    rows.delete()
    return number


def retention_kinds_register() -> None:
    retention_kind_register(
        RetentionKind(
            key="api_idempotency",
            label="API idempotency records",
            records="the keys police systems sent with each referral, so a retry is not a copy",
            noun="idempotency records",
            clock=Clock.CREATED,
            actions=(Action.DELETE,),
            default_action=Action.DELETE,
            default_days=30,
            due=_due,
            apply=_delete,
            referral_field="referral_id",
            person_field="referral__person_id",
            order=80,
        )
    )
