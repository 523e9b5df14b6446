"""An erased person's audit events keep verifiable hashes without their values; old events are
pruned behind a signed prune point. Both attacked: rows edited after erasure, rows removed
without a prune point, a prune point forged in the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from diversion.audit.chain import event_hash, hashed_fields
from diversion.audit.checkpoints import audit_checkpoint_write, audit_checkpoints_verify
from diversion.audit.erasure import audit_values_erase
from diversion.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditPrunePoint
from diversion.audit.pruning import prune_events_before
from diversion.audit.selectors import audit_chain_verify
from diversion.audit.services import SYSTEM, audit_chain, audit_record

pytestmark = pytest.mark.django_db

START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _raw_sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _events(scheme: Any, *, chain: int, days: list[int], monkeypatch: Any) -> list[AuditEvent]:
    made = []
    with audit_chain(chain):
        for day in days:
            monkeypatch.setattr(timezone, "now", lambda day=day: START + dt.timedelta(days=day))
            with transaction.atomic():
                made.append(
                    audit_record(
                        actor=SYSTEM,
                        action=AuditAction.UPDATE,
                        object_type="people.Person",
                        object_id=str(100 + day),
                        scheme=scheme,
                        reason=f"reason MARKER{day}",
                        changes={"address": {"from": f"MARKER{day} street", "to": "x"}},
                    )
                )
    monkeypatch.undo()
    return made


def test_erasing_values_keeps_every_hash_and_the_chain_verifies(
    scheme: Any, monkeypatch: Any
) -> None:
    events = _events(scheme, chain=2, days=[1, 2, 3], monkeypatch=monkeypatch)
    with transaction.atomic():
        changed = audit_values_erase(
            records=[("people.Person", "102")], actor=SYSTEM, reason="erasure"
        )
    assert changed == 1
    erased = AuditEvent.objects.get(pk=events[1].pk)
    assert (erased.changes, erased.reason, erased.values_salt) == ({}, "", "")
    assert erased.hash == events[1].hash and erased.erased_at is not None
    assert AuditEvent.objects.get(pk=events[0].pk).reason == "reason MARKER1"
    assert audit_chain_verify() == []


def test_an_erased_event_edited_afterwards_is_caught(scheme: Any, monkeypatch: Any) -> None:
    events = _events(scheme, chain=2, days=[1, 2], monkeypatch=monkeypatch)
    with transaction.atomic():
        audit_values_erase(records=[("people.Person", "101")], actor=SYSTEM, reason="erasure")
    _raw_sql("UPDATE audit_auditevent SET action = 'read' WHERE id = %s", [events[0].pk])
    assert [(p.sequence, p.problem) for p in audit_chain_verify()] == [
        (events[0].sequence, "its contents were changed")
    ]


def test_values_edited_before_erasure_no_longer_match_their_digest(
    scheme: Any, monkeypatch: Any
) -> None:
    events = _events(scheme, chain=2, days=[1], monkeypatch=monkeypatch)
    _raw_sql("UPDATE audit_auditevent SET reason = 'other' WHERE id = %s", [events[0].pk])
    assert [p.problem for p in audit_chain_verify()] == ["its contents were changed"]


def _as_version_1(event: AuditEvent) -> AuditEvent:
    """An event as written before migration 0004 (hash over its values); the only one of its
    chain, so the head follows it."""
    old = AuditEvent.objects.get(pk=event.pk)
    old.version = 1
    digest = event_hash(hashed_fields(old))
    _raw_sql(
        "UPDATE audit_auditevent SET version = 1, values_salt = '', values_digest = '', "
        "hash = %s WHERE id = %s",
        [digest, event.pk],
    )
    _raw_sql("UPDATE audit_auditchainhead SET hash = %s WHERE id = %s", [digest, event.chain])
    return AuditEvent.objects.get(pk=event.pk)


def test_a_version_1_event_is_sealed_when_erased_and_still_verifies(
    scheme: Any, monkeypatch: Any
) -> None:
    old = _as_version_1(_events(scheme, chain=3, days=[1], monkeypatch=monkeypatch)[0])
    assert audit_chain_verify() == []
    with transaction.atomic(), audit_chain(4):
        audit_values_erase(records=[("people.Person", "101")], actor=SYSTEM, reason="erasure")
    erased = AuditEvent.objects.get(pk=old.pk)
    assert erased.changes == {} and erased.reason == "" and erased.hash == old.hash
    assert AuditEvent.objects.filter(object_type="audit.ErasedEvents").count() == 1
    assert audit_chain_verify() == []
    _raw_sql("UPDATE audit_auditevent SET actor_label = 'someone' WHERE id = %s", [old.pk])
    assert [p.problem for p in audit_chain_verify()] == ["its contents were changed"]


def test_pruning_removes_old_events_and_the_chain_still_verifies_with_its_checkpoint(
    scheme: Any, monkeypatch: Any, settings: Any, tmp_path: Path
) -> None:
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "checkpoints.jsonl"
    events = _events(scheme, chain=2, days=[1, 2, 3, 10, 11], monkeypatch=monkeypatch)
    old_only = _events(scheme, chain=3, days=[1, 2], monkeypatch=monkeypatch)
    assert audit_checkpoint_write() is not None
    removed = prune_events_before(START + dt.timedelta(days=5), batch_size=2)
    assert removed == 5
    assert list(AuditEvent.objects.order_by("chain", "sequence").values_list("pk", flat=True)) == [
        events[3].pk,
        events[4].pk,
    ]
    point = AuditPrunePoint.objects.get(chain=2)
    assert (point.sequence, point.hash) == (events[2].sequence, events[2].hash)
    assert AuditPrunePoint.objects.get(chain=3).hash == old_only[1].hash
    assert audit_chain_verify() == []
    # The checkpoint named chain 3's last event, now pruned: accepted behind the prune point.
    assert audit_checkpoints_verify().chain_problems == []
    assert prune_events_before(START + dt.timedelta(days=5)) == 0
    call_command("audit", "verify")


def test_events_removed_without_a_prune_point_are_still_caught(
    scheme: Any, monkeypatch: Any
) -> None:
    events = _events(scheme, chain=2, days=[1, 2, 3], monkeypatch=monkeypatch)
    _raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    assert "events 1 to 1 are missing" in [p.problem for p in audit_chain_verify()]


def test_a_forged_prune_point_is_caught_and_stops_pruning(scheme: Any, monkeypatch: Any) -> None:
    events = _events(scheme, chain=2, days=[1, 2, 3], monkeypatch=monkeypatch)
    AuditPrunePoint.objects.create(
        chain=2,
        sequence=events[0].sequence,
        hash=events[0].hash,
        cutoff=START,
        pruned_at=START,
        signature="0" * 64,
    )
    _raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    problems = [p.problem for p in audit_chain_verify()]
    assert "its prune point is not validly signed" in problems
    assert "events 1 to 1 are missing" in problems
    assert prune_events_before(START + dt.timedelta(days=30)) == 0
    assert AuditEvent.objects.filter(chain=2).count() == 2


def test_a_pruned_chain_with_a_later_event_removed_is_caught(scheme: Any, monkeypatch: Any) -> None:
    events = _events(scheme, chain=2, days=[1, 2, 10, 11], monkeypatch=monkeypatch)
    prune_events_before(START + dt.timedelta(days=5))
    _raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert [p.problem for p in audit_chain_verify()] == [
        "events 3 to 3 are missing",
        "does not link to the event before it",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_lets_through_only_erasure_and_pruning(scheme: Any, monkeypatch: Any) -> None:
    from django.db import DatabaseError

    events = _events(scheme, chain=2, days=[1, 2], monkeypatch=monkeypatch)
    for sql in (
        "UPDATE audit_auditevent SET changes = '{}', reason = '', values_salt = '', "
        "erased_at = now(), action = 'read' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [events[0].pk])
    with transaction.atomic():
        audit_values_erase(records=[("people.Person", "101")], actor=SYSTEM, reason="erasure")
    prune_events_before(START + dt.timedelta(days=2))
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [events[1].pk]
    assert AuditChainHead.objects.get(pk=2).sequence == 2


def test_a_pruning_run_stopped_after_its_prune_point_still_verifies_and_the_next_finishes(
    scheme: Any, monkeypatch: Any
) -> None:
    from diversion.audit.pruning import _prune_point_advance

    events = _events(scheme, chain=2, days=[1, 2, 3, 10], monkeypatch=monkeypatch)
    cutoff = START + dt.timedelta(days=5)
    point = _prune_point_advance(2, cutoff)  # as a run killed before its first delete
    assert point is not None and point.sequence == events[2].sequence
    assert AuditEvent.objects.filter(chain=2).count() == 4
    assert audit_chain_verify() == []
    assert prune_events_before(cutoff) == 3
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [events[3].pk]
    assert audit_chain_verify() == []
