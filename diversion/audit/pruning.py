"""Removing audit events at the end of their retention period without breaking verification.

Each chain gets a signed prune point: the number and hash of its last removed event. `audit
verify` then checks the chain from the event after it, linked to that hash, and the signed
checkpoints accept a checkpointed head that lies behind the prune point. The point is recorded
(and signed with the checkpoint key, which the database does not hold) before any row goes, and
rows go in small batches, each its own short transaction: a run that stops half-way leaves a
chain that still verifies, and the next run finishes the removal. On PostgreSQL the append-only
trigger lets a row be deleted only behind its chain's prune point.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from diversion.audit.models import AuditChainHead, AuditEvent, AuditPrunePoint
from diversion.audit.selectors import prune_point_valid
from diversion.audit.signing import PRUNE_SALT, prune_point_body, sign
from diversion.core.logging import get_logger

logger = get_logger(__name__)


def prune_events_before(cutoff: dt.datetime, *, batch_size: int = 1000) -> int:
    """Remove every chain's events that occurred before `cutoff` (up to the first event at or
    after it); returns the number of rows removed. Idempotent and resumable."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    chains = set(AuditChainHead.objects.values_list("pk", flat=True)) | set(
        AuditEvent.objects.values_list("chain", flat=True).distinct()
    )
    removed = 0
    for chain in sorted(chains):
        point = _prune_point_advance(chain, cutoff)
        if point is not None:
            removed += _remove_behind(point, batch_size=batch_size)
    if removed:
        logger.info("audit_events_pruned", cutoff=cutoff.isoformat(), removed=removed)
    return removed


def _prune_point_advance(chain: int, cutoff: dt.datetime) -> AuditPrunePoint | None:
    """Move the chain's prune point up to its last event before `cutoff`; the point as it now
    stands (None if the chain has none, or has one whose signature is not valid)."""
    with transaction.atomic():
        # The head's lock keeps an event from being appended while the point is chosen.
        AuditChainHead.objects.select_for_update(of=("self",)).filter(pk=chain).first()
        point = AuditPrunePoint.objects.select_for_update(of=("self",)).filter(chain=chain).first()
        if point is not None and not prune_point_valid(point):
            logger.error("audit_prune_point_invalid", chain=chain)
            return None
        events = AuditEvent.objects.filter(chain=chain)
        first_kept = (
            events.filter(occurred_at__gte=cutoff)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        ).first()
        last_sequence = (
            first_kept - 1
            if first_kept is not None
            else events.aggregate(last=Max("sequence"))["last"] or 0
        )
        if last_sequence <= (point.sequence if point is not None else 0):
            return point
        last = events.filter(sequence=last_sequence).first()
        if last is None:
            logger.error("audit_prune_event_missing", chain=chain, sequence=last_sequence)
            return point
        point = point or AuditPrunePoint(chain=chain)
        point.sequence, point.hash, point.cutoff = last.sequence, last.hash, cutoff
        point.pruned_at = timezone.now()
        point.signature = sign(PRUNE_SALT, prune_point_body(point))
        point.save()
        return point


def _remove_behind(point: AuditPrunePoint, *, batch_size: int) -> int:
    removed = 0
    while True:
        with transaction.atomic():
            ids = list(
                AuditEvent.objects.filter(chain=point.chain, sequence__lte=point.sequence)
                .order_by("sequence")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return removed
            # Past the ORM's append-only guard on purpose: behind a signed prune point only.
            queryset = AuditEvent.objects.filter(pk__in=ids)
            removed += queryset._raw_delete(queryset.db)
