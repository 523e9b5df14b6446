"""Load the code lists in `data/` into the database; safe to run again (update or create)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(apps: Any = None) -> dict[str, int]:
    """Takes the migration's `apps` registry when called from a data migration."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    model = apps.get_model
    counts: dict[str, int] = {}

    outcomes = _rows("crime_outcomes.csv")
    for row in outcomes:
        model("reference", "CrimeOutcome").objects.update_or_create(
            code=int(row["code"]), defaults={"name": row["name"], "group": row["group"]}
        )
    counts["crime outcomes"] = len(outcomes)

    offences = _rows("possession_offences.csv")
    for row in offences:
        model("reference", "PossessionOffence").objects.update_or_create(
            home_office_code=row["home_office_code"], defaults={"name": row["name"]}
        )
    counts["possession offences"] = len(offences)

    self_defined = _rows("ethnicity_self_defined.csv")
    for position, row in enumerate(self_defined):
        model("reference", "SelfDefinedEthnicity").objects.update_or_create(
            code=row["code"],
            defaults={"group": row["group"], "name": row["name"], "position": position},
        )
    counts["self-defined ethnicity codes"] = len(self_defined)

    observed = _rows("ethnicity_officer_observed.csv")
    for row in observed:
        model("reference", "ObservedEthnicity").objects.update_or_create(
            code=row["code"], defaults={"name": row["name"]}
        )
    counts["officer-observed ethnicity codes"] = len(observed)

    questions = _rows("audit_c.csv")
    for number, row in enumerate(questions, start=1):
        model("reference", "AuditCQuestion").objects.update_or_create(
            number=number,
            defaults={
                "question": row["question"],
                "answers": [row[f"score_{score}"] for score in range(5)],
            },
        )
    counts["AUDIT-C questions"] = len(questions)
    return counts
