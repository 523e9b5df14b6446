"""The scheme administrator's set-up pages in Chromium: a local authority and a scheme made by
filling in the forms, and the error summary for a duplicate code, accessible on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from diversion.core.roles import Role
from diversion.schemes.models import LocalAuthority, Scheme

from .conftest import assert_accessible, error_summary_text, sign_in_with_a_cookie

pytestmark = pytest.mark.browser


def test_an_administrator_adds_an_area_and_sets_up_a_scheme_and_a_duplicate_code_is_explained(
    page: Page, live_server: Any, scheme: Any, make_user: Callable[..., Any]
) -> None:
    sign_in_with_a_cookie(page, live_server, make_user(Role.SCHEME_ADMIN, scheme))
    page.goto(live_server.url + "/schemes/")
    page.get_by_role("link", name="Local authorities").click()
    page.get_by_role("link", name="Add a local authority").click()
    page.get_by_label("Name").fill("Solihull")
    page.get_by_label("ONS code").fill("E08000029")
    page.get_by_label("Police force").select_option(label=scheme.force.name)
    page.get_by_role("button", name="Add the local authority").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local authorities")
    assert LocalAuthority.objects.filter(ons_code="E08000029", force=scheme.force).exists()

    page.goto(live_server.url + "/schemes/new/")
    page.get_by_label("Scheme code").fill(scheme.code)
    page.get_by_label("Scheme name").fill("Solihull Diversion")
    page.get_by_label("Police force").select_option(label=scheme.force.name)
    page.get_by_label("Provider").select_option(label=scheme.provider.name)
    page.get_by_label("Commissioner").select_option(label=scheme.commissioner.name)
    page.get_by_label("Solihull (E08000029)", exact=False).check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Community resolution", exact=False).check()
    page.get_by_label("Class B", exact=False).check()
    page.get_by_role("button", name="Set up the scheme").click()
    assert error_summary_text(page) == (
        f"There is a problem A scheme with the code {scheme.code} already exists"
    )
    assert_accessible(page)
    assert Scheme.objects.count() == 1

    page.get_by_label("Scheme code").fill("SOL")
    page.get_by_role("button", name="Set up the scheme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solihull Diversion")
    made = Scheme.objects.get(code="SOL")
    assert [la.ons_code for la in made.local_authorities.all()] == ["E08000029"]
