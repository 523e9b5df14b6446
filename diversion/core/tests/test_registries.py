"""Core's registries, filled by each app's AppConfig.ready(): navigation, home page tasks and
sections, background jobs and startup checks."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from diversion.core import startup
from diversion.core.home import home_tasks
from diversion.core.navigation import navigation_for
from diversion.core.roles import Role
from diversion.core.worker import ensure_schedules, schedule_register, schedules

NAVIGATION = {
    Role.OFFICER: ["Home", "Refer", "Your referrals", "Schemes", "Your account"],
    Role.POLICE_SUPERVISOR: ["Home", "Outcomes", "Schemes", "Your account"],
    Role.FACILITATOR: ["Home", "Your sessions", "Schemes", "Your account"],
    Role.WORKER: ["Home", "Waiting for a course", "Your day", "Cases", "Schemes", "Your account"],
    Role.PROVIDER_MANAGER: [
        *["Home", "Courses", "Capacity", "Team today", "Cases", "Figures", "Schemes"],
        *["Information rights", "Your account"],
    ],
    Role.ANALYST: ["Home", "Figures", "Data imports", "Schemes", "Your account"],
    Role.EVALUATOR: ["Home", "Extract", "Schemes", "Your account"],
    Role.SCHEME_ADMIN: [
        *["Home", "Figures", "Data imports", "Schemes", "Users", "Information rights"],
        "Audit log",
        *["Retention", "API clients", "Webhooks"],
        "Your account",
    ],
}

POLICY = "Read your scheme's policy"
TASKS = {
    Role.OFFICER: ["Refer a person to diversion", "Your referrals", POLICY],
    Role.POLICE_SUPERVISOR: ["Outcomes and intelligence logs", POLICY],
    Role.FACILITATOR: ["Your sessions", POLICY],
    Role.WORKER: ["Your day", "Cases", "Safeguarding concerns", POLICY],
    Role.PROVIDER_MANAGER: [
        *["Your team today", "Rotas and time away", "Cases", "Safeguarding concerns"],
        *["Capacity planning", "Course sessions", "Waiting for a course", "Course types"],
        *["Information rights", "Review who has access", POLICY],
    ],
    Role.ANALYST: ["Scheme figures", "Compare two groups", "Import police and ONS data", POLICY],
    Role.EVALUATOR: ["Request a pseudonymised extract", POLICY],
    Role.SCHEME_ADMIN: [
        *["Set up a scheme", "Check your schemes' policy", "Organisations and local authorities"],
        *["Manage users", "Single sign-on"],
        *["Review who has access", "API clients", "Review the audit log"],
        *["Check how long records are kept", "Import police and ONS data", "Information rights"],
    ],
}


@pytest.mark.parametrize("role", sorted(Role.values))
def test_each_role_sees_its_navigation_in_order(role: str) -> None:
    request = RequestFactory().get("/schemes/")
    request.user = SimpleNamespace(role=role)  # type: ignore[assignment]
    items = navigation_for(request)
    assert [item["label"] for item in items] == NAVIGATION[role]
    assert [item["label"] for item in items if item["active"]] == ["Schemes"]


@pytest.mark.parametrize("role", sorted(Role.values))
def test_each_role_has_its_home_tasks_in_order(role: str) -> None:
    tasks = home_tasks(user=SimpleNamespace(role=role))
    assert [task["title"] for task in tasks] == TASKS[role]


@pytest.mark.django_db
def test_the_home_page_lists_the_users_schemes(scheme: Any, client_for: Any) -> None:
    html = client_for(Role.OFFICER, scheme).get("/").content.decode()
    assert "Refer a person to diversion" in html
    assert "Your schemes" in html and scheme.name in html


def _not_at_module_level() -> None:
    def inner() -> None:
        return None

    schedule_register(name="Nested", func=inner, minutes=5)


def test_a_job_must_be_a_function_django_q_can_import_by_name() -> None:
    with pytest.raises(ValueError, match="not a module-level function"):
        schedule_register(name="Lambda", func=lambda: None, minutes=5)
    with pytest.raises(ValueError, match="not a module-level function"):
        _not_at_module_level()
    assert {"Lambda", "Nested"}.isdisjoint(job.name for job in schedules())


@pytest.mark.django_db
def test_each_registered_job_is_scheduled_by_its_dotted_path() -> None:
    from django_q.models import Schedule

    ensure_schedules()
    stored = dict(Schedule.objects.values_list("name", "func"))
    assert stored["Worker heartbeat"] == "diversion.core.worker.heartbeat"
    assert stored["Scheme deadlines"] == "diversion.engagement.deadlines.deadlines_apply"
    assert set(stored) == {job.name for job in schedules()}


def test_startup_checks_run_in_production_only(monkeypatch: Any, settings: Any) -> None:
    def refuse() -> None:
        raise ImproperlyConfigured("not safe")

    monkeypatch.setattr(startup, "_CHECKS", [])
    startup.startup_check_register(refuse)
    startup.startup_check_register(refuse)
    assert len(startup._CHECKS) == 1
    settings.PRODUCTION = False
    startup.assert_safe_to_start()
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="not safe"):
        startup.assert_safe_to_start()
