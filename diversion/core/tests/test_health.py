from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from diversion.core.models import WorkerHeartbeat
from diversion.core.worker import HEARTBEAT, ensure_schedules, heartbeat


def test_healthz_answers_json_without_touching_the_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_not_ready_until_the_worker_has_beaten() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"] == {"ok": True, "detail": "applied"}
    assert body["checks"]["worker"] == {"ok": False, "detail": "no heartbeat yet"}


@pytest.mark.django_db
def test_readyz_is_ready_with_a_recent_heartbeat() -> None:
    heartbeat()
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_heartbeat_is_stale(settings: Any) -> None:
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 180
    WorkerHeartbeat.objects.create(
        name=HEARTBEAT, beat_at=timezone.now() - dt.timedelta(minutes=10)
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["detail"].startswith("last heartbeat 6")


@pytest.mark.django_db
def test_the_worker_schedules_its_heartbeat_once_however_often_it_starts() -> None:
    from django_q.models import Schedule

    ensure_schedules()
    ensure_schedules()
    assert Schedule.objects.filter(func="diversion.core.worker.heartbeat").count() == 1


def test_every_response_carries_a_request_id_and_keeps_a_well_formed_incoming_one() -> None:
    assert len(Client().get("/healthz")["X-Request-Id"]) == 32
    given = Client().get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")
    assert given["X-Request-Id"] == "abc-123-def-456"
    refused = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert refused["X-Request-Id"] != "<script>"


@pytest.mark.django_db
def test_pages_for_signed_in_users_are_never_cached(scheme: Any, client_for: Any) -> None:
    from diversion.core.roles import Role

    response = client_for(Role.OFFICER, scheme).get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "no-store" not in Client().get("/privacy/").get("Cache-Control", "")
