"""`diversion retention [--dry-run]`: apply the retention schedules now (as the nightly job
does), or say what that would do without changing anything."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.retention.job import BATCH_SIZE, retention_run
from diversion.retention.models import RunStatus
from diversion.retention.selectors import run_lines, run_sentence


class Command(BaseCommand):
    help = "Apply the retention schedules now, or with --dry-run report what that would do."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; change nothing."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--max-minutes",
            type=float,
            default=None,
            help="Start no batch after this long; the next run goes on from there.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        minutes = options["max_minutes"]
        if minutes is not None and minutes <= 0:
            raise CommandError("--max-minutes must be more than 0")
        run = retention_run(
            dry_run=options["dry_run"],
            batch_size=options["batch_size"],
            started_by="command",
            max_seconds=None if minutes is None else minutes * 60,
        )
        places = list(run.counts)
        self.stdout.write(f"Retention {'dry run' if run.dry_run else 'run'} {run.pk}:")
        self.stdout.write(f"  {run_sentence(run, places=places)}")
        for line in run_lines(run, places=places):
            held = f" ({line.held:,} kept: legal hold)" if line.held else ""
            self.stdout.write(f"  {line.label}: {line.action_label.lower()} {line.rows:,}{held}")
        if run.stopped_early:
            self.stdout.write("  stopped at the time limit: the next run goes on from there")
        for error in run.errors:
            self.stderr.write(f"  error: {error}")
        if run.status == RunStatus.FAILED:
            raise SystemExit(1)
