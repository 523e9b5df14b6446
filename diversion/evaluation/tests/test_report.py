"""The report on a known set of referrals, checked against plain database counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db.models import Count

from diversion.core.roles import Role
from diversion.evaluation.report import SUPPRESSED, Report, evaluation_report
from diversion.evaluation.tests.dashboard_data import Known, known_referrals
from diversion.referrals.models import Referral, StatusChange


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    return known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))


@pytest.fixture
def report(known: Known) -> Report:
    return evaluation_report(scheme=known.scheme, start=known.start, end=known.end)


def _column(report: Report, key: str, label: str, value: str = "referrals") -> dict[Any, Any]:
    return {row[label]: row[value] for row in report.table(key).rows}


def _reached(known: Known, status: str) -> int:
    """An independent count: referrals whose history ever reached the status."""
    return (
        StatusChange.objects.filter(referral__scheme=known.scheme, to_status=status)
        .values("referral")
        .distinct()
        .count()
    )


def test_the_funnel_matches_counts_of_the_status_history(known: Known, report: Report) -> None:
    funnel = _column(report, "funnel", "stage")
    assert funnel["Referred"] == Referral.objects.filter(scheme=known.scheme).count() == 20
    assert funnel["Assessed"] == _reached(known, "assessed") == 10
    assert funnel["Booked on a course"] == _reached(known, "course_booked") == 6
    assert funnel["Completed"] == _reached(known, "completed") == 5
    assert funnel["Engaged (the scheme's rule)"] == 10
    # Two did not engage: a count under 5, so it is published as [c], with its percentage.
    assert _reached(known, "not_engaged") == 2
    not_engaged = next(r for r in report.table("funnel").rows if r["stage"] == "Did not engage")
    assert not_engaged == {
        "stage": "Did not engage",
        "referrals": SUPPRESSED,
        "percent": SUPPRESSED,
    }
    assert _column(report, "funnel", "stage", "percent")["Assessed"] == 50.0


def test_referrals_by_local_authority_match_a_database_group_by(
    known: Known, report: Report
) -> None:
    expected = {
        row["local_authority__name"]: row["n"]
        for row in Referral.objects.filter(scheme=known.scheme)
        .values("local_authority__name")
        .annotate(n=Count("pk"))
    }
    assert expected == {known.first_area.name: 14, known.second_area.name: 6}
    assert _column(report, "referrals_by_local_authority", "category") == expected


def test_a_count_of_three_and_the_cell_that_would_reveal_it_are_suppressed(
    report: Report,
) -> None:
    # 17 cannabis and 3 cocaine: 3 is suppressed, and so is 17 (20 - 17 would give it away).
    assert _column(report, "referrals_by_substance", "category") == {
        "Cannabis (herbal or resin)": SUPPRESSED,
        "Cocaine powder": SUPPRESSED,
    }


def test_no_published_count_anywhere_is_between_one_and_four(report: Report) -> None:
    for table in report.tables():
        numeric = [c.key for c in table.columns if c.numeric]
        for row in table.rows:
            for key in numeric:
                value = row[key]
                if key in {"referrals"}:
                    assert value == SUPPRESSED or value == 0 or value >= 5, (table.key, row)
        chart_values = json.dumps(table.chart or {})
        assert '"referrals": 3' not in chart_values and '"referrals":3' not in chart_values


def test_the_chart_leaves_out_suppressed_cells(report: Report) -> None:
    # Every cell of the substance table is suppressed: nothing to draw, so no chart.
    assert report.table("referrals_by_substance").chart is None
    funnel = report.table("funnel").chart
    assert funnel is not None
    drawn = {row["stage"] for row in funnel["data"]["values"]}
    assert "Referred" in drawn and "Did not engage" not in drawn


def test_a_local_authority_filter_counts_only_that_area(known: Known) -> None:
    report = evaluation_report(
        scheme=known.scheme,
        start=known.start,
        end=known.end,
        local_authority=known.second_area.ons_code,
    )
    assert _column(report, "funnel", "stage")["Referred"] == 6
    assert report.local_authority_name == "Second Borough"
    assert "Second Borough" in report.title


def test_days_to_assessment_are_the_median_of_the_recorded_days(report: Report) -> None:
    days = {row["interval"]: row for row in report.table("days_to_assessment_and_course").rows}
    # Assessed on day 3 + i % 3 for i = 0..9: 3,4,5,3,4,5,3,4,5,3 -> median 4.
    assert days["Referral to assessment"]["referrals"] == 10
    assert days["Referral to assessment"]["median_days"] == 4


def test_the_report_as_json_holds_no_name_or_contact_detail(report: Report) -> None:
    text = json.dumps(report.to_dict())
    for private in ("Testperson", "example.org", "+4479", "Alex"):
        assert private not in text
    assert json.loads(text)["scheme"]["code"] == report.scheme_code
