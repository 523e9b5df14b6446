"""Import 4: population by local authority, sex and ethnic group (2021 Census), for rates per
1,000. One row per group; importing a corrected figure replaces the old one."""

from __future__ import annotations

import re
from typing import Any

from diversion.evaluation.columns import ETHNIC_GROUPS
from diversion.evaluation.imports.base import (
    BadRow,
    BadValue,
    Cleaner,
    Context,
    Importer,
    is_digits,
    parse_count,
    parse_ons_code,
    parse_sex,
)
from diversion.evaluation.models import ImportBatch, ImportKind, Population

# The Census's own labels start with the group's name ("Asian, Asian British or Asian Welsh").
_GROUP_OF_FIRST_WORD = {group.split()[0].casefold(): group for group in ETHNIC_GROUPS}


def parse_ethnic_group(raw: str) -> str:
    lowered = raw.casefold().strip()
    if lowered == "not stated":
        return "Not stated"
    first = re.split(r"[^a-z]+", lowered)[0]
    if first in _GROUP_OF_FIRST_WORD and first != "not":
        return _GROUP_OF_FIRST_WORD[first]
    raise BadValue(f"is not an ethnic group ({', '.join(ETHNIC_GROUPS)}): {raw!r}")


def parse_census_year(raw: str) -> int:
    if not is_digits(raw) or not 1991 <= int(raw) <= 2100:
        raise BadValue(f"is not a census year (like 2021): {raw!r}")
    return int(raw)


class PopulationImporter(Importer):
    kind = ImportKind.POPULATION
    required = ("local_authority", "sex", "ethnic_group", "population")
    optional = ("census_year",)

    def prepare(self, context: Context) -> None:
        context.lookups["seen"] = {}

    def clean(self, row: dict[str, str], context: Context) -> dict[str, Any]:
        c = Cleaner(row)
        values = {
            "census_year": c.check("census_year", parse_census_year, required=False) or 2021,
            "local_authority": c.check("local_authority", parse_ons_code),
            "sex": c.check("sex", parse_sex),
            "ethnic_group": c.check("ethnic_group", parse_ethnic_group),
            "population": c.check("population", parse_count),
        }
        if values["sex"] == "not_stated":
            c.fail("sex must be male, female or other for population figures")
        c.done()
        return values

    def write(
        self, rows: list[tuple[int, str, dict[str, Any]]], batch: ImportBatch, context: Context
    ) -> tuple[int, int, list[BadRow]]:
        return upsert(
            Population,
            rows,
            batch,
            context,
            natural_key=("census_year", "local_authority", "sex", "ethnic_group"),
            fields=("population",),
        )


def upsert(
    model: Any,
    rows: list[tuple[int, str, dict[str, Any]]],
    batch: ImportBatch,
    context: Context,
    *,
    natural_key: tuple[str, ...],
    fields: tuple[str, ...],
) -> tuple[int, int, list[BadRow]]:
    """Rows identified by a natural key: new ones added, changed ones replaced, the same ones
    counted as already imported; a key twice in one file is a bad row."""
    seen: dict[tuple[Any, ...], int] = context.lookups.setdefault("seen", {})
    bad: list[BadRow] = []
    wanted: dict[tuple[Any, ...], dict[str, Any]] = {}
    for number, _key, values in rows:
        natural = tuple(values[name] for name in natural_key)
        if natural in seen:
            bad.append(
                BadRow(
                    number, (f"repeats row {seen[natural]} (the same {', '.join(natural_key)})",)
                )
            )
            continue
        seen[natural] = number
        wanted[natural] = values
    existing = {
        tuple(getattr(obj, name) for name in natural_key): obj
        for obj in model.objects.filter(
            scheme_id=batch.scheme_id,
            **{f"{natural_key[0]}__in": {natural[0] for natural in wanted}},
        )
    }
    new, changed, same = [], [], 0
    for natural, values in wanted.items():
        current = existing.get(natural)
        if current is None:
            new.append(model(scheme_id=batch.scheme_id, batch=batch, **values))
        elif any(getattr(current, name) != values[name] for name in fields):
            for name in fields:
                setattr(current, name, values[name])
            current.batch = batch
            changed.append(current)
        else:
            same += 1
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, [*fields, "batch"])
    return len(new) + len(changed), same, bad
