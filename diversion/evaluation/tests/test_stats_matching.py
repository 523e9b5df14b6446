import dataclasses
import subprocess
import textwrap

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from diversion.evaluation.stats import matched_comparison
from diversion.evaluation.stats.matching import MIN_MATCHED, _match_without_replacement
from diversion.evaluation.tests.rscript import require_r_package
from diversion.synthetic.cohort import synthetic_cohort

COVARIATES = [
    "age",
    "prior_offences",
    "prior_possession",
    "deprivation",
    "sex",
    "ethnic_group",
    "local_authority",
]


@pytest.fixture(scope="module")
def cohort():
    return synthetic_cohort(n_treated=400, n_pool=4_000, effect=-0.08, seed=11)


@pytest.fixture(scope="module")
def result(cohort):
    return matched_comparison(cohort, covariates=["deprivation"])


def test_propensity_scores_match_statsmodels_logit(cohort, result):
    design = pd.get_dummies(
        cohort[COVARIATES],
        columns=["sex", "ethnic_group", "local_authority"],
        drop_first=True,
        dtype=float,
    )
    fitted = sm.Logit(cohort["treated"].astype(float), sm.add_constant(design)).fit(
        disp=0, tol=1e-12
    )
    expected = fitted.predict(sm.add_constant(design)).to_numpy()
    np.testing.assert_allclose(result.units["propensity"], expected, rtol=1e-6)


def test_the_estimate_recovers_a_known_true_effect_that_a_naive_comparison_misses():
    data = synthetic_cohort(n_treated=3_000, n_pool=30_000, effect=-0.08, seed=5)
    naive = (
        data.loc[data["treated"], "reoffended"].mean()
        - data.loc[~data["treated"], "reoffended"].mean()
    )
    found = matched_comparison(data, covariates=["deprivation"])
    assert found.ci_low < -0.08 < found.ci_high
    assert not found.ci_low < naive < found.ci_high
    assert found.n_treated_matched > 2_900
    balanced = found.balance.iloc[1:]
    assert (balanced["smd_after"].abs() < 0.1).all()
    assert (balanced["smd_before"].abs().max()) > 0.5


def test_the_interval_uses_standard_errors_clustered_by_matched_pair_as_statsmodels_does(
    cohort, result
):
    outcome = cohort.set_index("person_key")["reoffended"].astype(float)
    pairs = result.pairs.reset_index(names="pair")
    y = np.r_[outcome[pairs["treated_key"]].to_numpy(), outcome[pairs["comparison_key"]].to_numpy()]
    treated = np.r_[np.ones(len(pairs)), np.zeros(len(pairs))]
    groups = np.r_[pairs["pair"], pairs["pair"]]
    fitted = sm.WLS(y, sm.add_constant(treated), weights=np.ones_like(y)).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    assert result.difference == pytest.approx(fitted.params[1], abs=1e-12)
    assert result.standard_error == pytest.approx(fitted.bse[1], rel=1e-9)
    assert result.p_value == pytest.approx(fitted.pvalues[1], rel=1e-6)
    assert result.treated_rate - result.comparison_rate == pytest.approx(result.difference)


def test_greedy_matching_takes_the_highest_score_first_and_never_reuses_a_comparison():
    treated = np.array([0.0, 0.1])
    controls = np.array([0.05, 0.5])
    pairs = _match_without_replacement(treated, controls, width=0.3, ratio=1)
    assert pairs == [(1, 0)]  # 0.1 chose first and took 0.05; 0.0 had only 0.5, outside the caliper
    wide = _match_without_replacement(treated, controls, width=1.0, ratio=1)
    assert sorted(wide) == [(0, 1), (1, 0)]


def test_with_a_ratio_everyone_gets_a_first_match_before_anyone_gets_a_second():
    treated = np.array([0.0, 1.0])
    controls = np.array([-0.1, 0.05, 0.9, 0.95, 1.1])
    pairs = _match_without_replacement(treated, controls, width=10.0, ratio=2)
    assert pairs[:2] == [(1, 3), (0, 1)]
    assert len(pairs) == 4
    assert len({c for _, c in pairs}) == 4


