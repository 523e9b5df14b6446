"""The officer's referral at the scene, typed into the real pages in Chromium on a 375 px phone:
person, stop, consent and booking, confirmation. Every page of the flow passes axe-core, and the
flow also works with JavaScript switched off."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from diversion.core.roles import Role
from diversion.officer.forms import slot_label
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.reference.loader import load_reference_data
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking, Slot

from .conftest import assert_accessible, error_summary_text, sign_in_with_a_cookie

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^[A-Z]{2,4}-[A-HJ-NP-Z2-9]{4}-[2-9]{2}$")
ADULT_BORN = dt.date(1998, 6, 14)  # the same person as diversion.officer.tests.builders


# --- The world -------------------------------------------------------------------------------


@dataclass
class World:
    """A scheme with ten assessment times from tomorrow morning and one of its officers."""

    scheme: Any
    officer: Any
    slots: list[Slot]


@pytest.fixture
def world(scheme: Any, make_user: Callable[..., Any]) -> World:
    # The live server's database is flushed after each test, taking the code lists the data
    # migration loaded with it: load them again (update or create, so safe every time).
    load_reference_data()
    worker = make_user(Role.WORKER, scheme)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=1)
    slots = [
        Slot.objects.create(
            scheme=scheme,
            worker=worker,
            starts_at=start + dt.timedelta(minutes=45 * i),
            ends_at=start + dt.timedelta(minutes=45 * (i + 1)),
        )
        for i in range(10)
    ]
    return World(scheme=scheme, officer=make_user(Role.OFFICER, scheme), slots=slots)


@pytest.fixture
def officer_page(page: Page, live_server: Any, world: World) -> Page:
    """The phone, signed in as the officer (by cookie: signing in is tested elsewhere)."""
    sign_in_with_a_cookie(page, live_server, world.officer)
    return page


@pytest.fixture
def page_without_javascript(
    browser: Browser, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def earlier_referral(world: World, slot: Slot, status: str, *, key: str, **person: Any) -> Any:
    """A referral made before the test's, its status then moved on directly in the database."""
    referral = referral_submit(
        officer=world.officer,
        scheme=world.scheme,
        person=person_details(**person),
        stop=stop_details(world.scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slot.pk,
        idempotency_key=key,
    ).referral
    Referral.objects.filter(pk=referral.pk).update(status=status)
    return referral


# --- Typing into the pages -------------------------------------------------------------------


def heading(page: Page) -> Any:
    return page.get_by_role("heading", level=1)


def start_a_referral(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/referrals/new/")
    expect(heading(page)).to_have_text("The person")


def type_name_and_date_of_birth(
    page: Page, given: str = "Jamie", family: str = "O'Neill", born: dt.date = ADULT_BORN
) -> None:
    page.get_by_label("First name").fill(given)
    page.get_by_label("Last name").fill(family)
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))


def fill_the_person_page(
    page: Page, born: dt.date = ADULT_BORN, *, javascript: bool = True, **names: str
) -> None:
    type_name_and_date_of_birth(page, born=born, **names)
    if javascript:
        # Leaving the year runs the look-up, whose answer appears above the next fields: let it
        # arrive first, as the officer sees it, or the tap on "Male" can land as the page moves.
        with page.expect_response(lambda response: "/person/lookup/" in response.url):
            page.get_by_label("Year").blur()
        page.wait_for_timeout(100)  # htmx swaps the answer in after its settle delay
    page.get_by_label("Male", exact=True).check()
    ethnicity = page.get_by_label("Ethnicity, as the person describes it")
    offered = ethnicity.locator("option").all_inner_texts()
    assert "British (W1)" in offered, f"no 'British (W1)' to choose; the list offers {offered[:3]}"
    ethnicity.select_option(label="British (W1)")
    page.get_by_label("Ethnicity you observed (IC code)").select_option("IC1")
    page.get_by_label("Mobile number").fill("07911 123456")
    page.get_by_label("It is safe to send this person texts").check()


