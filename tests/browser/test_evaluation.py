"""The commissioner's analyst's dashboard in a real browser: filters, charts drawn under the
strict CSP, CSV and PDF downloads, no names, and no accessibility violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from diversion.core.roles import Role
from diversion.evaluation.tests.dashboard_data import Known, known_referrals

from .conftest import DESKTOP, PHONE, assert_accessible, sign_in_with_a_cookie

pytestmark = pytest.mark.browser


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    return known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))


def _fill_period(page: Page, known: Known) -> None:
    for prefix, day in (("start", known.start), ("end", known.end)):
        group = page.get_by_role("group", name="From" if prefix == "start" else "To")
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))


def test_the_analyst_filters_sees_charts_and_downloads_a_table_and_the_board_report(
    page: Page, live_server: Any, known: Known, make_user: Any
) -> None:
    analyst = make_user(Role.ANALYST, known.scheme)
    sign_in_with_a_cookie(page, live_server, analyst)
    page.goto(f"{live_server.url}/evaluation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scheme figures")
    _fill_period(page, known)
    page.get_by_label("Local authority", exact=True).select_option(known.second_area.ons_code)
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", level=2, name="Second Borough", exact=False)).to_be_visible()
    funnel = page.get_by_role("table", name="From referral to completion")
    expect(funnel.get_by_role("row", name="Referred 6")).to_be_visible()

    chart = page.locator("#figure-funnel ~ .govuk-grid-row .evaluation-chart")
    expect(chart.locator("svg").first).to_be_visible()
    assert page.locator(".evaluation-chart svg").count() >= 5

    main = page.locator("main").inner_text()
    for referral in known.referrals:
        assert referral.person.family_name not in main
        assert referral.reference not in main

    with page.expect_download() as download_info:
        page.locator("#figure-funnel ~ .govuk-grid-row").get_by_role(
            "link", name="Download this table as CSV"
        ).click()
    table_csv = download_info.value
    content = Path(table_csv.path()).read_text(encoding="utf-8")
    assert content.splitlines()[0] == "Stage,People,Percentage of those referred"
    assert "Referred,6,100" in content

    # The PDF lays out every table and renders every chart: slower than a page on a busy machine.
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("link", name="Download the board report (PDF)").click()
    pdf = download_info.value
    assert Path(pdf.path()).read_bytes()[:5] == b"%PDF-"
    assert pdf.suggested_filename.endswith(".pdf")


def test_the_dashboard_and_the_extract_page_are_accessible_on_a_phone_and_a_desktop(
    page: Page, live_server: Any, known: Known, make_user: Any
) -> None:
    analyst = make_user(Role.ANALYST, known.scheme)
    sign_in_with_a_cookie(page, live_server, analyst)
    page.goto(f"{live_server.url}/evaluation/")
    expect(page.locator(".evaluation-chart svg").first).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    page.reload()
    expect(page.locator(".evaluation-chart svg").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name="To").get_by_label("Month").fill("13")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("To must be a real date")
    assert_accessible(page)


def test_the_evaluators_extract_page_is_accessible(
    page: Page, live_server: Any, known: Known, make_user: Any
) -> None:
    evaluator = make_user(Role.EVALUATOR, known.scheme)
    sign_in_with_a_cookie(page, live_server, evaluator)
    page.goto(f"{live_server.url}/evaluation/extract/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a pseudonymised extract")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the extract (CSV)").click()
    lines = Path(download_info.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21


def test_the_analyst_sees_every_section_with_its_reading_charts_and_no_names(
    page: Page, live_server: Any, known: Known, make_user: Any
) -> None:
    from diversion.evaluation.tests.police_data import known_police_data

    known_police_data(known)
    analyst = make_user(Role.ANALYST, known.scheme)
    sign_in_with_a_cookie(page, live_server, analyst)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/evaluation/")
    _fill_period(page, known)
    page.get_by_role("button", name="Show figures").click()
    for section in (
        "Re-offending",
        "Formal outcomes before and after go-live",
        "Disproportionality",
        "Matched comparison",
        "Costs",
    ):
        expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Re-offending within 6 and 12 months")).to_be_visible()
    expect(page.get_by_text("Charges fell by 70% (from 50 to 15)").first).to_be_visible()
    expect(
        page.get_by_text("Black people were searched at 3.75 times the rate").first
    ).to_be_visible()
    # Today, nobody referred in the last seven weeks has had six months pass: said plainly.
    expect(
        page.get_by_text("Nobody referred in the period has had six months pass").first
    ).to_be_visible()
    shares = page.get_by_role("table", name="Possession offence outcomes before and after go-live")
    expect(shares.get_by_role("row", name="Penalty Notice for Disorder")).to_contain_text("[c]")
    expect(page.locator("#figure-time_to_reoffence ~ .govuk-grid-row svg").first).to_be_visible()
    expect(page.locator("#figure-outcome_shares ~ .govuk-grid-row svg").first).to_be_visible()
    main = page.locator("main").inner_text()
    for referral in known.referrals:
        assert referral.person.family_name not in main
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#figure-outcome_shares ~ .govuk-grid-row svg").first).to_be_visible()
    assert_accessible(page)


def test_the_counts_comparison_and_the_methods_page_work_and_are_accessible(
    page: Page, live_server: Any, known: Known, make_user: Any
) -> None:
    analyst = make_user(Role.ANALYST, known.scheme)
    sign_in_with_a_cookie(page, live_server, analyst)
    page.goto(f"{live_server.url}/evaluation/compare/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare two groups")
    assert_accessible(page)
    page.get_by_label("Number of people in the treated group").fill("120")
    page.get_by_label("Number of them who re-offended").fill("130")
    page.get_by_label("Number of people in the comparison group").fill("118")
    page.get_by_label("Number of those who re-offended").fill("61")
    page.get_by_role("button", name="Compare").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("cannot be more than the treated group (120)")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Number of them who re-offended")).to_be_focused()
    page.get_by_label("Number of them who re-offended").fill("42")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("between 4 and 29 fewer re-offended")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)

    page.get_by_role("link", name="How these figures are worked out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation methods")
    expect(page.locator("#two-groups-as-counts")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)


def test_a_scheme_administrator_imports_police_data_from_the_page_on_a_phone(
    page: Page, live_server: Any, scheme: Any, make_user: Any, tmp_path: Path
) -> None:
    from diversion.evaluation.models import PoliceOffence
    from diversion.evaluation.tests.helpers import SAMPLES

    page.set_viewport_size(PHONE)
    sign_in_with_a_cookie(page, live_server, make_user(Role.SCHEME_ADMIN, scheme))
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Import police and ONS data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import police and ONS data")
    assert_accessible(page)

    page.get_by_role("button", name="Import the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose what the file holds")
    expect(summary).to_contain_text("Select a CSV file")
    assert_accessible(page)

    short = tmp_path / "short.csv"
    short.write_text("police_person_id,offence_date\nWM/1,2024-01-01\n", encoding="utf-8")
    page.get_by_label("Police-recorded offences and arrests").check()
    page.get_by_label("Upload a CSV file").set_input_files(str(short))
    page.get_by_role("button", name="Import the file").click()
    expect(summary).to_contain_text("lacks columns this kind of data needs")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Upload a CSV file")).to_be_focused()
    assert PoliceOffence.objects.count() == 0

    offences = tmp_path / "offences.csv"
    bad = b"WM/9,,,,male,Q7,E08000025,2024-02-01,92E,no,,\n"
    offences.write_bytes((SAMPLES / "offences.csv").read_bytes() + bad)
    page.get_by_label("Police-recorded offences and arrests").check()
    page.get_by_label("Upload a CSV file").set_input_files(str(offences))
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5 rows imported")
    expect(page.locator("#bad-rows")).to_contain_text("ethnicity is not a self-defined")
    expect(page.locator("#bad-rows tbody th")).to_have_text(["7"])
    expect(page.locator("#past-imports")).to_contain_text("offences.csv")
    assert_accessible(page)
    assert PoliceOffence.objects.filter(scheme=scheme).count() == 5
