"""The replica router: which reads go to the replica, and when they fall back to the primary.

The test settings make "replica" a mirror of the test database (a second connection to it), so
a routed read really runs on the other alias and sees what the primary committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from diversion.accounts.models import User
from diversion.audit.models import AuditEvent
from diversion.core.dbrouter import (
    REPLICA,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    lag_cache,
    replica_lag_seconds,
    replica_reads,
)
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme
from diversion.schemes.tests.factories import SchemeFactory

both = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(autouse=True)
def fresh_lag_check(settings: Any) -> Iterator[None]:
    settings.REPLICA_LAG_CHECK_SECONDS = 0
    lag_cache.forget()
    yield
    lag_cache.forget()


@pytest.fixture
def standby(monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL the test mirror is the primary itself, never in recovery, so the router
    would rightly refuse it (the last test). To test the routing, its standby query is replaced
    by one answering "no lag", still run on the mirror's own connection. The real query against
    a real streaming standby is exercised by `benchmarks/resilience.py cluster`."""
    if connections[REPLICA].vendor == "postgresql":
        monkeypatch.setattr("diversion.core.dbrouter.LAG_SQL", "SELECT 0.0")


@both
@pytest.mark.usefixtures("standby")
def test_inside_replica_reads_the_evaluations_rows_are_read_from_the_replica() -> None:
    scheme: Any = SchemeFactory()
    with replica_reads():
        rows = Scheme.objects.filter(pk=scheme.pk)
        assert rows.db == REPLICA
        assert list(rows.values_list("code", flat=True)) == [scheme.code]
        assert Referral.objects.all().db == REPLICA
    assert Scheme.objects.all().db == "default"


@both
@pytest.mark.parametrize("model", [Session, User, AuditEvent])
def test_sessions_accounts_and_the_audit_chain_are_always_read_from_the_primary(
    model: Any,
) -> None:
    with replica_reads():
        assert model.objects.all().db == "default"


@both
def test_inside_a_transaction_reads_stay_on_the_primary_and_see_its_own_writes() -> None:
    with replica_reads(), transaction.atomic():
        scheme: Any = SchemeFactory()
        rows = Scheme.objects.filter(pk=scheme.pk)
        assert rows.db == "default"
        assert rows.exists()


@both
def test_a_replica_lagging_beyond_the_limit_is_not_used(settings: Any) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = -1  # any lag, even none, is too much
    with replica_reads():
        assert Scheme.objects.all().db == "default"


@both
def test_writes_and_migrations_go_to_the_primary_only() -> None:
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Scheme) == "default"
        created: Any = SchemeFactory()
        assert created._state.db == "default"
    assert router.allow_migrate("default", "schemes") is True
    assert router.allow_migrate(REPLICA, "schemes") is False


@both
@pytest.mark.usefixtures("standby")
def test_the_middleware_routes_only_get_requests_under_the_configured_paths(
    settings: Any,
) -> None:
    settings.REPLICA_READ_PATHS = ["/evaluation/"]
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(Scheme.objects.all().db)
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/evaluation/WM/"))
    middleware(factory.post("/evaluation/WM/"))
    middleware(factory.get("/referrals/new/"))
    assert seen == [REPLICA, "default", "default"]


@both
def test_a_database_that_is_not_a_standby_is_not_used_as_the_replica() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL reports whether it is a standby; the SQLite mirror has no lag")
    # The test mirror is the primary itself: not in recovery, so not a replica to read from.
    assert replica_lag_seconds() is None
    with replica_reads():
        assert Scheme.objects.all().db == "default"
    assert connections[REPLICA].vendor == "postgresql"
