"""Small-number suppression for every published table (dashboards, PDF, CSV downloads, CLI).

The rules, following the Government Statistical Service's guidance on disclosure control for
published tables (and the ONS's practice for the Census and crime tables):

1. **Primary**: a count from 1 to ``threshold - 1`` (1-4 by default) is shown as ``[c]``
   ("confidential", the GSS symbol). **Zero is shown**: "nobody" reveals nothing about a person,
   and hiding zeros would make a table unreadable. Totals given in ``total_columns`` or
   ``total_rows`` are themselves suppressed when they are 1-4.
2. **Secondary**: the count columns of each row, and each count column down the rows, are
   treated as adding up to a published (or computable) total. Wherever a row or a column has
   exactly one suppressed cell, it could be recovered by subtraction, so the next smallest cell
   in that row or column is suppressed too, preferring a non-zero cell (a suppressed zero beside
   a 1 in a row totalling 1 gives the 1 away). This repeats until no row or column has a lone
   suppressed cell.
3. **Derived**: a rate or share computed from a suppressed count is suppressed too
   (``derived_columns`` maps each such column to the counts it comes from).

Lines that do not add up to a total (for example a table whose rows overlap) can switch the
secondary step off with ``row_totals=False`` or ``column_totals=False``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

SUPPRESSED = "[c]"
THRESHOLD = 5


def _secondary(values: np.ndarray, mask: np.ndarray, lines: np.ndarray) -> bool:
    """Suppress a partner in each line (a 1-D view of row indices) with a lone suppression."""
    if lines.size < 2:
        return False
    line_mask = mask[lines]
    if line_mask.sum() != 1:
        return False
    line_values = values[lines]
    candidates = ~line_mask & ~np.isnan(line_values)
    if not candidates.any():
        return False
    # Smallest non-zero first, then zeros; ties go to the first cell.
    keys = np.where(line_values > 0, line_values, np.inf)
    keys = np.where(candidates, keys, np.nan)
    if np.all(np.isnan(keys) | np.isinf(keys)):
        keys = np.where(candidates, 0.0, np.nan)
    choice = int(np.nanargmin(keys))
    mask[lines[choice]] = True
    return True


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
    derived = dict(derived_columns or {})
    counts = table[list(count_columns)].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    primary = (counts >= 1) & (counts < threshold)
    mask = primary.copy()
    body = ~table.index.isin(list(total_rows))
    body_rows = np.flatnonzero(body)

    changed = True
    while changed:
        changed = False
        if row_totals and counts.shape[1] >= 2:
            for row in body_rows:
                changed |= _secondary(counts[row], mask[row], np.arange(counts.shape[1]))
        if column_totals:
            for position in range(counts.shape[1]):
                changed |= _secondary(counts[:, position], mask[:, position], body_rows)

    result = pd.DataFrame(mask, index=table.index, columns=list(count_columns))
    for column in total_columns:
        values = pd.to_numeric(table[column], errors="coerce")
        result[column] = ((values >= 1) & (values < threshold)).to_numpy()
    for column, sources in derived.items():
        unknown = [s for s in sources if s not in result.columns]
        if unknown:
            raise ValueError(f"{column!r} is derived from columns that are not counts: {unknown}")
        result[column] = result[list(sources)].any(axis=1)
    return result


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
    mask = suppression_mask(
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
    return published
