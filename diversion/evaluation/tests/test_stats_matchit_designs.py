"""MatchIt's designs on MatchIt's own data (`lalonde`), live against R: MatchIt's default
`matchit(treat ~ ..., method = "nearest")` and the project's default design (logit, caliper 0.2
standard deviations, treated off support discarded), to 3 decimals on balance and to the
pound (dollar) on the effect; and what each `discard` drops."""

from __future__ import annotations

import subprocess
import textwrap

import numpy as np
import pandas as pd
import pytest

from diversion.evaluation.stats import matched_comparison
from diversion.evaluation.tests.rscript import require_r_package

COVARIATES = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]

R_SCRIPT = textwrap.dedent(
    """
    suppressMessages(library(MatchIt))
    args <- commandArgs(trailingOnly = TRUE)
    data("lalonde", package = "MatchIt")
    d <- lalonde
    d$id <- rownames(lalonde)
    f <- treat ~ age + educ + race + married + nodegree + re74 + re75
    effect <- function(m) {
      md <- match.data(m)
      unname(coef(lm(re78 ~ treat, data = md, weights = weights))[2])
    }
    # MatchIt's default design.
    m <- matchit(f, data = d, method = "nearest")
    write.csv(d, file.path(args[1], "lalonde.csv"), row.names = FALSE)
    write.csv(data.frame(treated = rownames(m$match.matrix), control = m$match.matrix[, 1]),
              file.path(args[1], "default_pairs.csv"), row.names = FALSE)
    write.csv(summary(m)$sum.matched, file.path(args[1], "default_balance.csv"))
    # The project's design: linear propensity score, caliper 0.2 SD, treated off support
    # discarded; matched through the distance-matrix path (the nearest available control).
    p <- matchit(f, data = d, method = "nearest", distance = "glm", link = "linear.logit",
                 caliper = 0.2, std.caliper = TRUE, discard = "treated", m.order = "largest")
    d$score <- p$distance
    d2 <- d[!p$discarded, ]
    d2 <- d2[order(-d2$treat, -d2$score), ]
    dm <- abs(outer(d2$score[d2$treat == 1], d2$score[d2$treat == 0], "-"))
    width <- 0.2 * sd(p$distance[!p$discarded])
    p2 <- matchit(f, data = d2, method = "nearest", distance = dm, caliper = width,
                  std.caliper = FALSE, m.order = "data")
    extra <- data.frame(distance_ = d2$score)
    write.csv(summary(p2, addlvariables = extra, un = FALSE)$sum.matched,
              file.path(args[1], "project_balance.csv"))
    write.csv(summary(p, un = TRUE)$sum.all, file.path(args[1], "project_before.csv"))
    write.csv(data.frame(default = effect(m), project = effect(p2),
                         discarded = sum(p$discarded), matched = sum(p2$weights[d2$treat == 1])),
              file.path(args[1], "effects.csv"), row.names = FALSE)
    """
)


