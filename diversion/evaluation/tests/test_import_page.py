"""The import page (/evaluation/imports/), through real requests: what it imports agrees with the
command, a second upload adds nothing, every bad input is explained and imports nothing, and only
analysts and scheme administrators of the scheme may use it."""

from __future__ import annotations

import codecs
import html
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role
from diversion.evaluation.imports import IMPORTERS
from diversion.evaluation.models import ImportBatch, PoliceOffence, PolicePerson
from diversion.evaluation.tests.helpers import csv_bytes, run_import, sample

pytestmark = pytest.mark.django_db

URL = "/evaluation/imports/"
IMPORTERS_ROLES = {Role.ANALYST, Role.SCHEME_ADMIN}
OFFENCE_HEADER = [
    *["police_person_id", "given_name", "family_name", "date_of_birth", "sex", "ethnicity"],
    *["local_authority", "offence_date", "offence_code", "arrested", "disposal", "disposal_date"],
]


def _offence(person: str, day: str = "2024-02-01", ethnicity: str = "W1") -> list[str]:
    return [person, "", "", "", "male", ethnicity, "E08000025", day, "92E", "no", "", ""]


def _upload(
    client: Client, scheme: Any, data: bytes | None, *, kind: str = "offences", name: str = "x.csv"
) -> Any:
    form: dict[str, Any] = {"scheme": scheme.code, "kind": kind}
    if data is not None:
        form["file"] = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(URL, form)


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _error_summary(response: Any) -> str:
    page = _text(response)
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


def _stored(scheme: Any) -> tuple[int, int, int]:
    offences = PoliceOffence.objects.filter(scheme=scheme)
    return (
        offences.count(),
        offences.filter(is_possession=True).count(),
        PolicePerson.objects.filter(scheme=scheme).count(),
    )


def test_the_page_lives_at_evaluation_imports() -> None:
    assert reverse("evaluation:imports") == URL


def test_an_analyst_imports_the_sample_file_and_sees_its_known_counts(
    scheme: Any, client_for: Any
) -> None:
    response = _upload(client_for(Role.ANALYST, scheme), scheme, sample("offences"))

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.rows_read, result.rows_added, result.rows_already_imported) == (5, 5, 0)
    assert result.bad_rows == []
    # docs/samples/offences.csv: five offences, three of them possession (92E, 92E, 92D), four
    # people (WM/0012345 twice; two by name; one with both).
    assert _stored(scheme) == (5, 3, 4)
    page = _text(response)
    assert "5 rows imported" in page
    assert "Re-importing a file adds nothing" in page
    assert 'data-count="rows_bad">0<' in page


def test_the_page_stores_what_the_command_stores_for_the_same_file(
    scheme: Any, other_scheme: Any, client_for: Any, tmp_path: Path
) -> None:
    data = (
        sample("offences")
        + csv_bytes(OFFENCE_HEADER, [_offence("WM/77", "bad")]).split(b"\n", 1)[1]
    )
    _upload(client_for(Role.SCHEME_ADMIN, scheme), scheme, data)
    path = tmp_path / "offences.csv"
    path.write_bytes(data)
    out = io.StringIO()
    call_command(
        "import_police_data",
        str(path),
        *["--scheme", other_scheme.code, "--kind", "offences", "--quiet-progress"],
        stdout=out,
    )
    assert "6 rows read, 5 added, 0 already imported, 1 bad" in out.getvalue()
    assert _stored(scheme) == _stored(other_scheme) == (5, 3, 4)
    page_batch = ImportBatch.objects.get(scheme=scheme)
    command_batch = ImportBatch.objects.get(scheme=other_scheme)
    fields = ("rows_read", "rows_added", "rows_already_imported", "rows_bad", "file_sha256")
    assert [getattr(page_batch, f) for f in fields] == [getattr(command_batch, f) for f in fields]
    assert (
        page_batch.report
        == command_batch.report
        == [
            {
                "row": 7,
                "reasons": ["offence_date is not a date (write 2024-03-31 or 31/03/2024): 'bad'"],
            }
        ]
    )


def test_bad_rows_are_listed_with_their_numbers_and_every_reason(
    scheme: Any, client_for: Any
) -> None:
    rows = [
        _offence("WM/1"),
        _offence("WM/2", "31/02/2024", ethnicity="Q7"),
        _offence("WM/3"),
        _offence("WM/4", "2024-13-01"),
    ]
    response = _upload(client_for(Role.ANALYST, scheme), scheme, csv_bytes(OFFENCE_HEADER, rows))

    assert response.status_code == 200
    page = _text(response)
    table = page[page.index('id="bad-rows"') : page.index("</table>", page.index('id="bad-rows"'))]
    assert ">3</th>" in table and ">5</th>" in table and ">2</th>" not in table
    assert "offence_date is not a date (write 2024-03-31 or 31/03/2024): '31/02/2024'" in table
    assert "ethnicity is not a self-defined ethnicity code (A1 … W9, NS): 'Q7'" in table
    assert "'2024-13-01'" in table
    assert 'data-count="rows_added">2<' in page and 'data-count="rows_bad">2<' in page
    assert PoliceOffence.objects.filter(scheme=scheme).count() == 2


