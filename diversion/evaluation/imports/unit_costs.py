"""Import 5: the scheme's unit costs (name, amount in pounds, source, valid from), for the cost
per referral and per completion and the cost of the formal outcomes avoided."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from diversion.evaluation.imports.base import (
    BadRow,
    BadValue,
    Cleaner,
    Context,
    Importer,
    parse_date,
)
from diversion.evaluation.imports.population import upsert
from diversion.evaluation.models import ImportBatch, ImportKind, UnitCost, UnitCostName


def parse_name(raw: str) -> str:
    name = raw.casefold().replace(" ", "_").replace("-", "_")
    if name not in UnitCostName.values:
        raise BadValue(f"is not a unit cost name ({', '.join(UnitCostName.values)}): {raw!r}")
    return name


def parse_pounds(raw: str) -> Decimal:
    try:
        amount = Decimal(raw.replace("£", "").replace(",", ""))
    except InvalidOperation:
        raise BadValue(f"is not an amount in pounds (like 1250.00): {raw!r}") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e8"):
        raise BadValue(f"must be between 0 and 99,999,999.99: {raw!r}")
    return amount.quantize(Decimal("0.01"))


class UnitCostsImporter(Importer):
    kind = ImportKind.UNIT_COSTS
    required = ("name", "amount_pounds", "source", "valid_from")

    def clean(self, row: dict[str, str], context: Context) -> dict[str, Any]:
        c = Cleaner(row)
        values = {
            "name": c.check("name", parse_name),
            "amount_pounds": c.check("amount_pounds", parse_pounds),
            "source": c.check("source", str),
            "valid_from": c.check("valid_from", parse_date),
        }
        c.done()
        return values

    def write(
        self, rows: list[tuple[int, str, dict[str, Any]]], batch: ImportBatch, context: Context
    ) -> tuple[int, int, list[BadRow]]:
        return upsert(
            UnitCost,
            rows,
            batch,
            context,
            natural_key=("name", "valid_from"),
            fields=("amount_pounds", "source"),
        )
