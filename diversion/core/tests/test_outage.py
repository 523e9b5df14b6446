"""The database goes away: 503 with Retry-After, the page or problem document made without it,
and ordinary database errors left as they are."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from diversion.accounts.tests.factories import UserFactory
from diversion.core.outage import (
    RETRY_AFTER_SECONDS,
    DatabaseOutageMiddleware,
    database_unreachable,
)
from diversion.core.roles import Role

# Each test takes the connection away as a stopped server would; outside a test transaction, so
# that Django's reconnecting cannot disturb one.
pytestmark = pytest.mark.django_db(transaction=True)

SELF_SERVICE = "/r/aaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbb/"


@contextlib.contextmanager
def database_down() -> Iterator[list[int]]:
    """Every attempt to connect fails, as against a stopped server (or a pool with no
    connection to give); yields the attempts made. The open connection is put back after."""
    wrapper = connections["default"]
    wrapper.ensure_connection()
    real, attempts = wrapper.connection, []

    def refuse(params: dict[str, Any]) -> Any:
        attempts.append(1)
        raise wrapper.Database.OperationalError("connection refused: is the server running?")

    wrapper.connection = None
    wrapper.get_new_connection = refuse  # type: ignore[method-assign]
    try:
        yield attempts
    finally:
        del wrapper.get_new_connection
        wrapper.connection = real
        wrapper.errors_occurred = False


def test_a_page_that_needs_the_database_answers_503_with_retry_after() -> None:
    client = Client()
    with database_down() as attempts:
        response = client.get(SELF_SERVICE)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "Try again in a few minutes" in body
    assert response["Content-Type"].startswith("text/html")
    assert len(attempts) == 1  # the view's; the error page did not try again


def test_a_signed_in_user_gets_the_page_without_their_session_being_read(scheme: Any) -> None:
    from diversion.accounts.tests.helpers import sign_in

    client = sign_in(
        Client(raise_request_exception=False),
        UserFactory(role=Role.WORKER, organisation=scheme.provider),
    )
    with database_down() as attempts:
        response = client.get(reverse("core:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Sign out" not in response.content.decode()  # no navigation: the user is not read
    assert len(attempts) == 1  # the session's load, once
    assert client.get(reverse("core:home")).status_code == 200  # back when the database is


def test_the_api_answers_a_problem_document_with_retry_after() -> None:
    with database_down():
        response = Client().get(
            "/api/v1/slots/", HTTP_AUTHORIZATION="Bearer dvk_0123456789abcdef.secret"
        )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    problem = json.loads(response.content)
    assert problem["status"] == 503
    assert problem["instance"] == "/api/v1/slots/"


def test_the_health_check_still_answers_for_itself() -> None:
    with database_down():
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
    assert "Retry-After" not in response


def test_a_failed_query_on_a_working_connection_is_not_an_outage() -> None:
    with pytest.raises(DatabaseError), connections["default"].cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert connections["default"].errors_occurred
    assert not database_unreachable()
    request = RequestFactory().get("/")
    middleware = DatabaseOutageMiddleware(lambda _: pytest.fail("not called"))  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(request, DatabaseError("no such table")) is None


def test_an_integrity_error_stays_an_integrity_error(scheme: Any) -> None:
    taken = UserFactory(role=Role.WORKER, organisation=scheme.provider)

    def view(request: Any) -> Any:
        with transaction.atomic():
            UserFactory(role=Role.WORKER, organisation=scheme.provider, email=taken.email)
        return None

    middleware = DatabaseOutageMiddleware(view)
    with pytest.raises(IntegrityError):
        middleware(RequestFactory().get("/"))
    assert not database_unreachable()


def test_a_request_after_the_outage_does_not_inherit_it() -> None:
    with database_down():
        assert Client().get(SELF_SERVICE).status_code == 503
        wrapper = connections["default"]
        assert wrapper.errors_occurred and wrapper.connection is None
        # Still no connection, but a request that never needs one is not an outage.
        response = Client().get("/healthz")
    assert response.status_code == 200