def continue_from_the_person_page(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("The stop")


def fill_the_stop_page(page: Page, world: World) -> None:
    """The date and time of the stop are already today's and now's."""
    page.get_by_label("Local authority where the drugs were found").select_option(
        label=world.scheme.local_authorities.get().name
    )
    page.get_by_label("Place (street or landmark)").fill("Corporation Street")
    page.get_by_label("Stop and search").check()
    page.get_by_label("Drug found", exact=True).select_option(label="Cannabis (herbal or resin)")
    page.locator("#id_drug_0_quantity").fill("2 grams")


def check_eligibility(page: Page) -> None:
    page.get_by_role("button", name="Check eligibility and continue").click()


def give_consent(page: Page) -> None:
    page.get_by_label("The person agrees to be contacted by the provider").check()
    page.get_by_label(
        "The person agrees to their information being shared with the provider"
    ).check()


def confirm(page: Page) -> None:
    page.get_by_role("button", name="Confirm referral and booking").click()


def on_the_consent_page(page: Page) -> None:
    expect(heading(page)).to_have_text("Consent and booking")
    expect(page.get_by_role("heading", name="Eligible for diversion")).to_be_visible()


def on_the_confirmation_page(page: Page, slot: Slot) -> str:
    """Checks the confirmation shows the reference, the outcome and the appointment; returns
    the reference."""
    expect(heading(page)).to_have_text("Referral made")
    reference = page.locator(".diversion-reference").inner_text().strip()
    assert REFERENCE.match(reference), f"{reference!r} is not a reference like WM-7K3Q-92"
    main = page.locator("main")
    expect(main).to_contain_text("Community Resolution (Home Office outcome 8)")
    expect(main).to_contain_text(slot_label(slot))
    return reference


def as_text(locator: Any) -> str:
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


# --- The tests ---------------------------------------------------------------------------------


def test_an_officer_refers_an_adult_with_cannabis_through_accessible_pages_to_a_confirmation(
    officer_page: Page, live_server: Any, world: World
) -> None:
    page = officer_page
    start_a_referral(page, live_server)
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    assert error_summary_text(page) == (
        "There is a problem Enter the person's first name Enter the person's last name "
        "Enter the date of birth Select the person's sex "
        "Select how the person describes their ethnicity, or Not stated "
        "Select the ethnicity you observed (IC code) "
        "Enter a mobile number or an email address, so the provider can contact the person"
    )
    assert_accessible(page)
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name="Enter the person's first name").click()
    expect(page.get_by_label("First name")).to_be_focused()
    summary.get_by_role("link", name="Select the person's sex").click()
    expect(page.get_by_label("Female", exact=True)).to_be_focused()

    fill_the_person_page(page)
    continue_from_the_person_page(page)
    expect(page.locator("main")).to_contain_text("No previous referrals found")
    assert_accessible(page)

    fill_the_stop_page(page, world)
    check_eligibility(page)
    on_the_consent_page(page)
    expect(page.get_by_label(slot_label(world.slots[0]))).to_be_checked()
    assert_accessible(page)

    give_consent(page)
    confirm(page)
    reference = on_the_confirmation_page(page, world.slots[0])
    assert_accessible(page)

    referral = Referral.objects.get()
    assert referral.reference == reference
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    assert referral.person.mobile == "+447911123456"
    assert Booking.objects.get().slot_id == world.slots[0].pk


def test_the_date_of_birth_link_in_the_error_summary_focuses_the_day(
    officer_page: Page, live_server: Any, world: World
) -> None:
    page = officer_page
    start_a_referral(page, live_server)
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").get_by_role("link", name="Enter the date of birth").click()
    expect(page.get_by_label("Day")).to_be_focused(timeout=1_000)


def test_a_young_person_needs_an_appropriate_adult_and_is_referred_with_one(
    officer_page: Page, live_server: Any, world: World
) -> None:
    page = officer_page
    today = timezone.localdate()
    sixteen = today.replace(year=today.year - 16) - dt.timedelta(days=3)
    start_a_referral(page, live_server)
    fill_the_person_page(page, born=sixteen, given="Riley", family="Khan")
    continue_from_the_person_page(page)

    fill_the_stop_page(page, world)
    check_eligibility(page)
    assert error_summary_text(page) == (
        "There is a problem "
        "Enter the appropriate adult's name: a person under 18 needs one present "
        "Enter the appropriate adult's relationship to the young person "
        "Enter the appropriate adult's phone number"
    )
    expect(page.locator("#id_appropriate_adult_name-error")).to_have_text(
        "Error: Enter the appropriate adult's name: a person under 18 needs one present"
    )
    assert_accessible(page)
    assert Referral.objects.count() == 0

    page.get_by_label("Appropriate adult's full name").fill("Maria Lopez")
    page.get_by_label("Relationship to the young person").fill("Mother")
    page.get_by_label("Appropriate adult's phone number").fill("0121 496 0000")
    check_eligibility(page)
    on_the_consent_page(page)
    give_consent(page)
    confirm(page)
    on_the_confirmation_page(page, world.slots[0])

    referral = Referral.objects.get()
    assert referral.appropriate_adult_name == "Maria Lopez"
    assert referral.person.date_of_birth == sixteen


