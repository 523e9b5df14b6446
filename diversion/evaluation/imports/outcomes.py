"""Import 2: crime outcomes for possession offences (92D, 92E), one row per offence, with the
Home Office outcome code. Include the years before go-live and the areas without diversion:
they are the before-and-after and the comparison."""

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
    is_digits,
    iso,
    parse_bool,
    parse_ons_code,
    parse_past_date,
    parse_sex,
)
from diversion.evaluation.models import ImportBatch, ImportKind, PossessionOutcome
from diversion.reference.models import CrimeOutcome, PossessionOffence, SelfDefinedEthnicity


class OutcomesImporter(Importer):
    kind = ImportKind.OUTCOMES
    required = (
        "offence_date",
        "local_authority",
        "offence_code",
        "outcome_code",
        "sex",
        "ethnicity",
        "diverted",
    )
    optional = ("crime_reference",)

    def prepare(self, context: Context) -> None:
        offences = set(PossessionOffence.objects.values_list("home_office_code", flat=True))
        outcomes = set(CrimeOutcome.objects.values_list("code", flat=True))

        def offence(raw: str) -> str:
            code = raw.upper().lstrip("0")
            if code not in offences:
                raise BadValue(
                    f"is not a possession offence ({', '.join(sorted(offences))}): {raw!r}"
                )
            return code

        def outcome(raw: str) -> int:
            if not is_digits(raw) or int(raw) not in outcomes:
                raise BadValue(f"is not a Home Office outcome code (0 to 22): {raw!r}")
            return int(raw)

        context.lookups.update(
            offence=offence,
            outcome=outcome,
            ethnicity=ethnicity_parser(SelfDefinedEthnicity.objects.values_list("code", flat=True)),
        )

    def clean(self, row: dict[str, str], context: Context) -> dict[str, Any]:
        c = Cleaner(row)
        values = {
            "offence_date": c.check("offence_date", parse_past_date),
            "local_authority": c.check("local_authority", parse_ons_code),
            "offence_code": c.check("offence_code", context.lookups["offence"]),
            "outcome_code": c.check("outcome_code", context.lookups["outcome"]),
            "sex": c.check("sex", parse_sex),
            "ethnicity": c.check("ethnicity", context.lookups["ethnicity"], required=False) or "NS",
            "diverted": c.check("diverted", parse_bool),
            "crime_reference": c.value("crime_reference").upper(),
        }
        c.done()
        return values

    def write(
        self, rows: list[tuple[int, str, dict[str, Any]]], batch: ImportBatch, context: Context
    ) -> tuple[int, int, list[BadRow]]:
        added, already = insert_new(
            PossessionOutcome,
            rows,
            batch,
            [
                "scheme_id",
                "offence_date",
                "local_authority",
                "offence_code",
                "outcome_code",
                "sex",
                "ethnicity",
                "diverted",
                "batch_id",
                "row_key",
            ],
            lambda key, v: (
                batch.scheme_id,
                iso(v["offence_date"]),
                v["local_authority"],
                v["offence_code"],
                v["outcome_code"],
                v["sex"],
                v["ethnicity"],
                v["diverted"],
                batch.pk,
                key,
            ),
        )
        return added, already, []
