"""`diversion generate --scheme WM --referrals 10000 --police-records 50000 --seed 7`: synthetic
referrals and police data for a scheme (never in production)."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.evaluation.imports.progress import ProgressBar
from diversion.evaluation.snapshot import snapshot_build, snapshot_due
from diversion.schemes.models import Scheme
from diversion.synthetic.generate import scheme_generate


class Command(BaseCommand):
    help = "Add synthetic referrals and police data to a scheme, from a seed (not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", required=True, help="the scheme's code, e.g. WM")
        parser.add_argument("--referrals", type=int, required=True)
        parser.add_argument("--police-records", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Synthetic data is never generated in production.")
        if options["referrals"] < 1 or options["police_records"] < 0:
            raise CommandError("--referrals must be at least 1 and --police-records at least 0.")
        scheme = Scheme.objects.filter(code=options["scheme"].upper()).first()
        if scheme is None:
            raise CommandError(f"No scheme with the code {options['scheme']!r}.")
        bars: dict[str, ProgressBar] = {}

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.setdefault(stage, ProgressBar(sys.stderr, stage))
            bar(done, total)
            if done >= total:
                bar.finish()

        result = scheme_generate(
            scheme=scheme,
            referrals=options["referrals"],
            police_records=options["police_records"],
            seed=options["seed"],
            progress=progress,
        )
        for line in result.lines():
            self.stdout.write(line)
        reason = snapshot_due(scheme)
        if reason:
            snapshot = snapshot_build(scheme)
            self.stdout.write(
                f"Evaluation snapshot built ({reason}) in {snapshot.build_seconds:.1f} s."
            )
