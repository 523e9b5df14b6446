"""Import 1: police-recorded offences and arrests, one row per offence, for re-offending.

Each row names the person by the police identifier, or by name and date of birth, or both.
Names are never stored: they become the same blind-index key the people app keeps, and the
police identifier its own keyed hash, so the person links to the scheme's referrals.
"""

from __future__ import annotations

import re
from typing import Any

from diversion.core.crypto import normalise_name
from diversion.evaluation.imports.base import (
    BadRow,
    BadValue,
    Cleaner,
    Context,
    Importer,
    ethnicity_parser,
    insert_new,
    iso,
    parse_bool,
    parse_ons_code,
    parse_past_date,
    parse_sex,
)
from diversion.evaluation.imports.linking import name_dob_key, police_id_index, police_people_link
from diversion.evaluation.models import (
    Disposal,
    ImportBatch,
    ImportKind,
    PoliceOffence,
    PolicePerson,
)
from diversion.reference.models import PossessionOffence, SelfDefinedEthnicity

_OFFENCE_CODE = re.compile(r"^0*(\d{1,3}[A-Z]?)(/\d{1,2})?$")
_DISPOSALS = {"conviction": Disposal.CONVICTION, "caution": Disposal.CAUTION, "none": ""}


def parse_offence_code(raw: str) -> str:
    match = _OFFENCE_CODE.match(raw.upper().replace(" ", ""))
    if not match:
        raise BadValue(f"is not a Home Office offence code (like 92E or 105A): {raw!r}")
    return match.group(1) + (match.group(2) or "")


def parse_disposal(raw: str) -> str:
    try:
        return _DISPOSALS[raw.casefold()]
    except KeyError:
        raise BadValue(f"must be conviction, caution or blank: {raw!r}") from None


class OffencesImporter(Importer):
    kind = ImportKind.OFFENCES
    required = (
        "police_person_id",
        "given_name",
        "family_name",
        "date_of_birth",
        "offence_date",
        "offence_code",
    )
    optional = ("sex", "ethnicity", "local_authority", "disposal", "disposal_date", "arrested")

    def prepare(self, context: Context) -> None:
        context.lookups["possession"] = set(
            PossessionOffence.objects.values_list("home_office_code", flat=True)
        )
        context.lookups["ethnicity"] = ethnicity_parser(
            SelfDefinedEthnicity.objects.values_list("code", flat=True)
        )

    def clean(self, row: dict[str, str], context: Context) -> dict[str, Any]:
        c = Cleaner(row)
        police_id = c.value("police_person_id")
        given, family = c.value("given_name"), c.value("family_name")
        born = c.check("date_of_birth", parse_past_date, required=False)
        has_name = bool(normalise_name(given) and normalise_name(family) and born)
        if not police_id and not has_name:
            c.fail("needs police_person_id, or given_name, family_name and date_of_birth")
        offence_date = c.check("offence_date", parse_past_date)
        code = c.check("offence_code", parse_offence_code)
        disposal = c.check("disposal", parse_disposal, required=False) or ""
        disposal_date = c.check("disposal_date", parse_past_date, required=False)
        if disposal and not c.value("disposal_date"):
            c.fail("disposal_date is missing (a conviction or caution needs its date)")
        if c.value("disposal_date") and not c.value("disposal"):
            c.fail("disposal is missing (disposal_date is given)")
        if disposal_date and offence_date and disposal_date < offence_date:
            c.fail("disposal_date is before offence_date")
        if born and offence_date and born >= offence_date:
            c.fail("date_of_birth is not before offence_date")
        values = {
            "police_id_index": police_id_index(police_id),
            "name_key": name_dob_key(given, family, born) if has_name and born else "",
            "date_of_birth": born,
            "sex": c.check("sex", parse_sex, required=False) or "",
            "ethnicity": c.check("ethnicity", context.lookups["ethnicity"], required=False) or "",
            "local_authority": c.check("local_authority", parse_ons_code, required=False) or "",
            "offence_date": offence_date,
            "offence_code": code,
            "is_possession": code in context.lookups["possession"],
            "is_arrest": bool(c.check("arrested", parse_bool, required=False)),
            "disposal": disposal,
            "disposal_date": disposal_date,
        }
        c.done()
        return values

    def write(
        self, rows: list[tuple[int, str, dict[str, Any]]], batch: ImportBatch, context: Context
    ) -> tuple[int, int, list[BadRow]]:
        people = _people_for(batch.scheme_id, [values for _n, _k, values in rows])
        added, already = insert_new(
            PoliceOffence,
            rows,
            batch,
            [
                "scheme_id",
                "police_person_id",
                "offence_date",
                "offence_code",
                "is_possession",
                "is_arrest",
                "disposal",
                "disposal_date",
                "batch_id",
                "row_key",
            ],
            lambda key, v: (
                batch.scheme_id,
                people[_identity(v)],
                iso(v["offence_date"]),
                v["offence_code"],
                v["is_possession"],
                v["is_arrest"],
                v["disposal"],
                iso(v["disposal_date"]),
                batch.pk,
                key,
            ),
        )
        police_people_link(scheme_id=batch.scheme_id, police_person_ids=set(people.values()))
        return added, already, []


def _identity(values: dict[str, Any]) -> tuple[str, str]:
    return (values["police_id_index"], values["name_key"])


def _people_for(scheme_id: int, rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """The police person of each row's identity, made when new. A police identifier wins over a
    name: a row with both finds the person recorded under either."""
    wanted = {_identity(values): values for values in rows}
    ids = {pid for pid, _n in wanted if pid}
    names = {name for _p, name in wanted if name}
    by_id: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for pk, pid in PolicePerson.objects.filter(
        scheme_id=scheme_id, police_id_index__in=ids
    ).values_list("pk", "police_id_index"):
        by_id.setdefault(pid, pk)
    for pk, name in PolicePerson.objects.filter(
        scheme_id=scheme_id, name_key__in=names
    ).values_list("pk", "name_key"):
        by_name.setdefault(name, pk)
    found: dict[tuple[str, str], int] = {}
    new: dict[tuple[str, str], PolicePerson] = {}
    new_by_id: dict[str, PolicePerson] = {}
    new_by_name: dict[str, PolicePerson] = {}
    for identity, values in wanted.items():
        pid, name = identity
        known = (by_id.get(pid) if pid else None) or (by_name.get(name) if name else None)
        if known is not None:
            found[identity] = known
            continue
        # The same person may appear under two identities in one chunk (id only; id and name).
        twin = (new_by_id.get(pid) if pid else None) or (new_by_name.get(name) if name else None)
        made = twin or PolicePerson(
            scheme_id=scheme_id,
            police_id_index=pid,
            name_key=name,
            date_of_birth=values["date_of_birth"],
            sex=values["sex"],
            ethnicity=values["ethnicity"],
            local_authority=values["local_authority"],
        )
        new[identity] = made
        if pid:
            new_by_id.setdefault(pid, made)
        if name:
            new_by_name.setdefault(name, made)
    PolicePerson.objects.bulk_create({id(p): p for p in new.values()}.values())
    found.update({identity: person.pk for identity, person in new.items()})
    return found
