"""The evaluator's extract: keyed pseudonyms per extract, no identifiers, re-offending flags."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from diversion.evaluation.extract import COLUMNS, extract_rows, pseudonym


def _referrals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "referral_id": [1, 2],
            "person_key": ["P10", "P11"],
            "scheme": ["WM", "WM"],
            "referred_on": pd.to_datetime(["2025-01-10", "2025-09-01"]),
            "local_authority": ["E08000025", "E08000026"],
            "how_found": ["stop_search", "custody"],
            "main_drug": ["cannabis", "cocaine"],
            "age": [19, 34],
            "sex": ["male", "female"],
            "ethnicity": ["W1", "B2"],
            "ethnic_group": ["White", "Black"],
            "status": ["completed", "assessment_booked"],
            "assessed": [True, False],
            "course_booked": [True, False],
            "completed": [True, False],
            "not_engaged": [False, False],
            "engaged": [True, False],
            "assessed_on": pd.to_datetime(["2025-01-15", None]),
            "course_on": pd.to_datetime(["2025-02-01", None]),
            "missed_appointments": [0, 1],
        }
    )


def _offences() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_key": ["P10", "P10", "P10"],
            "offence_date": pd.to_datetime(["2024-06-01", "2025-05-01", "2025-11-20"]),
            "offence_code": ["92E", "105A", "92E"],
            "is_possession": [True, False, True],
            "disposal": ["", "", ""],
            "disposal_date": pd.to_datetime([None, None, None]),
        }
    )


def test_rows_carry_ages_and_months_but_no_exact_dates_or_keys() -> None:
    rows = extract_rows(_referrals(), _offences(), key=b"k" * 32, as_of=dt.date(2026, 3, 1))
    first = rows[0]
    assert list(first) == list(COLUMNS)
    assert first["referral_month"] == "2025-01"
    assert first["age"] == "19" and first["age_band"] == "18 to 24"
    assert first["days_to_assessment"] == "5" and first["days_to_course"] == "22"
    assert "P10" not in str(rows) and "2025-01-10" not in str(rows)


def test_reoffending_flags_follow_the_police_record_within_each_window() -> None:
    rows = extract_rows(_referrals(), _offences(), key=b"k" * 32, as_of=dt.date(2026, 3, 1))
    first, second = rows
    # P10: an offence 3.7 months after (not possession), possession 10.3 months after.
    assert first["prior_offences"] == 1 and first["prior_possession_offences"] == 1
    assert first["reoffended_6m_any"] is True
    assert first["reoffended_6m_possession"] is False
    assert first["reoffended_12m_possession"] is True
    # P11 was referred on 1 September 2025: six months have not passed by 1 March 2026.
    assert second["reoffended_6m_any"] == "" and second["reoffended_12m_any"] == ""


def test_two_extracts_give_the_same_person_different_pseudonyms() -> None:
    one = extract_rows(_referrals(), _offences(), key=b"a" * 32, as_of=dt.date(2026, 3, 1))
    two = extract_rows(_referrals(), _offences(), key=b"b" * 32, as_of=dt.date(2026, 3, 1))
    assert one[0]["person_pseudonym"] != two[0]["person_pseudonym"]
    assert one[0]["person_pseudonym"] == pseudonym(b"a" * 32, "person:P10")
    assert one[0]["person_pseudonym"] != one[1]["person_pseudonym"]
