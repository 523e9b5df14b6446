"""The attack on a published table, and the secondary suppression that defeats it.

A table's counts are a grid (rows x count columns). Where its rows add up to row totals and its
columns to column totals, the totals and the grand total are cells of the problem too: they are
printed in the table (and can then be hidden like any cell) or, when the table does not print
them, assumed known to the reader from elsewhere unless they are small (1 to threshold - 1): we
publish no small count anywhere, so a small total is known only if it can be worked out.

The **attack** (`attack`) is what an intruder with a linear programme does: for each hidden cell,
the least and the greatest value it can take given every published cell, every known total,
the equations "the cells of a line add up to its total" and non-negativity. The equations are
flow conservation on a network (source -> row totals -> cells -> column totals -> sink), whose
matrix is totally unimodular, so the linear programme's bounds are the integer bounds too: an
intruder with an integer solver learns nothing more.

A cell is **protected** when that interval is at least `width` wide (the threshold, 5, by
default). The cells that must be protected are the small counts (body and totals) and the
complements: a published count whose line total exceeds it by 1 to threshold - 1 would tell
the reader that a handful of people are in the rest of the line.

`protect` hides further cells until every protected cell is protected: while one is not, it
hides the cheapest visible cell on one of its lines (the smallest non-zero count first, then
zeros; then anywhere in the table) that widens its interval. Each step hides one more cell, so
it ends after at most as many steps as the table has cells; if every hideable cell is hidden
and a cell is still exposed, it says so, and the table is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.optimize import linprog


@dataclass(frozen=True)
class Grid:
    """A table's counts and how they relate: `body` is rows x count columns (true values)."""

    body: np.ndarray
    rows_add_up: bool = False
    columns_add_up: bool = False
    row_totals_printed: bool = False
    column_totals_printed: bool = False
    threshold: int = 5

    @property
    def shape(self) -> tuple[int, int]:
        rows, columns = self.body.shape
        return int(rows), int(columns)

    @property
    def size(self) -> int:
        """Cells: the body, then one total per row, one per column, and the grand total."""
        rows, columns = self.shape
        return rows * columns + rows + columns + 1

    def cell(self, row: int, column: int) -> int:
        return row * self.shape[1] + column

    def row_total(self, row: int) -> int:
        rows, columns = self.shape
        return rows * columns + row

    def column_total(self, column: int) -> int:
        rows, columns = self.shape
        return rows * columns + rows + column

    @property
    def grand_total(self) -> int:
        return self.size - 1

    @cached_property
    def _values(self) -> np.ndarray:
        return self._compute_values()

    def values(self) -> np.ndarray:
        return self._values

    def _compute_values(self) -> np.ndarray:
        body = np.nan_to_num(self.body.astype(float))
        return np.concatenate([body.ravel(), body.sum(axis=1), body.sum(axis=0), [body.sum()]])

    @cached_property
    def _exists(self) -> np.ndarray:
        return self._compute_exists()

    def exists(self) -> np.ndarray:
        return self._exists

    def _compute_exists(self) -> np.ndarray:
        """Which cells are part of the problem (totals only in a direction that adds up)."""
        rows, columns = self.shape
        out = np.zeros(self.size, dtype=bool)
        out[: rows * columns] = True
        out[rows * columns : rows * columns + rows] = self.rows_add_up
        out[rows * columns + rows : -1] = self.columns_add_up
        out[-1] = self.rows_add_up and self.columns_add_up
        return out

    @cached_property
    def _hideable(self) -> np.ndarray:
        return self._compute_hideable()

    def hideable(self) -> np.ndarray:
        return self._hideable

    def _compute_hideable(self) -> np.ndarray:
        """Cells printed in the table: the body, and the totals where the table prints them."""
        rows, columns = self.shape
        out = np.zeros(self.size, dtype=bool)
        out[: rows * columns] = True
        out[rows * columns : rows * columns + rows] = self.rows_add_up and self.row_totals_printed
        out[rows * columns + rows : -1] = self.columns_add_up and self.column_totals_printed
        out[-1] = (
            self.rows_add_up
            and self.columns_add_up
            and self.row_totals_printed
            and self.column_totals_printed
        )
        return out

    @cached_property
    def _small(self) -> np.ndarray:
        return self._compute_small()

    def small(self) -> np.ndarray:
        return self._small

    def _compute_small(self) -> np.ndarray:
        values = self.values()
        return (values >= 1) & (values < self.threshold) & self.exists()

    @cached_property
    def _equations(self) -> np.ndarray:
        return self._compute_equations()

    def equations(self) -> np.ndarray:
        return self._equations

    def _compute_equations(self) -> np.ndarray:
        """One row per line that adds up: its cells minus its total equal zero."""
        rows, columns = self.shape
        lines: list[np.ndarray] = []
        if self.rows_add_up:
            for row in range(rows):
                line = np.zeros(self.size)
                line[[self.cell(row, c) for c in range(columns)]] = 1.0
                line[self.row_total(row)] = -1.0
                lines.append(line)
        if self.columns_add_up:
            for column in range(columns):
                line = np.zeros(self.size)
                line[[self.cell(r, column) for r in range(rows)]] = 1.0
                line[self.column_total(column)] = -1.0
                lines.append(line)
        if self.rows_add_up and self.columns_add_up:  # only then are lines parts of one whole
            for totals in (
                [self.row_total(r) for r in range(rows)],
                [self.column_total(c) for c in range(columns)],
            ):
                line = np.zeros(self.size)
                line[totals] = 1.0
                line[self.grand_total] = -1.0
                lines.append(line)
        return np.array(lines).reshape(len(lines), self.size)

    def known(self, hidden: np.ndarray) -> np.ndarray:
        """What the reader knows: printed cells not hidden; unprinted totals unless small."""
        printed = self.hideable()
        return self.exists() & np.where(printed, ~hidden, ~self.small())

    @cached_property
    def _protected(self) -> np.ndarray:
        return self._compute_protected()

    def protected(self) -> np.ndarray:
        return self._protected

    def _compute_protected(self) -> np.ndarray:
        """The cells whose value must not be narrowed: small counts and small complements."""
        rows, columns = self.shape
        values = self.values()
        out = self.small().copy()
        body = values[: rows * columns].reshape(rows, columns)
        lines = []
        if self.rows_add_up and columns >= 2:
            lines.append(values[rows * columns : rows * columns + rows][:, None] - body)
        if self.columns_add_up and rows >= 2:
            lines.append(values[rows * columns + rows : -1][None, :] - body)
        for rest in lines:
            complement = (rest >= 1) & (rest < self.threshold) & (body > 0)
            out[: rows * columns] |= complement.ravel()
        return out


