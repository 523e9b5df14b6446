import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from diversion.evaluation.suppression import (
    SUPPRESSED,
    audit_published,
    suppress,
    suppress_with_protection,
    suppression_mask,
)
from diversion.evaluation.tests.attack import Narrowed, intruder


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


# --- Safe by construction: the attack, the leaking shape, generated tables --------------------

# Two blocks of hidden cells (rows 0-1 x columns a-b, rows 2-3 x columns c-d) linked by a 1 at
# row 0, column c: before decision 0015 every line held two or more hidden cells, so secondary
# suppression stopped, and the 1 came back exactly from the totals.
LEAKING = pd.DataFrame(
    [[2, 3, 1, 40], [4, 2, 30, 50], [30, 40, 2, 3], [50, 60, 4, 1]], columns=list("abcd")
)
# What the previous suppression published for it (its mask, kept as data).
LEAKING_OLD_MASK = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]], dtype=bool)


def _published(table, mask):
    return table.astype(object).where(~mask, SUPPRESSED)


def test_the_old_pattern_on_the_linking_shape_gives_the_linking_count_away():
    old = _published(LEAKING, pd.DataFrame(LEAKING_OLD_MASK, columns=list("abcd")))
    narrowed = intruder(LEAKING, old, rows_add_up=True, columns_add_up=True)
    assert Narrowed("0/c", 1.0, 1.0, 1.0) in narrowed


def test_a_small_count_linking_two_blocks_of_hidden_cells_keeps_its_range():
    published, protection = suppress_with_protection(LEAKING, count_columns=list("abcd"))
    assert published.loc[0, "c"] == SUPPRESSED
    assert intruder(LEAKING, published, rows_add_up=True, columns_add_up=True) == []
    assert audit_published(protection, published.to_dict(orient="records")) == []


def test_the_publication_audit_rejects_the_old_pattern():
    _, protection = suppress_with_protection(LEAKING, count_columns=list("abcd"))
    old = _published(LEAKING, pd.DataFrame(LEAKING_OLD_MASK, columns=list("abcd")))
    exposed = audit_published(protection, old.to_dict(orient="records"))
    assert [(e.low, e.high) for e in exposed if e.cell == 2] == [(1.0, 1.0)]


def test_a_count_whose_complement_is_small_is_hidden():
    # Row totals are 100 and 60: "all but 3" of the first row are in column a.
    table = pd.DataFrame({"a": [97, 30], "b": [3, 30]})
    mask = suppression_mask(table, count_columns=["a", "b"], column_totals=False)
    assert mask.loc[0].tolist() == [True, True]
    # With two columns, a printed total and nothing small, nothing is hidden.
    table = pd.DataFrame({"a": [90, 30], "b": [10, 30], "total": [100, 60]})
    assert not suppression_mask(table, count_columns=["a", "b"], total_columns=["total"]).any(
        axis=None
    )


def test_a_printed_small_total_is_protected_by_hiding_another_total():
    table = pd.DataFrame({"a": [2, 30, 40], "b": [1, 20, 50], "total": [3, 50, 90]})
    published, protection = suppress_with_protection(
        table, count_columns=["a", "b"], total_columns=["total"]
    )
    assert published.loc[0, "total"] == SUPPRESSED
    assert (published["total"] == SUPPRESSED).sum() >= 2
    assert not intruder(
        table, published, rows_add_up=True, columns_add_up=True, total_column="total"
    )
    assert audit_published(protection, published.to_dict(orient="records")) == []


def test_a_table_that_cannot_be_protected_is_reported_so_it_can_be_withheld():
    # Unprinted totals are assumed known (they are published elsewhere) unless small: the
    # first row's total of 3 follows from the grand total and the others, and no printed cell
    # can hide it.
    table = pd.DataFrame({"a": [2, 30, 40], "b": [1, 20, 50]})
    published, protection = suppress_with_protection(table, count_columns=["a", "b"])
    exposed = audit_published(protection, published.to_dict(orient="records"))
    assert exposed
    assert intruder(table, published, rows_add_up=True, columns_add_up=True)


def test_a_published_row_that_differs_from_the_count_fails_the_audit():
    published, protection = suppress_with_protection(LEAKING, count_columns=list("abcd"))
    rows = published.to_dict(orient="records")
    rows[3]["a"] = 51
    assert audit_published(protection, rows)
    assert audit_published(protection, rows[:2])  # rows missing


@st.composite
def tables(draw):
    n_rows = draw(st.integers(2, 8))
    n_columns = draw(st.integers(2, 8))
    cells = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(5, 60))
    body = [[draw(cells) for _ in range(n_columns)] for _ in range(n_rows)]
    frame = pd.DataFrame(body, columns=[f"k{j}" for j in range(n_columns)])
    margins = draw(st.booleans())
    directions = [(True, True), (True, False), (False, True)]
    rows_add_up, columns_add_up = draw(st.sampled_from(directions))
    return frame, margins, rows_add_up, columns_add_up


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_generated_tables_never_leak_under_the_attack(case):
    frame, margins, rows_add_up, columns_add_up = case
    counts = list(frame.columns)
    table = frame.copy()
    total_column, total_row = None, None
    if margins:
        total_column, total_row = "total", "Total"
        table["total"] = table[counts].sum(axis=1)
        table.loc["Total"] = table.sum(axis=0)
    published, protection = suppress_with_protection(
        table,
        count_columns=counts,
        total_columns=["total"] if margins else [],
        total_rows=["Total"] if margins else [],
        row_totals=rows_add_up,
        column_totals=columns_add_up,
    )
    narrowed = intruder(
        table,
        published,
        rows_add_up=rows_add_up,
        columns_add_up=columns_add_up,
        total_column=total_column if rows_add_up else None,
        total_row=total_row if columns_add_up else None,
    )
    exposed = audit_published(protection, published.reset_index(drop=True).to_dict("records"))
    # Either the table is safe under the intruder, or the audit says so and it is withheld.
    assert bool(exposed) == bool(narrowed), (narrowed, exposed)
    if margins:  # with the totals printed, they can be hidden too: always protectable
        assert not narrowed, narrowed
