from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from diversion.audit.models import AuditEvent
from diversion.evaluation.models import ImportBatch, LinkKind, PoliceOffence, PolicePerson
from diversion.evaluation.tests.helpers import csv_bytes, reasons_by_row, run_import, sample
from diversion.officer.tests.builders import referral_made

pytestmark = pytest.mark.django_db

HEADER = [
    "police_person_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "local_authority",
    "offence_date",
    "offence_code",
    "arrested",
    "disposal",
    "disposal_date",
]


def row(**changes: str) -> list[str]:
    values = {
        "police_person_id": "WM/1",
        "given_name": "",
        "family_name": "",
        "date_of_birth": "",
        "sex": "male",
        "ethnicity": "W1",
        "local_authority": "E08000025",
        "offence_date": "2024-02-01",
        "offence_code": "92E",
        "arrested": "no",
        "disposal": "",
        "disposal_date": "",
    }
    values.update(changes)
    return [values[column] for column in HEADER]


def test_the_sample_file_imports_every_row_with_possession_marked(scheme: Any) -> None:
    result = run_import("offences", scheme, sample("offences"))

    assert (result.rows_read, result.rows_added, result.bad_rows) == (5, 5, [])
    offences = PoliceOffence.objects.filter(scheme=scheme)
    assert offences.filter(is_possession=True).count() == 3
    assert offences.get(offence_code="105A").disposal == "conviction"
    # WM/0012345 twice, two people by name, one with both: four people
    assert PolicePerson.objects.filter(scheme=scheme).count() == 4


def test_no_name_is_stored_in_the_police_data(scheme: Any) -> None:
    run_import("offences", scheme, sample("offences"))

    stored = " ".join(
        str(value) for values in PolicePerson.objects.values_list() for value in values
    )
    assert "Sharma" not in stored and "sharma" not in stored
    assert "0012345" not in stored


def test_importing_the_same_file_again_adds_nothing(scheme: Any) -> None:
    run_import("offences", scheme, sample("offences"))
    again = run_import("offences", scheme, sample("offences"))

    assert (again.rows_added, again.rows_already_imported) == (0, 5)
    assert PoliceOffence.objects.filter(scheme=scheme).count() == 5
    assert PolicePerson.objects.filter(scheme=scheme).count() == 4


def test_two_identical_records_in_one_file_are_both_kept_and_not_doubled_on_reimport(
    scheme: Any,
) -> None:
    data = csv_bytes(HEADER, [row(), row()])

    assert run_import("offences", scheme, data).rows_added == 2
    assert run_import("offences", scheme, data).rows_added == 0


def test_a_longer_extract_adds_only_its_new_rows(scheme: Any) -> None:
    run_import("offences", scheme, csv_bytes(HEADER, [row()]))
    result = run_import(
        "offences", scheme, csv_bytes(HEADER, [row(), row(offence_date="2024-03-01")])
    )

    assert (result.rows_added, result.rows_already_imported) == (1, 1)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"offence_date": "31/02/2024"}, "offence_date is not a date"),
        ({"offence_date": "2999-01-01"}, "offence_date is in the future"),
        ({"offence_date": ""}, "offence_date is missing"),
        ({"offence_code": "possession"}, "offence_code is not a Home Office offence code"),
        ({"ethnicity": "Q7"}, "ethnicity is not a self-defined ethnicity code"),
        ({"sex": "bloke"}, "sex is not one of"),
        ({"local_authority": "Birmingham"}, "local_authority is not an ONS"),
        ({"police_person_id": ""}, "needs police_person_id, or given_name"),
        ({"disposal": "fine", "disposal_date": "2024-03-01"}, "disposal must be conviction"),
        ({"disposal": "caution"}, "disposal_date is missing"),
        ({"disposal_date": "2024-03-01"}, "disposal is missing"),
        ({"disposal": "caution", "disposal_date": "2024-01-01"}, "disposal_date is before"),
        ({"arrested": "maybe"}, "arrested must be yes or no"),
    ],
)
def test_a_bad_row_is_reported_with_its_number_and_reason_and_not_imported(
    scheme: Any, changes: dict[str, str], reason: str
) -> None:
    data = csv_bytes(HEADER, [row(), row(**changes), row(offence_date="2024-02-03")])

    result = run_import("offences", scheme, data)

    assert list(reasons_by_row(result)) == [3]
    assert reason in reasons_by_row(result)[3]
    assert result.rows_added == 2
    assert PoliceOffence.objects.filter(scheme=scheme).count() == 2


def test_every_reason_a_row_is_bad_is_reported(scheme: Any) -> None:
    data = csv_bytes(HEADER, [row(offence_date="yesterday", ethnicity="ZZ", offence_code="?")])

    reasons = run_import("offences", scheme, data).bad_rows[0].reasons

    assert len(reasons) == 3


