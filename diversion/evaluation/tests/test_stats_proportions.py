"""Two groups as counts, against statsmodels and scipy: Newcombe's interval, the pooled z test,
Welch's t test on the 0/1 outcomes (with its interval) and the risk ratio."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from diversion.evaluation.stats import compare_proportions


def _outcomes(events: int, n: int) -> np.ndarray:
    return np.r_[np.ones(events), np.zeros(n - events)]


CASES = [(42, 120, 61, 118), (3, 20, 9, 25), (150, 1000, 190, 1000), (0, 30, 4, 35)]


@pytest.mark.parametrize(("a", "n1", "c", "n2"), CASES)
def test_the_figures_agree_with_statsmodels_and_scipy(a: int, n1: int, c: int, n2: int) -> None:
    ours = compare_proportions(treated_events=a, treated_n=n1, comparison_events=c, comparison_n=n2)
    low, high = confint_proportions_2indep(a, n1, c, n2, method="newcomb", compare="diff")
    assert ours.difference_pp == pytest.approx((a / n1 - c / n2) * 100, rel=1e-12)
    assert ours.newcombe_low_pp == pytest.approx(low * 100, rel=1e-9)
    assert ours.newcombe_high_pp == pytest.approx(high * 100, rel=1e-9)

    z, p = proportions_ztest([a, c], [n1, n2])
    assert ours.z == pytest.approx(z, rel=1e-9)
    assert ours.z_p_value == pytest.approx(p, rel=1e-9)

    x1, x2 = _outcomes(a, n1), _outcomes(c, n2)
    t, t_p, df = ttest_ind(x1, x2, usevar="unequal")
    assert (ours.t, ours.t_p_value, ours.t_df) == pytest.approx((t, t_p, df), rel=1e-9)
    t_low, t_high = CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).tconfint_diff(usevar="unequal")
    assert ours.t_low_pp == pytest.approx(t_low * 100, rel=1e-9)
    assert ours.t_high_pp == pytest.approx(t_high * 100, rel=1e-9)
    welch = scipy_stats.ttest_ind(x1, x2, equal_var=False)
    assert ours.t_p_value == pytest.approx(welch.pvalue, rel=1e-9)

    if a and c:
        r_low, r_high = confint_proportions_2indep(a, n1, c, n2, method="log", compare="ratio")
        assert ours.risk_ratio == pytest.approx((a / n1) / (c / n2), rel=1e-12)
        assert ours.risk_ratio_low == pytest.approx(r_low, rel=1e-9)
        assert ours.risk_ratio_high == pytest.approx(r_high, rel=1e-9)
    else:
        assert ours.risk_ratio is None


@settings(max_examples=60, deadline=None)
@given(
    n1=st.integers(2, 400),
    n2=st.integers(2, 400),
    f1=st.floats(0, 1),
    f2=st.floats(0, 1),
)
def test_newcombe_and_welch_agree_on_generated_counts(n1, n2, f1, f2) -> None:
    a, c = round(f1 * n1), round(f2 * n2)
    ours = compare_proportions(treated_events=a, treated_n=n1, comparison_events=c, comparison_n=n2)
    low, high = confint_proportions_2indep(a, n1, c, n2, method="newcomb", compare="diff")
    assert ours.newcombe_low_pp == pytest.approx(low * 100, rel=1e-7, abs=1e-9)
    assert ours.newcombe_high_pp == pytest.approx(high * 100, rel=1e-7, abs=1e-9)
    if 0 < a + c < n1 + n2 and 0 < a < n1 and 0 < c < n2:
        t, t_p, df = ttest_ind(_outcomes(a, n1), _outcomes(c, n2), usevar="unequal")
        assert (ours.t, ours.t_p_value, ours.t_df) == pytest.approx((t, t_p, df), rel=1e-7)


def test_the_sentence_reads_as_the_justice_data_lab_writes_it() -> None:
    fewer = compare_proportions(
        treated_events=300, treated_n=1000, comparison_events=400, comparison_n=1000
    )
    low, high = round(-fewer.t_high_pp), round(-fewer.t_low_pp)
    assert (low, high) == (6, 14)
    assert fewer.sentence() == (
        "For every 100 people in the treated group, between 6 and 14 fewer re-offended than "
        "would have without the treatment (95% confidence)."
    )
    unclear = compare_proportions(
        treated_events=10, treated_n=50, comparison_events=12, comparison_n=50
    )
    assert "cannot show whether" in unclear.sentence()
    # -4 points, Welch SE 0.0836 on 97.4 df: -20.6 to 12.6.
    assert unclear.sentence().startswith(
        "For every 100 people in the treated group, between 21 fewer and 13 more"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"treated_events": 5, "treated_n": 0}, "at least one person"),
        ({"treated_events": 11, "treated_n": 10}, "from 0 to the group size"),
        ({"treated_events": -1, "treated_n": 10}, "from 0 to the group size"),
    ],
)
def test_impossible_counts_are_refused(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        compare_proportions(**kwargs, comparison_events=1, comparison_n=10)
