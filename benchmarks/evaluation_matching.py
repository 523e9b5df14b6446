"""Benchmark: the matched comparison of 100,000 diverted people against a pool of 1,000,000.

Run from the repository root: ``.venv/bin/python benchmarks/evaluation_matching.py``
(``--treated``, ``--pool``, ``--seed``, ``--psmpy-sample``). It generates the synthetic cohort
(numpy, seeded; ``diversion.synthetic.cohort``, true effect -5 percentage points) and
times, in the same run:

- ``matched_comparison`` end to end (model, common support, caliper matching, balance, estimate);
- the bare baselines: scikit-learn's unpenalised ``LogisticRegression`` on the same one-hot
  design, and scikit-learn's ``NearestNeighbors`` (1-NN on the logit, with replacement, no
  caliper) — what any implementation has to do at least;
- DoWhy's propensity-score matching (``make bench-install``) if installed, at full size: the
  same data, its estimate of the effect on the treated beside ours;
- psmpy (``make bench-install``) if installed: on a subsample of ``--psmpy-sample`` treated with
  a pool in the same proportion, because its ``kdtree_matched`` asks the KD-tree for *every*
  pool member's distance to every diverted person (n x m distances: about 1.6 TB of memory at
  full size); its time is extrapolated by n x m to the full size, and its estimate is compared
  with ours on the same subsample. psmpy fits scikit-learn's default (L2-penalised) logistic
  regression and has no common-support step, so small differences in the estimate are expected.

Prints a markdown table. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diversion.settings")

from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from diversion.evaluation.stats import matched_comparison
from diversion.synthetic.cohort import synthetic_cohort

COVARIATES = ["age", "prior_offences", "prior_possession", "deprivation"]
CATEGORICAL = ["sex", "ethnic_group", "local_authority"]
EFFECT = -0.05


def _timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def _design(cohort: pd.DataFrame) -> pd.DataFrame:
    return pd.get_dummies(
        cohort[COVARIATES + CATEGORICAL], columns=CATEGORICAL, drop_first=True, dtype=float
    )


def _psmpy(cohort: pd.DataFrame):
    from psmpy import PsmPy

    frame = _design(cohort)
    frame.insert(0, "person_key", cohort["person_key"].to_numpy())
    frame["treatment"] = cohort["treated"].astype(int).to_numpy()
    outcome = cohort.set_index("person_key")["reoffended"].astype(float)
    psm = PsmPy(frame, treatment="treatment", indx="person_key", exclude=[])
    psm.logistic_ps(balance=False)
    psm.kdtree_matched(
        matcher="propensity_logit", replacement=False, caliper=None, drop_unmatched=True
    )
    matched = psm.df_matched
    treated = matched.loc[matched["treatment"] == 1, "person_key"]
    control = matched.loc[matched["treatment"] == 0, "person_key"]
    return float(outcome[treated].mean() - outcome[control].mean())


def _dowhy(cohort: pd.DataFrame) -> float:
    """DoWhy's propensity-score matching estimate of the effect on the treated (ATT): its own
    logistic model and 1-nearest-neighbour matching with replacement, no caliper."""
    from dowhy import CausalModel

    frame = _design(cohort)
    frame.columns = [f"x{i}" for i in range(frame.shape[1])]  # plain names for its formula
    frame["treated"] = cohort["treated"].astype(bool).to_numpy()
    frame["reoffended"] = cohort["reoffended"].astype(float).to_numpy()
    model = CausalModel(
        data=frame,
        treatment="treated",
        outcome="reoffended",
        common_causes=[c for c in frame.columns if c.startswith("x")],
    )
    estimand = model.identify_effect(proceed_when_unidentifiable=True)
    estimate = model.estimate_effect(
        estimand, method_name="backdoor.propensity_score_matching", target_units="att"
    )
    return float(estimate.value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treated", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--psmpy-sample", type=int, default=1_000)
    args = parser.parse_args()

    cohort, generate_s = _timed(
        lambda: synthetic_cohort(
            n_treated=args.treated, n_pool=args.pool, effect=EFFECT, seed=args.seed
        )
    )
    result, ours_s = _timed(lambda: matched_comparison(cohort, covariates=["deprivation"]))

    design = _design(cohort).to_numpy()
    treated = cohort["treated"].to_numpy()

    def fit() -> LogisticRegression:
        return LogisticRegression(C=np.inf, solver="newton-cholesky", max_iter=200).fit(
            design, treated
        )

    # The bare fit both with the machine's BLAS threads and with one (as ours fits): the faster
    # is the baseline.
    model, threaded_s = _timed(fit)
    with threadpool_limits(limits=1, user_api="blas"):
        model, one_thread_s = _timed(fit)
    logit_s = min(threaded_s, one_thread_s)
    score = model.decision_function(design)

    def nearest():
        index = NearestNeighbors(n_neighbors=1).fit(score[~treated, None])
        return index.kneighbors(score[treated, None])

    _, nn_s = _timed(nearest)

    rows = [
        ("generate the synthetic cohort (not timed against)", generate_s, ""),
        ("**our `matched_comparison`** (end to end)", ours_s, f"{result.difference * 100:+.2f} pp"),
        (
            "baseline: scikit-learn `LogisticRegression` fit only "
            f"(BLAS threads: default {threaded_s:.2f} s, one {one_thread_s:.2f} s)",
            logit_s,
            "",
        ),
        ("baseline: scikit-learn `NearestNeighbors` 1-NN only", nn_s, ""),
        ("baseline: logistic + 1-NN together", logit_s + nn_s, ""),
    ]
    outcome = cohort["reoffended"]
    naive = outcome[treated].mean() - outcome[~treated].mean()
    notes = [
        f"n = {args.treated:,} diverted, {args.pool:,} in the pool, seed {args.seed}; true effect "
        f"{EFFECT * 100:+.1f} pp; ours {result.difference * 100:+.2f} pp "
        f"(95% CI {result.ci_low * 100:+.2f} to {result.ci_high * 100:+.2f}), "
        f"{result.n_treated_matched:,} matched, {result.n_treated_off_support} off support, "
        f"{result.n_treated_unmatched} unmatched; naive difference "
        f"{naive * 100:+.2f} pp.",
        f"ours / (logistic + 1-NN) = {ours_s / (logit_s + nn_s):.2f}x.",
    ]
    try:
        import dowhy  # noqa: F401
    except ImportError:
        notes.append("DoWhy is not installed (`make bench-install`): no DoWhy row.")
    else:
        dowhy_estimate, dowhy_s = _timed(lambda: _dowhy(cohort))
        rows.append(
            (
                f"DoWhy propensity-score matching (ATT) on the same {args.treated:,} + "
                f"{args.pool:,}",
                dowhy_s,
                f"{dowhy_estimate * 100:+.2f} pp",
            )
        )
        notes.append(
            f"DoWhy vs ours on the same data: {abs(dowhy_estimate - result.difference) * 100:.2f}"
            f" pp apart; ours is {dowhy_s / ours_s:.1f}x faster."
        )
    try:
        import psmpy  # noqa: F401
    except ImportError:
        notes.append("psmpy is not installed (`make bench-install`): no psmpy row.")
    else:
        share = args.psmpy_sample / args.treated
        sample = synthetic_cohort(
            n_treated=args.psmpy_sample,
            n_pool=round(args.pool * share),
            effect=EFFECT,
            seed=args.seed,
        )
        psm_estimate, psm_s = _timed(lambda: _psmpy(sample))
        ours_small, ours_small_s = _timed(
            lambda: matched_comparison(sample, covariates=["deprivation"])
        )
        scale = (1 / share) ** 2
        rows.append(
            (
                f"psmpy on {args.psmpy_sample:,} + {round(args.pool * share):,}",
                psm_s,
                f"{psm_estimate * 100:+.2f} pp",
            )
        )
        rows.append(
            (
                f"ours on the same {args.psmpy_sample:,} + {round(args.pool * share):,}",
                ours_small_s,
                f"{ours_small.difference * 100:+.2f} pp",
            )
        )
        rows.append(
            (
                f"psmpy extrapolated to full size (x{scale:,.0f}: "
                "it queries every pool member for every diverted person)",
                psm_s * scale,
                "",
            )
        )
        notes.append(
            f"psmpy vs ours on the subsample: "
            f"{abs(psm_estimate - ours_small.difference) * 100:.2f} pp apart "
            f"(psmpy matches without a caliper or common-support step); speed-up at full size "
            f">= {psm_s * scale / ours_s:.0f}x."
        )

    print("| what | seconds | estimate |")
    print("| --- | ---: | ---: |")
    for name, seconds, estimate in rows:
        print(f"| {name} | {seconds:.2f} | {estimate} |")
    print()
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
