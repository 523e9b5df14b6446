"""Dropping an erased person's personal values from their audit events, keeping the chain.

Version-2 events hash a salted digest of their values (audit/chain.py): the values and the salt
go, the digest stays, and `audit verify` recomputes the hash as before. Version-1 events (written
before migration 0004) hash the values themselves: when theirs go, the digest of everything else
in the row (its residue, with its hash) is kept in the row and recorded in a new version-2 event
(SEAL_OBJECT_TYPE) on the chain, so verification still notices any later change to the row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from diversion.audit.chain import residue_digest
from diversion.audit.models import AuditAction, AuditEvent
from diversion.audit.selectors import SEAL_OBJECT_TYPE
from diversion.audit.services import Actor, audit_record


def audit_values_erase(*, records: Iterable[tuple[str, str]], actor: Actor, reason: str) -> int:
    """Drop the personal values of every audit event about the given (object type, object id)
    records. Call inside the erasure's transaction. Returns the number of events changed."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in records:
        by_type[object_type].add(str(object_id))
    now = timezone.now()
    changed = 0
    sealed: list[str] = []
    with transaction.atomic(savepoint=False):
        for object_type, object_ids in sorted(by_type.items()):
            ids = sorted(object_ids)
            for start in range(0, len(ids), 500):
                events = AuditEvent.objects.filter(
                    object_type=object_type, object_id__in=ids[start : start + 500], erased_at=None
                )
                # Past the ORM's append-only guard on purpose: only these columns, only emptied.
                changed += models.QuerySet.update(
                    events.filter(version__gte=2),
                    changes={},
                    reason="",
                    values_salt="",
                    erased_at=now,
                )
                for event in events.filter(version=1):
                    digest = residue_digest(event)
                    models.QuerySet.update(
                        AuditEvent.objects.filter(pk=event.pk),
                        changes={},
                        reason="",
                        values_salt="",
                        values_digest=digest,
                        erased_at=now,
                    )
                    sealed.append(digest)
                    changed += 1
        if sealed:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type=SEAL_OBJECT_TYPE,
                object_id=str(len(sealed)),
                reason=reason,
                changes={"sealed": sealed},
            )
    return changed
