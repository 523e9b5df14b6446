"""Matched comparison in the manner of the Ministry of Justice Justice Data Lab (JDL).

1. **Propensity score**: an unpenalised logistic regression of being diverted on age, prior
   offences, prior possession offences (numeric), sex, ethnic group and local authority
   (one-hot, one reference level each) and any other covariates given (scikit-learn's
   Newton-Cholesky solver; the tests check the scores against statsmodels' ``Logit`` and R's
   ``glm`` through MatchIt). A categorical level held by only one group (say a local authority
   with no scheme) cannot be matched and would make the regression diverge, so those people are
   set aside and counted; a covariate with no level shared by both groups is dropped and named.
2. **Common support**: diverted people whose score lies outside the range of the pool's scores
   are discarded and counted (MatchIt's ``discard = "treated"``).
3. **Matching**: greedy nearest-neighbour matching on the logit of the score (the linear
   predictor) with a caliper of ``caliper`` standard deviations of the logit over the people not
   discarded (Austin 2011, *Pharmaceutical Statistics* 10:150-161, recommends 0.2; MatchIt's
   ``std.caliper = TRUE``). Order: diverted people are matched from the highest score down
   (MatchIt's default ``m.order = "largest"``: the hardest to match choose first); without
   replacement each takes the nearest comparison person still available, and with ``ratio`` k
   everyone gets a first match before anyone gets a second. A person with no comparison within
   the caliper is left unmatched and counted. Of comparison people with identical scores the
   first in the data is taken (MatchIt's rule; ``seed`` orders them by a seeded shuffle
   instead). Equidistant neighbours on either side: the lower score is taken.
   In one dimension this is a sorted search (``numpy.searchsorted``) plus a pass with a
   "next available" union-find, O((n + m) log m).
4. **Balance** (``balance``): per covariate (and per level of each categorical), the means,
   the standardised mean difference (SMD) and the variance ratio, before and after matching.
   SMD = (mean diverted - mean comparison) / SD of the diverted before matching, the SD being
   sqrt(p(1-p)) for a binary column (Stuart 2010, *Statistical Science* 25:1-21; Austin 2009,
   *Statistics in Medicine* 28:3083-3107; the convention of MatchIt's summary for the ATT).
   The variance ratio (diverted / comparison, weighted after matching) is for numeric columns.
   Balance is acceptable at |SMD| < 0.1 and a variance ratio between 0.5 and 2 (Rubin 2001;
   Austin 2009).
5. **Estimate**: the re-offending rate of the matched diverted minus the (match-weighted) rate of
   their comparison people, an average effect on the treated. Its 95% interval and p-value come
   from a weighted linear probability model with cluster-robust (CR1) standard errors clustered
   by matched set (Abadie and Spiess 2022, *JASA* 117:1061-1072; the MatchIt vignette
   "Estimating effects after matching"), normal approximation. With replacement a comparison
   person can sit in several sets, which this treats as independent: a slight understatement.
6. **Sample size**: a warning below MIN_MATCHED (60) matched diverted people, the JDL's minimum
   cohort for a request (JDL Methodology Paper, MoJ 2013, s.2.4), when more than 10% of the
   diverted could not be matched, and when any covariate is still imbalanced after matching.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from ._common import Z_95, p_value_text
from .nearest import _match_like_matchit, _match_with_replacement, _match_without_replacement

DEFAULT_NUMERIC = ("age", "prior_offences", "prior_possession")
DEFAULT_CATEGORICAL = ("sex", "ethnic_group", "local_authority")
MIN_MATCHED = 60
MAX_UNMATCHED_SHARE = 0.10
SMD_LIMIT = 0.1
VARIANCE_RATIO_LIMITS = (0.5, 2.0)
METHOD = (
    "difference in re-offending rates (diverted minus matched comparison), 95% interval and "
    "two-sided p-value from a weighted linear probability model with standard errors clustered "
    "by matched set (CR1), normal approximation"
)


@dataclass(frozen=True)
class MatchedComparison:
    n_treated: int
    n_pool: int
    n_treated_excluded: int
    n_pool_excluded: int
    n_treated_off_support: int
    n_treated_unmatched: int
    n_treated_matched: int
    n_controls_matched: int
    treated_rate: float
    comparison_rate: float
    difference: float
    standard_error: float
    ci_low: float
    ci_high: float
    p_value: float
    caliper: float | None
    caliper_width: float
    ratio: int
    replace: bool
    balance: pd.DataFrame
    units: pd.DataFrame
    pairs: pd.DataFrame
    dropped_covariates: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    method: str = METHOD
    coefficients: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))

    def describe(self, *, who: str = "people diverted") -> str:
        """'For every 100 people diverted, 4.2 fewer re-offended (between 2.1 and 6.3 fewer)'."""
        if not np.isfinite(self.difference):
            return "No diverted person could be matched, so there is no comparison."
        per_100 = self.difference * 100
        low, high = self.ci_low * 100, self.ci_high * 100

        def amount(value: float) -> str:
            return f"{abs(value):.1f} {'fewer' if value < 0 else 'more'}"

        if np.isfinite(low) and np.isfinite(high):
            if (low < 0) == (high < 0):
                both = "fewer" if high < 0 else "more"
                interval = f"between {abs(high if both == 'fewer' else low):.1f} and "
                interval += f"{abs(low if both == 'fewer' else high):.1f} {both}"
            else:
                interval = f"between {amount(low)} and {amount(high)}"
            tail = f" (95% confidence interval: {interval}; {p_value_text(self.p_value)})"
        else:
            tail = ""
        if round(per_100, 1) == 0:
            head = (
                f"For every 100 {who}, the same number re-offended as in the matched "
                "comparison group"
            )
        else:
            head = (
                f"For every 100 {who}, {amount(per_100)} re-offended than in a matched "
                "comparison group of similar people who were not"
            )
        return head + tail + "."


@dataclass
class _Design:
    matrix: np.ndarray
    names: list[str]
    balance_columns: list[tuple[str, str, np.ndarray]]
    dropped: list[str]


def _side_by_side(columns: Sequence[np.ndarray], rows: int) -> np.ndarray:
    """The columns as one matrix, stored column by column (Fortran order): each column is one
    contiguous copy, where np.column_stack writes across every row for each column (at a million
    rows, three times slower)."""
    matrix = np.empty((rows, len(columns)), order="F")
    for position, column in enumerate(columns):
        matrix[:, position] = column
    return matrix


def _design(frame: pd.DataFrame, numeric: Sequence[str], categorical: Sequence[str]) -> _Design:
    """The regression matrix (one reference level dropped) and the balance columns (all levels)."""
    columns: list[np.ndarray] = []
    names: list[str] = []
    balance: list[tuple[str, str, np.ndarray]] = []
    dropped: list[str] = []
    for name in numeric:
        values = frame[name].to_numpy(dtype=float)
        balance.append((name, "", values))
        if np.ptp(values) == 0:
            dropped.append(name)
            continue
        columns.append((values - values.mean()) / values.std())
        names.append(name)
    for name in categorical:
        codes, levels = pd.factorize(frame[name].astype(str), sort=True)
        one_hot = np.zeros((len(frame), len(levels)))
        one_hot[np.arange(len(frame)), codes] = 1.0
        for position, level in enumerate(levels):
            balance.append((name, str(level), one_hot[:, position]))
        if len(levels) < 2:
            dropped.append(name)
            continue
        for position, level in enumerate(levels[1:], start=1):
            columns.append(one_hot[:, position])
            names.append(f"{name}[{level}]")
    matrix = _side_by_side(columns, len(frame))
    return _Design(matrix=matrix, names=names, balance_columns=balance, dropped=dropped)


def _group_moments(
    values: np.ndarray, groups: np.ndarray, binary: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means and variances of every column, for each column of `groups` (the weights of
    one group, zero outside it) at once: p(1-p) for binary columns, otherwise the unbiased
    weighted variance sum(w (x - m)^2) / (1 - sum(w^2)) with w summing to 1 (MatchIt's). Matrix
    products over all rows instead of a copy of each group's rows; rounding can put a binary
    mean a hair above 1, so variances are clipped at zero."""
    totals = groups.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = groups / totals
        means = w.T @ values
        second = means.copy()  # x^2 = x for a 0/1 column: square only the others
        numeric = ~binary
        if numeric.any():
            second[:, numeric] = w.T @ (values[:, numeric] ** 2)
        spread = np.maximum(second - means**2, 0.0) / (1 - (w * w).sum(axis=0))[:, None]
    variances = np.where(binary, np.maximum(means * (1 - means), 0.0), spread)
    means[totals <= 0], variances[totals <= 0] = np.nan, np.nan
    return means, variances