@dataclass(frozen=True)
class Exposure:
    """A protected cell the attack narrows to [low, high], narrower than the width."""

    cell: int
    low: float
    high: float


class _Attack:
    """The attacker's linear programmes for one pattern of hidden cells."""

    def __init__(self, grid: Grid, hidden: np.ndarray) -> None:
        self.grid = grid
        self.values = grid.values()
        known = grid.known(hidden)
        self.unknown = np.flatnonzero(grid.exists() & ~known)
        equations = grid.equations()
        if len(equations):
            self.a_eq = equations[:, self.unknown]
            self.b_eq = -(equations[:, known] @ self.values[known])
            used = np.abs(self.a_eq).sum(axis=1) > 0
            self.a_eq, self.b_eq = self.a_eq[used], self.b_eq[used]
        else:
            self.a_eq, self.b_eq = np.zeros((0, len(self.unknown))), np.zeros(0)
        self.position = {int(cell): i for i, cell in enumerate(self.unknown)}
        # Where no unknown is in two equations, each equation stands alone and its bounds are
        # plain (no linear programme needed): most published tables are one column of counts.
        self.separate = bool((np.count_nonzero(self.a_eq, axis=0) <= 1).all())

    def _alone(self, column: int) -> tuple[float, float]:
        """Bounds of an unknown in at most one equation: sum(+x) - sum(y) = b, all >= 0."""
        touching = np.flatnonzero(self.a_eq[:, column])
        if touching.size == 0:
            return 0.0, float("inf")
        row = self.a_eq[touching[0]]
        target = float(self.b_eq[touching[0]]) * float(row[column])
        others = np.delete(row, column) * row[column]  # signs relative to this unknown
        if not np.any(others):
            return target, target
        if np.any(others < 0):  # another term can grow with it: no upper bound
            low = max(0.0, target) if not np.any(others > 0) else 0.0
            return low, float("inf")
        return 0.0, target

    def bounds(self, cell: int) -> tuple[float, float]:
        if cell not in self.position:
            return float(self.values[cell]), float(self.values[cell])
        if not len(self.b_eq):
            return 0.0, float("inf")
        if self.separate:
            return self._alone(self.position[cell])
        objective = np.zeros(len(self.unknown))
        objective[self.position[cell]] = 1.0
        low = linprog(objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, None), method="highs")
        if low.status != 0 or high.status not in (0, 3):
            raise ValueError(f"the published table is inconsistent ({low.message})")
        top = float("inf") if high.status == 3 else -float(high.fun)
        return float(low.fun), top


