"""Import 3: stop-and-search records, one row per search, with the person's self-defined
ethnicity (NS when not stated) and the officer-observed IC code."""

from __future__ import annotations

from typing import Any

from diversion.evaluation.imports.base import (
    BadRow,
    BadValue,
    Cleaner,
    Context,
    Importer,
    ethnicity_parser,
    insert_new,
    iso,
    parse_ons_code,
    parse_past_date,
    parse_sex,
)
from diversion.evaluation.models import ImportBatch, ImportKind, StopSearch
from diversion.reference.models import ObservedEthnicity, SelfDefinedEthnicity


class StopSearchesImporter(Importer):
    kind = ImportKind.STOP_SEARCHES
    required = ("searched_on", "local_authority", "sex", "ethnicity", "observed_ethnicity")
    optional = ("search_reference",)

    def prepare(self, context: Context) -> None:
        observed_codes = set(ObservedEthnicity.objects.values_list("code", flat=True))

        def observed(raw: str) -> str:
            code = raw.upper()
            if code not in observed_codes:
                raise BadValue(f"is not an officer-observed code (IC1 … IC6, IC9): {raw!r}")
            return code

        context.lookups.update(
            observed=observed,
            ethnicity=ethnicity_parser(SelfDefinedEthnicity.objects.values_list("code", flat=True)),
        )

    def clean(self, row: dict[str, str], context: Context) -> dict[str, Any]:
        c = Cleaner(row)
        values = {
            "searched_on": c.check("searched_on", parse_past_date),
            "local_authority": c.check("local_authority", parse_ons_code),
            "sex": c.check("sex", parse_sex),
            "ethnicity": c.check("ethnicity", context.lookups["ethnicity"], required=False) or "NS",
            "observed_ethnicity": c.check(
                "observed_ethnicity", context.lookups["observed"], required=False
            )
            or "IC9",
            "search_reference": c.value("search_reference").upper(),
        }
        c.done()
        return values

    def write(
        self, rows: list[tuple[int, str, dict[str, Any]]], batch: ImportBatch, context: Context
    ) -> tuple[int, int, list[BadRow]]:
        added, already = insert_new(
            StopSearch,
            rows,
            batch,
            [
                "scheme_id",
                "searched_on",
                "local_authority",
                "sex",
                "ethnicity",
                "observed_ethnicity",
                "batch_id",
                "row_key",
            ],
            lambda key, v: (
                batch.scheme_id,
                iso(v["searched_on"]),
                v["local_authority"],
                v["sex"],
                v["ethnicity"],
                v["observed_ethnicity"],
                batch.pk,
                key,
            ),
        )
        return added, already, []
