import numpy as np
import pandas as pd
from scipy.optimize import linprog

from diversion.evaluation.suppression import SUPPRESSED, suppress, suppression_mask


def _recoverable(table, mask, columns):
    """The recovery attack: for each suppressed cell, the least and greatest value it can take
    given the published cells and the row and column totals (linear programming, as an
    intruder would). A cell is recovered when the two are equal."""
    values = table[columns].to_numpy(dtype=float)
    cells = list(zip(*np.nonzero(mask[columns].to_numpy()), strict=True))
    equations, targets = [], []
    for axis in (0, 1):
        for line in range(values.shape[axis]):
            row = [1.0 if cell[axis] == line else 0.0 for cell in cells]
            if any(row):
                equations.append(row)
                targets.append(sum(values[cell] for cell in cells if cell[axis] == line))
    recovered = {}
    for position, cell in enumerate(cells):
        objective = np.zeros(len(cells))
        objective[position] = 1.0
        low = linprog(objective, A_eq=equations, b_eq=targets, bounds=(0, None)).fun
        high = -linprog(-objective, A_eq=equations, b_eq=targets, bounds=(0, None)).fun
        recovered[cell] = bool(np.isclose(low, high))
    return recovered


def test_counts_of_one_to_four_are_suppressed_and_zero_is_shown():
    table = pd.DataFrame({"a": [0, 1, 4, 5], "b": [10, 20, 30, 40]}, index=list("wxyz"))
    mask = suppression_mask(table, count_columns=["a"], column_totals=False)
    assert mask["a"].tolist() == [False, True, True, False]


def test_a_lone_suppressed_cell_in_a_row_takes_the_next_smallest_with_it():
    table = pd.DataFrame({"charge": [3, 50], "caution": [9, 40], "warning": [20, 60]})
    mask = suppression_mask(
        table, count_columns=["charge", "caution", "warning"], column_totals=False
    )
    assert mask.loc[0].tolist() == [True, True, False]
    assert not mask.loc[1].any()


def test_secondary_suppression_prefers_a_non_zero_cell():
    table = pd.DataFrame({"a": [1], "b": [0], "c": [8]})
    mask = suppression_mask(table, count_columns=["a", "b", "c"], column_totals=False)
    assert mask.loc[0].tolist() == [True, False, True]


def test_suppressed_cells_cannot_be_recovered_from_row_and_column_totals():
    table = pd.DataFrame(
        {
            "Asian": [12, 3, 25],
            "Black": [30, 8, 2],
            "White": [40, 15, 33],
            "Other": [7, 6, 11],
        },
        index=["charge", "caution", "community_resolution"],
    )
    columns = list(table.columns)
    mask = suppression_mask(table, count_columns=columns)
    assert mask.to_numpy().sum() >= 4
    assert (mask.sum(axis=1).isin([0, 2, 3, 4])).all()
    assert (mask.sum(axis=0).isin([0, 2, 3])).all()
    recovered = _recoverable(table, mask, columns)
    assert recovered
    assert not any(recovered.values())


def test_without_secondary_suppression_the_attack_would_succeed():
    table = pd.DataFrame({"a": [3, 10], "b": [20, 30]})
    primary_only = suppression_mask(
        table, count_columns=["a", "b"], row_totals=False, column_totals=False
    )
    assert _recoverable(table, primary_only, ["a", "b"]) == {(0, 0): True}  # by subtraction
    protected = suppression_mask(table, count_columns=["a", "b"])
    assert protected.to_numpy().all()
    assert not any(_recoverable(table, protected, ["a", "b"]).values())


def test_rates_and_shares_from_suppressed_counts_are_suppressed_and_totals_are_checked():
    table = pd.DataFrame(
        {
            "ethnic_group": ["Asian", "Black", "White", "Total"],
            "searches": [2, 60, 100, 162],
            "population": [30_000, 10_000, 80_000, 120_000],
        }
    )
    table["rate_per_1000"] = table["searches"] / table["population"] * 1000
    published = suppress(
        table.set_index("ethnic_group"),
        count_columns=["searches"],
        total_rows=["Total"],
        derived_columns={"rate_per_1000": ["searches"]},
    )
    assert published.loc["Asian", "searches"] == SUPPRESSED
    assert published.loc["Asian", "rate_per_1000"] == SUPPRESSED
    assert published.loc["Black", "searches"] == SUPPRESSED  # the next smallest in the column
    assert published.loc["Black", "rate_per_1000"] == SUPPRESSED
    assert published.loc["White", "searches"] == 100
    assert published.loc["Total", "searches"] == 162
    assert published.loc["Asian", "population"] == 30_000


def test_a_small_total_is_itself_suppressed():
    table = pd.DataFrame({"a": [0, 3], "b": [0, 9], "total": [0, 12]})
    mask = suppression_mask(
        table, count_columns=["a", "b"], total_columns=["total"], column_totals=False
    )
    assert mask["total"].tolist() == [False, False]
    table.loc[0, ["a", "total"]] = [2, 2]
    mask = suppression_mask(
        table, count_columns=["a", "b"], total_columns=["total"], column_totals=False
    )
    assert mask.loc[0, "total"]
    assert mask.loc[0, "a"]


def test_a_table_with_nothing_small_is_published_unchanged():
    table = pd.DataFrame({"a": [10, 0, 7], "b": [5, 6, 0]})
    assert suppress(table, count_columns=["a", "b"]).equals(table)
