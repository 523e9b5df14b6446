"""Liveness (/healthz) and readiness (/readyz) for load balancers and orchestrators."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from diversion.core.access import public
from diversion.core.models import WorkerHeartbeat
from diversion.core.worker import HEARTBEAT


@never_cache
@public
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return False, f"database unreachable: {type(error).__name__}"
    return True, "reachable"


def _migrations() -> tuple[bool, str]:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return (not plan, "applied" if not plan else f"{len(plan)} migration(s) not applied")


def _worker() -> tuple[bool, str]:
    beat = WorkerHeartbeat.objects.filter(name=HEARTBEAT).first()
    if beat is None:
        return False, "no heartbeat yet"
    age = (timezone.now() - beat.beat_at).total_seconds()
    if age > settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS:
        return False, f"last heartbeat {int(age)} seconds ago"
    return True, f"last heartbeat {int(age)} seconds ago"


@never_cache
@public
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    ok, detail = _database()
    checks["database"] = {"ok": ok, "detail": detail}
    if ok:
        for name, check in (("migrations", _migrations), ("worker", _worker)):
            passed, detail = check()
            checks[name] = {"ok": passed, "detail": detail}
    ready = all(bool(check["ok"]) for check in checks.values()) and len(checks) == 3
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
