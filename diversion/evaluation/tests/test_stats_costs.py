import pytest

from diversion.evaluation.stats import cost_summary

UNIT_COSTS = {
    "referral": (150.0, "Provider contract 2024-25, price per referral"),
    "course_place": (60.0, "Provider contract 2024-25, price per course place"),
    "charge": (1_200.0, "Home Office, cost of a charge to the police and CPS"),
    "caution": (300.0, "Home Office, cost of a simple caution"),
}


def test_costs_per_referral_and_per_completion_are_worked_by_hand():
    # 1,000 referrals x £150 + 400 course places x £60 = £150,000 + £24,000 = £174,000.
    summary = cost_summary(
        referrals=1_000,
        completions=400,
        formal_outcomes_avoided={"charge": 71, "caution": 40},
        unit_costs=UNIT_COSTS,
    )
    assert summary.scheme_cost == pytest.approx(174_000)
    assert summary.cost_per_referral == pytest.approx(174.0)
    assert summary.cost_per_completion == pytest.approx(435.0)
    # 71 x £1,200 + 40 x £300 = £85,200 + £12,000 = £97,200.
    assert summary.avoided_cost == pytest.approx(97_200)
    assert summary.net_cost == pytest.approx(76_800)


def test_every_assumption_is_listed_with_its_source():
    summary = cost_summary(
        referrals=1_000,
        completions=400,
        formal_outcomes_avoided={"charge": 71},
        unit_costs=UNIT_COSTS,
    )
    listed = summary.assumptions.set_index("name")
    assert list(listed.index) == ["referral", "course_place", "charge"]
    assert listed.loc["charge", "source"] == UNIT_COSTS["charge"][1]
    assert listed.loc["course_place", "volume"] == 400
    lines = summary.assumption_lines()
    assert lines[0] == (
        "referral: £150.00 each x 1,000 referrals = £150,000.00 "
        "(source: Provider contract 2024-25, price per referral)"
    )


def test_assessments_are_costed_only_with_their_number():
    costs = {**UNIT_COSTS, "assessment": (80.0, "Provider contract, assessment")}
    with pytest.raises(ValueError, match="assessments"):
        cost_summary(referrals=10, completions=5, formal_outcomes_avoided={}, unit_costs=costs)
    summary = cost_summary(
        referrals=10, completions=5, assessments=7, formal_outcomes_avoided={}, unit_costs=costs
    )
    assert summary.scheme_cost == pytest.approx(10 * 150 + 7 * 80 + 5 * 60)


def test_an_avoided_outcome_without_a_unit_cost_or_a_cost_without_a_source_is_refused():
    with pytest.raises(ValueError, match="court_case"):
        cost_summary(
            referrals=1,
            completions=1,
            formal_outcomes_avoided={"court_case": 3},
            unit_costs=UNIT_COSTS,
        )
    with pytest.raises(ValueError, match="source"):
        cost_summary(
            referrals=1,
            completions=1,
            formal_outcomes_avoided={},
            unit_costs={"referral": (1.0, " ")},
        )


def test_no_completions_gives_no_cost_per_completion_rather_than_an_error():
    summary = cost_summary(
        referrals=3, completions=0, formal_outcomes_avoided={}, unit_costs=UNIT_COSTS
    )
    assert summary.cost_per_completion != summary.cost_per_completion  # NaN
