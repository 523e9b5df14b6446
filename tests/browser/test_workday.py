"""A worker's day in Chromium: recording a contact attempt and a missed call on a phone, then
rebooking it; and a manager's team view. axe-core checks every page on the way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from diversion.core.roles import Role
from diversion.reference.loader import load_reference_data
from diversion.referrals.lifecycle import ReferralStatus
from diversion.scheduling.models import Booking, BookingChange, ContactAttempt
from diversion.scheduling.tests.helpers import at, booked_call, free_slot

from .conftest import DESKTOP, assert_accessible, error_summary_text, sign_in_with_a_cookie

pytestmark = pytest.mark.browser


@dataclass
class World:
    worker: Any
    manager: Any
    call: Booking


@pytest.fixture
def world(scheme: Any, make_user: Callable[..., Any]) -> World:
    load_reference_data()
    worker = make_user(Role.WORKER, scheme, full_name="Jordan Ellis")
    officer = make_user(Role.OFFICER, scheme)
    today = timezone.localdate()
    starts = max(at(today, 0), timezone.now() - dt.timedelta(minutes=30))
    call = booked_call(
        officer, scheme, worker, starts, given_name="Amir", family_name="Hassan", safe_to_text=True
    )
    tomorrow = today + dt.timedelta(days=1)
    free_slot(scheme, worker, at(tomorrow, 10))
    free_slot(scheme, worker, at(tomorrow, 11))
    return World(worker=worker, manager=make_user(Role.PROVIDER_MANAGER, scheme), call=call)


def test_a_worker_records_an_attempt_and_a_missed_call_and_rebooks_it(
    page: Page, live_server: Any, world: World
) -> None:
    sign_in_with_a_cookie(page, live_server, world.worker)
    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your day")
    assert_accessible(page)

    page.get_by_role("link", name="Open call with Amir Hassan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call with Amir Hassan")
    expect(page.get_by_role("button", name="Voicemail left")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="No answer").click()
    expect(page.get_by_text("Recorded: no answer")).to_be_visible()
    expect(page.locator("main ol").first).to_contain_text("No answer")
    assert ContactAttempt.objects.get().outcome == "no_answer"

    page.get_by_role("link", name="Record the call as missed").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record as missed").click()
    expect(page.get_by_text("Call recorded as missed")).to_be_visible()
    page.get_by_role("link", name="Rebook the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rebook the assessment for Amir Hassan"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Rebook").click()
    assert error_summary_text(page) == "There is a problem Choose a time Enter the reason"
    assert_accessible(page)
    assert not BookingChange.objects.exists()

    page.locator(".govuk-radios__input").first.check()
    page.get_by_label("Reason").fill("Was at work; asked for a morning call")
    page.get_by_role("button", name="Rebook").click()
    expect(page.get_by_text("Assessment rebooked")).to_be_visible()
    expect(page.get_by_text("Reason: Was at work; asked for a morning call")).to_be_visible()
    assert_accessible(page)
    world.call.referral.refresh_from_db()
    assert world.call.referral.status == ReferralStatus.ASSESSMENT_BOOKED


def test_a_managers_team_view_shows_the_team_and_is_accessible(
    page: Page, live_server: Any, world: World
) -> None:
    sign_in_with_a_cookie(page, live_server, world.manager)
    page.goto(f"{live_server.url}/caseload/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team today")
    expect(page.get_by_role("heading", name="Jordan Ellis")).to_be_visible()
    expect(page.get_by_role("link", name="Reassign the call with Amir Hassan")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
    page.get_by_role("link", name="Rotas and time away").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rotas")
    assert_accessible(page)
    page.get_by_role("link", name="Change Jordan Ellis's rota").click()
    assert_accessible(page)
