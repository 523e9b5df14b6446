"""Signing in through the real pages: password, then a security code from an authenticator app
or a backup code; setting up the authenticator the first time; all without JavaScript too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from diversion.accounts.tests.factories import PASSWORD
from diversion.core.roles import Role

from .conftest import (
    code_from_the_key_on_the_page,
    current_code,
    error_summary_text,
    sign_in_through_the_pages,
)

pytestmark = pytest.mark.browser

HOME_HEADING = "What do you want to do?"


def _a_wrong_code(user: Any) -> str:
    """A 6-digit code the user's authenticator does not show now, nor just before or after."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    near = set()
    for drift in range(-2, 3):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, drift)
        near.add(f"{totp.token():06d}")
    return next(code for code in ("000000", "111111", "222222") if code not in near)


def _enter_password(page: Page, user: Any) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Continue").click()  # the email step
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def _sign_out_on_a_phone(page: Page) -> None:
    """On a phone the service navigation is folded behind its Menu button."""
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Diversion")
    expect(page.get_by_text("You have signed out")).to_be_visible()


def test_signing_in_with_the_password_and_the_current_security_code_lands_on_the_home_page(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.WORKER, scheme)
    sign_in_through_the_pages(page, live_server, user)

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    expect(page.get_by_text(f"{user.get_role_display()}, {user.organisation}")).to_be_visible()


def test_signing_in_returns_to_the_page_first_asked_for(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.OFFICER, scheme)
    page.goto(f"/schemes/{scheme.code}/")
    assert page.url == f"{live_server.url}/sign-in/?next=/schemes/{scheme.code}/"
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Continue").click()  # the email step
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scheme.name)


def test_a_wrong_password_shows_the_error_summary(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.OFFICER, scheme)
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Continue").click()  # the email step
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Continue").click()

    assert error_summary_text(page) == (
        "There is a problem Enter a correct email address and password"
    )
    expect(page.get_by_label("Email address")).to_have_value(user.email)
    expect(page.get_by_label("Password")).to_have_value("")


def test_a_wrong_security_code_shows_the_error_summary_and_does_not_sign_in(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.OFFICER, scheme)
    _enter_password(page, user)
    page.get_by_label("Security code").fill(_a_wrong_code(user))
    page.get_by_role("button", name="Sign in").click()

    assert error_summary_text(page) == (
        "There is a problem The security code is not correct or has expired"
    )
    expect(page.locator("#id_code-error")).to_have_text(
        "Error: The security code is not correct or has expired"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")


def test_a_first_time_user_sets_up_the_authenticator_and_a_backup_code_later_signs_them_in(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.OFFICER, scheme, authenticator=False)
    _enter_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your security code")

    page.get_by_label("Code from your authenticator app").fill(code_from_the_key_on_the_page(page))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.get_by_text("Your security code is set up.")).to_be_visible()
    codes = page.locator("ul.diversion-code li").all_inner_texts()
    assert len(codes) == 10, codes
    assert all(re.fullmatch(r"\d{8}", code) for code in codes), codes
    assert len(set(codes)) == 10, codes
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1

    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    _sign_out_on_a_phone(page)

    sign_in_through_the_pages(page, live_server, user, code=codes[3])
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    _sign_out_on_a_phone(page)

    # Each backup code works once.
    _enter_password(page, user)
    page.get_by_label("Security code").fill(codes[3])
    page.get_by_role("button", name="Sign in").click()
    assert error_summary_text(page) == (
        "There is a problem The security code is not correct or has expired"
    )


def test_signing_in_works_without_javascript(
    new_context: Callable[..., Any],
    live_server: Any,
    scheme: Any,
    make_user: Callable[..., Any],
) -> None:
    user = make_user(Role.OFFICER, scheme)
    page = new_context(java_script_enabled=False).new_page()

    sign_in_through_the_pages(page, live_server, user)

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    # Without JavaScript the menu is not folded away: every item, and signing out, is reachable.
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Schemes")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out")).to_be_visible()