def test_a_supply_case_is_refused_with_its_reason_and_nothing_is_saved(
    officer_page: Page, live_server: Any, world: World
) -> None:
    page = officer_page
    start_a_referral(page, live_server)
    fill_the_person_page(page)
    continue_from_the_person_page(page)
    fill_the_stop_page(page, world)
    page.get_by_text("Signs of supply").click()  # the list opens on demand (issue 17)
    page.get_by_label("scales", exact=True).check()
    check_eligibility(page)  # an indicator needs the officer's answer, with a reason
    assert error_summary_text(page) == (
        "There is a problem Select yes if you suspect intent to supply, or no if you do not"
    )
    assert_accessible(page)
    question = page.get_by_role("group", name="Do you suspect intent to supply?")
    question.get_by_label("Yes", exact=True).check()
    page.get_by_label("Your reason").fill("Scales with residue and a list of names")
    check_eligibility(page)

    banner = page.get_by_role("alert").filter(has_text="Not eligible")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Jamie cannot be offered diversion")
    expect(banner).to_contain_text("You suspect intent to supply.")
    expect(banner).to_contain_text("What to do instead")
    expect(banner).to_contain_text(
        "Deal with this as a possible supply offence under force policy; do not offer diversion."
    )
    expect(banner).to_contain_text("Nothing has been saved.")
    assert_accessible(page)

    assert Referral.objects.count() == 0
    page.goto(f"{live_server.url}/referrals/new/consent/")
    expect(heading(page)).to_have_text("The stop")
    assert Referral.objects.count() == 0


def test_a_person_who_never_engaged_after_an_earlier_referral_is_refused(
    officer_page: Page, live_server: Any, world: World
) -> None:
    earlier = earlier_referral(world, world.slots[9], ReferralStatus.NOT_ENGAGED, key="earlier")
    month = timezone.localdate().strftime("%B %Y")
    did_not_engage = (
        f"Did not engage after referral {earlier.reference} in {month}: "
        "not eligible for diversion again"
    )
    page = officer_page
    start_a_referral(page, live_server)
    fill_the_person_page(page)
    continue_from_the_person_page(page)
    expect(page.locator(".govuk-inset-text")).to_contain_text(did_not_engage)

    fill_the_stop_page(page, world)
    check_eligibility(page)
    banner = page.get_by_role("alert").filter(has_text="Not eligible")
    expect(banner).to_contain_text(did_not_engage)
    expect(banner).to_contain_text("Deal with it under force policy; do not offer diversion.")
    assert Referral.objects.count() == 1


def test_a_person_who_engaged_after_two_earlier_referrals_is_referred_again(
    officer_page: Page, live_server: Any, world: World
) -> None:
    earlier_referral(world, world.slots[8], ReferralStatus.COMPLETED, key="first")
    earlier_referral(world, world.slots[9], ReferralStatus.COMPLETED, key="second")
    page = officer_page
    start_a_referral(page, live_server)
    fill_the_person_page(page)
    continue_from_the_person_page(page)
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Previous referrals: 2, engaged each time"
    )

    fill_the_stop_page(page, world)
    check_eligibility(page)
    on_the_consent_page(page)
    expect(page.locator("main")).to_contain_text("Previous referrals: 2, engaged each time")
    give_consent(page)
    confirm(page)
    reference = on_the_confirmation_page(page, world.slots[0])

    assert Referral.objects.count() == 3
    assert Referral.objects.get(reference=reference).person_id == (
        Referral.objects.exclude(reference=reference).values_list("person_id", flat=True).first()
    )


