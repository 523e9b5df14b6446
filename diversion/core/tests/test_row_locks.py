"""Every row lock names the rows it locks (`select_for_update(of=("self",))`).

On PostgreSQL a bare `select_for_update()` also locks every row the query joins: the scheme or
person of `select_related`, or the rows an ordering joins (`Slot` orders by its worker, so
`.first()` locked the worker's user row and officers booking that worker's slots queued behind
each other). Two transactions that then insert rows pointing at a locked scheme deadlock.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]


def test_every_row_lock_names_the_rows_it_locks() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "select_for_update()" in line
    ]
    assert offenders == [], "lock with select_for_update(of=('self',)):\n" + "\n".join(offenders)