def _balance(
    balance_columns: list[tuple[str, str, np.ndarray]],
    treated: np.ndarray,
    weights: np.ndarray,
) -> pd.DataFrame:
    values = _side_by_side([column for _, _, column in balance_columns], len(treated))
    binary = np.all((values == 0) | (values == 1), axis=0)
    # Before matching every member of a group weighs the same; after, the matching weights.
    # Weights of zero outside the group give its moments without copying its rows.
    groups = np.column_stack(
        [treated, ~treated, np.where(treated, weights, 0.0), np.where(treated, 0.0, weights)]
    ).astype(float)
    with threadpool_limits(limits=1, user_api="blas"):
        means, variances = _group_moments(values, groups, binary)
    moments = {
        key: (means[i], variances[i])
        for i, key in enumerate([("t", "b"), ("c", "b"), ("t", "a"), ("c", "a")])
    }
    rows = []
    for j, (covariate, level, _) in enumerate(balance_columns):
        mt_b, vt_b = moments["t", "b"][0][j], moments["t", "b"][1][j]
        mc_b, vc_b = moments["c", "b"][0][j], moments["c", "b"][1][j]
        mt_a, vt_a = moments["t", "a"][0][j], moments["t", "a"][1][j]
        mc_a, vc_a = moments["c", "a"][0][j], moments["c", "a"][1][j]
        sd = math.sqrt(vt_b) if np.isfinite(vt_b) else math.nan
        if not sd or sd < math.sqrt(np.finfo(float).eps):
            sd = math.sqrt((vt_b + vc_b) / 2) if np.isfinite(vt_b + vc_b) else math.nan
        is_binary = bool(binary[j])
        smd_b = (mt_b - mc_b) / sd if sd else math.nan
        smd_a = (mt_a - mc_a) / sd if sd else math.nan
        vr_b = vt_b / vc_b if not is_binary and vc_b else math.nan
        vr_a = vt_a / vc_a if not is_binary and vc_a else math.nan
        balanced = (not np.isfinite(smd_a) or abs(smd_a) < SMD_LIMIT) and (
            not np.isfinite(vr_a) or VARIANCE_RATIO_LIMITS[0] < vr_a < VARIANCE_RATIO_LIMITS[1]
        )
        rows.append(
            {
                "covariate": covariate,
                "level": level,
                "kind": "binary" if is_binary else "numeric",
                "mean_treated_before": float(mt_b),
                "mean_comparison_before": float(mc_b),
                "smd_before": float(smd_b),
                "variance_ratio_before": float(vr_b),
                "mean_treated_after": float(mt_a),
                "mean_comparison_after": float(mc_a),
                "smd_after": float(smd_a),
                "variance_ratio_after": float(vr_a),
                "balanced_after": bool(balanced),
            }
        )
    return pd.DataFrame(rows)