def test_a_double_submit_creates_one_referral_and_lands_on_the_same_confirmation(
    officer_page: Page, live_server: Any, world: World
) -> None:
    page = officer_page
    start_a_referral(page, live_server)
    fill_the_person_page(page)
    continue_from_the_person_page(page)
    fill_the_stop_page(page, world)
    check_eligibility(page)
    on_the_consent_page(page)
    give_consent(page)

    # Each POST of the consent form reaches the server twice, as when a phone loses the signal
    # and the first answer never arrives: the browser is shown the answer to the repeat.
    locations: list[str] = []

    def twice(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        first = route.fetch(max_redirects=0)
        second = route.fetch(max_redirects=0)
        locations.extend([first.headers.get("location", ""), second.headers.get("location", "")])
        route.fulfill(response=second)

    # On the context: the officer's service worker makes the page's requests (issue 17).
    page.context.route("**/referrals/new/consent/", twice)
    form = page.locator("form", has=page.get_by_role("button", name="Confirm referral and booking"))
    # And the officer taps twice: two submissions in a row, past the button's own guard.
    form.evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
    reference = on_the_confirmation_page(page, world.slots[0])
    page.context.unroute("**/referrals/new/consent/")
    done_url = f"{live_server.url}/referrals/{reference}/"
    assert len(locations) >= 2 and set(locations) == {f"/referrals/{reference}/"}, locations
    assert page.url == done_url
    assert Referral.objects.count() == 1
    assert Booking.objects.count() == 1

    # Back: signed-in pages are never kept by the browser (no-store), so the consent page is
    # fetched again; the finished draft is gone and the officer starts afresh. Nothing is added.
    page.go_back()
    expect(heading(page)).to_have_text("The person")
    assert Referral.objects.count() == 1
    assert Booking.objects.count() == 1


def test_a_time_booked_by_someone_else_mid_flow_is_refused_and_another_is_offered(
    officer_page: Page, live_server: Any, world: World, make_user: Callable[..., Any]
) -> None:
    page = officer_page
    start_a_referral(page, live_server)
    fill_the_person_page(page)
    continue_from_the_person_page(page)
    fill_the_stop_page(page, world)
    check_eligibility(page)
    on_the_consent_page(page)
    first, second = world.slots[0], world.slots[1]
    expect(page.get_by_label(slot_label(first))).to_be_checked()

    # The officer's hold on the first time runs out and another officer books it.
    Slot.objects.filter(pk=first.pk).update(held_for="", held_until=None)
    referral_submit(
        officer=make_user(Role.OFFICER, world.scheme),
        scheme=world.scheme,
        person=person_details(given_name="Alex", family_name="Smith"),
        stop=stop_details(world.scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=first.pk,
        idempotency_key="rival",
    )

    give_consent(page)
    confirm(page)
    summary = error_summary_text(page)
    assert summary.startswith("There is a problem ")
    assert (
        "That time is no longer available. Choose another time" in summary
        or "has just been booked by someone else. Choose another time" in summary
    ), summary
    expect(page.get_by_label(slot_label(first))).to_have_count(0)
    expect(page.get_by_label(slot_label(second))).to_be_visible()
    assert_accessible(page)
    assert Referral.objects.count() == 1

    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    expect(page.get_by_label(slot_label(second))).to_be_focused()
    page.get_by_label(slot_label(second)).check()
    expect(page.get_by_label("The person agrees to be contacted by the provider")).to_be_checked()
    confirm(page)
    reference = on_the_confirmation_page(page, second)
    assert Booking.objects.get(referral__reference=reference).slot_id == second.pk
    assert Referral.objects.count() == 2


def test_the_adult_flow_works_with_javascript_switched_off(
    page_without_javascript: Page, live_server: Any, world: World
) -> None:
    page = page_without_javascript
    sign_in_with_a_cookie(page, live_server, world.officer)
    start_a_referral(page, live_server)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's first name")

    fill_the_person_page(page, javascript=False)
    continue_from_the_person_page(page)
    fill_the_stop_page(page, world)
    check_eligibility(page)
    on_the_consent_page(page)
    give_consent(page)
    confirm(page)
    reference = on_the_confirmation_page(page, world.slots[0])
    assert Referral.objects.get().reference == reference


def test_one_indicator_without_suspicion_is_allowed_without_javascript_and_the_truth_is_told(
    page_without_javascript: Page, live_server: Any, world: World
) -> None:
    """Issue 15 §3 and §5: the officer's judgement decides, with no script; the consent and
    confirmation pages say what the Community Resolution means for the person's record."""
    page = page_without_javascript
    sign_in_with_a_cookie(page, live_server, world.officer)
    start_a_referral(page, live_server)
    fill_the_person_page(page, javascript=False)
    continue_from_the_person_page(page)
    fill_the_stop_page(page, world)
    page.get_by_text("Signs of supply").click()  # details open without JavaScript too
    page.get_by_label("a large amount of cash", exact=True).check()
    check_eligibility(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes if you suspect intent to supply, or no if you do not"
    )
    question = page.get_by_role("group", name="Do you suspect intent to supply?")
    question.get_by_label("No", exact=True).check()
    page.get_by_label("Your reason").fill("Paid in cash at work today; one small bag")
    check_eligibility(page)
    on_the_consent_page(page)
    main = page.locator("main")
    expect(main).to_contain_text("Your reason is recorded for supervisors")
    expect(main).to_contain_text("may be disclosed on an enhanced DBS check")
    give_consent(page)
    confirm(page)
    on_the_confirmation_page(page, world.slots[0])
    expect(page.locator("main")).to_contain_text("It is not a conviction")
    record = Referral.objects.get().eligibility_record
    assert (record.supply_suspected, record.supply_reason) == (
        False,
        "Paid in cash at work today; one small bag",
    )


def test_typing_a_name_and_date_of_birth_shows_earlier_referrals_before_continuing(
    officer_page: Page, live_server: Any, world: World
) -> None:
    earlier_referral(world, world.slots[9], ReferralStatus.COMPLETED, key="earlier")
    page = officer_page
    start_a_referral(page, live_server)
    lookup = page.locator("#person-lookup")
    expect(lookup).to_be_empty()

    type_name_and_date_of_birth(page)
    page.get_by_label("Year").blur()  # leaving the field is what fires its change event
    expect(lookup).to_have_text("Previous referrals: 1, engaged")
    expect(heading(page)).to_have_text("The person")
    assert page.url.endswith("/referrals/new/person/")
    assert_accessible(page)
