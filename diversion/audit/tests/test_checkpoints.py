"""Checkpoints of the chains' heads outside the database, attacked: the newest rows removed and
the heads set back (which the chains alone cannot see), and a checkpoint forged in the file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from diversion.audit.chain import event_hash, hashed_fields, values_digest
from diversion.audit.checkpoints import (
    TAMPERED,
    audit_checkpoint_write,
    audit_checkpoints_verify,
)
from diversion.audit.models import AuditAction, AuditChainHead, AuditEvent
from diversion.audit.selectors import audit_chain_verify
from diversion.audit.services import SYSTEM, audit_chain, audit_record
from diversion.core.worker import schedules

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoints(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "var" / "audit-checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_PATH = path
    return path


def record(scheme: Any, chain: int, count: int) -> list[AuditEvent]:
    with audit_chain(chain):
        return [
            audit_record(actor=SYSTEM, action=AuditAction.READ, obj=scheme, reason=str(n))
            for n in range(count)
        ]


def as_attacker(sql: str, params: list[Any]) -> None:
    """Around the model and PostgreSQL's append-only trigger, as someone with database access."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def cut_back(events: list[AuditEvent], keep: int) -> None:
    """Remove the newest events of a chain and set its head back to the last one kept."""
    for event in events[keep:]:
        as_attacker("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    last = events[keep - 1]
    as_attacker(
        "UPDATE audit_auditchainhead SET sequence = %s, hash = %s WHERE id = %s",
        [last.sequence, last.hash, last.chain],
    )


def grow_forged(last: AuditEvent, count: int) -> None:
    """Append events with valid hashes after `last`, and move the head to the newest."""
    for n in range(count):
        event = AuditEvent(
            chain=last.chain,
            sequence=last.sequence + 1,
            occurred_at=timezone.now(),
            actor_label="system",
            action=AuditAction.READ,
            object_type="schemes.Scheme",
            object_id="1",
            reason=f"nothing to see {n}",
            previous_hash=last.hash,
            values_salt="00" * 16,
        )
        event.values_digest = values_digest(
            salt=event.values_salt, changes=event.changes, reason=event.reason
        )
        event.hash = event_hash(hashed_fields(event))
        event.save()
        last = event
    as_attacker(
        "UPDATE audit_auditchainhead SET sequence = %s, hash = %s WHERE id = %s",
        [last.sequence, last.hash, last.chain],
    )


def verify_passes() -> bool:
    try:
        call_command("audit", "verify")
    except CommandError:
        return False
    return True


def test_the_worker_writes_a_signed_line_per_checkpoint_to_an_append_only_file(
    scheme: Any, checkpoints: Path
) -> None:
    two = record(scheme, 2, 3)
    audit_checkpoint_write()
    three = record(scheme, 3, 2)
    audit_checkpoint_write()
    lines = [json.loads(line) for line in checkpoints.read_text().splitlines()]
    assert len(lines) == 2
    assert lines[0]["heads"] == {"2": {"sequence": 3, "hash": two[-1].hash}}
    assert lines[1]["heads"]["3"] == {"sequence": 2, "hash": three[-1].hash}
    assert all(len(line["signature"]) == 64 for line in lines)
    assert "Audit checkpoint" in {job.name for job in schedules()}


def test_an_untouched_log_passes_against_its_checkpoint(
    scheme: Any, checkpoints: Path, capsys: Any
) -> None:
    record(scheme, 2, 3)
    audit_checkpoint_write()
    record(scheme, 2, 2)  # more events after the checkpoint are fine
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "intact" in out and "line 1 of" in out


def test_the_newest_events_removed_and_the_head_set_back_are_caught(
    scheme: Any, checkpoints: Path, capsys: Any
) -> None:
    two = record(scheme, 2, 5)
    record(scheme, 3, 2)
    audit_checkpoint_write()
    cut_back(two, keep=2)
    assert audit_chain_verify() == []  # the chains alone see nothing wrong
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit", "verify")
    error = capsys.readouterr().err
    assert "chain 2, event 5: events up to 5 were checkpointed" in error
    assert "cut back to event 2" in error
    assert "chain 3" not in error


def test_a_chain_cut_back_and_grown_again_with_forged_events_is_caught(
    scheme: Any, checkpoints: Path
) -> None:
    two = record(scheme, 2, 4)
    audit_checkpoint_write()
    cut_back(two, keep=2)
    grow_forged(two[1], 3)  # events 3 to 5 again, with valid hashes
    assert audit_chain_verify() == []
    problems = audit_checkpoints_verify().chain_problems
    assert [(p.chain, p.sequence) for p in problems] == [(2, 4)]
    assert "another hash" in problems[0].problem


def test_the_worker_will_not_checkpoint_over_a_chain_that_was_cut_back(
    scheme: Any, checkpoints: Path
) -> None:
    two = record(scheme, 2, 4)
    audit_checkpoint_write()
    cut_back(two, keep=1)
    assert audit_checkpoint_write() is None  # a newer checkpoint would hide the cut
    assert len(checkpoints.read_text().splitlines()) == 1
    assert not verify_passes()


def test_a_forged_checkpoint_line_is_reported(scheme: Any, checkpoints: Path) -> None:
    two = record(scheme, 2, 4)
    audit_checkpoint_write()
    line = json.loads(checkpoints.read_text())
    cut_back(two, keep=2)
    # The attacker writes a checkpoint matching the shortened chain, without the key.
    line["heads"]["2"] = {"sequence": 2, "hash": two[1].hash}
    line["written_at"] = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).isoformat()
    with checkpoints.open("a") as file:
        file.write(json.dumps(line) + "\n")
    report = audit_checkpoints_verify()
    assert [(p.line, p.problem) for p in report.file_problems] == [(2, TAMPERED)]
    assert report.latest is not None and report.latest.line == 1  # the forged one is not used
    assert [p.chain for p in report.chain_problems] == [2]
    with pytest.raises(CommandError, match="2 problem"):
        call_command("audit", "verify")


def test_a_checkpoint_signed_with_another_key_is_reported(
    scheme: Any, checkpoints: Path, settings: Any
) -> None:
    record(scheme, 2, 2)
    settings.AUDIT_CHECKPOINT_KEY = "someone else's key"
    audit_checkpoint_write()
    settings.AUDIT_CHECKPOINT_KEY = ""
    report = audit_checkpoints_verify()
    assert [p.problem for p in report.file_problems] == [TAMPERED]
    assert report.latest is None


def test_a_rotated_secret_key_still_accepts_checkpoints_signed_before(
    scheme: Any, checkpoints: Path, settings: Any
) -> None:
    record(scheme, 2, 2)
    audit_checkpoint_write()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    report = audit_checkpoints_verify()
    assert report.file_problems == [] and report.latest is not None


def test_without_a_checkpoint_verify_passes_and_says_so(
    scheme: Any, checkpoints: Path, capsys: Any
) -> None:
    record(scheme, 2, 2)
    call_command("audit", "verify")
    assert "no checkpoint yet" in capsys.readouterr().out
    assert not checkpoints.exists()


def test_heads_are_read_from_the_database_not_from_the_events(
    scheme: Any, checkpoints: Path
) -> None:
    record(scheme, 2, 2)
    checkpoint = audit_checkpoint_write()
    assert checkpoint is not None
    assert checkpoint.heads == {
        head.pk: (head.sequence, head.hash)
        for head in AuditChainHead.objects.filter(sequence__gt=0)
    }
