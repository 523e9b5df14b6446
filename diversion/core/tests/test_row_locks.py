"""A row lock taken with `select_related` must lock only its own rows (`of=("self",)`): on
PostgreSQL a bare `select_for_update()` also locks every joined row (the scheme, the person),
and two transactions that then insert rows pointing at the scheme deadlock."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
# A bare lock and the chained calls on the lines after it (one query expression).
BARE_LOCK = re.compile(r"select_for_update\(\)[^\n]*(?:\n\s*\.[^\n]*)*")


def test_no_row_lock_also_locks_the_rows_it_joins() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in BARE_LOCK.finditer(path.read_text(encoding="utf-8")):
            if "select_related(" in match.group(0):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}: {match.group(0)[:80]}")
    assert offenders == [], (
        "use select_for_update(of=('self',)) with select_related:\n" + "\n".join(offenders)
    )