def attack(
    grid: Grid, hidden: np.ndarray, *, width: float | None = None, first: bool = False
) -> list[Exposure]:
    """The protected cells the attack narrows below `width` (the threshold unless given);
    with `first`, only the first found."""
    need = grid.threshold if width is None else width
    solver = _Attack(grid, hidden)
    exposed = []
    for cell in np.flatnonzero(grid.protected()):
        low, high = solver.bounds(int(cell))
        if high - low < need - 1e-9:
            exposed.append(Exposure(int(cell), low, high))
            if first:
                break
    return exposed


def _width(grid: Grid, hidden: np.ndarray, cell: int) -> float:
    low, high = _Attack(grid, hidden).bounds(cell)
    return high - low


def _lines_of(grid: Grid, cell: int) -> np.ndarray:
    equations = grid.equations()
    if not len(equations):
        return np.zeros(grid.size, dtype=bool)
    touching = equations[:, cell] != 0
    return (np.abs(equations[touching]).sum(axis=0) > 0) if touching.any() else touching


def _cheapest_first(grid: Grid, cells: np.ndarray) -> list[int]:
    values = grid.values()
    return sorted((int(c) for c in cells), key=lambda c: (values[c] == 0, values[c], c))


def protect(grid: Grid, hidden: np.ndarray) -> tuple[np.ndarray, list[Exposure]]:
    """`hidden` (the primary suppressions) with enough further cells hidden that the attack
    exposes nothing, and what is still exposed if that cannot be done (then withhold)."""
    hidden = hidden.copy() | (grid.protected() & grid.hideable())
    hidden_at_start = hidden.copy()
    if not len(grid.equations()):
        return hidden, attack(grid, hidden)
    while True:
        exposed = attack(grid, hidden, first=True)
        if not exposed:
            shown = _reveal_recoverable(grid, hidden, start=hidden_at_start)
            return shown, attack(grid, shown)
        target = exposed[0].cell
        visible = grid.hideable() & ~hidden & grid.exists()
        if not visible.any():
            return hidden, attack(grid, hidden)
        near = _cheapest_first(grid, np.flatnonzero(visible & _lines_of(grid, target)))
        far = _cheapest_first(grid, np.flatnonzero(visible & ~_lines_of(grid, target)))
        before = _width(grid, hidden, target)
        choice = next(
            (c for c in near + far if _width(grid, hidden | _one(grid, c), target) > before),
            (near + far)[0],
        )
        hidden = hidden | _one(grid, choice)


def _reveal_recoverable(grid: Grid, hidden: np.ndarray, *, start: np.ndarray) -> np.ndarray:
    """Show again the secondary cells the attack recovers exactly: the reader knows them
    anyway, so showing them tells nothing more (and the table keeps more of its figures)."""
    solver = _Attack(grid, hidden)
    shown = hidden.copy()
    for cell in np.flatnonzero(hidden & ~start):
        low, high = solver.bounds(int(cell))
        if high - low < 1e-9:
            shown[cell] = False
    return shown


def _one(grid: Grid, cell: int) -> np.ndarray:
    out = np.zeros(grid.size, dtype=bool)
    out[cell] = True
    return out
