"""The frames on a small data set whose every figure is known."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from diversion.audit.services import Actor
from diversion.evaluation.columns import (
    COHORT,
    OFFENCES,
    OUTCOMES,
    POPULATION,
    REFERRALS,
    STOP_SEARCHES,
)
from diversion.evaluation.frames import (
    cohort_frame,
    offences_frame,
    outcomes_frame,
    population_frame,
    referrals_frame,
    stop_searches_frame,
)
from diversion.evaluation.tests.helpers import csv_bytes, run_import, sample
from diversion.evaluation.tests.test_imports_offences import HEADER, row
from diversion.officer.tests.builders import referral_made
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_referrals(scheme: Any, officer: Any, slots: Any) -> list[Referral]:
    first = referral_made(officer, scheme, slots[0], key="a").referral
    second = referral_made(
        officer,
        scheme,
        slots[1],
        key="b",
        given_name="Priya",
        family_name="Sharma",
        date_of_birth=dt.date(2001, 11, 3),
        sex="female",
        self_defined_ethnicity="A1",
    ).referral
    referral_transition(
        referral_id=first.pk, to_status="assessed", actor=Actor.of(officer), reason="test"
    )
    referral_transition(
        referral_id=second.pk, to_status="assessment_missed", actor=Actor.of(officer), reason="test"
    )
    return [first, second]


def test_the_referrals_frame_has_the_shared_columns_and_known_values(
    scheme: Any, two_referrals: list[Referral]
) -> None:
    today = dt.date.today()
    frame = referrals_frame(scheme_ids=[scheme.pk], start=today - dt.timedelta(days=1), end=today)

    assert list(frame.columns) == list(REFERRALS)
    first = frame.set_index("referral_id").loc[two_referrals[0].pk]
    second = frame.set_index("referral_id").loc[two_referrals[1].pk]
    assert first["person_key"] == f"P{two_referrals[0].person_id}"
    assert (first["assessed"], first["engaged"], first["not_engaged"]) == (True, True, False)
    assert first["assessed_on"] == pd.Timestamp(today) or first["assessed_on"] == pd.Timestamp(
        today - dt.timedelta(days=1)
    )
    assert (second["assessed"], second["missed_appointments"]) == (False, 1)
    assert pd.isna(second["assessed_on"])
    assert (second["sex"], second["ethnicity"], second["ethnic_group"]) == ("female", "A1", "Asian")
    assert first["main_drug"] == "cannabis" and first["how_found"] == "stop_search"
    assert first["age"] == (today.year - 1998 - ((today.month, today.day) < (6, 14)))
    assert frame["referred_on"].dtype == "datetime64[ns]"


def test_referrals_outside_the_period_or_the_scheme_are_left_out(
    scheme: Any, other_scheme: Any, two_referrals: list[Referral]
) -> None:
    long_ago = dt.date(2020, 1, 1)

    assert referrals_frame(scheme_ids=[scheme.pk], start=long_ago, end=long_ago).empty
    assert referrals_frame(scheme_ids=[other_scheme.pk]).empty
    assert list(referrals_frame(scheme_ids=[other_scheme.pk]).columns) == list(REFERRALS)


def test_offences_carry_the_referred_persons_key_when_linked(
    scheme: Any, two_referrals: list[Referral]
) -> None:
    linked = row(
        police_person_id="", given_name="Jamie", family_name="O'Neill", date_of_birth="1998-06-14"
    )
    run_import("offences", scheme, csv_bytes(HEADER, [linked, row(offence_code="105A")]))

    frame = offences_frame(scheme_ids=[scheme.pk])

    assert list(frame.columns) == list(OFFENCES)
    keys = set(frame["person_key"])
    assert f"P{two_referrals[0].person_id}" in keys
    assert any(key.startswith("X") for key in keys)
    assert frame["is_possession"].tolist().count(True) == 1


def test_the_outcomes_frame_groups_outcomes_and_ethnicity(scheme: Any) -> None:
    run_import("outcomes", scheme, sample("outcomes"))

    frame = outcomes_frame(
        scheme_ids=[scheme.pk], start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31)
    )

    assert list(frame.columns) == list(OUTCOMES)
    assert len(frame) == 4
    assert frame.set_index("outcome_code").loc[1, "outcome_group"] == "charge"
    assert frame.set_index("outcome_code").loc[1, "ethnic_group"] == "Black"
    assert not frame["diverted"].any()


def test_the_stop_search_and_population_frames(scheme: Any) -> None:
    run_import("stop_searches", scheme, sample("stop_searches"))
    run_import("population", scheme, sample("population"))

    searches = stop_searches_frame(scheme_ids=[scheme.pk])
    population = population_frame(scheme_ids=[scheme.pk])

    assert list(searches.columns) == list(STOP_SEARCHES)
    assert searches["ethnic_group"].value_counts().to_dict() == {
        "White": 1,
        "Black": 1,
        "Asian": 1,
        "Not stated": 1,
        "Mixed": 1,
    }
    assert list(population.columns) == list(POPULATION)
    assert population["population"].sum() == 1_344_634


def test_the_cohort_has_the_diverted_and_a_pool_with_priors_and_re_offending(
    scheme: Any, two_referrals: list[Referral]
) -> None:
    today = dt.date.today()
    jamie = {
        "police_person_id": "",
        "given_name": "Jamie",
        "family_name": "O'Neill",
        "date_of_birth": "1998-06-14",
    }
    rows = [
        row(offence_date="2022-01-01", **jamie),  # a prior for the diverted person
        row(police_person_id="POOL/1", offence_date=(today - dt.timedelta(days=40)).isoformat()),
        row(police_person_id="POOL/1", offence_date="2023-01-01", offence_code="105A"),
        row(
            police_person_id="POOL/1",
            offence_date=(today - dt.timedelta(days=10)).isoformat(),
            offence_code="105A",
        ),
        row(police_person_id="POOL/2", offence_date="2020-01-01"),  # possession outside the period
    ]
    run_import("offences", scheme, csv_bytes(HEADER, rows))

    cohort = cohort_frame(scheme_ids=[scheme.pk], start=today - dt.timedelta(days=60), end=today)

    assert list(cohort.columns) == list(COHORT)
    treated = cohort[cohort["treated"]].set_index("person_key")
    pool = cohort[~cohort["treated"]]
    assert len(treated) == 2 and len(pool) == 1
    assert treated.loc[f"P{two_referrals[0].person_id}", "prior_offences"] == 1
    assert treated.loc[f"P{two_referrals[0].person_id}", "prior_possession"] == 1
    assert pool.iloc[0]["prior_offences"] == 1 and pool.iloc[0]["prior_possession"] == 0
    assert bool(pool.iloc[0]["reoffended"]) and not treated["reoffended"].any()
