"""`diversion import_police_data --scheme WM --kind offences FILE.csv`: one of the evaluation's CSV
imports, with a progress bar and the validation report (every bad row, its number and reasons)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.audit.services import Actor
from diversion.evaluation.imports import IMPORTERS, import_file
from diversion.evaluation.imports.progress import ProgressBar
from diversion.schemes.models import Scheme


class Command(BaseCommand):
    help = (
        "Import police or ONS data for the evaluation from a CSV file "
        "(see docs/evaluation-data.md). Re-importing a file adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--scheme", required=True, help="the scheme's code, e.g. WM")
        parser.add_argument("--kind", required=True, choices=sorted(IMPORTERS))
        parser.add_argument("--quiet-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        scheme = Scheme.objects.filter(code=options["scheme"].upper()).first()
        if scheme is None:
            raise CommandError(f"No scheme with the code {options['scheme']!r}.")
        bar = None if options["quiet_progress"] else ProgressBar(self.stderr, options["kind"])
        try:
            result = import_file(
                importer=IMPORTERS[options["kind"]](),
                scheme=scheme,
                path=options["file"],
                actor=Actor(label="command:import_police_data"),
                progress=bar,
            )
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        if bar:
            bar.finish()
        for line in result.report_lines():
            self.stdout.write(line)
        if result.refused:
            raise CommandError("Nothing was imported: the file lacks required columns.")
        if result.bad_rows:
            self.stdout.write(
                self.style.WARNING(f"{len(result.bad_rows)} bad rows were not imported.")
            )
