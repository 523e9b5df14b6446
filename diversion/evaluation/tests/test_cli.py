"""`diversion evaluate` gives the same figures as the dashboard's report function."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from diversion.core.roles import Role
from diversion.evaluation.report import evaluation_report
from diversion.evaluation.tests.dashboard_data import Known, known_referrals


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    return known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))


def _evaluate(known: Known, *args: str) -> str:
    out = io.StringIO()
    call_command(
        "evaluate",
        "--scheme",
        known.scheme.code,
        "--from",
        known.start.isoformat(),
        "--to",
        known.end.isoformat(),
        *args,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_json_is_exactly_what_the_report_function_gives(known: Known) -> None:
    printed = json.loads(_evaluate(known, "--format", "json"))
    report = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    assert printed == json.loads(json.dumps(report.to_dict()))
    funnel = next(t for s in printed["sections"] for t in s["tables"] if t["key"] == "funnel")
    assert funnel["rows"][0] == {"stage": "Referred", "referrals": 20, "percent": 100.0}


def test_csv_is_a_zip_with_one_file_per_table(known: Known, tmp_path: Path) -> None:
    target = tmp_path / "figures.zip"
    _evaluate(known, "--format", "csv", "--output", str(target))
    report = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        substance = archive.read("referrals_by_substance.csv").decode()
    assert {f"{t.key}.csv" for t in report.tables()} <= names
    assert substance.splitlines()[1:] == ["Cannabis (herbal or resin),[c]", "Cocaine powder,[c]"]


def test_pdf_is_written_to_the_output_file(known: Known, tmp_path: Path) -> None:
    target = tmp_path / "board.pdf"
    _evaluate(known, "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")


def test_an_unknown_scheme_or_a_backwards_period_is_refused(known: Known) -> None:
    with pytest.raises(CommandError, match="No scheme"):
        call_command("evaluate", "--scheme", "QQQ", "--from", "2025-01-01", "--to", "2025-02-01")
    with pytest.raises(CommandError, match="after --from"):
        call_command(
            "evaluate", "--scheme", known.scheme.code, "--from", "2025-02-01", "--to", "2025-01-01"
        )


def test_csv_without_an_output_file_is_refused(known: Known) -> None:
    with pytest.raises(CommandError, match="--output"):
        _evaluate(known, "--format", "csv")


def test_the_extract_command_writes_one_row_per_referral(known: Known, tmp_path: Path) -> None:
    target = tmp_path / "extract.csv"
    call_command(
        "extract",
        "--scheme",
        known.scheme.code,
        "--from",
        known.start.isoformat(),
        "--to",
        known.end.isoformat(),
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    lines = target.read_text().splitlines()
    assert len(lines) == 21
    assert lines[0].startswith("person_pseudonym,referral_pseudonym,referral_month")
