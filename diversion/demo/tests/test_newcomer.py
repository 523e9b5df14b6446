"""What a newcomer meets in the first hour of the demo (issue 18, section 6)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

from diversion.accounts.models import User
from diversion.demo.accounts import DEMO_DOMAIN, create_accounts
from diversion.demo.casework import create_casework
from diversion.demo.courses import create_course_sessions
from diversion.demo.evaluation import warm_evaluation_cache
from diversion.demo.management.commands.run import Command as RunCommand
from diversion.demo.management.commands.run import child_environment
from diversion.demo.referrals import create_referrals
from diversion.demo.rotas import create_rotas
from diversion.demo.schemes import create_schemes
from diversion.demo.workday import create_workday
from diversion.engagement.models import PoliceNotice
from diversion.evaluation.filters import DashboardForm
from diversion.evaluation.report import ALL_SECTIONS, Report, report_key
from diversion.referrals.models import Referral, StatusChange
from diversion.schemes.models import Scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(reference_data: Any) -> None:
    create_schemes()
    create_accounts()
    create_rotas(days=14)
    create_referrals(weeks=12)
    create_casework()
    create_course_sessions()
    create_workday()


def test_no_demo_history_is_dated_after_now(demo: None) -> None:
    now = timezone.now()
    future = StatusChange.objects.filter(changed_at__gt=now)
    assert not future.exists(), [
        (change.referral_id, change.to_status, change.changed_at) for change in future[:5]
    ]
    assert not Referral.objects.filter(status_changed_at__gt=now).exists()
    assert not PoliceNotice.objects.filter(created_at__gt=now).exists()
    assert not PoliceNotice.objects.filter(acknowledged_at__gt=now).exists()


def test_every_demo_history_runs_forwards_in_time(demo: None) -> None:
    last: dict[int, Any] = {}
    for referral_id, changed_at in StatusChange.objects.order_by("referral_id", "pk").values_list(
        "referral_id", "changed_at"
    ):
        assert changed_at >= last.get(referral_id, changed_at)
        last[referral_id] = changed_at


@override_settings(DEMO_MODE=True)
def test_make_run_prints_the_west_midlands_accounts_the_readme_walks_through(
    reference_data: Any,
) -> None:
    create_schemes()
    create_accounts()
    out = io.StringIO()
    RunCommand(stdout=out)._print_welcome("127.0.0.1", "8000")
    printed = out.getvalue()
    for local in ("officer", "supervisor", "worker", "facilitator", "manager", "analyst"):
        assert f" {local}@{DEMO_DOMAIN}" in printed
    assert "westmercia" not in printed and "thamesvalley" not in printed


def test_the_demo_links_follow_the_port_it_runs_on() -> None:
    env = child_environment(host="127.0.0.1", port="8123", environ={"PATH": "/bin"})
    assert env["SELF_SERVICE_BASE_URL"] == "http://127.0.0.1:8123"
    assert env["PATH"] == "/bin"
    assert env["GUNICORN_CMD_ARGS"] == "--config=python:diversion.demo.gunicorn_demo"
    everywhere = child_environment(host="0.0.0.0", port="9000", environ={})  # noqa: S104
    assert everywhere["SELF_SERVICE_BASE_URL"] == "http://127.0.0.1:9000"
    chosen = {"SELF_SERVICE_BASE_URL": "https://example.org"}
    assert (
        child_environment(host="127.0.0.1", port="9", environ=chosen)["SELF_SERVICE_BASE_URL"]
        == "https://example.org"
    )


def test_loading_the_demo_builds_the_dashboards_a_newcomer_opens_first(
    reference_data: Any,
) -> None:
    create_schemes()
    create_accounts()
    create_rotas(days=7)
    create_referrals(weeks=4)
    analyst = User.objects.get(email=f"analyst@{DEMO_DOMAIN}")
    form = DashboardForm.from_query(QueryDict(), user=analyst)
    assert form.is_valid(), form.errors
    filters = form.filters()
    key = report_key(
        scheme=filters.scheme,
        start=filters.start,
        end=filters.end,
        local_authority="",
        day=timezone.localdate(),
        sections=ALL_SECTIONS,
    )
    manager_key = key.replace(
        ",".join(sorted(ALL_SECTIONS)), ",".join(sorted(("operational", "refusals")))
    )
    assert cache.get(key) is None

    took = warm_evaluation_cache()

    assert isinstance(cache.get(key), Report)  # what the analyst's first load finds
    assert isinstance(cache.get(manager_key), Report)
    assert len(took) == 2 * (len(Scheme.objects.all()) + 1)