def test_a_row_with_more_values_than_columns_is_bad(scheme: Any) -> None:
    data = csv_bytes(HEADER, [[*row(), "extra"]])

    assert "more values" in reasons_by_row(run_import("offences", scheme, data))[2]


def test_a_file_missing_a_column_is_refused_and_changes_nothing(scheme: Any) -> None:
    header = [column for column in HEADER if column != "offence_code"]
    data = csv_bytes(header, [row()[:-4] + row()[-3:]])
    events = AuditEvent.objects.count()

    result = run_import("offences", scheme, data)

    assert result.refused and result.missing_columns == ["offence_code"]
    assert not ImportBatch.objects.exists()
    assert not PoliceOffence.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_import_batch_records_the_counts_and_is_audited(scheme: Any) -> None:
    data = csv_bytes(HEADER, [row(), row(offence_date="nope")])

    result = run_import("offences", scheme, data)

    batch = ImportBatch.objects.get()
    assert (batch.rows_read, batch.rows_added, batch.rows_bad) == (2, 1, 1)
    assert batch.report == [{"row": 3, "reasons": [result.bad_rows[0].reasons[0]]}]
    assert len(batch.file_sha256) == 64
    event = AuditEvent.objects.get(object_type="evaluation.ImportBatch")
    assert event.object_id == str(batch.pk) and event.changes["rows_added"] == 1


def test_a_police_record_links_to_the_referral_through_the_police_identifier(
    scheme: Any, officer: Any, slots: Any
) -> None:
    referral = referral_made(officer, scheme, slots[0], police_person_id="WM/77-123")
    data = csv_bytes(HEADER, [row(police_person_id="wm 77123")])

    run_import("offences", scheme, data)

    person = PolicePerson.objects.get(scheme=scheme)
    assert person.person_id == referral.referral.person_id
    assert person.link == LinkKind.POLICE_ID
    assert person.person_key == f"P{referral.referral.person_id}"


def test_a_police_record_links_to_the_referral_through_name_and_date_of_birth(
    scheme: Any, officer: Any, slots: Any
) -> None:
    referral = referral_made(officer, scheme, slots[0])
    data = csv_bytes(
        HEADER,
        [
            row(
                police_person_id="",
                given_name="JAMIE",
                family_name="ONeill",
                date_of_birth="14/06/1998",
            )
        ],
    )

    run_import("offences", scheme, data)

    person = PolicePerson.objects.get(scheme=scheme)
    assert (person.person_id, person.link) == (referral.referral.person_id, LinkKind.NAME_DOB)


def test_a_person_referred_in_another_scheme_is_not_linked(
    scheme: Any, other_scheme: Any, officer: Any, slots: Any
) -> None:
    referral_made(officer, scheme, slots[0])
    data = csv_bytes(
        HEADER,
        [
            row(
                police_person_id="",
                given_name="Jamie",
                family_name="O'Neill",
                date_of_birth="1998-06-14",
            )
        ],
    )

    run_import("offences", other_scheme, data)

    person = PolicePerson.objects.get(scheme=other_scheme)
    assert person.person_id is None and person.person_key == f"X{person.pk}"


def test_an_unlinked_person_keeps_the_same_key_across_imports(scheme: Any) -> None:
    run_import("offences", scheme, csv_bytes(HEADER, [row()]))
    first = PolicePerson.objects.get().person_key
    run_import("offences", scheme, csv_bytes(HEADER, [row(offence_date="2024-05-05")]))

    assert PolicePerson.objects.get().person_key == first
    assert PoliceOffence.objects.filter(police_person__in=PolicePerson.objects.all()).count() == 2


def test_a_row_with_identifier_and_name_finds_the_person_recorded_under_the_name(
    scheme: Any,
) -> None:
    named = {"given_name": "Ann", "family_name": "Lee", "date_of_birth": "1990-01-02"}
    run_import("offences", scheme, csv_bytes(HEADER, [row(police_person_id="", **named)]))
    run_import(
        "offences",
        scheme,
        csv_bytes(HEADER, [row(police_person_id="WM/9", offence_date="2024-06-01", **named)]),
    )

    assert PolicePerson.objects.count() == 1
    assert PoliceOffence.objects.count() == 2
    assert dt.date(1990, 1, 2) == PolicePerson.objects.get().date_of_birth


def test_the_fast_keyed_hashes_equal_the_ones_people_stores(scheme: Any) -> None:
    from diversion.core.crypto import blind_index
    from diversion.evaluation.imports.base import fast_blind_index
    from diversion.evaluation.imports.linking import name_dob_key, police_id_index
    from diversion.people.matching import match_keys, police_id_key
    from diversion.people.models import MatchKind

    born = dt.date(1998, 6, 14)
    assert fast_blind_index("x", purpose="p") == blind_index("x", purpose="p")
    assert {name_dob_key("Jamie", "O'Neill", born)} == match_keys("Jamie", "O'Neill", born)[
        MatchKind.EXACT
    ]
    assert police_id_index("wm/77-123") == police_id_key("WM77123")
