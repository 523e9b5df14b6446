"""The worker's telephone assessment and allocation, typed into the real pages in Chromium:
every page of the assessment, check answers, complete, the advice plan and the allocation, with
axe-core checking each page (desktop first: the worker is at a desk; the case page at 375 px)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from diversion.casework.models import Allocation, Assessment
from diversion.core.roles import Role
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.reference.loader import load_reference_data
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Slot

from .conftest import DESKTOP, assert_accessible, error_summary_text, sign_in_with_a_cookie

pytestmark = pytest.mark.browser


@dataclass
class World:
    scheme: Any
    worker: Any
    referral: Referral


@pytest.fixture
def world(scheme: Any, make_user: Callable[..., Any]) -> World:
    load_reference_data()  # the live server's flush takes the code lists with it
    worker = make_user(Role.WORKER, scheme)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(
        scheme=scheme,
        worker=worker,
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, minutes=45),
    )
    referral = referral_submit(
        officer=make_user(Role.OFFICER, scheme),
        scheme=scheme,
        person=person_details(given_name="Jamie", family_name="O'Neill"),
        stop=stop_details(scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slot.pk,
        idempotency_key="browser-casework",
    ).referral
    return World(scheme=scheme, worker=worker, referral=referral)


def heading(page: Page) -> Any:
    return page.get_by_role("heading", level=1)


def save(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def test_a_worker_assesses_advises_and_allocates_through_accessible_pages(
    page: Page, live_server: Any, world: World
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in_with_a_cookie(page, live_server, world.worker)
    reference = world.referral.reference
    page.goto(f"{live_server.url}/cases/")
    page.get_by_label("Find a case by its reference").fill(reference)
    page.get_by_role("button", name="Find").click()
    expect(heading(page)).to_have_text("Jamie O'Neill")
    assert_accessible(page)

    page.get_by_role("link", name="Start the assessment").click()
    expect(heading(page)).to_have_text("Drugs used")
    save(page)
    assert error_summary_text(page) == (
        "There is a problem Select every drug the person uses, or None of these"
    )
    assert_accessible(page)
    page.get_by_label("Cannabis", exact=True).check()
    page.get_by_label("Cocaine powder").check()
    save(page)

    expect(heading(page)).to_have_text("Cannabis")
    assert_accessible(page)
    page.get_by_label("Every day or almost every day").check()
    page.get_by_label("Smoked").check()
    page.get_by_label("Age at first use").fill("15")
    save(page)

    expect(heading(page)).to_have_text("Cocaine powder")
    page.get_by_label("About once a month").check()
    page.get_by_label("Snorted").check()
    page.get_by_label("Age at first use").fill("19")
    page.get_by_label("Alcohol").check()
    save(page)

    expect(heading(page)).to_have_text("Alcohol (AUDIT-C)")
    assert_accessible(page)
    page.get_by_role(
        "group", name="How often do you have a drink containing alcohol?"
    ).get_by_label("2 to 3 times per week").check()
    page.get_by_role("group", name="How many units").get_by_label("5 to 6").check()
    page.get_by_role("group", name="How often have you had 6 or more units").get_by_label(
        "Monthly", exact=True
    ).check()
    save(page)

    expect(heading(page)).to_have_text("Alcohol (full AUDIT)")
    expect(page.locator("main")).to_contain_text("AUDIT-C scored 7 out of 12")
    assert_accessible(page)
    for group in page.get_by_role("group").all():
        group.get_by_role("radio").first.check()
    save(page)

    expect(heading(page)).to_have_text("Health, overdose and injecting")
    assert_accessible(page)
    page.get_by_role("group", name="Mental health").get_by_label("Concerns, not diagnosed").check()
    page.get_by_role("group", name="Physical health").get_by_label("No concerns").check()
    page.get_by_role("group", name="Has the person ever overdosed?").get_by_label("Never").check()
    page.get_by_role("group", name="Has the person ever injected?").get_by_label("Never").check()
    page.get_by_role("group", name="Has the person shared").get_by_label("No").check()
    save(page)

    expect(heading(page)).to_have_text("Safeguarding")
    assert_accessible(page)
    page.get_by_label("None of these").check()
    save(page)

    expect(heading(page)).to_have_text("Risk level")
    expect(page.locator("main")).to_contain_text("Proposed: Medium risk.")
    assert_accessible(page)
    page.get_by_label("High").check()
    save(page)
    assert error_summary_text(page) == (
        "There is a problem Say why the risk level differs from the one proposed"
    )
    page.get_by_label("Medium").check()
    save(page)

    expect(heading(page)).to_have_text("Check the assessment")
    expect(page.locator("main")).to_contain_text("7 out of 12: positive")
    assert_accessible(page)
    page.get_by_role("button", name="Complete assessment").click()

    expect(heading(page)).to_have_text("Advice plan")
    expect(page.get_by_label("Cocaine and alcohol")).to_be_checked()
    expect(page.get_by_label("Heroin, other opioids and naloxone")).not_to_be_checked()
    assert_accessible(page)
    page.get_by_label("A personal note for the person").fill("Good to talk today.")
    page.get_by_role("button", name="Save the plan").click()

    expect(heading(page)).to_have_text("Jamie O'Neill")
    page.get_by_role("link", name="Allocate").click()
    expect(heading(page)).to_have_text("Allocation")
    expect(page.locator("main")).to_contain_text("Proposed: Adult course")
    assert_accessible(page)
    page.get_by_label("Young people's course").check()
    page.get_by_role("button", name="Save the allocation").click()
    assert error_summary_text(page) == (
        "There is a problem Say why you are not following the proposal"
    )
    assert_accessible(page)
    page.get_by_label("Adult course").check()
    page.get_by_role("button", name="Save the allocation").click()

    expect(heading(page)).to_have_text("Jamie O'Neill")
    expect(page.locator("main")).to_contain_text("Assessed")
    page.set_viewport_size({"width": 375, "height": 812})
    assert_accessible(page)

    referral = Referral.objects.get(pk=world.referral.pk)
    assert referral.status == ReferralStatus.ASSESSED
    assert Assessment.objects.get(referral=referral).risk_level == "medium"
    assert Allocation.objects.get(referral=referral).course_type.code == "adult"