def test_a_second_upload_of_the_same_file_adds_nothing(scheme: Any, client_for: Any) -> None:
    client = client_for(Role.ANALYST, scheme)
    _upload(client, scheme, sample("offences"))
    second = _upload(client, scheme, sample("offences"))

    result = second.context["result"]
    assert (result.rows_read, result.rows_added, result.rows_already_imported) == (5, 0, 5)
    assert _stored(scheme) == (5, 3, 4)
    assert "0 rows imported" in _text(second)
    assert ImportBatch.objects.filter(scheme=scheme).count() == 2


def test_every_import_is_audited_with_the_signed_in_user_as_actor(
    scheme: Any, make_user: Any
) -> None:
    analyst = make_user(Role.ANALYST, scheme)
    before = AuditEvent.objects.count()
    _upload(sign_in(Client(), analyst), scheme, sample("population"), kind="population")

    batch = ImportBatch.objects.get(scheme=scheme)
    assert batch.imported_by == analyst and batch.imported_by_label == f"user:{analyst.pk}"
    events = AuditEvent.objects.filter(
        object_type="evaluation.ImportBatch", object_id=str(batch.pk)
    )
    event = events.get()
    assert AuditEvent.objects.count() == before + 1
    assert event.actor == analyst and event.scheme_id == scheme.pk
    assert event.changes["rows_added"] == batch.rows_added > 0
    assert event.changes["kind"] == "population"


