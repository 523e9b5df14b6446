"""The operational figures on a small frame whose answers are counted by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from diversion.evaluation import operational

NaT = pd.NaT


def _frame() -> pd.DataFrame:
    """Eight referrals: hand counts are written next to each test."""
    rows = [
        # referred_on, la, how_found, drug, age, sex, group, assessed, course, completed,
        # not_engaged, engaged, assessed_on, course_on, missed
        (
            "2025-04-01",
            "E1",
            "stop_and_search",
            "cannabis",
            17,
            "male",
            "White",
            True,
            True,
            True,
            False,
            True,
            "2025-04-08",
            "2025-04-29",
            0,
        ),
        (
            "2025-04-02",
            "E1",
            "stop_and_search",
            "cannabis",
            19,
            "male",
            "Black",
            True,
            True,
            False,
            False,
            True,
            "2025-04-12",
            "2025-05-20",
            1,
        ),
        (
            "2025-04-09",
            "E2",
            "custody",
            "cocaine",
            24,
            "female",
            "Asian",
            True,
            False,
            False,
            False,
            True,
            "2025-04-10",
            None,
            0,
        ),
        (
            "2025-04-30",
            "E2",
            "stop_and_search",
            "cannabis",
            25,
            "male",
            "White",
            False,
            False,
            False,
            True,
            False,
            None,
            None,
            2,
        ),
        (
            "2025-05-01",
            "E1",
            "other",
            "cannabis",
            40,
            "female",
            "Mixed",
            False,
            False,
            False,
            False,
            False,
            None,
            None,
            0,
        ),
        (
            "2025-05-20",
            "E1",
            "stop_and_search",
            "cannabis",
            55,
            "male",
            "White",
            True,
            True,
            True,
            False,
            True,
            "2025-05-30",
            "2025-06-10",
            3,
        ),
        (
            "2025-06-02",
            "E3",
            "stop_and_search",
            "ketamine",
            33,
            "other",
            "Not stated",
            False,
            False,
            False,
            True,
            False,
            None,
            None,
            4,
        ),
        (
            "2025-06-03",
            "E1",
            "stop_and_search",
            "cannabis",
            61,
            "male",
            "White",
            True,
            False,
            False,
            False,
            True,
            "2025-06-05",
            None,
            0,
        ),
    ]
    columns = [
        "referred_on", "local_authority", "how_found", "main_drug", "age", "sex", "ethnic_group",
        "assessed", "course_booked", "completed", "not_engaged", "engaged", "assessed_on",
        "course_on", "missed_appointments",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("referred_on", "assessed_on", "course_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _as_dict(table: pd.DataFrame, key: str, value: str = "referrals") -> dict[str, object]:
    return dict(zip(table[key], table[value], strict=True))


def test_referrals_by_month_counts_each_calendar_month_and_shows_empty_months_as_zero() -> None:
    table = operational.referrals_by_period(
        _frame(), freq="month", start=dt.date(2025, 3, 15), end=dt.date(2025, 7, 31)
    )
    assert _as_dict(table, "period") == {
        "2025-03-01": 0,
        "2025-04-01": 4,
        "2025-05-01": 2,
        "2025-06-01": 2,
        "2025-07-01": 0,
    }


def test_referrals_by_week_counts_weeks_starting_on_monday() -> None:
    table = operational.referrals_by_period(
        _frame(), freq="week", start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30)
    )
    # 1 April 2025 is a Tuesday: its week starts on Monday 31 March. The week of 28 April
    # holds 30 April and 1 May.
    assert _as_dict(table, "period") == {
        "2025-03-31": 2,
        "2025-04-07": 1,
        "2025-04-14": 0,
        "2025-04-21": 0,
        "2025-04-28": 2,
    }


def test_a_period_other_than_week_or_month_is_refused() -> None:
    with pytest.raises(ValueError, match="week"):
        operational.referrals_by_period(
            _frame(), freq="day", start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30)
        )


def test_breakdowns_count_each_category_and_list_known_categories_even_when_empty() -> None:
    frame = _frame()
    assert _as_dict(operational.referrals_by(frame, "local_authority"), "category") == {
        "E1": 5,
        "E2": 2,
        "E3": 1,
    }
    assert _as_dict(operational.referrals_by(frame, "sex"), "category") == {
        "female": 2,
        "male": 5,
        "other": 1,
        "not_stated": 0,
    }
    assert _as_dict(operational.referrals_by(frame, "ethnic_group"), "category") == {
        "Asian": 1,
        "Black": 1,
        "Mixed": 1,
        "Other": 0,
        "White": 4,
        "Not stated": 1,
    }
    assert _as_dict(operational.referrals_by(frame, "main_drug"), "category") == {
        "cannabis": 6,
        "cocaine": 1,
        "ketamine": 1,
    }


def test_age_bands_put_each_age_in_exactly_one_band() -> None:
    assert _as_dict(operational.referrals_by_age_band(_frame()), "category") == {
        "Under 18": 1,
        "18 to 24": 2,
        "25 to 34": 2,
        "35 to 44": 1,
        "45 to 54": 0,
        "55 and over": 2,
    }
    assert operational.age_band(None) == "Not known"


def test_the_funnel_counts_everyone_who_reached_each_stage_with_percentages() -> None:
    table = operational.funnel(_frame())
    assert _as_dict(table, "stage") == {
        "Referred": 8,
        "Assessed": 5,
        "Booked on a course": 3,
        "Completed": 2,
        "Engaged (the scheme's rule)": 5,
        "Did not engage": 2,
    }
    assert _as_dict(table, "stage", "percent")["Assessed"] == 62.5


def test_the_funnel_of_no_referrals_has_zeros_and_no_percentages() -> None:
    table = operational.funnel(_frame().iloc[0:0])
    assert set(table["referrals"]) == {0}
    assert table["percent"].isna().all()


def test_days_to_assessment_and_course_are_medians_and_quartiles_of_those_who_got_there() -> None:
    table = operational.days_between(_frame()).set_index("interval")
    # To assessment: 7, 10, 1, 10, 2 days -> sorted 1, 2, 7, 10, 10.
    assert table.loc["Referral to assessment", "referrals"] == 5
    assert table.loc["Referral to assessment", "median_days"] == 7
    assert table.loc["Referral to assessment", "lower_quartile_days"] == 2
    assert table.loc["Referral to assessment", "upper_quartile_days"] == 10
    # To course: 28, 48, 21 days.
    assert table.loc["Referral to course", "referrals"] == 3
    assert table.loc["Referral to course", "median_days"] == 28


def test_missed_appointments_are_banded_and_totalled() -> None:
    frame = _frame()
    assert _as_dict(operational.missed_appointments(frame), "missed") == {
        "None": 4,
        "1": 1,
        "2": 1,
        "3 or more": 2,
    }
    assert operational.missed_appointments_total(frame) == 10
