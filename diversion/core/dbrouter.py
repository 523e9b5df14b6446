"""Reads that may be a little stale go to the streaming replica (docs/deployment.md).

Only inside `replica_reads()` (the evaluation's pages, by `ReplicaReadsMiddleware`), only for
the apps whose rows the evaluation reads (REPLICA_APPS: never sessions, accounts, audit chains,
the cache or the task queue, whose reads must see the latest write), never inside a transaction
on the primary (read your own writes), and only while the replica is within
REPLICA_MAX_LAG_SECONDS of the primary. Otherwise, and whenever the replica cannot be reached,
reads stay on the primary: the replica is an optimisation, never a dependency.

The lag is measured on the replica (how long since the last transaction it replayed, zero when
it has replayed all it received) at most every REPLICA_LAG_CHECK_SECONDS per process.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

from diversion.core.logging import get_logger

logger = get_logger(__name__)

REPLICA = "replica"
_active: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)

LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Let reads in this block go to the replica when it is fresh enough."""
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag_seconds() -> float | None:
    """The replica's lag now; None if it cannot be reached or is not a standby (promoted)."""
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":
        return 0.0  # a test mirror of the primary
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except Exception as error:  # any failure means "do not use it"
        logger.warning("replica_unavailable", error=type(error).__name__)
        with contextlib.suppress(Exception):
            connection.close()
        return None
    return None if row is None or row[0] is None else float(row[0])


class _LagCache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked = -1e18
        self.usable = False

    def usable_now(self, probe: Callable[[], float | None]) -> bool:
        now = time.monotonic()
        with self.lock:
            if now - self.checked < float(settings.REPLICA_LAG_CHECK_SECONDS):
                return self.usable
            self.checked = now
        lag = probe()
        usable = lag is not None and lag <= float(settings.REPLICA_MAX_LAG_SECONDS)
        with self.lock:
            if usable != self.usable:
                logger.info("replica_reads", usable=usable, lag_seconds=lag)
            self.usable = usable
        return usable

    def forget(self) -> None:
        with self.lock:
            self.checked, self.usable = -1e18, False


lag_cache = _LagCache()


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for the evaluation's reads, the primary for the rest."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _active.get() or not replica_configured():
            return None
        if model._meta.app_label not in settings.REPLICA_APPS:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA if lag_cache.usable_now(replica_lag_seconds) else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same database, one of them a copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica gets the primary's schema by replication


class ReplicaReadsMiddleware:
    """GET and HEAD requests under REPLICA_READ_PATHS read through `replica_reads()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        routed = (
            request.method in {"GET", "HEAD"}
            and replica_configured()
            and any(request.path.startswith(prefix) for prefix in settings.REPLICA_READ_PATHS)
        )
        if not routed:
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