@pytest.fixture(scope="module")
def r_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    require_r_package("MatchIt", "r-cran-matchit")
    folder = tmp_path_factory.mktemp("matchit")
    (folder / "designs.R").write_text(R_SCRIPT)
    run = subprocess.run(
        ["Rscript", str(folder / "designs.R"), str(folder)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return {
        name: pd.read_csv(folder / f"{name}.csv", index_col=0 if "balance" in name else None)
        for name in (
            "lalonde",
            "default_pairs",
            "default_balance",
            "project_balance",
            "project_before",
            "effects",
        )
    }


def _cohort(lalonde: pd.DataFrame) -> pd.DataFrame:
    return lalonde.assign(person_key=lalonde["id"], treated=lalonde["treat"].astype(bool))


def _names(balance: pd.DataFrame) -> list[str]:
    return [
        "distance" if row.covariate.startswith("distance") else f"{row.covariate}{row.level}"
        for row in balance.itertuples()
    ]


def test_matchits_default_design_is_reproduced_exactly(r_results) -> None:
    ours = matched_comparison(
        _cohort(r_results["lalonde"]),
        covariates=COVARIATES,
        covariates_only=True,
        outcome="re78",
        caliper=None,
        discard="none",
        distance="propensity",
        neighbour="matchit",
        seed=None,
    )
    theirs = r_results["default_pairs"]
    assert dict(zip(ours.pairs["treated_key"], ours.pairs["comparison_key"], strict=True)) == dict(
        zip(theirs["treated"], theirs["control"], strict=True)
    )
    effect = r_results["effects"]["default"].iloc[0]
    assert abs(ours.difference - effect) < 1.0  # to the dollar
    balance = ours.balance.set_axis(_names(ours.balance))
    r_balance = r_results["default_balance"]
    np.testing.assert_allclose(
        balance.loc[r_balance.index, "smd_after"], r_balance["Std. Mean Diff."], atol=5e-4
    )
    numeric = balance.index[(balance["kind"] == "numeric") & balance.index.isin(r_balance.index)]
    np.testing.assert_allclose(
        balance.loc[numeric, "variance_ratio_after"],
        r_balance.loc[numeric, "Var. Ratio"],
        atol=5e-4,
    )


def test_the_projects_default_design_agrees_with_matchit(r_results) -> None:
    ours = matched_comparison(
        _cohort(r_results["lalonde"]),
        covariates=COVARIATES,
        covariates_only=True,
        outcome="re78",
    )
    effects = r_results["effects"].iloc[0]
    assert ours.n_treated_off_support == effects["discarded"]
    assert ours.n_treated_matched == effects["matched"]
    assert abs(ours.difference - effects["project"]) < 1.0
    balance = ours.balance.set_axis(_names(ours.balance))
    r_after = r_results["project_balance"].rename(index={"distance_": "distance"})
    before = r_results["project_before"]
    names = [n for n in balance.index if n in before.index]
    denominator = (before["Means Treated"] - before["Means Control"]) / before["Std. Mean Diff."]
    r_smd_after = (
        r_after.loc[names, "Means Treated"] - r_after.loc[names, "Means Control"]
    ) / denominator[names]
    np.testing.assert_allclose(balance.loc[names, "smd_after"], r_smd_after, atol=5e-4)
    np.testing.assert_allclose(
        balance.loc[names, "smd_before"], before.loc[names, "Std. Mean Diff."], atol=5e-4
    )


@pytest.mark.parametrize(
    ("discard", "treated_out", "controls_out"),
    [
        ("none", False, False),
        ("treated", True, False),
        ("control", False, True),
        ("both", True, True),
    ],
)
def test_discard_drops_whom_matchit_drops(discard, treated_out, controls_out) -> None:
    rng = np.random.default_rng(3)
    n = 400
    x = np.r_[rng.normal(1.5, 1, 100), rng.normal(0, 1, n - 100)]
    cohort = pd.DataFrame(
        {
            "person_key": [f"p{i}" for i in range(n)],
            "treated": np.r_[np.ones(100, bool), np.zeros(n - 100, bool)],
            "reoffended": rng.random(n) < 0.3,
            "x": x,
        }
    )
    result = matched_comparison(
        cohort, covariates=["x"], covariates_only=True, discard=discard, caliper=None
    )
    units = result.units
    score = units["logit"]
    t, c = units["treated"], ~units["treated"]
    t_outside = t & ((score < score[c].min()) | (score > score[c].max()))
    c_outside = c & ((score < score[t].min()) | (score > score[t].max()))
    assert t_outside.any() and c_outside.any()  # the data has both kinds
    assert result.n_treated_off_support == (int(t_outside.sum()) if treated_out else 0)
    used_controls = set(result.pairs["comparison_key"])
    outside_keys = set(units.loc[c_outside, "person_key"])
    if controls_out:
        assert not used_controls & outside_keys
    assert result.n_treated_matched == int(t.sum()) - result.n_treated_off_support
    with pytest.raises(ValueError, match="discard is"):
        matched_comparison(cohort, covariates=["x"], covariates_only=True, discard="all")