def test_the_upload_is_processed_from_a_temporary_file_that_is_gone_afterwards(
    scheme: Any, client_for: Any, settings: Any, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64  # the sample is larger: Django writes it to disk
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    probe = TemporaryUploadedFile("probe.csv", "text/csv", 0, None)
    assert Path(probe.temporary_file_path()).parent == tmp_path  # uploads land here
    probe.close()
    response = _upload(client_for(Role.ANALYST, scheme), scheme, sample("offences"))

    assert response.context["result"].rows_added == 5
    assert list(tmp_path.iterdir()) == []
    assert not any(f.name == "file" or "csv" in f.name for f in ImportBatch._meta.get_fields())


XLSX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64
UTF16 = codecs.BOM_UTF16_LE + "a,b\n1,2\n".encode("utf-16-le")
NOT_TEXT = b"police_person_id,offence_date\n\x81\x8d\x8f\x90\x9d\n"
HEADER_ONLY = (",".join(OFFENCE_HEADER) + "\n").encode()
MISSING = csv_bytes(
    ["police_person_id", "given_name", "date_of_birth", "offence_date"],
    [["WM/1", "", "", "2024-02-01"]],
)
HUGE_FIELD = csv_bytes(OFFENCE_HEADER, [_offence("WM/" + "9" * 140_000)])

BAD_INPUTS = {
    "no file": (None, "x.csv", "Select a CSV file"),
    "an empty file": (b"", "x.csv", "The selected file is empty"),
    "blank lines only": (b"\n\n  \n", "x.csv", "The selected file is empty"),
    "not a csv by its name": (sample("offences"), "offences.xlsx", "must be a CSV"),
    "a workbook named .csv": (XLSX, "offences.csv", "Excel workbook or a ZIP: save it as CSV"),
    "utf-16 text": (UTF16, "x.csv", "saved as UTF-16"),
    "neither utf-8 nor windows-1252": (NOT_TEXT, "x.csv", "not UTF-8 or Windows-1252 text"),
    "a header without rows": (HEADER_ONLY, "x.csv", "a header but no rows"),
    "missing columns": (
        MISSING,
        "x.csv",
        "lacks columns this kind of data needs: family_name, offence_code. Nothing was imported",
    ),
    "a field too large for csv": (HUGE_FIELD, "x.csv", "cannot be read as CSV (field larger"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_explained_in_the_error_summary_and_imports_nothing(
    case: str, scheme: Any, client_for: Any
) -> None:
    data, name, message = BAD_INPUTS[case]
    client = client_for(Role.ANALYST, scheme)
    before = AuditEvent.objects.count()
    response = _upload(client, scheme, data, name=name)

    assert response.status_code == 400
    assert message in _error_summary(response)
    assert 'href="#id_file"' in _error_summary(response)
    assert response.context["result"] is None
    assert ImportBatch.objects.count() == 0 and PoliceOffence.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(
    scheme: Any, client_for: Any, settings: Any
) -> None:
    settings.EVALUATION_IMPORT_MAX_MB = 0.0004  # 419 bytes; the sample is 486
    assert len(sample("offences")) > 0.0004 * 1024 * 1024
    response = _upload(client_for(Role.ANALYST, scheme), scheme, sample("offences"))

    assert response.status_code == 400
    assert "The selected file must be smaller than 0.0004 MB" in _error_summary(response)
    assert ImportBatch.objects.count() == 0 and PoliceOffence.objects.count() == 0


def test_an_unknown_kind_is_refused(scheme: Any, client_for: Any) -> None:
    response = _upload(client_for(Role.ANALYST, scheme), scheme, sample("offences"), kind="people")

    assert response.status_code == 400
    assert "Choose one of the kinds of data listed" in _error_summary(response)
    assert ImportBatch.objects.count() == 0


def test_a_scheme_outside_the_users_scope_is_refused_and_gets_nothing(
    scheme: Any, other_scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    response = _upload(client, other_scheme, sample("offences"))

    assert response.status_code == 400
    assert "Choose one of your schemes" in _error_summary(response)
    assert ImportBatch.objects.count() == 0 and PoliceOffence.objects.count() == 0
    assert other_scheme.name not in _text(client.get(URL))


@pytest.mark.parametrize("role", sorted(set(Role.values) - IMPORTERS_ROLES))
def test_other_roles_get_403_and_import_nothing(role: str, scheme: Any, client_for: Any) -> None:
    client = client_for(role, scheme)
    assert client.get(URL).status_code == 403
    assert _upload(client, scheme, sample("offences")).status_code == 403
    assert ImportBatch.objects.count() == 0 and PoliceOffence.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_sign_in(scheme: Any) -> None:
    response = _upload(Client(), scheme, sample("offences"))
    assert response.status_code == 302
    assert ImportBatch.objects.count() == 0


def test_the_form_offers_the_users_schemes_and_every_kind_of_data(
    scheme: Any, other_scheme: Any, client_for: Any
) -> None:
    response = client_for(Role.ANALYST, scheme).get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert [code for code, _ in form.fields["scheme"].choices] == [scheme.code]
    assert [kind for kind, _ in form.fields["kind"].choices] == list(IMPORTERS)
    page = _text(response)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert "optional: census_year" in page


def test_past_imports_list_the_users_schemes_only(
    scheme: Any, other_scheme: Any, client_for: Any
) -> None:
    run_import("unit_costs", scheme, sample("unit_costs"), name="ours.csv")
    run_import("unit_costs", other_scheme, sample("unit_costs"), name="theirs.csv")

    page = _text(client_for(Role.ANALYST, scheme).get(URL))
    listed = page[page.index('id="past-imports"') :]
    assert "ours.csv" in listed and "Unit costs" in listed
    assert "theirs.csv" not in page


def test_numbers_no_database_column_holds_are_bad_rows_not_errors(
    scheme: Any, client_for: Any
) -> None:
    header = ["census_year", "local_authority", "sex", "ethnic_group", "population"]
    rows = [
        ["2021", "E08000025", "female", "Asian", "99999999999999999999"],
        ["2021", "E08000025", "male", "Asian", "2147483648"],
        ["2021", "E08000025", "female", "Black", "1²"],
        ["²⁰²¹", "E08000025", "male", "Black", "12"],
        ["2021", "E08000025", "female", "White", "2147483647"],
    ]
    response = _upload(
        client_for(Role.ANALYST, scheme), scheme, csv_bytes(header, rows), kind="population"
    )

    assert response.status_code == 200
    reasons = {bad.row: " ".join(bad.reasons) for bad in response.context["result"].bad_rows}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert "is larger than 2,147,483,647" in reasons[2] and "larger" in reasons[3]
    assert "is not a whole number" in reasons[4]
    assert "census_year is not a census year" in reasons[5]
    assert response.context["result"].rows_added == 1


def test_an_outcome_code_in_superscript_digits_is_a_bad_row(scheme: Any, client_for: Any) -> None:
    header = ["offence_date", "local_authority", "offence_code", "outcome_code", "sex"]
    header += ["ethnicity", "diverted"]
    rows = [["2024-01-02", "E08000025", "92E", "²", "male", "W1", "no"]]
    response = _upload(
        client_for(Role.ANALYST, scheme), scheme, csv_bytes(header, rows), kind="outcomes"
    )

    assert response.status_code == 200
    assert "outcome_code is not a Home Office outcome code" in " ".join(
        response.context["result"].bad_rows[0].reasons
    )
