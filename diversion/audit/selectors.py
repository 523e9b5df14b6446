from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from diversion.audit.chain import GENESIS_HASH, event_hash, hashed_fields
from diversion.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    sequence: int
    problem: str


def audit_chain_verify(*, batch_size: int = 2000) -> list[ChainProblem]:
    """Recompute every chain; every edited, inserted or removed row shows up as a problem."""
    problems: list[ChainProblem] = []
    heads = {head.pk: head for head in AuditChainHead.objects.all()}
    chains = set(AuditEvent.objects.values_list("chain", flat=True).distinct()) | set(heads)
    for chain in sorted(chains):
        problems.extend(_chain_verify(chain, heads.get(chain), batch_size=batch_size))
    return problems


def _chain_verify(
    chain: int, head: AuditChainHead | None, *, batch_size: int
) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    expected_sequence, expected_previous = 1, GENESIS_HASH
    last_sequence = 0
    queryset = AuditEvent.objects.filter(chain=chain).order_by("sequence")
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
        if event_hash(hashed_fields(event)) != event.hash:
            problems.append(ChainProblem(chain, event.sequence, "its contents were changed"))
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
