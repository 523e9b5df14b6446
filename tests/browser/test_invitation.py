"""A scheme administrator invites an officer through the pages; the officer opens the emailed
link in Chromium, creates a password and sets up their security code, and the link is spent."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from diversion.accounts.models import User
from diversion.core.roles import Role

from .conftest import assert_accessible, code_from_the_key_on_the_page, sign_in_with_a_cookie

pytestmark = pytest.mark.browser


def test_an_invited_officer_sets_up_their_account_from_the_emailed_link(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    sign_in_with_a_cookie(page, live_server, make_user(Role.SCHEME_ADMIN, scheme))
    page.goto(live_server.url + "/users/invite/")
    page.get_by_label("Full name").fill("Ada Newcomer")
    page.get_by_label("Email address").fill("ada.newcomer@example.org")
    page.get_by_label("Organisation").select_option(str(scheme.force_id))
    page.get_by_label("Role").select_option(Role.OFFICER)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Newcomer")
    assert_accessible(page)

    found = re.search(r"(http://\S+/invitation/[\w-]+/)", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    page.context.clear_cookies()
    page.goto(found.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    assert_accessible(page)
    page.get_by_label("Create a password").fill("mauve tractor quietly sings")
    page.get_by_label("Type the password again").fill("mauve tractor quietly sings")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your security code")
    page.get_by_label("Code from your authenticator app").fill(code_from_the_key_on_the_page(page))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    assert User.objects.get(email="ada.newcomer@example.org").check_password(
        "mauve tractor quietly sings"
    )

    page.context.clear_cookies()
    page.goto(found.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This link has expired or has already been used"
    )
