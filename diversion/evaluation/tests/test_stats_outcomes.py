import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from diversion.evaluation.stats import (
    describe_percent_change,
    describe_pp_change,
    formal_outcome_shares,
    formal_outcomes_avoided,
    outcome_shares,
)

GO_LIVE = "2020-10-01"
BEFORE = ("2019-07-01", "2019-12-31")
AFTER = ("2021-07-01", "2021-12-31")  # the same 184 days


def _outcomes(spec):
    """spec: (period date, outcome code, ethnicity, sex, how many)."""
    rows = []
    for day, code, ethnicity, sex, count in spec:
        rows += [
            {
                "offence_date": pd.Timestamp(day),
                "local_authority": "E08000025",
                "offence_code": "92E",
                "outcome_code": code,
                "sex": sex,
                "ethnicity": ethnicity,
                "ethnic_group": {"B2": "Black", "W1": "White"}[ethnicity],
                "diverted": code == 8,
            }
        ] * count
    return pd.DataFrame(rows)


OUTCOMES = _outcomes(
    [
        ("2019-08-01", 1, "W1", "male", 100),  # charges before
        ("2019-08-01", 3, "W1", "male", 50),  # cautions before
        ("2019-08-01", 7, "W1", "male", 40),
        ("2019-08-01", 0, "W1", "male", 30),  # pending: not in any share
        ("2021-08-01", 1, "W1", "male", 29),  # charges after: fell 71%
        ("2021-08-01", 3, "W1", "male", 10),  # cautions after: fell 80%
        ("2021-08-01", 8, "W1", "male", 120),
        ("2021-08-01", 22, "W1", "male", 15),
        ("2021-08-01", 6, "W1", "male", 2),
        ("2020-11-01", 1, "W1", "male", 500),  # between the periods: ignored
    ]
)


def test_outcome_shares_count_each_group_per_period_and_leave_out_pending_cases():
    table = outcome_shares(OUTCOMES, go_live=GO_LIVE, before=BEFORE, after=AFTER).set_index("group")
    assert table.loc["charge", ["count_before", "total_before"]].tolist() == [100, 190]
    assert table.loc["charge", ["count_after", "total_after"]].tolist() == [29, 176]
    assert table.loc["community_resolution", "count_after"] == 120
    assert table.loc["outcome_22", "count_after"] == 15
    assert table.loc["penalty_notice", "count_after"] == 2
    assert table["count_before"].sum() == 190
    assert table.loc["charge", "share_before"] == pytest.approx(100 / 190)


def test_the_change_in_counts_is_the_charges_fell_71_percent_figure():
    table = outcome_shares(OUTCOMES, go_live=GO_LIVE, before=BEFORE, after=AFTER).set_index("group")
    assert bool(table.loc["charge", "equal_length"])
    assert table.loc["charge", "count_change_percent"] == pytest.approx(-71.0)
    assert table.loc["caution", "count_change_percent"] == pytest.approx(-80.0)
    assert describe_percent_change(100, 29, counts=True) == "fell by 71% (from 100 to 29)"


def test_share_changes_are_given_in_percentage_points_and_in_percent_separately():
    table = outcome_shares(OUTCOMES, go_live=GO_LIVE, before=BEFORE, after=AFTER).set_index("group")
    before, after = 100 / 190, 29 / 176
    assert table.loc["charge", "share_change_pp"] == pytest.approx((after - before) * 100)
    assert table.loc["charge", "share_change_percent"] == pytest.approx((after / before - 1) * 100)


def test_the_interval_and_p_value_for_a_change_in_share_match_statsmodels():
    table = outcome_shares(OUTCOMES, go_live=GO_LIVE, before=BEFORE, after=AFTER).set_index("group")
    low, high = confint_proportions_2indep(29, 176, 100, 190, method="newcomb", compare="diff")
    assert table.loc["charge", "share_change_ci_low_pp"] == pytest.approx(low * 100, abs=1e-9)
    assert table.loc["charge", "share_change_ci_high_pp"] == pytest.approx(high * 100, abs=1e-9)
    _, p_value = proportions_ztest([29, 100], [176, 190])
    assert table.loc["charge", "p_value"] == pytest.approx(p_value, rel=1e-9)