def test_treated_people_outside_the_pools_scores_are_discarded_and_counted(cohort):
    shifted = cohort.copy()
    extreme = shifted.index[shifted["treated"]][:5]
    shifted.loc[extreme, "deprivation"] = 40.0
    found = matched_comparison(shifted, covariates=["deprivation"])
    assert found.n_treated_off_support >= 5
    assert found.units.loc[found.units["off_support"], "treated"].all()
    assert any("outside the pool's range" in warning for warning in found.warnings)


def test_a_local_authority_held_only_by_one_group_is_set_aside_and_counted(cohort):
    data = cohort.copy()
    data.loc[data.index[data["treated"]][:7], "local_authority"] = "E06000099"
    data.loc[data.index[~data["treated"]][:9], "local_authority"] = "E06000098"
    found = matched_comparison(data)
    assert found.n_treated_excluded == 7
    assert found.n_pool_excluded == 9
    assert "E06000099" not in set(
        found.units["person_key"].map(data.set_index("person_key")["local_authority"])
    )


def test_a_covariate_that_separates_the_groups_entirely_is_dropped_with_a_warning(cohort):
    data = cohort.assign(local_authority=np.where(cohort["treated"], "E08000025", "E08000026"))
    found = matched_comparison(data)
    assert found.dropped_covariates == ("local_authority",)
    assert any("local_authority was left out" in warning for warning in found.warnings)
    assert found.n_treated_matched > 0


def test_small_groups_carry_a_sample_size_warning():
    small = synthetic_cohort(n_treated=40, n_pool=400, seed=2)
    found = matched_comparison(small)
    assert found.n_treated_matched < MIN_MATCHED
    assert any(f"fewer than {MIN_MATCHED}" in warning for warning in found.warnings)


def test_matching_with_replacement_may_reuse_comparison_people(cohort):
    found = matched_comparison(cohort, covariates=["deprivation"], replace=True, ratio=2)
    assert found.pairs.groupby("treated_key").size().max() == 2
    assert found.n_controls_matched < len(found.pairs)
    assert any("replacement" in warning for warning in found.warnings)


@pytest.mark.parametrize(
    ("difference", "low", "high", "expected"),
    [
        (-0.052, -0.081, -0.023, "5.2 fewer re-offended"),
        (-0.052, -0.081, -0.023, "between 2.3 and 8.1 fewer"),
        (0.031, 0.004, 0.058, "3.1 more re-offended"),
        (0.031, 0.004, 0.058, "between 0.4 and 5.8 more"),
        (-0.01, -0.03, 0.01, "between 3.0 fewer and 1.0 more"),
    ],
)
def test_the_result_is_worded_per_100_people(result, difference, low, high, expected):
    worded = dataclasses.replace(result, difference=difference, ci_low=low, ci_high=high).describe()
    assert worded.startswith("For every 100 people diverted")
    assert expected in worded


# MatchIt 4.5.1's fast path for a propensity-score vector (nn_matchC_vec) takes the left-hand
# neighbour in some cases where the right-hand one is closer (treated 10 with controls 10.01 and
# 9.5 gets 9.5), so the matching is checked through MatchIt's distance-matrix path, which takes
# the nearest available control, given the scores and caliper from the first, glm-based call.
R_SCRIPT = textwrap.dedent(
    """
    suppressMessages(library(MatchIt))
    args <- commandArgs(trailingOnly = TRUE)
    d <- read.csv(args[1], stringsAsFactors = TRUE)
    f <- treated ~ age + prior_offences + prior_possession + deprivation + sex + ethnic_group +
      local_authority
    m <- matchit(f, data = d, method = "nearest", distance = "glm", link = "linear.logit",
                 caliper = 0.2, std.caliper = TRUE, discard = "treated", m.order = "largest")
    d$distance <- m$distance
    d2 <- d[!m$discarded, ]
    d2 <- d2[order(-d2$treated, -d2$distance), ]
    dm <- abs(outer(d2$distance[d2$treated == 1], d2$distance[d2$treated == 0], "-"))
    width <- 0.2 * sd(m$distance[!m$discarded])
    m2 <- matchit(f, data = d2, method = "nearest", distance = dm, caliper = width,
                  std.caliper = FALSE, m.order = "data")
    weights <- rep(0, nrow(d))
    names(weights) <- d$person_key
    weights[as.character(d2$person_key)] <- m2$weights
    write.csv(data.frame(person_key = d$person_key, distance = m$distance, weight = weights,
                         discarded = m$discarded), file.path(args[2], "units.csv"),
              row.names = FALSE)
    write.csv(summary(m, un = TRUE)$sum.all, file.path(args[2], "all.csv"))
    extra <- data.frame(distance_ = d2$distance)
    write.csv(summary(m2, addlvariables = extra, un = FALSE)$sum.matched,
              file.path(args[2], "matched.csv"))
    md <- match.data(m2)
    fit <- lm(as.numeric(reoffended) ~ treated, data = md, weights = weights)
    se <- NA
    if (requireNamespace("sandwich", quietly = TRUE)) {
      se <- sqrt(sandwich::vcovCL(fit, cluster = ~subclass)[2, 2])
    }
    write.csv(data.frame(estimate = coef(fit)[2], se = se, width = width),
              file.path(args[2], "estimate.csv"), row.names = FALSE)
    """
)


