from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from diversion.audit.chain import (
    GENESIS_HASH,
    event_hash,
    hashed_fields,
    residue_digest,
    values_digest,
)
from diversion.audit.models import AuditChainHead, AuditEvent, AuditPrunePoint
from diversion.audit.signing import PRUNE_SALT, prune_point_body, signature_valid

# The object type of the events that record the erasure of version-1 events (audit/erasure.py).
SEAL_OBJECT_TYPE = "audit.ErasedEvents"


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    sequence: int
    problem: str


def prune_point_valid(point: AuditPrunePoint) -> bool:
    return signature_valid(PRUNE_SALT, prune_point_body(point), point.signature)


def audit_chain_verify(*, batch_size: int = 2000) -> list[ChainProblem]:
    """Recompute every chain; every edited, inserted or removed row shows up as a problem.

    A chain pruned at the end of its retention period is verified from its signed prune point.
    """
    problems: list[ChainProblem] = []
    heads = {head.pk: head for head in AuditChainHead.objects.all()}
    points = {point.chain: point for point in AuditPrunePoint.objects.all()}
    chains = set(AuditEvent.objects.values_list("chain", flat=True).distinct()) | set(heads)
    seals = (
        _seals() if AuditEvent.objects.filter(version=1).exclude(erased_at=None).exists() else set()
    )
    for chain in sorted(chains):
        point = points.get(chain)
        if point is not None and not prune_point_valid(point):
            problems.append(
                ChainProblem(chain, point.sequence, "its prune point is not validly signed")
            )
            point = None
        problems.extend(_chain_verify(chain, heads.get(chain), point, seals, batch_size=batch_size))
    return problems


def _seals() -> set[str]:
    """The residue digests of erased version-1 events, as recorded by the erasures."""
    found: set[str] = set()
    for changes in AuditEvent.objects.filter(object_type=SEAL_OBJECT_TYPE).values_list(
        "changes", flat=True
    ):
        found.update(str(digest) for digest in (changes or {}).get("sealed", []))
    return found


def _contents_problem(event: AuditEvent, seals: set[str]) -> str | None:
    if event.version == 1 and event.erased_at is not None:
        digest = residue_digest(event)
        if event.values_digest != digest or digest not in seals:
            return "its contents were changed"
        return None
    if event.version != 1 and event.erased_at is None:
        recorded = values_digest(salt=event.values_salt, changes=event.changes, reason=event.reason)
        if recorded != event.values_digest:
            return "its contents were changed"
    if event_hash(hashed_fields(event)) != event.hash:
        return "its contents were changed"
    return None


def _chain_verify(
    chain: int,
    head: AuditChainHead | None,
    point: AuditPrunePoint | None,
    seals: set[str],
    *,
    batch_size: int,
) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    expected_sequence, expected_previous = 1, GENESIS_HASH
    last_sequence = 0
    queryset = AuditEvent.objects.filter(chain=chain).order_by("sequence")
    if point is not None:
        expected_sequence, expected_previous = point.sequence + 1, point.hash
        last_sequence = point.sequence
        queryset = queryset.filter(sequence__gt=point.sequence)
    for event in queryset.iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    chain,
                    expected_sequence,
                    f"events {expected_sequence} to {event.sequence - 1} are missing",
                )
            )
        if event.previous_hash != expected_previous:
            problems.append(
                ChainProblem(chain, event.sequence, "does not link to the event before it")
            )
        problem = _contents_problem(event, seals)
        if problem:
            problems.append(ChainProblem(chain, event.sequence, problem))
        expected_sequence, expected_previous = event.sequence + 1, event.hash
        last_sequence = event.sequence
    if head is None:
        if last_sequence:
            problems.append(ChainProblem(chain, last_sequence, "the chain's head is missing"))
    elif head.sequence != last_sequence or head.hash != expected_previous:
        problems.append(
            ChainProblem(
                chain, head.sequence, "the last events were removed (the chain head is ahead)"
            )
        )
    return problems


def audit_events_for_schemes(*, scheme_ids: list[int]) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(scheme_id__in=scheme_ids).select_related(
        "actor", "organisation", "scheme"
    )
