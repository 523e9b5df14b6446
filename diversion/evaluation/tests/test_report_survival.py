"""The log-rank comparison and median under the re-offending curves, in the report: its figures
equal lifelines' on the same matched people, and small groups are suppressed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from lifelines.statistics import logrank_test

from diversion.core.roles import Role
from diversion.evaluation.inputs import Inputs
from diversion.evaluation.report import evaluation_report
from diversion.evaluation.sections_comparison import comparison_cohort
from diversion.evaluation.sections_survival import FOLLOW_UP_DAYS
from diversion.evaluation.sources import frames_source
from diversion.evaluation.stats import matched_comparison
from diversion.evaluation.stats.survival import durations
from diversion.evaluation.tests.dashboard_data import Known, known_referrals
from diversion.evaluation.tests.police_data import known_police_data

AS_OF_LATER = timezone.localdate() + dt.timedelta(days=3 * 365)


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    known = known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))
    known_police_data(known)
    return known


def test_the_log_rank_line_equals_lifelines_on_the_matched_people(known: Known) -> None:
    report = evaluation_report(
        scheme=known.scheme, start=known.start, end=known.end, as_of=AS_OF_LATER, cached=False
    )
    table = report.table("matched_time_to_reoffence")
    assert table.method == "comparing-survival-curves"
    # The same matched people, followed the same way, tested by lifelines.
    source = frames_source(known.scheme, snapshot=False)
    referrals = source.referrals(known.start, known.end)
    inputs = Inputs(
        scheme=known.scheme,
        start=known.start,
        end=known.end,
        as_of=AS_OF_LATER,
        local_authority="",
        authorities={},
        referrals=referrals,
        source=source,
        referred=frozenset(int(k[1:]) for k in referrals["person_key"].unique()),
    )
    cohort = comparison_cohort(inputs)
    result = matched_comparison(cohort)
    matched = result.units.loc[result.units["weight"] > 0, ["person_key", "treated"]]
    people = cohort[["person_key", "index_date"]].merge(matched, on="person_key")
    observed = durations(
        people,
        inputs.offences,
        as_of=AS_OF_LATER,
        definition="police_any",
        follow_up_days=FOLLOW_UP_DAYS,
    )
    treated = people.loc[observed.index, "treated"].to_numpy()
    theirs = logrank_test(
        observed["days"][treated],
        observed["days"][~treated],
        observed["event"][treated],
        observed["event"][~treated],
    )
    rows = {r["group"]: r for r in table.rows}
    diverted, comparison = rows["Diverted, matched"], rows["Matched comparison"]
    assert diverted["people"] == int(treated.sum())
    if isinstance(diverted["reoffended"], int) and isinstance(comparison["reoffended"], int):
        assert f"chi-squared {theirs.test_statistic:.2f} on 1 degree" in table.reading
        assert diverted["reoffended"] == int(observed["event"][treated].sum())
    else:
        assert table.reading.startswith("Too few people")
        assert "[c]" in (diverted["median"], comparison["median"])
    section = next(s for s in report.sections if s.key == "matching")
    assert table.reading in section.summary
