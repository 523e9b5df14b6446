"""Signing in with a force's own account, through the real pages and a real OpenID provider
(npm `oidc-provider`, started on loopback by the test): the first sign-in creates the officer
with the role their group maps to, a changed group changes the role, a removed group refuses
sign-in, single logout signs out at the provider too, and the provider's key rotation needs no
restart of Diversion."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from diversion.accounts import sso
from diversion.accounts.models import IdentityProvider, User
from diversion.audit.models import AuditAction, AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.demo.identity_provider import CLIENT_ID, CLIENT_SECRET, NodeProvider

from .conftest import assert_accessible, error_summary_text, sign_in_with_a_cookie

pytestmark = pytest.mark.browser

OFFICERS = "WMP-Diversion-Officers"
SUPERVISORS = "WMP-Diversion-Supervisors"
OLIVE = "olive.officer@wmp.example"
HOME_HEADING = "What do you want to do?"


@pytest.fixture
def provider(live_server: Any, tmp_path: Path) -> Iterator[NodeProvider]:
    running = NodeProvider(directory=tmp_path, app_urls=[live_server.url])
    running.set_account(OLIVE, name="Olive Officer", groups=[OFFICERS])
    running.start()
    yield running
    running.stop()


@pytest.fixture
def force_provider(provider: NodeProvider, scheme: Any) -> IdentityProvider:
    saved = sso.identity_provider_save(
        actor=SYSTEM,
        organisation=scheme.force,
        display_name="West Midlands Police",
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains=["wmp.example"],
        scopes="openid email profile groups",
    )
    for group, role in ((OFFICERS, Role.OFFICER), (SUPERVISORS, Role.POLICE_SUPERVISOR)):
        sso.group_role_save(actor=SYSTEM, identity_provider=saved, group=group, role=role)
    return saved


def _sign_in_at_the_provider(page: Page, live_server: Any, email: str = OLIVE) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    # The provider's own page: the address is filled in from our login_hint.
    expect(page.locator('input[name="login"]')).to_have_value(email)
    page.locator('input[name="password"]').fill("the force's password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()


def _sign_out_on_a_phone(page: Page) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    # The provider asks whether to sign out there too (RP-initiated logout).
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Diversion")
    expect(page.get_by_text("You have signed out")).to_be_visible()


def test_first_sign_in_creates_the_officer_a_new_group_changes_the_role_sign_out_is_single(
    page: Page,
    live_server: Any,
    scheme: Any,
    force_provider: IdentityProvider,
    provider: NodeProvider,
) -> None:
    _sign_in_at_the_provider(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    olive = User.objects.get(email=OLIVE)
    assert (olive.role, olive.organisation_id) == (Role.OFFICER, scheme.force_id)
    expect(page.get_by_text(f"Police officer, {scheme.force}")).to_be_visible()
    assert_accessible(page)
    _sign_out_on_a_phone(page)

    # Promoted at the force: the next sign-in brings the new role.
    provider.set_account(OLIVE, name="Olive Officer", groups=[OFFICERS, SUPERVISORS])
    _sign_in_at_the_provider(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    olive.refresh_from_db()
    assert olive.role == Role.POLICE_SUPERVISOR
    expect(page.get_by_text(f"Police supervisor, {scheme.force}")).to_be_visible()
    change = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="accounts.User", object_id=str(olive.pk)
    )
    assert change.changes == {"role": [Role.OFFICER, Role.POLICE_SUPERVISOR]}
    assert User.objects.filter(email=OLIVE).count() == 1


def test_a_removed_group_refuses_sign_in_with_a_clear_page(
    page: Page, live_server: Any, force_provider: IdentityProvider, provider: NodeProvider
) -> None:
    _sign_in_at_the_provider(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    _sign_out_on_a_phone(page)

    provider.set_account(OLIVE, name="Olive Officer", groups=["WMP-Payroll"])
    _sign_in_at_the_provider(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.get_by_text("has not given you access to Diversion")).to_be_visible()
    assert_accessible(page)
    olive = User.objects.get(email=OLIVE)
    assert olive.is_active is False
    refusal = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).order_by("-pk").first()
    assert refusal is not None and "no group maps to a role" in refusal.reason
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Diversion")


def test_key_rotation_at_the_provider_needs_no_restart(
    page: Page,
    live_server: Any,
    force_provider: IdentityProvider,
    provider: NodeProvider,
    settings: Any,
) -> None:
    settings.OIDC_JWKS_REFETCH_SECONDS = 0  # the rate limit has its own test
    provider.rotate("key-2")  # the provider restarts with a new key; Diversion does not
    _sign_in_at_the_provider(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    force_provider.refresh_from_db()
    assert [key["kid"] for key in force_provider.jwks["keys"]] == ["key-2"]


def test_people_without_single_sign_on_still_get_the_password_step(
    page: Page, live_server: Any, force_provider: IdentityProvider
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill("worker@provider.example")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("worker@provider.example")


def test_the_single_sign_on_and_access_review_pages_are_accessible_on_a_phone(
    page: Page,
    live_server: Any,
    scheme: Any,
    make_user: Any,
    force_provider: IdentityProvider,
) -> None:
    admin = make_user(Role.SCHEME_ADMIN, scheme)
    make_user(Role.OFFICER, scheme)
    sign_in_with_a_cookie(page, live_server, admin)
    page.goto(f"{live_server.url}/identity-providers/")
    page.get_by_role("link", name=str(scheme.force)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on")
    expect(page.get_by_role("cell", name=OFFICERS, exact=True)).to_be_visible()
    assert_accessible(page)
    # A force group given a provider's role: the error summary, and nothing saved.
    page.get_by_label("Group", exact=True).fill("WMP-Workers")
    page.get_by_label("Role", exact=True).select_option(Role.WORKER)
    page.get_by_role("button", name="Add the group").click()
    assert "cannot belong to a police force" in error_summary_text(page)
    assert_accessible(page)
    page.goto(f"{live_server.url}/access-review/{scheme.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has access")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm this list").click()
    expect(page.get_by_text("You have confirmed the list")).to_be_visible()
