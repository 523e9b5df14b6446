import math

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from diversion.evaluation.stats import reoffending_flags, reoffending_rate, wilson_interval


def _cohort(rows):
    return pd.DataFrame(rows, columns=["person_key", "index_date"]).assign(
        index_date=lambda f: pd.to_datetime(f["index_date"])
    )


def _offences(rows):
    frame = pd.DataFrame(
        rows, columns=["person_key", "offence_date", "is_possession", "disposal", "disposal_date"]
    )
    frame["offence_date"] = pd.to_datetime(frame["offence_date"])
    frame["disposal_date"] = pd.to_datetime(frame["disposal_date"])
    return frame


COHORT = _cohort(
    [
        ("a", "2023-01-10"),  # possession offence in the window
        ("b", "2023-01-10"),  # theft in the window, convicted within the waiting period
        ("c", "2023-01-10"),  # offence on the index date itself: does not count
        ("d", "2023-01-10"),  # offence one day after the 6-month window
        ("e", "2023-01-10"),  # nothing
        ("f", "2023-06-01"),  # window not yet passed on the as-of date
    ]
)
OFFENCES = _offences(
    [
        ("a", "2023-03-01", True, "", None),
        ("b", "2023-07-10", False, "conviction", "2023-12-01"),
        ("c", "2023-01-10", True, "caution", "2023-01-10"),
        ("d", "2023-07-11", True, "caution", "2023-08-01"),
        ("f", "2023-06-02", True, "", None),
    ]
)


def test_police_recorded_reoffending_counts_offences_strictly_inside_the_window():
    result = reoffending_rate(
        COHORT, OFFENCES, as_of="2023-10-01", months=6, definition="police_any"
    )
    assert (result.cohort, result.eligible, result.reoffended) == (6, 5, 2)
    assert result.rate == pytest.approx(2 / 5)


def test_possession_only_reoffending_ignores_other_offences():
    result = reoffending_rate(
        COHORT, OFFENCES, as_of="2023-10-01", months=6, definition="police_possession"
    )
    assert (result.eligible, result.reoffended) == (5, 1)


def test_proven_reoffending_waits_six_more_months_before_anyone_counts():
    too_early = reoffending_rate(
        COHORT, OFFENCES, as_of="2023-10-01", months=6, definition="proven"
    )
    assert too_early.eligible == 0
    assert math.isnan(too_early.rate)
    later = reoffending_rate(COHORT, OFFENCES, as_of="2024-01-10", months=6, definition="proven")
    assert (later.eligible, later.reoffended) == (5, 1)


def test_proven_reoffending_needs_the_conviction_within_the_waiting_period():
    cohort = _cohort([("x", "2023-01-01"), ("y", "2023-01-01")])
    offences = _offences(
        [
            ("x", "2023-06-30", False, "conviction", "2024-01-01"),  # proven on the last day
            ("y", "2023-06-30", False, "conviction", "2024-01-02"),  # proven one day too late
        ]
    )
    result = reoffending_rate(cohort, offences, as_of="2024-06-01", months=6, definition="proven")
    assert (result.eligible, result.reoffended) == (2, 1)


def test_the_flags_follow_the_cohort_index_so_callers_can_store_them():
    cohort = COHORT.set_index(pd.Index([10, 11, 12, 13, 14, 15]))
    flags = reoffending_flags(
        cohort, OFFENCES, as_of="2023-10-01", months=6, definition="police_any"
    )
    assert list(flags.index) == [10, 11, 12, 13, 14, 15]
    assert flags["reoffended"].tolist() == [True, True, False, False, False, True]
    assert flags["eligible"].tolist() == [True, True, True, True, True, False]


def test_an_unknown_definition_is_refused():
    with pytest.raises(ValueError, match="definition"):
        reoffending_rate(COHORT, OFFENCES, as_of="2023-10-01", months=6, definition="arrests")


@pytest.mark.parametrize(
    ("successes", "trials"), [(0, 10), (1, 10), (87, 100), (13, 15), (400, 400), (3, 1234)]
)
def test_the_wilson_interval_matches_statsmodels(successes, trials):
    expected = proportion_confint(successes, trials, alpha=0.05, method="wilson")
    assert wilson_interval(successes, trials) == pytest.approx(expected, abs=1e-12)


def test_the_rate_carries_the_wilson_interval_of_its_counts():
    result = reoffending_rate(
        COHORT, OFFENCES, as_of="2023-10-01", months=6, definition="police_any"
    )
    assert (result.ci_low, result.ci_high) == pytest.approx(
        proportion_confint(2, 5, method="wilson"), abs=1e-12
    )
