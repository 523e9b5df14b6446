"""Time to re-offence compared: the diverted and their matched comparison group, each followed
for six months (182 days), with the log-rank test and each group's median time and its
Brookmeyer-Crowley interval (`stats.log_rank`, `stats.median_survival`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from diversion.evaluation.inputs import Inputs, long_date
from diversion.evaluation.stats import (
    MatchedComparison,
    kaplan_meier,
    log_rank,
    median_survival,
)
from diversion.evaluation.stats._common import p_value_text
from diversion.evaluation.stats.survival import durations
from diversion.evaluation.suppression import THRESHOLD
from diversion.evaluation.tables import Column, Table, published, rounded, suppress_counts

FOLLOW_UP_DAYS = 182


def median_sentence(km: pd.DataFrame, who: str) -> str:
    """The median time to re-offence as a sentence (empty when too few are followed)."""
    if km.empty or int(km["at_risk"].iloc[0]) < 2 * THRESHOLD:
        return ""
    median = median_survival(km)
    if median.median is None:
        return (
            f"The median time to re-offence for {who} is not reached: more than half had no "
            "police-recorded offence by the end of follow-up."
        )
    low = f"{median.ci_low:,.0f}" if median.ci_low is not None else "not known"
    high = f"{median.ci_high:,.0f}" if median.ci_high is not None else "not reached"
    return (
        f"The median time to re-offence for {who} is {median.median:,.0f} days (95% CI {low} "
        f"to {high} days, Brookmeyer and Crowley)."
    )


def matched_survival_table(
    result: MatchedComparison, cohort: pd.DataFrame, inputs: Inputs
) -> Table:
    """The diverted matched and their comparison people, followed from their index dates."""
    matched = result.units.loc[result.units["weight"] > 0, ["person_key", "treated"]]
    people = cohort[["person_key", "index_date"]].merge(matched, on="person_key")
    observed = durations(
        people,
        inputs.offences,
        as_of=inputs.as_of,
        definition="police_any",
        follow_up_days=FOLLOW_UP_DAYS,
    )
    groups = people.loc[observed.index, "treated"].map(
        {True: "Diverted, matched", False: "Matched comparison"}
    )
    rows: list[dict[str, Any]] = []
    test = None
    if groups.nunique() == 2:
        test = log_rank(times=observed["days"], events=observed["event"], groups=groups)
    for name in ("Diverted, matched", "Matched comparison"):
        mine = (groups == name).to_numpy()
        km = kaplan_meier(observed["days"][mine], observed["event"][mine])
        median = median_survival(km)
        events = int(observed["event"][mine].sum())
        expected = None
        if test is not None:
            expected = test.expected[test.groups.index(name)]
        rows.append(
            {
                "group": name,
                "people": int(mine.sum()),
                "reoffended": events,
                "not_reoffended": int(mine.sum()) - events,
                "expected": rounded(expected, 1),
                "median": median.median,
                "median_low": median.ci_low,
                "median_high": median.ci_high,
            }
        )
    counts = ["reoffended", "not_reoffended"]
    published_rows = suppress_counts(
        pd.DataFrame(rows),
        count_columns=counts,
        total_columns=["people"],
        derived={c: counts for c in ("expected", "median", "median_low", "median_high")},
    )
    shown = test is not None and all(published(r["reoffended"]) for r in published_rows)
    if shown and test is not None:
        reading = (
            f"Log-rank test of time to re-offence, diverted against matched comparison: "
            f"chi-squared {test.statistic:.2f} on {test.df} degree of freedom, "
            f"{p_value_text(test.p_value)}."
        )
    else:
        reading = "Too few people were matched to compare their times to re-offence."
    return Table(
        key="matched_time_to_reoffence",
        title="Time to re-offence: diverted and matched comparison",
        columns=[
            Column("group", "Group"),
            Column("people", "People", True),
            Column("reoffended", "Re-offended within 182 days", True),
            Column("not_reoffended", "Did not (or not yet)", True),
            Column("expected", "Expected to re-offend if the groups were alike", True, "1dp"),
            Column("median", "Median days to re-offence", True),
            Column("median_low", "95% CI: lower (days)", True),
            Column("median_high", "95% CI: upper (days)", True),
        ],
        rows=published_rows,
        reading=reading,
        notes=[
            "Each matched person is followed from their referral (the diverted) or offence "
            f"(the comparison) to their first police-recorded offence, {FOLLOW_UP_DAYS} days or "
            f"{long_date(inputs.as_of)}, whichever comes first. The log-rank test compares the "
            "whole curves; 'expected' is the number the test expects in each group if both "
            "groups re-offended alike.",
            "The median is the first day on which half or more of the group had re-offended; "
            "'Not applicable' means fewer than half had. Its interval is Brookmeyer and "
            "Crowley's, from the log(-log) interval of the curve.",
        ],
    )
