"""Every published table is attacked before anything shows it: a table that gives a small count
away is withheld on the dashboard, in its CSV, in the PDF and in `diversion evaluate`'s JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pandas as pd
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from diversion.core.roles import Role
from diversion.evaluation.pdf import report_document
from diversion.evaluation.report import ALL_SECTIONS, Report, evaluation_report, report_key
from diversion.evaluation.suppression import suppress_with_protection
from diversion.evaluation.tables import (
    WITHHELD,
    Column,
    PublishedRows,
    Section,
    Table,
    suppress_counts,
)
from diversion.evaluation.tests.dashboard_data import Known, known_referrals
from diversion.evaluation.tests.police_data import known_police_data
from diversion.evaluation.tests.test_pdf import _text
from diversion.evaluation.tests.test_suppression import LEAKING, LEAKING_OLD_MASK
from diversion.evaluation.views import table_csv

READING = "The linking count is exactly one person."


def _leaking_table() -> Table:
    """The linking shape, published with the old pattern of hidden cells (so its 1 can be
    worked out from the totals), but carrying the true counts' protection."""
    _, protection = suppress_with_protection(LEAKING, count_columns=list("abcd"))
    old = LEAKING.astype(object).where(~LEAKING_OLD_MASK, "[c]")
    rows = PublishedRows(old.to_dict(orient="records"))
    rows.protection = (protection,)
    return Table(
        key="linked_blocks",
        title="Linked blocks",
        columns=[Column(c, c.upper(), True) for c in "abcd"],
        rows=rows,
        reading=READING,
        chart={"mark": "bar", "data": {"values": list(rows)}},
    )


def test_a_table_that_fails_the_attack_is_withheld_with_its_reading_and_chart() -> None:
    table = _leaking_table()
    section = Section("extra", "Extra", [table], summary=[READING, "Another line."])
    section.audit()
    assert table.withheld == WITHHELD
    assert table.rows == [] and table.chart is None and table.reading == ""
    assert section.summary == ["Another line."]


def test_a_table_from_suppress_counts_passes_and_is_shown_unchanged() -> None:
    rows = suppress_counts(LEAKING, count_columns=list("abcd"))
    table = Table("t", "T", [Column(c, c, True) for c in "abcd"], rows=rows)
    assert table.protection
    assert table.audit()
    assert table.rows == rows and not table.withheld


def test_a_shown_small_count_is_caught_even_where_no_totals_relate_the_cells() -> None:
    rows = suppress_counts(
        pd.DataFrame({"step": ["x", "y"], "people": [3, 40]}),
        count_columns=["people"],
        adds_up=False,
    )
    rows[0]["people"] = 3  # as if a section had put the count back
    table = Table("t", "T", [Column("step", "Step"), Column("people", "People", True)], rows=rows)
    assert not table.audit()


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    return known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))


def _query(known: Known, **extra: str) -> dict[str, str]:
    return {
        "scheme": known.scheme.code,
        "start_0": str(known.start.day),
        "start_1": str(known.start.month),
        "start_2": str(known.start.year),
        "end_0": str(known.end.day),
        "end_1": str(known.end.month),
        "end_2": str(known.end.year),
        **extra,
    }


def test_every_way_out_shows_the_withheld_message_and_not_the_table(
    known: Known, client_for: Any
) -> None:
    """The report is the one way to the dashboard, the CSV, the PDF and the CLI, and a report
    cannot be made without its tables being attacked: here the analyst's cached report gains
    the leaking table, and every download says it is withheld."""
    real = evaluation_report(scheme=known.scheme, start=known.start, end=known.end)
    report = Report(
        scheme_code=real.scheme_code,
        scheme_name=real.scheme_name,
        start=real.start,
        end=real.end,
        local_authority="",
        local_authority_name="",
        sections=[*real.sections, Section("extra", "Extra", [_leaking_table()], [READING])],
        methods=real.methods,
    )
    key = report_key(
        scheme=known.scheme,
        start=known.start,
        end=known.end,
        local_authority="",
        day=timezone.localdate(),
        sections=ALL_SECTIONS,
    )
    cache.set(key, report)
    client = client_for(Role.ANALYST, known.scheme)

    page = client.get(reverse("evaluation:dashboard"), _query(known)).content.decode()
    assert "This table is withheld" in page and READING not in page
    assert "table=linked_blocks" not in page  # no download link for it

    response = client.get(reverse("evaluation:table-csv"), _query(known, table="linked_blocks"))
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines == [["A", "B", "C", "D"], [WITHHELD]]

    response = client.get(reverse("evaluation:report-pdf"), _query(known))
    assert response.content.startswith(b"%PDF-")
    text = _text(report_document(cache.get(key)))
    assert "This table is withheld" in text and READING not in text

    as_json = json.loads(json.dumps(cache.get(key).to_dict()))
    extra = next(s for s in as_json["sections"] if s["key"] == "extra")
    assert extra["tables"][0]["rows"] == [] and extra["tables"][0]["withheld"] == WITHHELD
    written = table_csv(cache.get(key).table("linked_blocks"))
    assert list(csv.reader(io.StringIO(written))) == [["A", "B", "C", "D"], [WITHHELD]]


# Tables that publish no count of people (rates of the matched, standardised differences,
# pounds and estimated volumes, hidden with the counts they come from): nothing for the attack.
NO_COUNTS = {"matching_result", "matching_balance", "cost_assumptions", "costs"}


def test_every_table_with_counts_carries_its_protection_and_passes(known: Known) -> None:
    known_police_data(known)
    report = evaluation_report(scheme=known.scheme, start=known.start, end=known.end, cached=False)
    keys = {t.key for t in report.tables()}
    assert len(keys) >= 10
    for table in report.tables():
        assert table.protection or table.key in NO_COUNTS, table.key
        assert not table.withheld, table.key
