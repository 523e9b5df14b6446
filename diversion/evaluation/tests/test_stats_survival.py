import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

from diversion.evaluation.stats import kaplan_meier, survival_at, time_to_reoffence


def _check_against_lifelines(days, events):
    table = kaplan_meier(days, events)
    fitter = KaplanMeierFitter().fit(days, events)
    reference = fitter.event_table.loc[table["time"]]
    assert table["at_risk"].tolist() == reference["at_risk"].tolist()
    assert table["events"].tolist() == reference["observed"].tolist()
    assert table["censored"].tolist() == reference["censored"].tolist()
    survival = fitter.survival_function_.loc[table["time"]].iloc[:, 0].to_numpy()
    interval = fitter.confidence_interval_.loc[table["time"]].to_numpy()
    np.testing.assert_allclose(table["survival"], survival, rtol=1e-12)
    np.testing.assert_allclose(table["ci_low"], interval[:, 0], rtol=1e-10)
    np.testing.assert_allclose(table["ci_high"], interval[:, 1], rtol=1e-10)
    return table


def test_kaplan_meier_matches_lifelines_with_tied_times_and_censoring():
    days = [5, 5, 5, 8, 8, 12, 12, 12, 20, 20, 31, 40, 40, 55, 60]
    events = [1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1]
    table = _check_against_lifelines(days, events)
    first = table.iloc[0]
    assert (first["time"], first["at_risk"], first["events"], first["censored"]) == (5, 15, 2, 1)
    assert first["survival"] == pytest.approx(13 / 15)


def test_kaplan_meier_matches_lifelines_on_a_large_random_sample():
    rng = np.random.default_rng(3)
    days = rng.integers(1, 365, 5000)
    events = rng.random(5000) < 0.3
    _check_against_lifelines(days, events)


def test_kaplan_meier_matches_lifelines_when_everyone_left_has_the_event():
    _check_against_lifelines([3, 4, 4, 9], [0, 1, 1, 1])


def test_time_to_reoffence_censors_at_the_as_of_date_and_at_the_end_of_follow_up():
    cohort = pd.DataFrame(
        {
            "person_key": ["a", "b", "c", "d"],
            "index_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-03-01", "2024-07-01"]),
        }
    )
    offences = pd.DataFrame(
        {
            "person_key": ["a", "a", "b", "c"],
            "offence_date": pd.to_datetime(
                ["2024-01-11", "2024-02-01", "2024-06-30", "2024-07-15"]
            ),
            "is_possession": [True, True, False, True],
            "disposal": ["", "", "", ""],
            "disposal_date": pd.to_datetime([None, None, None, None]),
        }
    )
    table = time_to_reoffence(cohort, offences, as_of="2024-07-01", definition="police_any")
    # a: event at 10 days; b: event at 181; c: offence after as_of, censored at 122; d: 0 days.
    assert table["time"].tolist() == [0, 10, 122, 181]
    assert table["events"].tolist() == [0, 1, 0, 1]
    assert table["censored"].tolist() == [1, 0, 1, 0]
    capped = time_to_reoffence(
        cohort, offences, as_of="2024-07-01", definition="police_any", follow_up_days=90
    )
    assert capped["time"].tolist() == [0, 10, 90]
    assert capped["events"].tolist() == [0, 1, 0]
    assert survival_at(capped, 30) == pytest.approx(2 / 3)


def test_possession_only_survival_ignores_other_offences():
    cohort = pd.DataFrame({"person_key": ["a"], "index_date": pd.to_datetime(["2024-01-01"])})
    offences = pd.DataFrame(
        {
            "person_key": ["a"],
            "offence_date": pd.to_datetime(["2024-01-20"]),
            "is_possession": [False],
            "disposal": [""],
            "disposal_date": pd.to_datetime([None]),
        }
    )
    table = time_to_reoffence(cohort, offences, as_of="2024-03-01", definition="police_possession")
    assert table["events"].sum() == 0
