"""Possession-offence outcomes before and after go-live.

The reporting groups come from the Home Office crime outcome codes (reference/crime_outcomes.csv)
through the one table below. Outcome 0 ("not yet assigned") is left out of every share: a case
still open has no outcome yet, and counting it would make the latest period look less formal.

Changes are stated two ways that must never be confused:

- ``*_change_pp``: the difference of two shares in **percentage points** (46.0% -> 12.5% is
  -33.5 percentage points);
- ``*_change_percent``: the **relative** change in percent ((after - before) / before: 46.0% ->
  12.5% is -72.8%; 1,000 charges -> 290 is -71%).

The interval for the change in share is Newcombe's hybrid score interval (Newcombe 1998, method
10) and the p-value the pooled two-proportion z-test; the tests check both against statsmodels
(``confint_proportions_2indep(method="newcomb")`` and ``proportions_ztest``).
"""

from __future__ import annotations

import pandas as pd

from ._common import (
    DateLike,
    Period,
    as_datetimes,
    as_period,
    as_timestamp,
    newcombe_difference_interval,
    percent_change,
    period_days,
    two_proportion_p_value,
    wilson_interval,
)

# Home Office outcome code -> reporting group. Every other code (except 0) is "other".
OUTCOME_REPORTING_GROUPS: dict[int, str] = {
    1: "charge",
    2: "caution",
    3: "caution",
    6: "penalty_notice",
    7: "cannabis_warning",
    8: "community_resolution",
    22: "outcome_22",
}
PENDING_OUTCOME_CODES = frozenset({0})
REPORTING_GROUPS: dict[str, str] = {
    "charge": "Charge or summons",
    "caution": "Caution (youth or adult)",
    "penalty_notice": "Penalty Notice for Disorder",
    "cannabis_warning": "Cannabis or khat warning",
    "community_resolution": "Community Resolution",
    "outcome_22": "Outcome 22 (diversionary activity)",
    "other": "Other outcome (including no further action)",
}
# The formal criminal justice outcomes: they go on a person's record.
FORMAL_GROUPS = frozenset({"charge", "caution", "penalty_notice"})


def reporting_group(outcome_codes: pd.Series) -> pd.Series:
    """The reporting group of each outcome code; NaN for pending (code 0)."""
    codes = pd.to_numeric(outcome_codes, errors="coerce")
    groups = codes.map(OUTCOME_REPORTING_GROUPS).fillna("other")
    return groups.where(~codes.isin(PENDING_OUTCOME_CODES))


def in_period(dates: pd.Series, period: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    dates = as_datetimes(dates)
    return (dates >= period[0]) & (dates <= period[1])


def check_periods(
    *, go_live: DateLike, before: Period, after: Period
) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp]]:
    """Both periods as timestamps: ``before`` ends before go-live, ``after`` starts on or after."""
    go_live_ts = as_timestamp(go_live)
    before_p, after_p = as_period(before), as_period(after)
    if before_p[1] >= go_live_ts:
        raise ValueError("the 'before' period must end before go-live")
    if after_p[0] < go_live_ts:
        raise ValueError("the 'after' period must start on or after go-live")
    return before_p, after_p


def outcome_shares(
    outcomes: pd.DataFrame, *, go_live: DateLike, before: Period, after: Period
) -> pd.DataFrame:
    """One row per reporting group (REPORTING_GROUPS order) comparing the two periods.

    Columns: ``group``, ``label``; ``count_before``, ``total_before``, ``share_before`` and the
    same ``_after`` (shares are fractions of the outcomes assigned in the period);
    ``share_change_pp`` (percentage points), ``share_change_percent`` (relative, in percent),
    ``share_change_ci_low_pp``/``share_change_ci_high_pp`` (95% Newcombe), ``p_value``;
    ``days_before``/``days_after``, ``equal_length`` and ``count_change_percent``: the relative
    change in the number of such outcomes, per day when the periods differ in length (so it is the
    plain "charges fell 71%" figure when they are equal).
    """
    before_p, after_p = check_periods(go_live=go_live, before=before, after=after)
    groups = reporting_group(outcomes["outcome_code"])
    days_before, days_after = period_days(before_p), period_days(after_p)

    counts = {}
    for name, period in (("before", before_p), ("after", after_p)):
        chosen = groups[in_period(outcomes["offence_date"], period) & groups.notna()]
        counts[name] = chosen.value_counts().reindex(list(REPORTING_GROUPS), fill_value=0)
    total_before, total_after = int(counts["before"].sum()), int(counts["after"].sum())

    rows = []
    for group, label in REPORTING_GROUPS.items():
        n_before, n_after = int(counts["before"][group]), int(counts["after"][group])
        share_before = n_before / total_before if total_before else float("nan")
        share_after = n_after / total_after if total_after else float("nan")
        low, high = newcombe_difference_interval(n_after, total_after, n_before, total_before)
        rows.append(
            {
                "group": group,
                "label": label,
                "count_before": n_before,
                "total_before": total_before,
                "share_before": share_before,
                "count_after": n_after,
                "total_after": total_after,
                "share_after": share_after,
                "share_change_pp": (share_after - share_before) * 100,
                "share_change_percent": percent_change(share_before, share_after),
                "share_change_ci_low_pp": low * 100,
                "share_change_ci_high_pp": high * 100,
                "p_value": two_proportion_p_value(n_after, total_after, n_before, total_before),
                "days_before": days_before,
                "days_after": days_after,
                "equal_length": days_before == days_after,
                "count_change_percent": percent_change(
                    n_before / days_before, n_after / days_after
                ),
            }
        )
    return pd.DataFrame(rows)