def test_propensity_scores_matches_balance_and_estimate_agree_with_r_matchit(
    tmp_path, cohort, result
):
    require_r_package("MatchIt", "r-cran-matchit")
    data = cohort.assign(
        treated=cohort["treated"].astype(int), reoffended=cohort["reoffended"].astype(int)
    )
    data.drop(columns=["index_date", "base_risk"]).to_csv(tmp_path / "cohort.csv", index=False)
    (tmp_path / "match.R").write_text(R_SCRIPT)
    run = subprocess.run(
        ["Rscript", str(tmp_path / "match.R"), str(tmp_path / "cohort.csv"), str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    r_units = pd.read_csv(tmp_path / "units.csv")
    ours = result.units
    np.testing.assert_allclose(ours["logit"], r_units["distance"], rtol=1e-6, atol=1e-8)
    assert result.n_treated_off_support == int(r_units["discarded"].sum())
    matched_r = set(r_units.loc[r_units["weight"] > 0, "person_key"])
    matched_ours = set(ours.loc[ours["weight"] > 0, "person_key"])
    assert matched_ours == matched_r
    assert result.n_treated_matched == int(
        ((r_units["weight"] > 0) & data["treated"].astype(bool)).sum()
    )

    names = [
        "distance" if row.covariate.startswith("distance") else f"{row.covariate}{row.level}"
        for row in result.balance.itertuples()
    ]
    balance = result.balance.set_axis(names)
    numeric = balance.index[balance["kind"] == "numeric"]
    before = pd.read_csv(tmp_path / "all.csv", index_col=0)
    np.testing.assert_allclose(
        balance["smd_before"], before.loc[names, "Std. Mean Diff."], rtol=1e-5, atol=1e-7
    )
    np.testing.assert_allclose(
        balance.loc[numeric, "variance_ratio_before"], before.loc[numeric, "Var. Ratio"], rtol=1e-5
    )
    # After matching: the same denominator as before matching (the diverted's SD in the whole
    # sample), recovered from MatchIt's own before-matching difference and SMD.
    after = pd.read_csv(tmp_path / "matched.csv", index_col=0).rename(
        index={"distance_": "distance"}
    )
    denominator = (before["Means Treated"] - before["Means Control"]) / before["Std. Mean Diff."]
    r_smd_after = (
        after.loc[names, "Means Treated"] - after.loc[names, "Means Control"]
    ) / denominator[names]
    np.testing.assert_allclose(balance["smd_after"], r_smd_after, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(
        balance.loc[numeric, "variance_ratio_after"], after.loc[numeric, "Var. Ratio"], rtol=1e-5
    )
    estimate = pd.read_csv(tmp_path / "estimate.csv").iloc[0]
    assert result.caliper_width == pytest.approx(estimate["width"], rel=1e-6)
    assert result.difference == pytest.approx(estimate["estimate"], abs=1e-10)
    if not np.isnan(estimate["se"]):
        assert result.standard_error == pytest.approx(estimate["se"], rel=1e-6)


def test_a_binary_column_everyone_has_gets_variance_zero_not_a_rounding_error() -> None:
    # Nine equal weights add up to a hair over 1, so p(1 - p) came out negative and the square
    # root of the balance table failed ("math domain error") on generated data.
    from diversion.evaluation.stats.matching import _group_moments

    means, variances = _group_moments(np.ones((9, 1)), np.ones((9, 1)), np.array([True]))
    assert means[0, 0] == pytest.approx(1.0)
    assert variances[0, 0] == 0.0
