from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from diversion.evaluation.models import Population, PossessionOutcome, StopSearch, UnitCost
from diversion.evaluation.tests.helpers import csv_bytes, reasons_by_row, run_import, sample

pytestmark = pytest.mark.django_db

OUTCOME_HEADER = [
    "offence_date",
    "local_authority",
    "offence_code",
    "outcome_code",
    "sex",
    "ethnicity",
    "diverted",
]
GOOD_OUTCOME = ["2022-05-01", "E08000025", "92E", "1", "male", "B1", "no"]
SEARCH_HEADER = ["searched_on", "local_authority", "sex", "ethnicity", "observed_ethnicity"]
GOOD_SEARCH = ["2024-01-05", "E08000025", "male", "W1", "IC1"]
POPULATION_HEADER = ["local_authority", "sex", "ethnic_group", "population"]


def test_the_outcomes_sample_imports_outcomes_before_and_after_go_live(scheme: Any) -> None:
    result = run_import("outcomes", scheme, sample("outcomes"))

    assert (result.rows_added, result.bad_rows) == (8, [])
    assert PossessionOutcome.objects.filter(diverted=True).count() == 3
    assert PossessionOutcome.objects.get(outcome_code=22).ethnicity == "NS"


def test_re_importing_outcomes_adds_nothing(scheme: Any) -> None:
    run_import("outcomes", scheme, sample("outcomes"))

    assert run_import("outcomes", scheme, sample("outcomes")).rows_already_imported == 8
    assert PossessionOutcome.objects.count() == 8


@pytest.mark.parametrize(
    ("position", "value", "reason"),
    [
        (3, "99", "outcome_code is not a Home Office outcome code"),
        (3, "", "outcome_code is missing"),
        (2, "105A", "offence_code is not a possession offence"),
        (0, "2022-13-01", "offence_date is not a date"),
        (5, "W7", "ethnicity is not a self-defined ethnicity code"),
        (6, "perhaps", "diverted must be yes or no"),
    ],
)
def test_a_bad_outcome_row_is_reported_and_not_imported(
    scheme: Any, position: int, value: str, reason: str
) -> None:
    bad = list(GOOD_OUTCOME)
    bad[position] = value

    result = run_import("outcomes", scheme, csv_bytes(OUTCOME_HEADER, [GOOD_OUTCOME, bad]))

    assert reason in reasons_by_row(result)[3]
    assert PossessionOutcome.objects.count() == 1


def test_the_older_not_stated_code_z1_is_read_as_ns(scheme: Any) -> None:
    row = [*GOOD_OUTCOME[:5], "Z1", "no"]

    run_import("outcomes", scheme, csv_bytes(OUTCOME_HEADER, [row]))

    assert PossessionOutcome.objects.get().ethnicity == "NS"


def test_an_outcomes_file_without_the_diverted_column_is_refused(scheme: Any) -> None:
    result = run_import("outcomes", scheme, csv_bytes(OUTCOME_HEADER[:-1], [GOOD_OUTCOME[:-1]]))

    assert result.missing_columns == ["diverted"]
    assert not PossessionOutcome.objects.exists()


def test_the_stop_search_sample_imports_both_ethnicities(scheme: Any) -> None:
    result = run_import("stop_searches", scheme, sample("stop_searches"))

    assert (result.rows_added, result.bad_rows) == (5, [])
    assert StopSearch.objects.get(ethnicity="NS").observed_ethnicity == "IC3"
    assert run_import("stop_searches", scheme, sample("stop_searches")).rows_added == 0


@pytest.mark.parametrize(
    ("position", "value", "reason"),
    [
        (4, "IC7", "observed_ethnicity is not an officer-observed code"),
        (3, "Black", "ethnicity is not a self-defined ethnicity code"),
        (0, "05/01/24", "searched_on is not a date"),
        (2, "", "sex is missing"),
    ],
)
def test_a_bad_stop_search_row_is_reported_and_not_imported(
    scheme: Any, position: int, value: str, reason: str
) -> None:
    bad = list(GOOD_SEARCH)
    bad[position] = value

    result = run_import("stop_searches", scheme, csv_bytes(SEARCH_HEADER, [bad, GOOD_SEARCH]))

    assert reason in reasons_by_row(result)[2]
    assert StopSearch.objects.count() == 1


def test_the_population_sample_imports_and_a_corrected_figure_replaces_the_old(
    scheme: Any,
) -> None:
    assert run_import("population", scheme, sample("population")).rows_added == 10
    assert run_import("population", scheme, sample("population")).rows_already_imported == 10

    corrected = run_import(
        "population",
        scheme,
        csv_bytes(POPULATION_HEADER, [["E08000025", "female", "Asian", "268400"]]),
    )

    assert corrected.rows_added == 1
    assert Population.objects.count() == 10
    assert Population.objects.get(sex="female", ethnic_group="Asian").population == 268400


def test_census_labels_are_read_as_their_ethnic_group(scheme: Any) -> None:
    rows = [
        ["E08000026", "male", "Asian, Asian British or Asian Welsh", "1"],
        ["E08000026", "male", "Mixed or Multiple ethnic groups", "2"],
        ["E08000026", "male", "Other ethnic group", "3"],
    ]

    run_import("population", scheme, csv_bytes(POPULATION_HEADER, rows))

    assert set(Population.objects.values_list("ethnic_group", flat=True)) == {
        "Asian",
        "Mixed",
        "Other",
    }


def test_bad_population_rows_are_reported_with_their_row_numbers(scheme: Any) -> None:
    rows = [
        ["E08000026", "male", "White", "100"],
        ["E08000026", "male", "Martian", "100"],
        ["E08000026", "male", "White", "-5"],
        ["E08000026", "male", "White", "120"],
    ]

    result = run_import("population", scheme, csv_bytes(POPULATION_HEADER, rows))

    reasons = reasons_by_row(result)
    assert "ethnic_group is not an ethnic group" in reasons[3]
    assert "population is not a whole number" in reasons[4]
    assert "repeats row 2" in reasons[5]
    assert Population.objects.get().population == 100


def test_the_unit_costs_sample_imports_with_sources(scheme: Any) -> None:
    assert run_import("unit_costs", scheme, sample("unit_costs")).rows_added == 6

    charge = UnitCost.objects.get(scheme=scheme, name="charge")
    assert charge.amount_pounds == Decimal("1950.00") and "CPS" in charge.source
    assert run_import("unit_costs", scheme, sample("unit_costs")).rows_added == 0


def test_bad_unit_costs_are_reported(scheme: Any) -> None:
    header = ["name", "amount_pounds", "source", "valid_from"]
    rows = [["lunch", "10", "x", "2024-04-01"], ["charge", "lots", "", "2024-04-01"]]

    reasons = reasons_by_row(run_import("unit_costs", scheme, csv_bytes(header, rows)))

    assert "name is not a unit cost name" in reasons[2]
    assert "amount_pounds is not an amount" in reasons[3] and "source is missing" in reasons[3]
    assert not UnitCost.objects.exists()