def test_periods_of_different_length_compare_counts_per_day():
    table = outcome_shares(
        OUTCOMES, go_live=GO_LIVE, before=BEFORE, after=("2021-07-01", "2022-06-30")
    ).set_index("group")
    assert not bool(table.loc["charge", "equal_length"])
    per_day_change = (29 / 365) / (100 / 184) * 100 - 100
    assert table.loc["charge", "count_change_percent"] == pytest.approx(per_day_change)


def test_periods_on_the_wrong_side_of_go_live_are_refused():
    with pytest.raises(ValueError, match="before"):
        outcome_shares(OUTCOMES, go_live="2019-10-01", before=BEFORE, after=AFTER)
    with pytest.raises(ValueError, match="after"):
        outcome_shares(OUTCOMES, go_live=GO_LIVE, before=BEFORE, after=("2020-09-01", "2021-01-01"))


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (0.46, 0.125, "fell by 33.5 percentage points (from 46.0% to 12.5%)"),
        (0.10, 0.15, "rose by 5.0 percentage points (from 10.0% to 15.0%)"),
        (0.2, 0.2, "did not change (from 20.0% to 20.0%)"),
    ],
)
def test_percentage_point_changes_are_worded_unambiguously(before, after, expected):
    assert describe_pp_change(before, after) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (0.46, 0.125, "fell by 73%"),
        (10, 13, "rose by 30%"),
        (0, 5, "cannot be stated as a percentage (nothing in the earlier period)"),
    ],
)
def test_relative_changes_are_worded_as_percent(before, after, expected):
    assert describe_percent_change(before, after) == expected


def test_formal_outcome_share_for_african_caribbean_males_falls_from_46_to_12_5_percent():
    outcomes = _outcomes(
        [
            ("2019-09-01", 1, "B2", "male", 13),
            ("2019-09-01", 3, "B2", "male", 10),  # 23 formal of 50 = 46%
            ("2019-09-01", 7, "B2", "male", 27),
            ("2021-09-01", 1, "B2", "male", 3),
            ("2021-09-01", 6, "B2", "male", 2),  # 5 formal of 40 = 12.5%
            ("2021-09-01", 8, "B2", "male", 35),
            ("2019-09-01", 1, "W1", "female", 1),
            ("2021-09-01", 8, "W1", "female", 4),
        ]
    )
    table = formal_outcome_shares(
        outcomes, go_live=GO_LIVE, before=BEFORE, after=AFTER, by=("ethnicity", "sex")
    ).set_index(["ethnicity", "sex"])
    row = table.loc[("B2", "male")]
    assert (row["formal_before"], row["total_before"]) == (23, 50)
    assert (row["formal_after"], row["total_after"]) == (5, 40)
    assert row["share_before"] == pytest.approx(0.46)
    assert row["share_after"] == pytest.approx(0.125)
    assert row["share_change_pp"] == pytest.approx(-33.5)
    assert row["share_change_percent"] == pytest.approx((0.125 / 0.46 - 1) * 100)
    low, high = confint_proportions_2indep(5, 40, 23, 50, method="newcomb", compare="diff")
    assert (row["share_change_ci_low_pp"], row["share_change_ci_high_pp"]) == pytest.approx(
        (low * 100, high * 100), abs=1e-9
    )
    assert table.loc[("W1", "female"), "share_before"] == 1.0
    assert np.isclose(table.loc[("W1", "female"), "share_after"], 0.0)


def test_formal_outcomes_avoided_are_the_fall_in_charges_cautions_and_penalty_notices():
    table = outcome_shares(OUTCOMES, go_live=GO_LIVE, before=BEFORE, after=AFTER)
    assert formal_outcomes_avoided(table) == {
        "charge": 71.0,
        "caution": 40.0,
        "penalty_notice": -2.0,
    }
