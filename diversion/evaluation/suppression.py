"""Small-number suppression for every published table (dashboards, PDF, CSV downloads, CLI).

The rules, following the Government Statistical Service's guidance on disclosure control for
published tables (and the ONS's practice for the Census and crime tables):

1. **Primary**: a count from 1 to ``threshold - 1`` (1-4 by default) is shown as ``[c]``
   ("confidential", the GSS symbol). **Zero is shown**: "nobody" reveals nothing about a person,
   and hiding zeros would make a table unreadable. Totals given in ``total_columns`` or
   ``total_rows`` are themselves suppressed when they are 1-4, and so is a count whose line
   total exceeds it by 1-4 (its complement: "all but three").
2. **Secondary**: where the count columns of each row add up to a total (``row_totals``) and
   each count column down the rows does (``column_totals``), the totals are known to a reader
   (printed, or from elsewhere) unless they are small, and a reader with a linear programme
   can narrow a hidden cell from them. Further cells are hidden until the attack
   (`disclosure.attack`) narrows no small count, small total or small complement to an
   interval narrower than ``threshold`` (`disclosure.protect`; decision 0015).
3. **Derived**: a rate or share computed from a suppressed count is suppressed too
   (``derived_columns`` maps each such column to the counts it comes from).

Lines that do not add up to a total (for example a table whose rows overlap) switch the
secondary step off with ``row_totals=False`` or ``column_totals=False``.

`protection` keeps what the audit needs (the true counts and how they relate): a table is
audited again, from its published cells, before it is shown, downloaded or printed
(`audit_published`), and withheld if the attack exposes anything.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from diversion.evaluation.disclosure import Exposure, Grid, attack, protect

SUPPRESSED = "[c]"
THRESHOLD = 5


@dataclass(frozen=True)
class Protection:
    """How a published table's counts relate, for the audit: the grid of true counts, which
    published column holds each count column and the printed row total (if any), and how many
    body rows the table has (a printed total row follows them)."""

    grid: Grid
    count_columns: tuple[str, ...]
    total_column: str | None
    body_rows: tuple[int, ...]
    total_row: int | None

    def hidden_in(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """The cells hidden in the published rows (a missing row hides nothing: it fails)."""
        grid = self.grid
        hidden = np.zeros(grid.size, dtype=bool)
        for r, position in enumerate(self.body_rows):
            for c, column in enumerate(self.count_columns):
                hidden[grid.cell(r, c)] = rows[position].get(column) == SUPPRESSED
            if self.total_column is not None:
                hidden[grid.row_total(r)] = rows[position].get(self.total_column) == SUPPRESSED
        if self.total_row is not None:
            for c, column in enumerate(self.count_columns):
                hidden[grid.column_total(c)] = rows[self.total_row].get(column) == SUPPRESSED
            if self.total_column is not None:
                hidden[grid.grand_total] = rows[self.total_row].get(self.total_column) == SUPPRESSED
        return hidden


def audit_published(protection: Protection, rows: Sequence[Mapping[str, Any]]) -> list[Exposure]:
    """The attack on the table as published: the cells it narrows below the threshold."""
    needed = max([*protection.body_rows, -1, protection.total_row or -1]) + 1
    if len(rows) < needed:
        return [Exposure(-1, 0.0, 0.0)]
    grid = protection.grid
    hidden = protection.hidden_in(rows)
    values = grid.values()
    for r, position in enumerate(protection.body_rows):
        for c, column in enumerate(protection.count_columns):
            shown = rows[position].get(column)
            if not hidden[grid.cell(r, c)] and shown != values[grid.cell(r, c)]:
                return [Exposure(grid.cell(r, c), 0.0, 0.0)]  # not the count it claims to be
    return attack(grid, hidden)


def _is_margin(values: np.ndarray, sums: np.ndarray) -> bool:
    return values.shape == sums.shape and bool(np.allclose(values, sums, equal_nan=False))


def protection_of(
    table: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    threshold: int = THRESHOLD,
    total_columns: Sequence[str] = (),
    total_rows: Sequence[Hashable] = (),
    row_totals: bool = True,
    column_totals: bool = True,
) -> Protection:
    """The table's counts as the attack sees them (see `disclosure.Grid`). Where rows do not
    add up, a total column is one more column of counts (it still adds up down the rows)."""
    rows_add_up = row_totals and len(count_columns) >= 2
    columns = list(count_columns) if rows_add_up else [*count_columns, *total_columns]
    counts = table[columns].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    # A total row is a total only down columns that add up; otherwise it is a row like others.
    is_total = table.index.isin(list(total_rows)) & column_totals
    body_rows = np.flatnonzero(~is_total)
    body = np.nan_to_num(counts[body_rows])
    columns_add_up = column_totals and body.shape[0] >= 2
    total_column = None
    if rows_add_up and len(total_columns) == 1:
        printed = pd.to_numeric(table[total_columns[0]], errors="coerce").to_numpy(float)
        if _is_margin(printed[body_rows], body.sum(axis=1)):
            total_column = total_columns[0]
    total_row = None
    if columns_add_up and is_total.sum() == 1:
        position = int(np.flatnonzero(is_total)[0])
        if _is_margin(counts[position], body.sum(axis=0)):
            total_row = position
    grid = Grid(
        body=body,
        rows_add_up=rows_add_up,
        columns_add_up=columns_add_up,
        row_totals_printed=total_column is not None,
        column_totals_printed=total_row is not None,
        threshold=threshold,
    )
    return Protection(
        grid=grid,
        count_columns=tuple(columns),
        total_column=total_column,
        body_rows=tuple(int(r) for r in body_rows),
        total_row=total_row,
    )


def suppression_mask(
    table: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    threshold: int = THRESHOLD,
    total_columns: Sequence[str] = (),
    total_rows: Sequence[Hashable] = (),
    derived_columns: Mapping[str, Sequence[str]] | None = None,
    row_totals: bool = True,
    column_totals: bool = True,
) -> pd.DataFrame:
    """A boolean frame (same index; the count, total and derived columns): True = suppress."""
    return _mask_and_protection(
        table,
        count_columns=count_columns,
        threshold=threshold,
        total_columns=total_columns,
        total_rows=total_rows,
        derived_columns=derived_columns,
        row_totals=row_totals,
        column_totals=column_totals,
    )[0]


def _mask_and_protection(
    table: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    threshold: int,
    total_columns: Sequence[str],
    total_rows: Sequence[Hashable],
    derived_columns: Mapping[str, Sequence[str]] | None,
    row_totals: bool,
    column_totals: bool,
) -> tuple[pd.DataFrame, Protection]:
    derived = dict(derived_columns or {})
    protection = protection_of(
        table,
        count_columns=count_columns,
        threshold=threshold,
        total_columns=total_columns,
        total_rows=total_rows,
        row_totals=row_totals,
        column_totals=column_totals,
    )
    grid = protection.grid
    in_grid = list(protection.count_columns)
    counts = table[in_grid].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    primary = (counts >= 1) & (counts < threshold)
    start = np.zeros(grid.size, dtype=bool)
    rows, columns = grid.shape
    start[: rows * columns] = primary[list(protection.body_rows)].ravel()
    hidden, _exposed = protect(grid, start)  # what is still exposed is withheld at publication

    mask = primary.copy()
    body_hidden = hidden[: rows * columns].reshape(rows, columns)
    for r, position in enumerate(protection.body_rows):
        mask[position] = body_hidden[r]
    if protection.total_row is not None:
        mask[protection.total_row] = hidden[[grid.column_total(c) for c in range(columns)]]
    result = pd.DataFrame(mask, index=table.index, columns=in_grid)
    for column in total_columns:
        if column in in_grid:
            continue
        values = pd.to_numeric(table[column], errors="coerce")
        shown = ((values >= 1) & (values < threshold)).to_numpy()
        if column == protection.total_column:
            for r, position in enumerate(protection.body_rows):
                shown[position] |= hidden[grid.row_total(r)]
            if protection.total_row is not None:
                shown[protection.total_row] |= hidden[grid.grand_total]
        result[column] = shown
    for column, sources in derived.items():
        unknown = [s for s in sources if s not in result.columns]
        if unknown:
            raise ValueError(f"{column!r} is derived from columns that are not counts: {unknown}")
        result[column] = result[list(sources)].any(axis=1)
    return result, protection


def suppress(
    table: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    threshold: int = THRESHOLD,
    total_columns: Sequence[str] = (),
    total_rows: Sequence[Hashable] = (),
    derived_columns: Mapping[str, Sequence[str]] | None = None,
    row_totals: bool = True,
    column_totals: bool = True,
) -> pd.DataFrame:
    """A copy of ``table`` ready to publish: suppressed cells read ``[c]`` (see the rules above).

    Affected columns become object columns (numbers and ``[c]``); other columns are unchanged.
    """
    return suppress_with_protection(
        table,
        count_columns=count_columns,
        threshold=threshold,
        total_columns=total_columns,
        total_rows=total_rows,
        derived_columns=derived_columns,
        row_totals=row_totals,
        column_totals=column_totals,
    )[0]


def suppress_with_protection(
    table: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    threshold: int = THRESHOLD,
    total_columns: Sequence[str] = (),
    total_rows: Sequence[Hashable] = (),
    derived_columns: Mapping[str, Sequence[str]] | None = None,
    row_totals: bool = True,
    column_totals: bool = True,
) -> tuple[pd.DataFrame, Protection]:
    """`suppress`, and the `Protection` the publication audit checks the result against."""
    mask, protection = _mask_and_protection(
        table,
        count_columns=count_columns,
        threshold=threshold,
        total_columns=total_columns,
        total_rows=total_rows,
        derived_columns=derived_columns,
        row_totals=row_totals,
        column_totals=column_totals,
    )
    published = table.copy()
    for column in mask.columns:
        if mask[column].any():
            published[column] = published[column].astype(object).where(~mask[column], SUPPRESSED)
    return published, protection