def _cluster_robust(
    y: np.ndarray, treated: np.ndarray, weights: np.ndarray, clusters: np.ndarray
) -> tuple[float, float]:
    """Coefficient on ``treated`` in weighted y ~ 1 + treated and its CR1 standard error."""
    x = np.column_stack([np.ones_like(y), treated.astype(float)])
    xtwx = x.T @ (x * weights[:, None])
    bread = np.linalg.inv(xtwx)
    beta = bread @ (x.T @ (weights * y))
    residual = y - x @ beta
    scores = x * (weights * residual)[:, None]
    _, cluster_codes = np.unique(clusters, return_inverse=True)
    groups = int(cluster_codes.max()) + 1
    summed = np.column_stack(
        [np.bincount(cluster_codes, weights=scores[:, j], minlength=groups) for j in range(2)]
    )
    meat = summed.T @ summed
    n, k = x.shape
    correction = groups / (groups - 1) * (n - 1) / (n - k) if groups > 1 else math.nan
    covariance = correction * bread @ meat @ bread
    return float(beta[1]), float(math.sqrt(covariance[1, 1]))


def _split_covariates(
    cohort: pd.DataFrame, covariates: Sequence[str] | None, *, only: bool = False
) -> tuple[list[str], list[str]]:
    numeric = [] if only else list(DEFAULT_NUMERIC)
    categorical = [] if only else list(DEFAULT_CATEGORICAL)
    for name in covariates or ():
        if name in numeric or name in categorical:
            continue
        column = cohort[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            numeric.append(name)
        else:
            categorical.append(name)
    return numeric, categorical


Discard = Literal["none", "treated", "control", "both"]
Distance = Literal["logit", "propensity"]
Neighbour = Literal["nearest", "matchit"]


def _discarded(distance: np.ndarray, treated: np.ndarray, discard: Discard) -> np.ndarray:
    """MatchIt's `discard`: units outside the other group's range of the distance."""
    if discard not in ("none", "treated", "control", "both"):
        raise ValueError("discard is 'none', 'treated', 'control' or 'both'")
    out = np.zeros(treated.size, dtype=bool)
    if discard in ("treated", "both"):
        pool = distance[~treated]
        out |= treated & ((distance < pool.min()) | (distance > pool.max()))
    if discard in ("control", "both"):
        diverted = distance[treated]
        out |= ~treated & ((distance < diverted.min()) | (distance > diverted.max()))
    return out


def matched_comparison(
    cohort: pd.DataFrame,
    *,
    covariates: Sequence[str] | None = None,
    caliper: float | None = 0.2,
    ratio: int = 1,
    replace: bool = False,
    seed: int | None = None,
    discard: Discard = "treated",
    distance: Distance = "logit",
    neighbour: Neighbour = "nearest",
    outcome: str = "reoffended",
    covariates_only: bool = False,
) -> MatchedComparison:
    """Match the diverted (``treated``) to the pool and compare re-offending (see the module doc).

    ``cohort`` has the COHORT columns; ``covariates`` names further columns for the propensity
    model (numeric or categorical by dtype). Returns counts at every step, the balance table,
    ``units`` (per person: ``person_key``, ``treated``, ``propensity``, ``logit``,
    ``off_support``, ``weight`` (0 = not in the matched sample)), ``pairs`` (``treated_key``,
    ``comparison_key``, ``distance`` on the logit) and the estimate.

    MatchIt's designs (decision 0015): ``discard`` as MatchIt's (who is dropped for lying
    outside the other group's range of the distance), ``distance`` the scale matched on and
    discarded by ("logit": MatchIt's ``link = "linear.logit"``; "propensity": MatchIt's default),
    ``caliper=None`` for none, ``seed=None`` to break ties between equal scores by the order of
    the data (MatchIt's), and ``neighbour="matchit"`` for MatchIt 4.5.1's choice between the
    available controls either side (`_match_like_matchit`). With ``distance="propensity"``,
    ``caliper=None``, ``discard="none"``, ``seed=None`` and ``neighbour="matchit"`` this is
    ``matchit(treat ~ ..., method = "nearest")`` exactly. ``covariates_only`` models on
    ``covariates`` alone (not the defaults) and ``outcome`` names the 0/1 or numeric outcome.
    """
    if ratio < 1:
        raise ValueError("ratio must be at least 1")
    if caliper is not None and caliper <= 0:
        raise ValueError("caliper must be positive (standard deviations of the logit)")
    numeric, categorical = _split_covariates(cohort, covariates, only=covariates_only)
    used = ["person_key", "treated", outcome, *numeric, *categorical]
    frame = cohort[used].rename(columns={outcome: "reoffended"})
    complete = frame.notna().all(axis=1).to_numpy()
    frame = (frame if complete.all() else frame[complete]).reset_index(drop=True)
    treated_all = frame["treated"].astype(bool).to_numpy()
    n_treated_total = int(cohort["treated"].astype(bool).sum())
    n_pool_total = len(cohort) - n_treated_total
    warnings: list[str] = []
    dropped: list[str] = []

    keep = np.ones(len(frame), dtype=bool)
    for name in categorical:
        shared = frame.groupby(name, observed=True)["treated"].agg(["min", "max"])
        both = shared.index[(shared["min"] != shared["max"])]
        if len(both) == 0:
            dropped.append(name)
            warnings.append(
                f"{name} was left out of the model: no value of it is held by both groups."
            )
            continue
        if len(both) < len(shared):  # a value only one group holds: set those people aside
            keep &= frame[name].isin(both).to_numpy()
    categorical = [name for name in categorical if name not in dropped]
    excluded_treated = int((treated_all & ~keep).sum())
    excluded_pool = int((~treated_all & ~keep).sum())
    excluded_treated += n_treated_total - int(treated_all.sum())
    excluded_pool += n_pool_total - int((~treated_all).sum())
    if excluded_treated:
        warnings.append(
            f"{excluded_treated} diverted people were set aside: missing covariates or a "
            "category (such as a local authority) that nobody in the pool shares."
        )
    frame = frame[keep].reset_index(drop=True)
    treated = frame["treated"].astype(bool).to_numpy()
    outcomes = frame["reoffended"].astype(float).to_numpy()
    n_treated, n_pool = int(treated.sum()), int((~treated).sum())
    if n_treated == 0 or n_pool == 0:
        raise ValueError("matching needs at least one diverted person and one in the pool")

    design = _design(frame, numeric, categorical)
    dropped.extend(design.dropped)
    model = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-8, max_iter=200)
    # One BLAS thread: the design is tall and thin, and on a busy server threaded BLAS spins
    # against the other processes (the fit took 2.0 s with two threads, 0.12 s with one, for
    # 255,000 people on two shared cores: docs/performance.md).
    with threadpool_limits(limits=1, user_api="blas"):
        model.fit(design.matrix, treated.astype(int))
    logit = design.matrix @ model.coef_[0] + model.intercept_[0]
    propensity = 1 / (1 + np.exp(-logit))

    score = logit if distance == "logit" else propensity
    discarded = _discarded(score, treated, discard)
    off_support = treated & discarded
    on = ~discarded
    width = caliper * float(np.std(score[on], ddof=1)) if caliper is not None else math.inf

    treated_index = np.flatnonzero(treated & on)
    control_index = np.flatnonzero(~treated & on)
    if seed is not None:
        shuffle = np.random.default_rng(seed).permutation(control_index.size)
        control_index = control_index[shuffle]
    control_index = control_index[np.argsort(score[control_index], kind="stable")]
    control_score = score[control_index]
    if neighbour == "matchit":
        if replace or ratio != 1 or caliper is not None:
            raise ValueError("neighbour='matchit' is for 1:1 matching without a caliper")
        if seed is not None:
            raise ValueError("neighbour='matchit' breaks ties by the data's order: seed=None")
        raw_pairs = _match_like_matchit(
            score[treated_index], control_score, treated_index, control_index
        )
    else:
        matcher = _match_with_replacement if replace else _match_without_replacement
        raw_pairs = matcher(score[treated_index], control_score, width=width, ratio=ratio)

    matched_pairs = np.asarray(raw_pairs, dtype=int).reshape(-1, 2)
    pair_t = treated_index[matched_pairs[:, 0]]
    pair_c = control_index[matched_pairs[:, 1]]
    weights = np.zeros(len(frame))
    if pair_t.size:
        per_treated = np.bincount(pair_t, minlength=len(frame))
        weights[np.unique(pair_t)] = 1.0
        np.add.at(weights, pair_c, 1.0 / per_treated[pair_t])
    matched_treated = np.unique(pair_t)
    n_matched = int(matched_treated.size)
    n_unmatched = int(treated_index.size - n_matched)

    if n_matched:
        treated_rate = float(outcomes[matched_treated].mean())
        control_weights = 1.0 / np.bincount(pair_t, minlength=len(frame))[pair_t]
        comparison_rate = float(np.average(outcomes[pair_c], weights=control_weights))
        long_y = np.concatenate([outcomes[matched_treated], outcomes[pair_c]])
        long_t = np.concatenate([np.ones(n_matched), np.zeros(pair_c.size)])
        long_w = np.concatenate([np.ones(n_matched), control_weights])
        long_cluster = np.concatenate([matched_treated, pair_t])
        difference, se = _cluster_robust(long_y, long_t, long_w, long_cluster)
        if se > 0 and np.isfinite(se):
            ci_low, ci_high = difference - Z_95 * se, difference + Z_95 * se
            p_value = float(2 * stats.norm.sf(abs(difference) / se))
        else:
            ci_low = ci_high = p_value = math.nan
    else:
        treated_rate = comparison_rate = difference = se = math.nan
        ci_low = ci_high = p_value = math.nan

    balance_columns = [(f"distance ({distance})", "", score), *design.balance_columns]
    balance = _balance(balance_columns, treated, weights)

    n_off = int(off_support.sum())
    if n_off:
        warnings.append(f"{n_off} diverted people were outside the pool's range of scores.")
    if n_matched < MIN_MATCHED:
        warnings.append(
            f"Only {n_matched} diverted people were matched: fewer than {MIN_MATCHED}, the "
            "smallest group this comparison is reported for; treat the result with great care."
        )
    lost = n_off + n_unmatched + excluded_treated
    if n_treated_total and lost / n_treated_total > MAX_UNMATCHED_SHARE:
        warnings.append(
            f"{lost} of {n_treated_total} diverted people ({lost / n_treated_total:.0%}) are not "
            "in the comparison, so it may not describe the scheme as a whole."
        )
    imbalanced = balance.loc[~balance["balanced_after"] & (balance.index > 0)]
    if len(imbalanced):
        names = ", ".join(
            f"{row.covariate}{'=' + row.level if row.level else ''}"
            for row in imbalanced.itertuples()
        )
        warnings.append(
            "Still imbalanced after matching (|SMD| >= 0.1 or variance ratio outside "
            f"0.5-2): {names}."
        )
    if replace:
        warnings.append(
            "Matched with replacement: the interval treats reused comparison people as "
            "independent and so is slightly too narrow."
        )

    keys = frame["person_key"].to_numpy()
    units = pd.DataFrame(
        {
            "person_key": keys,
            "treated": treated,
            "propensity": propensity,
            "logit": logit,
            "off_support": off_support,
            "weight": weights,
        }
    )
    pairs = pd.DataFrame(
        {
            "treated_key": keys[pair_t],
            "comparison_key": keys[pair_c],
            "distance": np.abs(score[pair_t] - score[pair_c]),
        }
    )
    return MatchedComparison(
        n_treated=n_treated_total,
        n_pool=n_pool_total,
        n_treated_excluded=excluded_treated,
        n_pool_excluded=excluded_pool,
        n_treated_off_support=n_off,
        n_treated_unmatched=n_unmatched,
        n_treated_matched=n_matched,
        n_controls_matched=int(np.unique(pair_c).size),
        treated_rate=treated_rate,
        comparison_rate=comparison_rate,
        difference=difference,
        standard_error=se,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        caliper=caliper,
        caliper_width=width,
        ratio=ratio,
        replace=replace,
        balance=balance,
        units=units,
        pairs=pairs,
        dropped_covariates=tuple(dropped),
        warnings=tuple(warnings),
        coefficients=pd.Series(
            [model.intercept_[0], *model.coef_[0]], index=["(intercept)", *design.names]
        ),
    )
