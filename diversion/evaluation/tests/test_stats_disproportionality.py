import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.rates import confint_poisson_2indep

from diversion.evaluation.stats import rate_ratio_interval, stop_search_rates


def _searches(counts, day="2023-05-01"):
    rows = []
    for group, count in counts.items():
        rows += [
            {
                "searched_on": pd.Timestamp(day),
                "local_authority": "E08000025",
                "sex": "male",
                "ethnicity": "",
                "ethnic_group": group,
                "observed_ethnicity": "",
            }
        ] * count
    return pd.DataFrame(rows)


POPULATION = pd.DataFrame(
    {
        "local_authority": ["E08000025"] * 6,
        "sex": ["male", "female"] * 3,
        "ethnic_group": ["White", "White", "Black", "Black", "Asian", "Asian"],
        "population": [40_000, 40_000, 5_000, 5_000, 15_000, 15_000],
    }
)


def test_rates_per_1000_and_ratios_to_the_white_group_worked_by_hand():
    searches = _searches({"White": 100, "Black": 60, "Asian": 45, "Not stated": 7})
    result = stop_search_rates(searches, POPULATION, start="2023-01-01", end="2023-12-31")
    table = result.table.set_index("ethnic_group")
    # White 100 / 80,000 = 1.25 per 1,000; Black 60 / 10,000 = 6.0; Asian 45 / 30,000 = 1.5.
    assert table.loc["White", "rate_per_1000"] == pytest.approx(1.25)
    assert table.loc["Black", "rate_per_1000"] == pytest.approx(6.0)
    assert table.loc["Black", "ratio_to_reference"] == pytest.approx(4.8)
    # ln 4.8 +/- 1.96 x sqrt(1/60 + 1/100) = ln 4.8 +/- 0.32006: 3.4853 to 6.6106.
    assert table.loc["Black", "ratio_ci_low"] == pytest.approx(3.4853, abs=5e-4)
    assert table.loc["Black", "ratio_ci_high"] == pytest.approx(6.6106, abs=5e-4)
    assert table.loc["White", "ratio_to_reference"] == 1.0
    assert math.isnan(table.loc["White", "ratio_ci_low"])
    assert table.loc["Not stated", "searches"] == 7
    assert math.isnan(table.loc["Not stated", "rate_per_1000"])
    assert result.days == 365
    assert "(one year)" in result.basis


def test_the_ratio_comes_from_unrounded_rates():
    # 37 / 13,000 = 2.846 per 1,000 and 11 / 9,000 = 1.222: rounded first they give 2.85 / 1.22
    # = 2.336, unrounded 2.3287.
    searches = _searches({"White": 11, "Black": 37})
    population = POPULATION.assign(population=[4_500, 4_500, 6_500, 6_500, 1, 1])
    table = stop_search_rates(searches, population, start="2023-01-01", end="2023-12-31").table
    ratio = table.set_index("ethnic_group").loc["Black", "ratio_to_reference"]
    assert ratio == pytest.approx((37 / 13_000) / (11 / 9_000), rel=1e-12)
    assert round(ratio, 2) != round(round(37 / 13, 2) / round(11 / 9, 2), 2)


def test_a_period_shorter_than_a_year_also_gives_an_annual_rate_and_says_so():
    searches = _searches({"White": 100, "Black": 60}, day="2023-02-01")
    result = stop_search_rates(searches, POPULATION, start="2023-01-01", end="2023-03-31")
    table = result.table.set_index("ethnic_group")
    assert result.days == 90
    assert table.loc["Black", "rate_per_1000_a_year"] == pytest.approx(6.0 * 365.25 / 90)
    assert "a year" in result.basis
    outside = stop_search_rates(searches, POPULATION, start="2023-03-01", end="2023-03-31")
    assert outside.table["searches"].sum() == 0


@pytest.mark.parametrize(
    ("a", "na", "b", "nb"),
    [(60, 10_000, 100, 80_000), (3, 2_000, 250, 90_000), (1234, 5e5, 987, 2.1e6)],
)
def test_the_rate_ratio_interval_matches_statsmodels_wald_log(a, na, b, nb):
    ratio, low, high = rate_ratio_interval(a, na, b, nb)
    expected = confint_poisson_2indep(a, na, b, nb, method="wald-log", compare="ratio")
    assert ratio == pytest.approx((a / na) / (b / nb))
    assert (low, high) == pytest.approx(tuple(np.asarray(expected, dtype=float)), rel=1e-10)


def test_a_group_with_no_searches_has_a_ratio_of_zero_and_no_interval():
    ratio, low, high = rate_ratio_interval(0, 1000, 10, 1000)
    assert ratio == 0
    assert math.isnan(low)
    assert math.isnan(high)
