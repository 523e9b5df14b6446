"""The demo (`make run`): West Midlands Police signs in at its own OpenID provider on loopback,
and the demo sign-in list says which accounts use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.demo.accounts import DEMO_DOMAIN, create_accounts
from diversion.demo.identity_provider import (
    DEMO_FORCE_DOMAIN,
    NodeProvider,
    demo_provider_start,
    free_port,
)
from diversion.demo.schemes import create_schemes
from diversion.reference.loader import load_reference_data
from diversion.reference.models import SelfDefinedEthnicity

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_provider(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[NodeProvider]:
    settings.DEMO_MODE = True
    if not SelfDefinedEthnicity.objects.exists():
        load_reference_data()
    create_schemes()
    create_accounts()
    url = urlsplit(live_server.url)
    provider = demo_provider_start(
        host=str(url.hostname),
        port=int(url.port or 80),
        provider_port=free_port(),
        directory=tmp_path,
    )
    yield provider
    provider.stop()


def test_the_demo_force_signs_in_at_its_provider_and_the_list_says_so(
    page: Page, live_server: Any, demo_provider: NodeProvider
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    officer_row = page.get_by_role("row").filter(has_text=f"officer@{DEMO_DOMAIN}").first
    expect(officer_row).to_contain_text("West Midlands Police account")
    worker_row = page.get_by_role("row").filter(has_text=f"worker@{DEMO_DOMAIN}").first
    expect(worker_row).to_contain_text("Password and security code")

    # A West Midlands officer Diversion has never seen: the account is made at first sign-in.
    email = f"new.officer@{DEMO_FORCE_DOMAIN}"
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.locator('input[name="password"]').fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you want to do?")
    user = User.objects.get(email=email)
    assert (user.role, user.organisation.name) == (Role.OFFICER, "West Midlands Police")
