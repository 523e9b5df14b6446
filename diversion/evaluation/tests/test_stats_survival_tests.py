"""The log-rank test and median survival, against lifelines and R's survival package on the
classic data sets: lifelines' Waltons (two groups) and the NCCTG lung cancer data (`lung`, in
both lifelines and R: two, four groups, and stratified)."""

from __future__ import annotations

import subprocess
import textwrap

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_lung, load_waltons
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times

from diversion.evaluation.stats import kaplan_meier, log_rank, median_survival
from diversion.evaluation.tests.rscript import require_r_package


@pytest.fixture(scope="module")
def waltons() -> pd.DataFrame:
    return load_waltons()


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    data = load_lung()
    return data.assign(event=data["status"] == 1)  # lifelines' lung: status 1 = died


def test_two_groups_agree_with_lifelines_logrank_test(waltons: pd.DataFrame) -> None:
    ours = log_rank(times=waltons["T"], events=waltons["E"], groups=waltons["group"])
    a, b = (waltons[waltons["group"] == g] for g in ("control", "miR-137"))
    theirs = logrank_test(a["T"], b["T"], a["E"], b["E"])
    assert ours.df == 1
    assert ours.statistic == pytest.approx(theirs.test_statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.p_value, rel=1e-9)
    assert sum(ours.observed) == pytest.approx(sum(ours.expected))
    assert sum(ours.observed) == waltons["E"].sum()


def test_four_groups_agree_with_lifelines_multivariate_logrank_test(lung: pd.DataFrame) -> None:
    data = lung.dropna(subset=["ph.ecog"])
    ours = log_rank(times=data["time"], events=data["event"], groups=data["ph.ecog"])
    theirs = multivariate_logrank_test(data["time"], data["ph.ecog"], data["event"])
    assert ours.df == theirs.degrees_of_freedom == 3
    assert ours.statistic == pytest.approx(theirs.test_statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.p_value, rel=1e-9)


def test_the_median_and_its_interval_agree_with_lifelines(waltons: pd.DataFrame) -> None:
    for _, group in waltons.groupby("group"):
        fitter = KaplanMeierFitter().fit(group["T"], group["E"])
        interval = median_survival_times(fitter.confidence_interval_)
        ours = median_survival(kaplan_meier(group["T"], group["E"]))
        assert ours.median == fitter.median_survival_time_
        assert ours.ci_low == interval.iloc[0, 0]
        assert ours.ci_high == interval.iloc[0, 1]


def test_a_curve_that_never_reaches_a_half_has_no_median() -> None:
    table = kaplan_meier(np.array([5, 10, 20, 30]), np.array([True, False, False, False]))
    assert median_survival(table).median is None
    assert median_survival(table).ci_high is None


def test_one_group_is_refused() -> None:
    with pytest.raises(ValueError, match="two groups"):
        log_rank(times=[1, 2], events=[1, 1], groups=["a", "a"])


R_SCRIPT = textwrap.dedent(
    """
    suppressMessages(library(survival))
    args <- commandArgs(trailingOnly = TRUE)
    data <- survival::lung
    write.csv(data, file.path(args[1], "lung.csv"), row.names = FALSE)
    row <- function(name, fit) {
      observed <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
      expected <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
      data.frame(test = name, statistic = fit$chisq, df = length(expected) - 1,
                 observed = observed, expected = expected)
    }
    tests <- rbind(
      row("sex", survdiff(Surv(time, status) ~ sex, data = data)),
      row("ecog", survdiff(Surv(time, status) ~ ph.ecog, data = data)),
      row("sex_by_ecog", survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = data))
    )
    write.csv(tests, file.path(args[1], "survdiff.csv"), row.names = FALSE)
    fit <- survfit(Surv(time, status) ~ sex, data = data, conf.type = "log-log")
    medians <- summary(fit)$table[, c("median", "0.95LCL", "0.95UCL")]
    write.csv(data.frame(sex = c(1, 2), medians), file.path(args[1], "medians.csv"),
              row.names = FALSE)
    """
)


def test_log_rank_and_medians_agree_with_r_survdiff_and_survfit(tmp_path) -> None:
    require_r_package("survival", "r-cran-survival")
    (tmp_path / "survival.R").write_text(R_SCRIPT)
    run = subprocess.run(
        ["Rscript", str(tmp_path / "survival.R"), str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lung = pd.read_csv(tmp_path / "lung.csv")
    event = lung["status"] == 2  # R's lung: 2 = died
    results = pd.read_csv(tmp_path / "survdiff.csv")
    kept = lung["ph.ecog"].notna()
    cases = {
        "sex": log_rank(times=lung["time"], events=event, groups=lung["sex"]),
        "ecog": log_rank(
            times=lung["time"][kept], events=event[kept], groups=lung["ph.ecog"][kept]
        ),
        "sex_by_ecog": log_rank(
            times=lung["time"][kept],
            events=event[kept],
            groups=lung["sex"][kept],
            strata=lung["ph.ecog"][kept],
        ),
    }
    for name, ours in cases.items():
        theirs = results[results["test"] == name]
        assert ours.statistic == pytest.approx(theirs["statistic"].iloc[0], rel=1e-9), name
        assert ours.df == theirs["df"].iloc[0], name
        np.testing.assert_allclose(ours.observed, theirs["observed"], rtol=1e-12)
        np.testing.assert_allclose(ours.expected, theirs["expected"], rtol=1e-9)
    medians = pd.read_csv(tmp_path / "medians.csv")
    for row in medians.itertuples():
        mine = lung["sex"] == row.sex
        ours = median_survival(kaplan_meier(lung["time"][mine], event[mine]))
        assert (ours.median, ours.ci_low, ours.ci_high) == (
            row.median,
            row._3,
            row._4,
        ), row
