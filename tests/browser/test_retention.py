"""The retention pages in Chromium: each passes axe-core's WCAG 2.2 AA rules and fits a phone,
and the schedule form shows its errors in the summary, then saves without JavaScript's help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from diversion.core.roles import Role
from diversion.retention.models import RetentionSchedule

from .conftest import (
    DESKTOP,
    assert_accessible,
    error_summary_text,
    horizontal_overflow,
    sign_in_with_a_cookie,
)

pytestmark = pytest.mark.browser

PAGES = {
    "retention": ("/retention/", "Retention"),
    "schedule": ("/retention/{code}/", "Retention schedule"),
    "change a kind": ("/retention/{code}/messages/", "Messages and delivery logs"),
    "dry run": ("/retention/dry-run/", "Dry run"),
    "run log": ("/retention/runs/", "Run log"),
    "record of processing": ("/retention/{code}/records/", "Record of processing"),
}


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_retention_pages_are_accessible(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any], size: str
) -> None:
    if size == "desktop":
        page.set_viewport_size(ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"]))
    sign_in_with_a_cookie(page, live_server, make_user(Role.SCHEME_ADMIN, scheme))
    page.goto(f"{live_server.url}/retention/dry-run/")
    page.get_by_role("button", name="Run a dry run now").click()
    for name, (path, heading) in PAGES.items():
        response = page.goto(live_server.url + path.format(code=scheme.code))
        assert response is not None and response.status == 200, name
        assert page.get_by_role("heading", level=1).inner_text() == heading, name
        assert_accessible(page)
        assert horizontal_overflow(page) == 0, name


def test_the_schedule_form_shows_its_errors_and_then_saves(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    sign_in_with_a_cookie(page, live_server, make_user(Role.SCHEME_ADMIN, scheme))
    page.goto(f"{live_server.url}/retention/{scheme.code}/messages/")
    page.get_by_label("Days to keep").fill("a year")
    page.get_by_role("button", name="Save retention").click()
    assert error_summary_text(page) == (
        "There is a problem Days to keep must be a whole number, like 365 "
        "Enter the reason for the change"
    )
    assert_accessible(page)
    page.get_by_label("Days to keep").fill("400")
    page.get_by_label("Anonymise").check()
    page.get_by_label("Reason for the change").fill("The provider counts deliveries")
    page.get_by_role("button", name="Save retention").click()
    assert page.url.endswith(f"/retention/{scheme.code}/")
    row = RetentionSchedule.objects.get(scheme=scheme, kind="messages")
    assert (row.period_days, row.action) == (400, "anonymise")
