"""Fixtures shared by every part's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from diversion.accounts.tests.factories import UserFactory
from diversion.accounts.tests.helpers import sign_in
from diversion.core.roles import Role
from diversion.reference.loader import load_reference_data
from diversion.reference.models import SelfDefinedEthnicity
from diversion.scheduling.models import Slot
from diversion.schemes.models import Scheme
from diversion.schemes.tests.factories import EvaluatorFactory, SchemeFactory

ORGANISATION_OF_ROLE = {
    Role.OFFICER: "force",
    Role.POLICE_SUPERVISOR: "force",
    Role.WORKER: "provider",
    Role.FACILITATOR: "provider",
    Role.PROVIDER_MANAGER: "provider",
    Role.ANALYST: "commissioner",
    Role.EVALUATOR: "evaluator",
    Role.SCHEME_ADMIN: "commissioner",
}


@pytest.fixture
def reference_data(db: Any) -> None:
    """The code lists come from a data migration; a transactional test elsewhere on the same
    worker flushes them, so put them back when they are missing."""
    if not SelfDefinedEthnicity.objects.exists():
        load_reference_data()


@pytest.fixture
def scheme(reference_data: None) -> Scheme:
    return SchemeFactory()


@pytest.fixture
def other_scheme(db: Any) -> Scheme:
    return SchemeFactory()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """A user of the given role in the right organisation of the scheme."""

    def make(role: str, scheme: Scheme, **fields: Any) -> Any:
        kind = ORGANISATION_OF_ROLE[role]
        if kind == "evaluator":
            organisation = scheme.evaluators.first()
            if organisation is None:
                organisation = EvaluatorFactory()
                scheme.evaluators.add(organisation)
        else:
            organisation = getattr(scheme, kind)
        return UserFactory(role=role, organisation=organisation, **fields)

    return make


@pytest.fixture
def client_for(make_user: Callable[..., Any]) -> Callable[..., Client]:
    def make(role: str, scheme: Scheme, **fields: Any) -> Client:
        return sign_in(Client(), make_user(role, scheme, **fields))

    return make


@pytest.fixture
def slots(scheme: Any, make_user: Any) -> list[Slot]:
    """Ten assessment slots from tomorrow morning, with one worker."""
    worker = make_user(Role.WORKER, scheme)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=1
    )
    return [
        Slot.objects.create(
            scheme=scheme,
            worker=worker,
            starts_at=start + dt.timedelta(minutes=45 * i),
            ends_at=start + dt.timedelta(minutes=45 * (i + 1)),
        )
        for i in range(10)
    ]


@pytest.fixture
def officer(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.OFFICER, scheme)


# Property tests share two cores with the rest of the suite: judge them by examples, not speed.
hypothesis_settings.register_profile(
    "diversion", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("diversion")


@pytest.fixture(autouse=True)
def _messages_never_reach_var_outbox(settings: Any, tmp_path: Any) -> None:
    """The file back ends write under the test's own folder, never into the working tree."""
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"


def _serialise_live_server_on_sqlite() -> None:
    """On SQLite the live server's request threads share the test's one in-memory connection, so
    two requests at once (a service worker caching pages while the page loads, two tabs) nest
    their transactions on the same connection and can leave it inside one for every later test.
    Each request therefore runs alone there; on PostgreSQL every thread has its own connection
    and the live server stays concurrent (the concurrency tests run there)."""
    import threading

    from django.conf import settings
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test import testcases

    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return

    class OneRequestAtATime(ThreadedWSGIServer):
        _one = threading.Lock()

        def set_app(self, application: Any) -> None:
            def serialised(environ: Any, start_response: Any) -> Any:
                with self._one:
                    response = application(environ, start_response)
                    try:
                        return [b"".join(response)]
                    finally:
                        close = getattr(response, "close", None)
                        if close is not None:
                            close()

            super().set_app(serialised)

    testcases.LiveServerThread.server_class = OneRequestAtATime


_serialise_live_server_on_sqlite()
