"""Every section of the report on known data, each figure checked against an independent
computation: a hand count of the rows the test made, statsmodels or lifelines."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from lifelines import KaplanMeierFitter
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from diversion.core.roles import Role
from diversion.evaluation.report import SUPPRESSED, Report, evaluation_report
from diversion.evaluation.tests import police_data as data
from diversion.evaluation.tests.dashboard_data import Known, known_referrals
from diversion.evaluation.tests.police_data import Police, known_police_data

AS_OF_LATER = timezone.localdate() + dt.timedelta(days=3 * 365)


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    return known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))


@pytest.fixture
def police(known: Known) -> Police:
    return known_police_data(known)


@pytest.fixture
def report(known: Known, police: Police) -> Report:
    """As of three years on, so that every window has passed."""
    return evaluation_report(
        scheme=known.scheme, start=known.start, end=known.end, as_of=AS_OF_LATER
    )


def _row(report: Report, table: str, column: str, value: Any) -> dict[str, Any]:
    return next(r for r in report.table(table).rows if r[column] == value)


def _pct(x: float) -> float:
    return round(100 * x, 1)


# --- Re-offending ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "reoffenders"),
    [
        ("any police-recorded offence", len(data.REOFFENDERS)),
        ("drug possession offence only", len(data.POSSESSION_REOFFENDERS)),
        ("proven re-offence (Ministry of Justice)", len(data.PROVEN_REOFFENDERS)),
    ],
)
@pytest.mark.parametrize("months", [6, 12])
def test_reoffending_rates_equal_a_hand_count_with_statsmodels_wilson_intervals(
    report: Report, measure: str, reoffenders: int, months: int
) -> None:
    row = _row(report, "reoffending_rates", "measure", f"{months} months: {measure}")
    low, high = proportion_confint(reoffenders, 20, method="wilson")
    assert row["eligible"] == 20
    assert row["reoffended"] == reoffenders
    assert row["not_reoffended"] == 20 - reoffenders
    assert row["rate"] == _pct(reoffenders / 20)
    assert (row["ci_low"], row["ci_high"]) == (_pct(low), _pct(high))


def test_people_whose_window_has_not_passed_are_not_counted(known: Known, police: Police) -> None:
    today = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    rows = today.table("reoffending_rates").rows
    assert {r["eligible"] for r in rows} == {0}
    assert {r["rate"] for r in rows} == {None}
    assert today.table("reoffending_rates").reading.startswith("Nobody referred")


def test_the_kaplan_meier_curve_equals_lifelines(report: Report) -> None:
    # Eight offend 5 days after referral; twelve are followed for the whole year.
    fitter = KaplanMeierFitter().fit([5] * 8 + [365] * 12, [True] * 8 + [False] * 12)
    table = report.table("time_to_reoffence")
    for row in table.rows:
        expected = float(fitter.survival_function_at_times(row["days"]).iloc[0])
        assert row["not_reoffended"] == _pct(expected)
    half_year = _row(report, "time_to_reoffence", "days", 182)
    assert half_year["at_risk"] == 12
    assert half_year["reoffended_by"] == 8
    first = _row(report, "time_to_reoffence", "days", 0)
    assert first["reoffended_by"] == 0 and first["at_risk"] == 20
    assert table.chart is not None


# --- Outcomes before and after go-live ------------------------------------------------------------


def _counts(period: str) -> Counter[int]:
    counted: Counter[int] = Counter()
    for which, code, _eth, _sex, count in data.OUTCOMES:
        if which == period and code != 0:
            counted[code] += count
    return counted


def test_outcome_shares_equal_a_hand_count_and_statsmodels(report: Report) -> None:
    before, after = _counts("before"), _counts("after")
    n_before, n_after = sum(before.values()), sum(after.values())
    charge = _row(report, "outcome_shares", "group", "Charge or summons")
    assert (charge["count_before"], charge["count_after"]) == (before[1], after[1]) == (50, 15)
    assert charge["share_before"] == _pct(50 / n_before)
    assert charge["share_after"] == _pct(15 / n_after)
    assert charge["change_pp"] == round(100 * (15 / n_after - 50 / n_before), 1)
    # Percent change is relative: never the difference of the shares.
    share_b, share_a = 50 / n_before, 15 / n_after
    assert charge["change_percent"] == round(100 * (share_a - share_b) / share_b, 1)
    assert charge["count_change_percent"] == round(100 * (15 - 50) / 50, 1) == -70.0
    low, high = confint_proportions_2indep(15, n_after, 50, n_before, method="newcomb")
    assert (charge["change_ci_low_pp"], charge["change_ci_high_pp"]) == (
        round(100 * low, 1),
        round(100 * high, 1),
    )
    _z, p = proportions_ztest([15, 50], [n_after, n_before])
    assert charge["p_value"] == round(p, 4)
    assert "Charges fell by 70% (from 50 to 15)" in report.table("outcome_shares").reading
    assert "cautions fell by 70% (from 20 to 6)" in report.table("outcome_shares").reading


def test_small_outcome_counts_and_every_figure_from_them_are_suppressed(report: Report) -> None:
    penalty = _row(report, "outcome_shares", "group", "Penalty Notice for Disorder")
    assert penalty["count_before"] == 5
    assert penalty["count_after"] == SUPPRESSED  # 3
    for column in ("share_after", "change_pp", "change_percent", "count_change_percent"):
        assert penalty[column] == SUPPRESSED
    warning = _row(report, "outcome_shares", "group", "Cannabis or khat warning")
    assert warning["count_after"] == SUPPRESSED  # 4


def test_recorded_possession_offences_count_pending_outcomes_too(report: Report) -> None:
    before = sum(c for p, _code, _e, _s, c in data.OUTCOMES if p == "before")
    after = sum(c for p, _code, _e, _s, c in data.OUTCOMES if p == "after")
    rows = report.table("possession_offences_recorded").rows
    assert [r["recorded"] for r in rows] == [before, after] == [100, 103]
    assert report.table("possession_offences_recorded").reading == (
        "Recorded possession offences rose by 3% (from 100 to 103)."
    )


def test_the_comparison_says_so_when_the_period_does_not_span_go_live(
    known: Known, police: Police
) -> None:
    later = evaluation_report(scheme=known.scheme, start=police.go_live, end=known.end)
    section = next(s for s in later.sections if s.key == "outcomes")
    assert section.tables == []
    assert "does not have days both before and after" in section.unavailable


# --- Disproportionality ---------------------------------------------------------------------------


def test_stop_search_rates_and_the_ratio_to_white_equal_a_hand_computation(
    report: Report,
) -> None:
    population = {group: 2 * people for group, people in data.POPULATION}
    searches = dict(data.SEARCHES)
    white_rate = searches["W1"] / population["White"]
    black_rate = searches["B2"] / population["Black"]
    white = _row(report, "stop_search_rates", "ethnic_group", "White")
    black = _row(report, "stop_search_rates", "ethnic_group", "Black")
    assert white["searches"] == 40 and white["population"] == 10_000
    assert white["rate"] == round(1000 * white_rate, 2) == 4.0
    assert black["rate"] == round(1000 * black_rate, 2) == 15.0
    ratio = black_rate / white_rate
    spread = 1.959964 * math.sqrt(1 / 30 + 1 / 40)
    assert black["ratio"] == round(ratio, 2) == 3.75
    assert black["ratio_ci_low"] == round(ratio * math.exp(-spread), 2)
    assert black["ratio_ci_high"] == round(ratio * math.exp(spread), 2)
    # Three searches of Asian people: suppressed, with the rate and the ratio; and the next
    # smallest count (Mixed, 10), so that the total cannot give it away.
    asian = _row(report, "stop_search_rates", "ethnic_group", "Asian")
    assert asian["searches"] == asian["rate"] == asian["ratio"] == SUPPRESSED
    assert _row(report, "stop_search_rates", "ethnic_group", "Mixed")["searches"] == SUPPRESSED
    assert report.table("stop_search_rates").reading.startswith(
        "Black people were searched at 3.75 times the rate of White people"
    )


def test_formal_shares_by_ethnic_group_and_sex_equal_a_hand_count(report: Report) -> None:
    formal_codes = {1, 2, 3, 6}

    def count(period: str, ethnicity: str, sex: str, formal: bool | None = None) -> int:
        return sum(
            c
            for p, code, e, s, c in data.OUTCOMES
            if p == period
            and e == ethnicity
            and s == sex
            and code != 0
            and (formal is None or (code in formal_codes) == formal)
        )

    black = _row(report, "formal_outcomes_by_group", "group", "Black, male")
    assert black["formal_before"] == count("before", "B2", "male", True) == 30
    assert black["total_before"] == count("before", "B2", "male") == 40
    assert black["formal_after"] == count("after", "B2", "male", True) == 5
    assert black["total_after"] == count("after", "B2", "male") == 40
    assert black["share_before"] == 75.0 and black["share_after"] == 12.5
    assert black["change_pp"] == -62.5
    assert black["change_percent"] == round(100 * (0.125 - 0.75) / 0.75, 1)
    # White women: 5 formal of 5 before and no outcome after: no share to compare.
    women = _row(report, "formal_outcomes_by_group", "group", "White, female")
    assert (women["formal_before"], women["total_before"]) == (5, 5)
    assert women["total_after"] == 0
    assert women["share_after"] is None and women["change_pp"] is None


# --- Matched comparison ---------------------------------------------------------------------------


def test_the_matched_comparison_counts_equal_the_people_made(report: Report) -> None:
    sizes = {r["step"]: r["people"] for r in report.table("matching_sizes").rows}
    assert sizes["Diverted, six months passed"] == 20
    assert sizes["Not diverted (the pool), six months passed"] == data.POOL
    result = report.table("matching_result").rows[0]
    matched = sizes["Diverted matched"]
    assert isinstance(matched, int) and matched >= 5
    if matched == 20:
        assert result["treated"] == _pct(len(data.REOFFENDERS) / 20)
    assert result["difference"] == pytest.approx(result["treated"] - result["comparison"], abs=0.11)
    assert result["ci_low"] < result["difference"] < result["ci_high"]
    reading = report.table("matching_result").reading
    assert reading.startswith("For every 100 people diverted")
    notes = " ".join(report.table("matching_result").notes)
    assert "Only" in notes and "60" in notes  # the sample-size warning
    balance = report.table("matching_balance").rows
    assert balance[0]["covariate"] == "Propensity score (logit)"


# --- Costs ----------------------------------------------------------------------------------------


def test_costs_equal_unit_costs_times_hand_counted_volumes(report: Report) -> None:
    figures = {r["figure"]: r["pounds"] for r in report.table("costs").rows}
    assert figures["The scheme's cost"] == 20 * 300.0
    assert figures["Cost per referral"] == 300.0
    assert figures["Cost per completion"] == 20 * 300.0 / 5
    # Penalty notices after go-live (3) are suppressed, so the avoided penalty notices (5 - 3)
    # and every total built on them are suppressed too.
    assert figures["Formal outcomes avoided: their cost"] == SUPPRESSED
    assert figures["Net cost (scheme cost less avoided cost)"] == SUPPRESSED
    rows = {r["cost"]: r for r in report.table("cost_assumptions").rows}
    charge = rows["A charge to court (police, CPS and court)"]
    assert charge["volume"] == 50 - 15 and charge["total"] == 35 * 2000.0
    assert charge["source"].startswith("Home Office unit cost of a charge")
    assert rows["A penalty notice for disorder"]["volume"] == SUPPRESSED


# --- Missing data, the CLI and suppression everywhere --------------------------------------------


def test_sections_without_police_data_say_so_instead_of_showing_zeros(known: Known) -> None:
    report = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    by_key = {s.key: s for s in report.sections}
    for key in ("reoffending", "outcomes", "disproportionality", "matching", "costs"):
        assert by_key[key].tables == []
        assert by_key[key].unavailable, key
    assert "No police records have been imported" in by_key["reoffending"].unavailable


def test_the_cli_json_equals_the_report_and_holds_no_suppressed_count(
    known: Known, police: Police, tmp_path: Any
) -> None:
    output = tmp_path / "report.json"
    call_command(
        "evaluate",
        "--scheme",
        known.scheme.code,
        "--from",
        known.start.isoformat(),
        "--to",
        known.end.isoformat(),
        "--output",
        str(output),
    )
    printed = json.loads(output.read_text())
    report = evaluation_report(scheme=known.scheme, start=known.start, end=known.end, cached=False)
    assert printed == json.loads(json.dumps(report.to_dict()))
    assert {s["key"] for s in printed["sections"]} >= {
        "operational",
        "reoffending",
        "outcomes",
        "disproportionality",
        "matching",
        "costs",
    }
    text = output.read_text()
    # The hidden counts: 3 penalty notices after go-live and 3 searches of Asian people.
    penalty = next(
        r
        for s in printed["sections"]
        for t in s["tables"]
        if t["key"] == "outcome_shares"
        for r in t["rows"]
        if r["group"] == "Penalty Notice for Disorder"
    )
    assert penalty["count_after"] == SUPPRESSED
    assert '"searches": 3,' not in text


def test_a_second_request_for_the_same_filter_comes_from_the_cache_until_the_data_changes(
    known: Known, police: Police
) -> None:
    from diversion.evaluation.models import PossessionOutcome

    first = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    again = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    assert again.to_dict() == first.to_dict()
    assert first.table("possession_offences_recorded").rows[0]["recorded"] == 100
    PossessionOutcome.objects.create(
        scheme=known.scheme,
        offence_date=police.before[0],
        local_authority=police.area,
        offence_code="92E",
        outcome_code=1,
        sex="male",
        ethnicity="W1",
        diverted=False,
        row_key="one-more",
    )
    from diversion.evaluation.models import ImportBatch

    ImportBatch.objects.create(
        scheme=known.scheme,
        kind="outcomes",
        file_name="more.csv",
        file_sha256="0" * 64,
        imported_by_label="test",
        imported_at=timezone.now(),
    )
    after = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    assert after.table("possession_offences_recorded").rows[0]["recorded"] == 101


def test_no_suppressed_cell_reaches_the_csv_or_the_pdf(report: Report) -> None:
    from diversion.evaluation.pdf import report_html
    from diversion.evaluation.views import table_csv

    csv_text = table_csv(report.table("stop_search_rates"))
    assert "Asian,[c],3000,[c]" in csv_text
    html = report_html(report)
    assert "Penalty Notice for Disorder" in html
    pdf_row = html.split("Penalty Notice for Disorder")[1].split("</tr>")[0]
    assert "[c]" in pdf_row and ">3<" not in pdf_row


# --- Who sees the sections ------------------------------------------------------------------------


def _query(known: Known, **extra: str) -> dict[str, str]:
    return {
        "scheme": known.scheme.code,
        "start_0": str(known.start.day),
        "start_1": str(known.start.month),
        "start_2": str(known.start.year),
        "end_0": str(known.end.day),
        "end_1": str(known.end.month),
        "end_2": str(known.end.year),
        **extra,
    }


def test_the_analyst_sees_every_section_and_the_scheme_administrator_only_the_operational(
    known: Known, police: Police, client_for: Any
) -> None:
    from django.urls import reverse

    titles = ("Re-offending", "Disproportionality", "Matched comparison", "Costs")
    analyst = client_for(Role.ANALYST, known.scheme).get(
        reverse("evaluation:dashboard"), _query(known)
    )
    page = analyst.content.decode()
    for title in titles:
        assert f">{title}</h2>" in page
    assert "Charges fell by 70% (from 50 to 15)" in page
    admin = client_for(Role.SCHEME_ADMIN, known.scheme).get(
        reverse("evaluation:dashboard"), _query(known)
    )
    assert "Referrals and engagement" in admin.content.decode()
    for title in titles:
        assert f">{title}</h2>" not in admin.content.decode()
    csv_response = client_for(Role.ANALYST, known.scheme).get(
        reverse("evaluation:table-csv"), _query(known, table="outcome_shares")
    )
    assert csv_response.status_code == 200
    row = next(
        line
        for line in csv_response.content.decode().splitlines()
        if line.startswith("Penalty Notice")
    )
    assert row.startswith("Penalty Notice for Disorder,5,5.0,[c],[c]")
    refused = client_for(Role.SCHEME_ADMIN, known.scheme).get(
        reverse("evaluation:table-csv"), _query(known, table="outcome_shares")
    )
    assert refused.status_code == 302  # not a table of the scheme administrator's report


def test_the_board_report_lays_out_every_section_with_its_charts(report: Report) -> None:
    from diversion.evaluation.pdf import chart_svg, report_document

    for key in ("time_to_reoffence", "outcome_shares", "formal_outcomes_by_group"):
        chart = report.table(key).chart
        assert chart is not None
        assert chart_svg(chart).startswith("<svg")
    document = report_document(report)
    text = " ".join(
        box.text
        for page in document.pages
        for box in _boxes(page._page_box)
        if getattr(box, "text", None)
    )
    for title in ("Re-offending", "Disproportionality", "Matched comparison", "Costs"):
        assert title in text


def _boxes(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)
