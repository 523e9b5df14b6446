"""The officer's app in Chromium (issue 17): installable, a referral completed without signal
and sent exactly once when the signal returns, the draft unreadable without the session's key
and erased on sign-out, and each page of the flow within two phone screens."""

# ruff: noqa: F811 (the flow's fixtures, imported by name, are the tests' arguments)
from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from diversion.officer.forms import slot_label
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking

from .conftest import assert_accessible, sign_in_with_a_cookie
from .test_referral_flow import (  # noqa: F401 (fixtures)
    World,
    check_eligibility,
    continue_from_the_person_page,
    fill_the_person_page,
    fill_the_stop_page,
    give_consent,
    heading,
    officer_page,
    on_the_consent_page,
    page_without_javascript,
    start_a_referral,
    world,
)

pytestmark = pytest.mark.browser

SCREEN: ViewportSize = {"width": 375, "height": 740}
# What the officer typed: none of it may be readable in the phone's IndexedDB.
PLAINTEXT = ["Jamie", "O'Neill", "Neill", "Corporation Street", "07911", "123456", "cannabis"]

READ_STORE = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name)
  if (!names.includes('diversion-officer')) return []
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open('diversion-officer'); r.onsuccess = () => ok(r.result); r.onerror = no
  })
  const rows = await new Promise((ok, no) => {
    const g = db.transaction('referrals').objectStore('referrals').getAll()
    g.onsuccess = () => ok(g.result); g.onerror = no
  })
  db.close()
  const bytes = (v) => Array.from(new Uint8Array(v.buffer ? v.buffer : v))
  return rows.map((r) => ({
    id: r.id, state: r.state, keyId: r.keyId || null, result: r.result || null,
    stored: JSON.stringify(
      r, (k, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) ? bytes(v) : v),
    ciphertext: r.ciphertext ? String.fromCharCode(...bytes(r.ciphertext)) : null
  }))
}"""

DECRYPT = """async ({ random }) => {
  const db = await new Promise((ok) => {
    const r = indexedDB.open('diversion-officer'); r.onsuccess = () => ok(r.result)
  })
  const record = await new Promise((ok) => {
    const g = db.transaction('referrals').objectStore('referrals').getAll()
    g.onsuccess = () => ok(g.result[0])
  })
  db.close()
  let raw
  if (random) raw = crypto.getRandomValues(new Uint8Array(32))
  else {
    const text = JSON.parse(sessionStorage.getItem('diversion-offline-keys'))[record.keyId]
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
    const padded = b64 + '=='.slice(0, (4 - b64.length % 4) % 4)
    raw = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0))
  }
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt'])
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: record.iv, additionalData: new TextEncoder().encode(record.id) },
      key, record.ciphertext)
    return new TextDecoder().decode(plain)
  } catch { return null }
}"""


AGE_THE_STORE = """async (ms) => {
  const db = await new Promise((ok) => {
    const r = indexedDB.open('diversion-officer'); r.onsuccess = () => ok(r.result)
  })
  const store = db.transaction('referrals', 'readwrite').objectStore('referrals')
  const rows = await new Promise((ok) => {
    const g = store.getAll(); g.onsuccess = () => ok(g.result)
  })
  const write = db.transaction('referrals', 'readwrite').objectStore('referrals')
  for (const row of rows) { row.createdAt -= ms; row.expiresAt -= ms; write.put(row) }
  await new Promise((ok) => { write.transaction.oncomplete = ok })
  db.close()
}"""


def controlled_by_the_worker(page: Page) -> None:
    page.evaluate(
        """async () => {
          await navigator.serviceWorker.ready
          if (navigator.serviceWorker.controller) return
          await new Promise((done) =>
            navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }))
        }"""
    )


def stored(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate(READ_STORE))


def assert_nothing_readable(page: Page) -> None:
    session_keys = page.evaluate("sessionStorage.getItem('diversion-offline-keys') || ''")
    for record in stored(page):
        for marker in [*PLAINTEXT, *re.findall(r'"([A-Za-z0-9_-]{40,})"', session_keys)]:
            assert marker not in record["stored"], f"{marker!r} is readable in IndexedDB"
            assert marker not in (record["ciphertext"] or ""), f"{marker!r} in the ciphertext"


def queue(page: Page) -> Any:
    return page.locator("#offline-queue")


def fill_the_offline_consent(page: Page, world: World) -> None:
    expect(page.locator("main")).to_contain_text("Eligibility will be decided when the referral")
    give_consent(page)
    page.get_by_label(f"Provisionally {slot_label(world.slots[0])}").check()
    page.get_by_role("button", name="Keep the referral to send").click()
    expect(page.get_by_role("heading", name="Referral kept on this phone")).to_be_visible()


def complete_on_the_offline_page(page: Page, world: World) -> None:
    expect(heading(page)).to_have_text("The person")
    # One page holds the three steps' forms: fill the one shown.
    fill_the_person_page(page.locator('form[data-step="1"]'), javascript=False)  # type: ignore[arg-type]
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("The stop")
    fill_the_stop_page(page.locator('form[data-step="2"]'), world)  # type: ignore[arg-type]
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Consent and booking")
    fill_the_offline_consent(page, world)


# --- The tests ---------------------------------------------------------------------------------


def test_the_app_installs_and_serves_its_offline_start_page_without_signal(
    officer_page: Page, live_server: Any, world: World, context: BrowserContext
) -> None:
    page = officer_page
    page.goto(f"{live_server.url}/referrals/")
    controlled_by_the_worker(page)
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{live_server.url}/referrals/"
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(f"{live_server.url}{href}")
    assert manifest.headers["content-type"] == "application/manifest+json"
    body = manifest.json()
    assert body["display"] == "standalone" and body["start_url"].startswith(body["scope"])
    for icon in body["icons"]:
        png = page.request.get(f"{live_server.url}{icon['src']}")
        assert png.ok and png.headers["content-type"] == "image/png"
    assert page.locator('meta[name="apple-mobile-web-app-capable"]').get_attribute("content")

    context.set_offline(True)
    page.goto(f"{live_server.url}/referrals/new/")
    expect(heading(page)).to_have_text("The person")
    expect(page.locator("#offline-caption")).to_have_text("Refer without signal: step 1 of 3")
    expect(page.locator("#offline-note")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # nothing typed: what is missing
    summary = page.locator("#offline-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the person's first name")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    context.set_offline(False)


def test_a_referral_completed_without_signal_is_sent_exactly_once_when_the_signal_returns(
    officer_page: Page, live_server: Any, world: World, context: BrowserContext
) -> None:
    page = officer_page
    start_a_referral(page, live_server)
    controlled_by_the_worker(page)
    fill_the_person_page(page)
    continue_from_the_person_page(page)

    context.set_offline(True)  # the signal goes in the stairwell
    fill_the_stop_page(page, world)
    check_eligibility(page)
    # The offline page carries on from the answers kept on the phone.
    expect(heading(page)).to_have_text("Consent and booking")
    assert_accessible(page)
    fill_the_offline_consent(page, world)
    expect(queue(page)).to_contain_text("1 referral waiting to send")
    assert_accessible(page)
    records = stored(page)
    assert [r["state"] for r in records] == ["queued"]
    assert_nothing_readable(page)
    assert page.evaluate(DECRYPT, {"random": True}) is None
    assert "Corporation Street" in page.evaluate(DECRYPT, {"random": False})

    page.close()  # the app is closed, and opened again still without signal
    again = context.new_page()
    again.goto(f"{live_server.url}/referrals/")
    expect(queue(again)).to_contain_text("1 referral waiting to send")
    assert Referral.objects.count() == 0

    context.set_offline(False)  # the signal returns: the app sends it by itself
    expect(queue(again).locator("li")).to_contain_text("referral", timeout=15_000)
    expect(queue(again).locator("li")).to_contain_text(slot_label(world.slots[0]))
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    assert Booking.objects.get().slot == world.slots[0]
    expect(queue(again).locator("li")).to_contain_text(referral.reference)
    assert [r["state"] for r in stored(again)] == ["sent"]
    assert_nothing_readable(again)  # after submission the details are erased
    assert all(r["keyId"] is None for r in stored(again))

    # Twelve hours on, whatever is left is erased the next time the app opens.
    again.evaluate(AGE_THE_STORE, 12 * 60 * 60 * 1000 + 1)
    again.reload()
    again.evaluate("window.diversionOffline.ready")  # the app has started
    expect(queue(again)).to_be_hidden()
    assert stored(again) == []


def test_two_tabs_and_a_forced_double_sync_make_one_referral(
    officer_page: Page, live_server: Any, world: World, context: BrowserContext
) -> None:
    page = officer_page
    page.goto(f"{live_server.url}/referrals/offline/")
    controlled_by_the_worker(page)
    context.set_offline(True)
    complete_on_the_offline_page(page, world)
    other = context.new_page()
    other.goto(f"{live_server.url}/referrals/")
    expect(queue(other)).to_contain_text("1 referral waiting to send")

    sent: list[int] = []

    def twice(route: Any) -> None:  # every sync reaches the server twice
        route.fetch()
        second = route.fetch()
        sent.append(second.status)
        route.fulfill(response=second)

    context.route("**/referrals/sync/", twice)
    context.set_offline(False)  # both tabs hear the signal return and send at once
    page.evaluate("window.diversionOffline.syncNow()")
    other.evaluate("window.diversionOffline.syncNow()")
    for tab in (page, other):
        tab.evaluate("window.diversionOffline.syncNow()")
        expect(queue(tab).locator("li")).to_contain_text("referral", timeout=15_000)
    context.unroute("**/referrals/sync/")
    assert len(sent) >= 2, sent
    referral = Referral.objects.get()
    for tab in (page, other):
        tab.evaluate("window.diversionOffline.showQueue()")
        expect(queue(tab).locator("li")).to_contain_text(referral.reference)
    assert Booking.objects.count() == 1


def test_signing_out_erases_the_referrals_kept_on_the_phone(
    officer_page: Page, live_server: Any, world: World, context: BrowserContext
) -> None:
    page = officer_page
    context.route("**/referrals/sync/", lambda route: route.abort())  # the send keeps failing
    page.goto(f"{live_server.url}/referrals/offline/")
    complete_on_the_offline_page(page, world)
    expect(queue(page)).to_contain_text("1 referral waiting to send")
    assert len(stored(page)) == 1
    page.get_by_role("button", name="Menu").click()  # a phone folds the navigation
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto(f"{live_server.url}/privacy/")
    assert stored(page) == []
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("caches.keys()") == []
    context.unroute("**/referrals/sync/")
    assert Referral.objects.count() == 0


def test_each_page_of_the_flow_fits_two_phone_screens_for_an_adult_with_one_drug(
    officer_page: Page, live_server: Any, world: World
) -> None:
    page = officer_page
    page.set_viewport_size(SCREEN)
    limit = 2 * SCREEN["height"]
    heights: dict[str, int] = {}

    def measure(name: str) -> None:
        heights[name] = page.evaluate("document.documentElement.scrollHeight")

    page.goto(f"{live_server.url}/referrals/offline/")
    expect(heading(page)).to_have_text("The person")
    measure("offline person")
    fill_the_person_page(page.locator('form[data-step="1"]'), javascript=False)  # type: ignore[arg-type]
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("The stop")
    measure("offline stop")
    fill_the_stop_page(page.locator('form[data-step="2"]'), world)  # type: ignore[arg-type]
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Consent and booking")
    measure("offline consent")

    start_a_referral(page, live_server)
    measure("person")
    fill_the_person_page(page)
    continue_from_the_person_page(page)
    measure("stop")
    fill_the_stop_page(page, world)
    check_eligibility(page)
    on_the_consent_page(page)
    measure("consent")
    print(f"page heights at 375 x 740 (limit {limit} px): {heights}")
    assert all(height <= limit for height in heights.values()), heights


def test_without_javascript_one_drug_row_grows_on_demand_and_adults_get_no_adult_block(
    page_without_javascript: Page, live_server: Any, world: World
) -> None:
    page = page_without_javascript
    sign_in_with_a_cookie(page, live_server, world.officer)
    start_a_referral(page, live_server)
    fill_the_person_page(page, javascript=False)
    continue_from_the_person_page(page)
    expect(page.get_by_label("Drug found", exact=True)).to_be_visible()
    expect(page.get_by_label("Another drug found (2)")).to_be_hidden()
    expect(page.get_by_role("heading", name="Appropriate adult")).to_have_count(0)
    fill_the_stop_page(page, world)
    page.get_by_role("button", name="Add another drug").click()
    expect(page.get_by_label("Another drug found (2)")).to_be_visible()
    expect(page.get_by_label("Another drug found (3)")).to_be_hidden()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_label("Place (street or landmark)")).to_have_value("Corporation Street")
    page.get_by_label("Another drug found (2)").select_option(label="Ketamine")
    check_eligibility(page)
    on_the_consent_page(page)
