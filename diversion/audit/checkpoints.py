"""Signed checkpoints of the audit chains' heads, kept outside the database.

The hash chains catch a row edited, inserted or removed inside a chain. Someone who can write to
the database can still remove the newest rows of a chain and set its head back: what is left is
a shorter chain that verifies. So the background worker publishes every chain's head (its last
event number and hash) every few minutes: one signed JSON line appended to AUDIT_CHECKPOINT_PATH
(append-only, fsynced) and the same line in the log. `diversion audit verify` checks that every
chain still holds the heads of the latest valid checkpoint, and reports any line whose signature
does not match. The database holds no key to sign one with (AUDIT_CHECKPOINT_KEY, or a key
derived from SECRET_KEY).

The worker writes a checkpoint only while the database still holds the previous one's heads, so
a chain rewound between two checkpoints is not covered by the next one; it logs
`audit_checkpoint_refused` instead, and verification keeps failing against the last good one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from diversion.audit.chain import canonical_time
from diversion.audit.models import AuditChainHead, AuditEvent, AuditPrunePoint
from diversion.audit.selectors import ChainProblem, prune_point_valid
from diversion.audit.signing import canonical, secrets_in_use, sign, signature_valid
from diversion.core.logging import get_logger

logger = get_logger(__name__)

VERSION = 1
_SALT = "diversion.audit.checkpoint"
# The writer looks for the previous checkpoint in the file's last 256 KB (well over 100 lines).
_TAIL_BYTES = 256 * 1024
TAMPERED = "its signature does not match: the checkpoint file was altered"


@dataclass(frozen=True)
class Checkpoint:
    written_at: str
    heads: dict[int, tuple[int, str]]  # chain: (sequence, hash)
    line: int = 0  # its line in the file, counting from 1


@dataclass(frozen=True)
class CheckpointProblem:
    line: int
    problem: str


@dataclass(frozen=True)
class CheckpointReport:
    path: Path | None
    latest: Checkpoint | None = None
    file_problems: list[CheckpointProblem] = field(default_factory=list)
    chain_problems: list[ChainProblem] = field(default_factory=list)


def checkpoint_path() -> Path | None:
    path = getattr(settings, "AUDIT_CHECKPOINT_PATH", None)
    return Path(path) if path else None


def _parse(text: str, line: int) -> Checkpoint | str:
    """The checkpoint on a line of the file, or what is wrong with the line."""
    try:
        record = json.loads(text)
    except ValueError:
        return "not a checkpoint: unreadable"
    if not isinstance(record, dict) or record.get("version") != VERSION:
        return "not a checkpoint: unknown format"
    signature = record.pop("signature", None)
    if not signature_valid(_SALT, record, signature):
        return TAMPERED
    try:
        heads = {
            int(chain): (int(head["sequence"]), str(head["hash"]))
            for chain, head in record["heads"].items()
        }
        return Checkpoint(written_at=str(record["written_at"]), heads=heads, line=line)
    except (AttributeError, KeyError, TypeError, ValueError):
        return "signed, but not a checkpoint: unknown format"


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8", errors="replace") as file:
        for number, text in enumerate(file, start=1):
            if text.strip():
                yield number, text


def _latest_in_tail(path: Path) -> Checkpoint | None:
    """The last valid checkpoint near the end of the file, without reading all of it."""
    if not path.exists():
        return None
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        start = max(0, size - _TAIL_BYTES)
        file.seek(start)
        lines = file.read().decode("utf-8", errors="replace").splitlines()
    if start:
        lines = lines[1:]  # the first is cut
    for text in reversed(lines):
        parsed = _parse(text, 0) if text.strip() else None
        if isinstance(parsed, Checkpoint):
            return parsed
    return None


def _heads_missing(checkpoint: Checkpoint) -> list[ChainProblem]:
    """Every checkpointed head the database no longer holds, with the same number and hash."""
    wanted = {chain: head for chain, head in checkpoint.heads.items() if head[0] > 0}
    if not wanted:
        return []
    match = Q()
    for chain, (sequence, _) in wanted.items():
        match |= Q(chain=chain, sequence=sequence)
    held = {
        (chain, sequence): digest
        for chain, sequence, digest in AuditEvent.objects.filter(match).values_list(
            "chain", "sequence", "hash"
        )
    }
    ends = dict(
        AuditEvent.objects.filter(chain__in=wanted)
        .values("chain")
        .annotate(last=Max("sequence"))
        .values_list("chain", "last")
    )
    pruned = {
        point.chain: point
        for point in AuditPrunePoint.objects.filter(chain__in=wanted)
        if prune_point_valid(point)
    }
    problems = []
    for chain, (sequence, digest) in sorted(wanted.items()):
        found = held.get((chain, sequence))
        point = pruned.get(chain)
        # Removed at the end of its retention period, behind a signed prune point.
        if (
            found is None
            and point is not None
            and (point.sequence > sequence or (point.sequence, point.hash) == (sequence, digest))
        ):
            continue
        if found is None:
            end = ends.get(chain) or 0
            detail = (
                f"the chain was cut back to event {end}"
                if end < sequence
                else "that event is missing"
            )
            problems.append(
                ChainProblem(
                    chain,
                    sequence,
                    f"events up to {sequence} were checkpointed at {checkpoint.written_at}, "
                    f"but {detail}",
                )
            )
        elif found != digest:
            problems.append(
                ChainProblem(
                    chain,
                    sequence,
                    f"is not the event checkpointed at {checkpoint.written_at} (another hash)",
                )
            )
    return problems


def audit_checkpoint_write(
    *, path: Path | None = None, now: dt.datetime | None = None
) -> Checkpoint | None:
    """Append a signed checkpoint of every chain's head (the worker, every few minutes)."""
    path = path or checkpoint_path()
    if path is None:
        return None
    previous = _latest_in_tail(path)
    if previous is not None:
        missing = _heads_missing(previous)
        if missing:
            logger.error(
                "audit_checkpoint_refused",
                checkpoint_written_at=previous.written_at,
                chains=sorted({problem.chain for problem in missing}),
            )
            return None
    heads = {
        head.pk: (head.sequence, head.hash)
        for head in AuditChainHead.objects.filter(sequence__gt=0).order_by("pk")
    }
    body: dict[str, Any] = {
        "version": VERSION,
        "written_at": canonical_time(now or timezone.now()),
        "heads": {
            str(chain): {"sequence": sequence, "hash": digest}
            for chain, (sequence, digest) in heads.items()
        },
    }
    record = {**body, "signature": sign(_SALT, body, secrets_in_use()[0])}
    data = (canonical(record) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        # One write of one line: two writers' lines never interleave.
        written = os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if written != len(data):
        raise OSError(f"Only {written} of {len(data)} bytes of the audit checkpoint were written.")
    logger.info("audit_checkpoint_written", checkpoint=record)
    return Checkpoint(written_at=body["written_at"], heads=heads)


def audit_checkpoints_verify(*, path: Path | None = None) -> CheckpointReport:
    """Check the file's every line, and the database against its latest valid checkpoint."""
    path = path or checkpoint_path()
    if path is None or not path.exists():
        return CheckpointReport(path=path)
    latest: Checkpoint | None = None
    file_problems: list[CheckpointProblem] = []
    for number, text in _lines(path):
        parsed = _parse(text, number)
        if isinstance(parsed, Checkpoint):
            latest = parsed
        else:
            file_problems.append(CheckpointProblem(number, parsed))
    chain_problems = _heads_missing(latest) if latest is not None else []
    return CheckpointReport(
        path=path, latest=latest, file_problems=file_problems, chain_problems=chain_problems
    )
