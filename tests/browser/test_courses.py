"""A facilitator completes a register of 15 in Chromium, quickly; a manager reads the capacity
plan; every courses page passes axe-core and fits a phone."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.courses.enrolment import enrolment_book
from diversion.courses.models import Session
from diversion.courses.tests.builders import (
    assessed_referrals,
    course_type_for,
    in_days,
    session_on,
)
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral

from .conftest import DESKTOP, assert_accessible, error_summary_text, sign_in_with_a_cookie

pytestmark = pytest.mark.browser

PEOPLE = 15


@dataclass
class Course:
    scheme: Any
    course: Any
    session: Any
    people: list[Any]
    facilitator: Any
    manager: Any


@pytest.fixture
def course(scheme: Any, officer: Any, make_user: Any) -> Course:
    """A session that started ten minutes ago with 15 people booked, and one more person waiting
    for a full course."""
    facilitator = make_user(Role.FACILITATOR, scheme)
    manager = make_user(Role.PROVIDER_MANAGER, scheme)
    course_type = course_type_for(scheme)
    session = session_on(
        scheme,
        course_type,
        timezone.now() + dt.timedelta(minutes=30),
        capacity=PEOPLE,
        facilitators=(facilitator,),
    )
    people = assessed_referrals(scheme, officer, PEOPLE + 1)
    for referral in people:
        enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course_type.pk)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=10)
    )
    return Course(scheme, course_type, session, people, facilitator, manager)


def test_a_facilitator_completes_a_register_of_fifteen_well_within_a_minute(
    page: Page, live_server: Any, course: Course
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in_with_a_cookie(page, live_server, course.facilitator)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Your sessions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    assert_accessible(page)
    page.get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register")
    assert not page.locator("input[type=radio]:checked").count()
    assert_accessible(page)

    # Saving with nobody marked names every one of them, and saves nothing.
    page.get_by_role("button", name="Save register").click()
    summary = error_summary_text(page)
    for referral in course.people[:PEOPLE]:
        assert f"Mark whether {referral.person.full_name} attended" in summary
    assert_accessible(page)

    started = time.monotonic()
    names = [r.person.full_name for r in course.people[:PEOPLE]]
    for index, name in enumerate(names):
        mark = "Did not attend" if index == 4 else "Late" if index == 7 else "Attended"
        page.get_by_role("group", name=name).get_by_label(mark, exact=True).check()
    page.get_by_role("button", name="Save register").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Register saved: 14 completed the course, 1 to be offered another place"
    )
    elapsed = time.monotonic() - started
    print(f"\nRegister of {PEOPLE}: {elapsed:.1f} s of clicks")
    assert elapsed < 30, f"the register took {elapsed:.1f} s"

    completed = Referral.objects.filter(
        pk__in=[r.pk for r in course.people[:PEOPLE]], status=ReferralStatus.COMPLETED
    )
    assert completed.count() == 14
    assert_accessible(page)


def test_the_capacity_page_warns_a_manager_and_is_accessible_on_a_phone(
    page: Page, live_server: Any, course: Course
) -> None:
    sign_in_with_a_cookie(page, live_server, course.manager)
    page.goto(live_server.url + "/courses/capacity/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity planning")
    expect(page.locator(".govuk-warning-text").first).to_contain_text(course.course.name)
    page.get_by_text("How the wait is projected").click()
    expect(page.get_by_text("Places are given in turn")).to_be_visible()
    assert_accessible(page)


def test_every_courses_page_is_accessible_on_a_phone(
    page: Page, live_server: Any, course: Course
) -> None:
    session_on(course.scheme, course.course, in_days(5))
    waiting = course.people[PEOPLE]
    pages = [
        (course.manager, "/courses/types/", "Course types"),
        (course.manager, "/courses/types/new/", "Add a course type"),
        (course.manager, f"/courses/types/{course.course.pk}/", f"Change {course.course.name}"),
        (course.manager, "/courses/sessions/", "Course sessions"),
        (course.manager, "/courses/sessions/new/", "Schedule sessions"),
        (course.manager, "/courses/settings/", "Course settings"),
        (course.manager, "/courses/waiting/", "Waiting for a course"),
        (
            course.manager,
            f"/courses/waiting/{waiting.pk}/book/",
            f"Book a course place for {waiting.person.full_name}",
        ),
        (course.facilitator, f"/courses/sessions/{course.session.pk}/", None),
    ]
    signed_in = None
    for user, path, heading in pages:
        if user is not signed_in:
            page.context.clear_cookies()
            sign_in_with_a_cookie(page, live_server, user)
            signed_in = user
        page.goto(live_server.url + path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)


def test_the_session_form_shows_its_errors_accessibly(
    page: Page, live_server: Any, course: Course
) -> None:
    sign_in_with_a_cookie(page, live_server, course.manager)
    page.goto(live_server.url + "/courses/sessions/new/")
    page.get_by_label("Number of weeks").fill("")
    page.get_by_role("button", name="Schedule").click()
    assert error_summary_text(page) == (
        "There is a problem Choose the course type Enter the date Enter the start time "
        "Enter the end time Choose at least one facilitator Enter the number of weeks"
    )
    assert_accessible(page)
    assert Session.objects.count() == 1