def formal_outcome_shares(
    outcomes: pd.DataFrame,
    *,
    go_live: DateLike,
    before: Period,
    after: Period,
    by: tuple[str, ...] = ("ethnic_group", "sex"),
) -> pd.DataFrame:
    """The share of possession outcomes that were formal (FORMAL_GROUPS), by group, before/after.

    ``by`` defaults to ethnic group and sex; pass ``("ethnicity", "sex")`` for the 18+1 codes
    (the seeds' "African-Caribbean males" are ethnicity B2, male). Columns: the ``by`` columns,
    ``formal_before``, ``total_before``, ``share_before``, ``share_before_ci_low``/``_high``
    (95% Wilson), the same ``_after``, ``share_change_pp``, ``share_change_percent``,
    ``share_change_ci_low_pp``/``_high_pp`` (95% Newcombe) and ``p_value``.
    """
    before_p, after_p = check_periods(go_live=go_live, before=before, after=after)
    groups = reporting_group(outcomes["outcome_code"])
    frame = outcomes[list(by)].copy()
    frame["formal"] = groups.isin(FORMAL_GROUPS).astype(int)
    frame["period"] = None
    frame.loc[in_period(outcomes["offence_date"], before_p), "period"] = "before"
    frame.loc[in_period(outcomes["offence_date"], after_p), "period"] = "after"
    frame = frame[frame["period"].notna() & groups.notna()]

    summary = frame.groupby([*by, "period"], observed=True)["formal"].agg(["sum", "count"])
    summary = summary.unstack("period", fill_value=0)
    rows = []
    for key, values in summary.iterrows():
        key_tuple = key if isinstance(key, tuple) else (key,)
        formal_b = int(values.get(("sum", "before"), 0))
        total_b = int(values.get(("count", "before"), 0))
        formal_a = int(values.get(("sum", "after"), 0))
        total_a = int(values.get(("count", "after"), 0))
        share_b = formal_b / total_b if total_b else float("nan")
        share_a = formal_a / total_a if total_a else float("nan")
        ci_b = wilson_interval(formal_b, total_b)
        ci_a = wilson_interval(formal_a, total_a)
        diff = newcombe_difference_interval(formal_a, total_a, formal_b, total_b)
        rows.append(
            {
                **dict(zip(by, key_tuple, strict=True)),
                "formal_before": formal_b,
                "total_before": total_b,
                "share_before": share_b,
                "share_before_ci_low": ci_b[0],
                "share_before_ci_high": ci_b[1],
                "formal_after": formal_a,
                "total_after": total_a,
                "share_after": share_a,
                "share_after_ci_low": ci_a[0],
                "share_after_ci_high": ci_a[1],
                "share_change_pp": (share_a - share_b) * 100,
                "share_change_percent": percent_change(share_b, share_a),
                "share_change_ci_low_pp": diff[0] * 100,
                "share_change_ci_high_pp": diff[1] * 100,
                "p_value": two_proportion_p_value(formal_a, total_a, formal_b, total_b),
            }
        )
    columns = [*by, "formal_before", "total_before", "share_before"]
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=columns)


def formal_outcomes_avoided(shares: pd.DataFrame) -> dict[str, float]:
    """From an ``outcome_shares`` table: how many fewer charges, cautions and penalty notices the
    after period had than the before period (scaled to the before period's length), for
    ``cost_summary``. Negative differences (more formal outcomes after) are kept as negative."""
    avoided: dict[str, float] = {}
    for row in shares[shares["group"].isin(FORMAL_GROUPS)].itertuples():
        scale = row.days_before / row.days_after
        avoided[str(row.group)] = float(row.count_before - row.count_after * scale)
    return avoided
