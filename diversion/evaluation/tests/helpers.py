"""Running an import in tests: a CSV written from rows, imported as the system."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from diversion.audit.services import Actor
from diversion.evaluation.imports import IMPORTERS, ImportResult, import_file

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def run_import(kind: str, scheme: Any, data: bytes, name: str = "test.csv") -> ImportResult:
    return import_file(
        importer=IMPORTERS[kind](),
        scheme=scheme,
        data=data,
        file_name=name,
        actor=Actor(label="test"),
    )


def sample(kind: str) -> bytes:
    return (SAMPLES / f"{kind}.csv").read_bytes()


def reasons_by_row(result: ImportResult) -> dict[int, str]:
    return {bad.row: "; ".join(bad.reasons) for bad in result.bad_rows}
