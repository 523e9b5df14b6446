"""Fixtures and helpers for the real-browser tests.

Playwright (through pytest-playwright's fixtures) drives Debian's Chromium at /usr/bin/chromium,
headless, against pytest-django's `live_server` (so every test gets a transactional database).
Never run `playwright install`: the browser comes from the operating system.

Every page is a phone (375 x 812) unless a test resizes it.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from diversion.accounts.tests.factories import PASSWORD

# Playwright's sync API runs an asyncio event loop in this process for the whole session, so
# Django's guard against synchronous database calls inside an event loop would stop the tests'
# own ORM calls (creating users, reading devices). The tests are synchronous; the guard does not
# apply. Set at import time: the loop outlives any one test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


# --- The browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: Any) -> dict[str, Any]:
    """pytest-playwright launches Chromium with these: Debian's binary, never a downloaded one."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Install it with `apt-get install chromium` (do not run `playwright install`).",
            pytrace=False,
        )
    return {
        "executable_path": str(CHROMIUM),
        "headless": not pytestconfig.getoption("--headed"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(live_server: Any) -> dict[str, Any]:
    """Every context is a phone in the UK, talking to the live server."""
    return {
        "base_url": live_server.url,
        "viewport": PHONE,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


@pytest.fixture
def page(page: Page) -> Page:
    """pytest-playwright's page (375 px wide), failing the test on any uncaught script error or
    Content Security Policy violation the browser reports."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.set_default_timeout(10_000)
    yield page
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


# --- Signing in --------------------------------------------------------------------------------


def current_code(user: Any) -> str:
    """The 6-digit code the user's authenticator app would show now."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).get()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in_through_the_pages(
    page: Page, live_server: Any, user: Any, code: str | None = None
) -> None:
    """Sign in as a person would: email and password, then the security code (the current TOTP
    code unless another, such as a backup code, is given). Ends on the page signed in to."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Continue").click()  # the email step
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(code if code is not None else current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter your security code")


def code_from_the_key_on_the_page(page: Page) -> str:
    """What an authenticator app would show for the key typed in from the set-up page."""
    text = page.locator("main").inner_text()
    found = re.search(r"Key:\s*([A-Z2-7][A-Z2-7 ]+[A-Z2-7])", text)
    assert found, f"no key shown on the set-up page:\n{text}"
    key = found.group(1).replace(" ", "")
    key_bytes = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(key_bytes, step=30, t0=0, digits=6):06d}"


def sign_in_with_a_cookie(page: Page, live_server: Any, user: Any) -> None:
    """A fast sign-in for tests about other pages: a session with both factors, as the sign-in
    pages would leave it, handed to the browser as its session cookie."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).get()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


# --- Checks ------------------------------------------------------------------------------------


_axe: Any = None


def _axe_runner() -> Any:
    global _axe
    if _axe is None:
        # axe.min.js ships inside the package: nothing is fetched from a CDN.
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    return _axe


def accessibility_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.0, 2.1 and 2.2 A and AA violations on the page, one line per rule."""
    results = _axe_runner().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    lines = []
    for violation in results.response["violations"]:
        targets = "; ".join(
            " ".join(str(part) for part in node["target"]) for node in violation["nodes"]
        )
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{page.url}] at {targets}"
        )
    return lines


def landmark_violations(page: Page) -> list[str]:
    """Content outside every landmark (axe-core's `region` rule, a best practice rather than a
    WCAG rule, so not among `accessibility_violations`' tags): what a screen reader user moving
    by landmarks would never reach."""
    results = _axe_runner().run(
        page,
        options={"runOnly": {"type": "rule", "values": ["region"]}, "resultTypes": ["violations"]},
    )
    return [
        f"{violation['id']}: {' '.join(str(part) for part in node['target'])} [{page.url}]"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than its viewport (0 when nothing scrolls sideways)."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return max(0, scroll_width - width)


def assert_accessible(page: Page) -> None:
    """No WCAG A/AA violation that axe can find, no content outside a landmark, and no sideways
    scrolling at the page's width (375 px on a phone)."""
    violations = accessibility_violations(page) + landmark_violations(page)
    assert not violations, "Accessibility violations:\n" + "\n".join(violations)
    overflow = horizontal_overflow(page)
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert overflow == 0, (
        f"{page.url} scrolls sideways: document.documentElement.scrollWidth is "
        f"{width + overflow} px at a {width} px viewport"
    )


def error_summary_text(page: Page) -> str:
    """The GOV.UK error summary's text, after checking it is shown and has the focus."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: "), (
        f"the title {page.title()!r} does not start 'Error: '"
    )
    return re.sub(r"\s+", " ", summary.inner_text()).strip()
