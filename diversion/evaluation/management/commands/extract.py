"""`diversion extract --scheme CODE --from DATE --to DATE --output PATH`

The evaluator's pseudonymised record-level extract (see `diversion/evaluation/extract.py`) as a
CSV file, made and audited as the system. Each run has its own pseudonyms.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.audit.services import SYSTEM
from diversion.evaluation.extract import extract_create
from diversion.evaluation.management.commands.evaluate import parse_date, scheme_by_code


class Command(BaseCommand):
    help = "Write a pseudonymised record-level extract of a scheme's referrals for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", required=True, help="the scheme's code, e.g. WM")
        parser.add_argument("--from", dest="start", required=True, type=parse_date)
        parser.add_argument("--to", dest="end", required=True, type=parse_date)
        parser.add_argument("--output", type=Path, required=True, help="the CSV file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        scheme = scheme_by_code(options["scheme"])
        if options["end"] < options["start"]:
            raise CommandError("--to must be the same as or after --from")
        made = extract_create(
            actor=SYSTEM, scheme=scheme, start=options["start"], end=options["end"]
        )
        options["output"].write_text(made.csv, encoding="utf-8")
        self.stdout.write(f"Wrote {made.rows} rows to {options['output']}")
