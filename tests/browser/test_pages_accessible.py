"""Every page passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules and fits a 375 px phone without
sideways scrolling; the same pages are checked once more on a 1280 px desktop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from diversion.accounts.tests.factories import PASSWORD
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.schemes import services as scheme_services

from .conftest import (
    DESKTOP,
    accessibility_violations,
    assert_accessible,
    code_from_the_key_on_the_page,
    error_summary_text,
    horizontal_overflow,
    sign_in_with_a_cookie,
)

pytestmark = pytest.mark.browser


@dataclass
class World:
    """One scheme with a funding period (so its tables and the audit log have rows), its
    administrator and one of its police officers."""

    scheme: Any
    admin: Any
    officer: Any
    supervisor: Any
    worker: Any = None
    manager: Any = None


@pytest.fixture
def world(scheme: Any, make_user: Callable[..., Any]) -> World:
    admin = make_user(Role.SCHEME_ADMIN, scheme)
    officer = make_user(Role.OFFICER, scheme)
    scheme_services.funding_period_add(
        actor=Actor.of(admin),
        scheme=scheme,
        funder="Police and Crime Commissioner",
        source="opcc_core",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
        amount_pounds=Decimal("250000"),
    )
    supervisor = make_user(Role.POLICE_SUPERVISOR, scheme)
    return World(
        scheme=scheme,
        admin=admin,
        officer=officer,
        supervisor=supervisor,
        worker=make_user(Role.WORKER, scheme),
        manager=make_user(Role.PROVIDER_MANAGER, scheme),
    )


@dataclass(frozen=True)
class Shown:
    """A page, who looks at it (None: nobody signed in), and the status it answers with."""

    who: str | None
    path: Callable[[World], str]
    heading: str
    status: int = 200


PAGES: dict[str, Shown] = {
    "the schemes list for an officer": Shown("officer", lambda w: "/schemes/", "Your schemes"),
    "a scheme for an officer": Shown("officer", lambda w: f"/schemes/{w.scheme.code}/", "Scheme"),
    "a scheme for its administrator": Shown(
        "admin", lambda w: f"/schemes/{w.scheme.code}/", "Scheme"
    ),
    "the policy form": Shown(
        "admin", lambda w: f"/schemes/{w.scheme.code}/policy/", "Change policy"
    ),
    "the data-sharing form": Shown(
        "admin", lambda w: f"/schemes/{w.scheme.code}/sharing/", "Change data sharing"
    ),
    "the funding period form": Shown(
        "admin", lambda w: f"/schemes/{w.scheme.code}/funding/new/", "Add a funding period"
    ),
    "the users list": Shown("admin", lambda w: "/users/", "Users in your schemes"),
    "a user's details": Shown("admin", lambda w: f"/users/{w.officer.pk}/", "officer"),
    "the audit log": Shown("admin", lambda w: "/audit/", "Audit log"),
    "your account": Shown("officer", lambda w: "/account/", "Your account"),
    "the privacy notice": Shown(None, lambda w: "/privacy/", "Privacy notice"),
    "an officer's referrals": Shown("officer", lambda w: "/referrals/", "Your referrals"),
    "outcomes for a supervisor": Shown(
        "supervisor", lambda w: "/police/notices/", "Outcomes and intelligence logs"
    ),
    "the webhooks page": Shown("admin", lambda w: "/webhooks/", "Webhooks"),
    "the webhook subscription form": Shown(
        "admin", lambda w: "/webhooks/new/", "Add a webhook subscription"
    ),
    "the invite a user form": Shown("admin", lambda w: "/users/invite/", "Invite a user"),
    "the API clients page": Shown("admin", lambda w: "/api-clients/", "API clients"),
    "the add an API client form": Shown(
        "admin", lambda w: "/api-clients/new/", "Add an API client"
    ),
    "the set up a scheme form": Shown("admin", lambda w: "/schemes/new/", "Set up a scheme"),
    "the scheme details form": Shown(
        "admin", lambda w: f"/schemes/{w.scheme.code}/edit/", "Change the scheme's details"
    ),
    "the organisations page": Shown("admin", lambda w: "/organisations/", "Organisations"),
    "the set up an organisation form": Shown(
        "admin", lambda w: "/organisations/new/", "Set up an organisation"
    ),
    "the local authorities page": Shown(
        "admin", lambda w: "/local-authorities/", "Local authorities"
    ),
    "the add a local authority form": Shown(
        "admin", lambda w: "/local-authorities/new/", "Add a local authority"
    ),
    "a used invitation link": Shown(
        None, lambda w: "/invitation/used/", "This link has expired or has already been used", 410
    ),
    "the API documentation": Shown(None, lambda w: "/api/v1/docs/", "API for police systems"),
    "the accessibility statement": Shown(
        None, lambda w: "/accessibility/", "Accessibility statement for Diversion"
    ),
    "a worker's day": Shown("worker", lambda w: "/caseload/", "Your day"),
    "a manager's team today": Shown("manager", lambda w: "/caseload/team/", "Your team today"),
    "the rotas": Shown("manager", lambda w: "/caseload/rotas/", "Rotas"),
    "the worker's cases": Shown("worker", lambda w: "/cases/", "Cases"),
    "safeguarding concerns": Shown(
        "manager", lambda w: "/casework/safeguarding/", "Safeguarding concerns"
    ),
    "the advice library": Shown(
        "manager", lambda w: f"/casework/{w.scheme.code}/advice/", "Advice library"
    ),
    "the add advice form": Shown(
        "manager", lambda w: f"/casework/{w.scheme.code}/advice/new/", "Add advice"
    ),
    "the directory of services": Shown(
        "manager", lambda w: f"/casework/{w.scheme.code}/services/", "Directory of services"
    ),
    "the add a service form": Shown(
        "manager", lambda w: f"/casework/{w.scheme.code}/services/new/", "Add a service"
    ),
    "the casework settings": Shown(
        "manager", lambda w: f"/casework/{w.scheme.code}/settings/", "Casework settings"
    ),
    "the scheme figures for a scheme administrator": Shown(
        "admin", lambda w: "/evaluation/", "Scheme figures"
    ),
    "information rights requests": Shown(
        "admin", lambda w: "/information-rights/", "Information rights"
    ),
    "find a person for a request": Shown(
        "manager", lambda w: "/information-rights/find/", "Find the person"
    ),
    "legal holds": Shown("admin", lambda w: "/information-rights/holds/", "Legal holds"),
    "place a legal hold": Shown(
        "manager", lambda w: "/information-rights/holds/new/", "Place a legal hold"
    ),
    "change your password": Shown(
        "officer", lambda w: "/account/password/", "Change your password"
    ),
    "the page not found page": Shown(
        "officer", lambda w: "/no-such-page/", "Page not found", status=404
    ),
    "the no access page for an officer opening the audit log": Shown(
        "officer", lambda w: "/audit/", "You do not have access to this page", status=403
    ),
}


def _heading_matches(page: Page, shown: Shown, world: World) -> None:
    heading = page.get_by_role("heading", level=1)
    if shown.heading == "Scheme":
        expect(heading).to_have_text(world.scheme.name)
    elif shown.heading == "officer":
        expect(heading).to_have_text(world.officer.full_name)
    else:
        expect(heading).to_have_text(shown.heading)


def _open(page: Page, live_server: Any, world: World, shown: Shown) -> None:
    response = page.goto(live_server.url + shown.path(world))
    assert response is not None
    assert response.status == shown.status, f"{page.url} answered {response.status}"
    _heading_matches(page, shown, world)


# First, so the longest test starts early on one worker while the others share out the rest.
def test_the_same_pages_are_accessible_on_a_desktop(
    page: Page, live_server: Any, world: World
) -> None:
    page.set_viewport_size(DESKTOP)
    problems: list[str] = []
    signed_in_as: str | None = "nobody"
    for name, shown in [
        *PAGES.items(),
        ("the home page", Shown("admin", lambda w: "/", "What do you want to do?")),
    ]:
        if shown.who != signed_in_as:
            page.context.clear_cookies()
            if shown.who is not None:
                sign_in_with_a_cookie(page, live_server, getattr(world, shown.who))
            signed_in_as = shown.who
        _open(page, live_server, world, shown)
        problems += [f"{name}: {line}" for line in accessibility_violations(page)]
        if overflow := horizontal_overflow(page):
            problems.append(f"{name}: scrolls sideways by {overflow} px at 1280 px")
    page.context.clear_cookies()
    page.goto(live_server.url + "/sign-in/")
    problems += [f"sign in: {line}" for line in accessibility_violations(page)]
    assert not problems, "Problems on a desktop:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_accessible_on_a_phone(
    page: Page, live_server: Any, world: World, name: str
) -> None:
    shown = PAGES[name]
    if shown.who is not None:
        sign_in_with_a_cookie(page, live_server, getattr(world, shown.who))
    _open(page, live_server, world, shown)
    assert_accessible(page)


@pytest.mark.parametrize("role", Role.values)
def test_the_home_page_is_accessible_on_a_phone_for_every_role(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any], role: str
) -> None:
    user = make_user(role, scheme)
    sign_in_with_a_cookie(page, live_server, user)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you want to do?")
    expect(page.get_by_role("link", name=scheme.name)).to_be_visible()
    assert_accessible(page)


# --- Signing in ------------------------------------------------------------------------------


def test_the_sign_in_page_is_accessible_on_a_phone(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + "/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Diversion")
    assert_accessible(page)


def test_the_sign_in_page_with_errors_is_accessible_on_a_phone(
    page: Page, live_server: Any
) -> None:
    page.goto(live_server.url + "/sign-in/")
    page.get_by_role("button", name="Continue").click()
    assert error_summary_text(page) == "There is a problem Enter your email address"
    assert_accessible(page)


def test_the_security_code_page_is_accessible_on_a_phone(
    page: Page, live_server: Any, world: World
) -> None:
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Email address").fill(world.officer.email)
    page.get_by_role("button", name="Continue").click()  # the email step
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_text("I do not have my phone").click()
    expect(page.get_by_text("8-digit backup codes you were given")).to_be_visible()
    assert_accessible(page)


def _start_setting_up(page: Page, live_server: Any, user: Any) -> None:
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Continue").click()  # the email step
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your security code")


def test_the_set_up_security_code_page_is_accessible_on_a_phone(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.OFFICER, scheme, authenticator=False)
    _start_setting_up(page, live_server, user)
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill("12")
    page.get_by_role("button", name="Confirm").click()
    assert error_summary_text(page) == (
        "There is a problem Enter the 6-digit code from your authenticator app"
    )
    assert_accessible(page)


def test_the_backup_codes_page_shown_after_set_up_is_accessible_on_a_phone(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.OFFICER, scheme, authenticator=False)
    _start_setting_up(page, live_server, user)
    page.get_by_label("Code from your authenticator app").fill(code_from_the_key_on_the_page(page))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    assert_accessible(page)


# --- Forms with errors -------------------------------------------------------------------------


def test_the_policy_form_shows_and_focuses_its_errors_accessibly_on_a_phone(
    page: Page, live_server: Any, world: World
) -> None:
    sign_in_with_a_cookie(page, live_server, world.admin)
    page.goto(f"{live_server.url}/schemes/{world.scheme.code}/policy/")
    page.get_by_label("Days to assessment").fill("30")
    page.get_by_label("Days to course").fill("20")
    page.get_by_label("Reason for the change").fill("Checking the deadlines")
    page.get_by_role("button", name="Save policy").click()

    assert error_summary_text(page) == (
        "There is a problem The course deadline must be later than the assessment deadline"
    )
    expect(page.locator("#id_days_to_course-error")).to_have_text(
        "Error: The course deadline must be later than the assessment deadline"
    )
    expect(page.get_by_label("Days to course")).to_have_value("20")
    assert_accessible(page)

    page.locator(".govuk-error-summary").get_by_role("link").click()
    expect(page.get_by_label("Days to course")).to_be_focused()


def test_the_funding_period_form_shows_and_focuses_its_errors_accessibly_on_a_phone(
    page: Page, live_server: Any, world: World
) -> None:
    sign_in_with_a_cookie(page, live_server, world.admin)
    page.goto(f"{live_server.url}/schemes/{world.scheme.code}/funding/new/")
    page.get_by_role("button", name="Add funding period").click()
    assert error_summary_text(page) == (
        "There is a problem Enter the funder Choose the source of funding Enter the start date "
        "Enter the end date Enter the amount"
    )
    assert_accessible(page)

    page.get_by_label("Funder").fill("Home Office")
    page.get_by_label("Source of funding").select_option(label="Home Office grant")
    page.get_by_label("Start date").fill("1/4/2026")
    page.get_by_label("End date").fill("31/3/2026")
    page.get_by_label("Amount in pounds").fill("lots")
    page.get_by_role("button", name="Add funding period").click()
    assert error_summary_text(page) == (
        "There is a problem The end date must be after the start date "
        "Amount must be a number, like 250000"
    )
    assert_accessible(page)
