"""`diversion evaluation_snapshot [--scheme WM] [--force]`: build the evaluation snapshots that
are due (what the background worker does every hour), or one scheme's now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.evaluation.snapshot import snapshot_build, snapshot_due
from diversion.schemes.models import Scheme


class Command(BaseCommand):
    help = (
        "Build the evaluation snapshots of large schemes that are due (decision 0012); "
        "--force builds them whether due or not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", help="only this scheme (its code, e.g. WM)")
        parser.add_argument("--force", action="store_true", help="build even if not due")

    def handle(self, *args: Any, **options: Any) -> None:
        schemes = Scheme.objects.order_by("pk")
        if options["scheme"]:
            schemes = schemes.filter(code=options["scheme"].upper())
            if not schemes.exists():
                raise CommandError(f"No scheme with the code {options['scheme']!r}.")
        for scheme in schemes:
            reason = "asked for" if options["force"] else snapshot_due(scheme)
            if not reason:
                self.stdout.write(f"{scheme.code}: not due.")
                continue
            snapshot = snapshot_build(scheme)
            rows = ", ".join(f"{name} {count:,}" for name, count in snapshot.rows.items())
            self.stdout.write(
                f"{scheme.code}: built ({reason}) in {snapshot.build_seconds:.1f} s: {rows}."
            )
