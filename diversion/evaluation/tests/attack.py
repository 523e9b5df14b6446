"""The intruder, written for the tests apart from the product's own attack (`disclosure.py`):
one variable per cell of the whole table (body, row totals, column totals, grand total), the
published cells and the totals the reader knows fixed by their bounds, every other cell free
above zero, and the add-up equations written out line by line. For each cell that must stay
hidden (a count of 1-4, a total of 1-4, or a count whose line total exceeds it by 1-4), the least
and greatest value it can take."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

SUPPRESSED = "[c]"


@dataclass(frozen=True)
class Narrowed:
    what: str
    value: float
    low: float
    high: float


def intruder(
    true: pd.DataFrame,
    published: pd.DataFrame,
    *,
    rows_add_up: bool,
    columns_add_up: bool,
    total_column: str | None = None,
    total_row: object | None = None,
    threshold: int = 5,
) -> list[Narrowed]:
    """Cells the intruder narrows below `threshold`. `true` and `published` hold the body's
    counts (and the printed total column / total row, if named)."""
    body_rows = [r for r in true.index if r != total_row]
    columns = [c for c in true.columns if c != total_column]
    rows_add_up = rows_add_up and len(columns) >= 2
    columns_add_up = columns_add_up and len(body_rows) >= 2
    value = true.loc[body_rows, columns].to_numpy(float)
    n_r, n_c = value.shape
    names: list[str] = []
    truth: list[float] = []
    seen: list[bool] = []
    for i, r in enumerate(body_rows):
        for j, c in enumerate(columns):
            names.append(f"{r}/{c}")
            truth.append(value[i, j])
            seen.append(published.loc[r, c] != SUPPRESSED)

    def margin(name: str, total: float, printed_at: tuple[object, str] | None) -> int:
        names.append(name)
        truth.append(total)
        if printed_at is not None:
            seen.append(published.loc[printed_at[0], printed_at[1]] != SUPPRESSED)
        else:
            seen.append(not (1 <= total < threshold))
        return len(names) - 1

    row_total = [
        margin(
            f"{r}/total",
            value[i].sum(),
            (r, total_column) if total_column else None,
        )
        for i, r in enumerate(body_rows)
    ]
    column_total = [
        margin(
            f"total/{c}",
            value[:, j].sum(),
            (total_row, c) if total_row is not None else None,
        )
        for j, c in enumerate(columns)
    ]
    grand = margin(
        "total/total",
        value.sum(),
        (total_row, total_column) if total_row is not None and total_column else None,
    )
    a_eq, b_eq = [], []

    def equation(members: list[int], total: int) -> None:
        row = np.zeros(len(names))
        row[members] = 1.0
        row[total] = -1.0
        a_eq.append(row)
        b_eq.append(0.0)

    if rows_add_up:
        for i in range(n_r):
            equation([i * n_c + j for j in range(n_c)], row_total[i])
    if columns_add_up:
        for j in range(n_c):
            equation([i * n_c + j for i in range(n_r)], column_total[j])
    if rows_add_up and columns_add_up:
        equation(row_total, grand)
        equation(column_total, grand)
    exists = [True] * (n_r * n_c) + [rows_add_up] * n_r + [columns_add_up] * n_c
    exists.append(rows_add_up and columns_add_up)
    bounds = [
        (t, t) if s or not e else (0, None) for t, s, e in zip(truth, seen, exists, strict=True)
    ]
    targets = [k for k in range(len(names)) if exists[k] and 1 <= truth[k] < threshold]
    for i in range(n_r):
        for j in range(n_c):
            k = i * n_c + j
            rests = []
            if rows_add_up:
                rests.append(truth[row_total[i]] - truth[k])
            if columns_add_up:
                rests.append(truth[column_total[j]] - truth[k])
            if truth[k] > 0 and any(1 <= rest < threshold for rest in rests):
                targets.append(k)
    found = []
    for k in sorted(set(targets)):
        objective = np.zeros(len(names))
        objective[k] = 1.0
        kwargs = {"bounds": bounds, "method": "highs"}
        if a_eq:
            kwargs |= {"A_eq": np.array(a_eq), "b_eq": np.array(b_eq)}
        low = linprog(objective, **kwargs)
        high = linprog(-objective, **kwargs)
        assert low.status == 0, low.message
        top = np.inf if high.status == 3 else -high.fun
        if top - low.fun < threshold - 1e-9:
            found.append(Narrowed(names[k], truth[k], float(low.fun), float(top)))
    return found
