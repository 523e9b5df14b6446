from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from diversion.audit.models import AppendOnlyError, AuditAction, AuditChainHead, AuditEvent
from diversion.audit.selectors import audit_chain_verify
from diversion.audit.services import (
    REDACTED,
    SYSTEM,
    audit_chain,
    audit_record,
    chain_count,
    current_chain,
)
from diversion.core.roles import Role


def _record_three(scheme: Any) -> list[AuditEvent]:
    return [
        audit_record(
            actor=SYSTEM, action=AuditAction.READ, obj=scheme, scheme=scheme, reason=str(i)
        )
        for i in range(3)
    ]


def _raw_sql(sql: str, params: list[Any]) -> None:
    """Tamper as an attacker with database access would: around the model and the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.django_db
def test_events_are_numbered_and_each_links_to_the_one_before(scheme: Any) -> None:
    first, second, third = _record_three(scheme)
    assert (second.sequence, third.sequence) == (first.sequence + 1, first.sequence + 2)
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_verification_catches_an_edited_row(scheme: Any) -> None:
    events = _record_three(scheme)
    _raw_sql(
        "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing to see", events[1].pk]
    )
    problems = audit_chain_verify()
    assert [(p.chain, p.sequence, p.problem) for p in problems] == [
        (events[1].chain, events[1].sequence, "its contents were changed")
    ]
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_verification_catches_a_removed_row_in_the_middle(scheme: Any) -> None:
    events = _record_three(scheme)
    _raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    problems = {p.problem for p in audit_chain_verify()}
    assert f"events {events[1].sequence} to {events[1].sequence} are missing" in problems
    assert "does not link to the event before it" in problems


@pytest.mark.django_db
def test_verification_catches_the_last_row_removed(scheme: Any) -> None:
    events = _record_three(scheme)
    _raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    assert [p.problem for p in audit_chain_verify()] == [
        "the last events were removed (the chain head is ahead)"
    ]


@pytest.mark.django_db
def test_the_verify_command_reports_an_intact_log(scheme: Any, capsys: Any) -> None:
    _record_three(scheme)
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(scheme: Any) -> None:
    event = _record_three(scheme)[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_postgresql_itself_refuses_to_update_an_audit_row(scheme: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    event = _record_three(scheme)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_sensitive_values_are_masked_but_the_field_names_are_kept(scheme: Any) -> None:
    event = audit_record(
        actor=SYSTEM,
        action=AuditAction.UPDATE,
        obj=scheme,
        changes={"email": "a@b.c", "notes": "private", "status": {"from": "a", "to": "b"}},
        sensitive={"status"},
    )
    event.refresh_from_db()
    assert event.changes == {"email": REDACTED, "notes": REDACTED, "status": REDACTED}


@pytest.mark.django_db
def test_reading_a_users_details_is_audited_with_who_and_why(
    scheme: Any, client_for: Any, make_user: Any
) -> None:
    shown = make_user(Role.WORKER, scheme)
    client = client_for(Role.SCHEME_ADMIN, scheme)
    before = AuditEvent.objects.count()
    response = client.get(reverse("accounts:user-detail", kwargs={"pk": shown.pk}))
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-occurred_at", "-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None
    assert (event.action, event.object_type, event.object_id) == (
        "read",
        "accounts.User",
        str(shown.pk),
    )
    assert event.actor == response.wsgi_request.user
    assert event.organisation == scheme.commissioner
    assert event.request_id == response["X-Request-Id"]


@pytest.mark.django_db
def test_an_audit_row_is_rolled_back_with_the_change_it_records(scheme: Any) -> None:
    from django.db import transaction

    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=SYSTEM, action=AuditAction.UPDATE, obj=scheme)
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_later_rows_of_a_transaction_reuse_the_chain_head_without_reading_it_again(
    scheme: Any,
) -> None:
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        first = audit_record(actor=SYSTEM, action=AuditAction.READ, obj=scheme)
        with CaptureQueriesContext(connection) as captured:
            second, third = _record_three(scheme)[1:]
    statements = [q["sql"].split(None, 1)[0] for q in captured.captured_queries]
    assert statements == ["INSERT", "UPDATE"] * 3  # each event and its head, nothing read
    assert second.chain == third.chain == first.chain
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_a_row_rolled_back_with_its_savepoint_leaves_the_chain_unbroken(scheme: Any) -> None:
    from django.db import transaction

    with transaction.atomic():
        first = audit_record(actor=SYSTEM, action=AuditAction.READ, obj=scheme)
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record(actor=SYSTEM, action=AuditAction.UPDATE, obj=scheme)
            raise RuntimeError("the change failed")
        after = audit_record(actor=SYSTEM, action=AuditAction.READ, obj=scheme)
    assert (after.chain, after.sequence) == (first.chain, first.sequence + 1)
    assert after.previous_hash == first.hash
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_a_users_audit_row_names_their_organisation_without_reading_it(
    scheme: Any, make_user: Any
) -> None:
    from diversion.accounts.models import User
    from diversion.audit.services import Actor

    user = User.objects.get(pk=make_user(Role.OFFICER, scheme).pk)
    event = audit_record(actor=Actor.of(user), action=AuditAction.READ, obj=scheme)
    assert not User.organisation.is_cached(user)
    event.refresh_from_db()
    assert event.organisation_id == scheme.force_id
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_each_chain_is_numbered_on_its_own_and_all_chains_are_verified(scheme: Any) -> None:
    with audit_chain(2):
        in_two = _record_three(scheme)
    with audit_chain(3):
        in_three = _record_three(scheme)
    assert [e.chain for e in in_two + in_three] == [2, 2, 2, 3, 3, 3]
    assert [e.sequence for e in in_three] == [e.sequence for e in in_two]
    assert in_three[0].previous_hash == in_two[0].previous_hash  # each starts from genesis
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_a_row_removed_from_one_chain_is_caught_and_the_other_chains_stay_intact(
    scheme: Any,
) -> None:
    with audit_chain(2):
        in_two = _record_three(scheme)
    with audit_chain(3):
        _record_three(scheme)
    _raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [in_two[-1].pk])
    problems = audit_chain_verify()
    assert [(p.chain, p.problem) for p in problems] == [
        (2, "the last events were removed (the chain head is ahead)")
    ]


@pytest.mark.django_db
def test_a_row_moved_to_another_chain_breaks_both(scheme: Any) -> None:
    with audit_chain(2):
        in_two = _record_three(scheme)
    with audit_chain(3):
        _record_three(scheme)
    _raw_sql("UPDATE audit_auditevent SET chain = 3, sequence = 4 WHERE id = %s", [in_two[1].pk])
    chains = {p.chain for p in audit_chain_verify()}
    assert chains == {2, 3}


def test_one_thread_always_appends_to_the_same_chain_and_threads_spread_over_chains() -> None:
    seen: list[int] = []
    all_started = threading.Barrier(40)  # alive together, so no thread id is reused

    def pick() -> None:
        all_started.wait()
        seen.extend({current_chain() for _ in range(5)})
        all_started.wait()

    threads = [threading.Thread(target=pick) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 40  # one chain per thread
    assert len(set(seen)) > 4  # 40 threads land on several of the 16 chains


def test_pinning_a_chain_outside_the_configured_range_is_refused() -> None:
    with pytest.raises(ValueError, match="16 audit chains"), audit_chain(17):
        pass


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_second_writer_takes_a_free_chain_instead_of_waiting(scheme: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED chain choice is PostgreSQL's; SQLite has one writer at a time")
    from django.db import close_old_connections, transaction

    # Every chain's head exists, committed, before the writers start. (The connection remembers
    # having made them, but a transactional test's flush has emptied the table since: without
    # this the other thread makes them inside its open transaction, and this one sees only its
    # own chain, which the other thread may have taken.)
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(pk=number) for number in range(1, chain_count() + 1)],
        ignore_conflicts=True,
    )
    audit_record(actor=SYSTEM, action=AuditAction.READ, obj=scheme)
    holding, release = threading.Event(), threading.Event()
    chains: dict[str, int] = {}

    def first_writer() -> None:
        try:
            with transaction.atomic():
                chains["first"] = audit_record(
                    actor=SYSTEM, action=AuditAction.READ, obj=scheme, scheme=scheme
                ).chain
                holding.set()
                release.wait(10)
        finally:
            close_old_connections()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(10)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            event = audit_record(actor=SYSTEM, action=AuditAction.READ, obj=scheme, scheme=scheme)
            second = audit_record(actor=SYSTEM, action=AuditAction.READ, obj=scheme, scheme=scheme)
    finally:
        release.set()
        thread.join()
    assert event.chain != chains["first"]
    assert second.chain == event.chain  # one transaction, one chain
    assert audit_chain_verify() == []
