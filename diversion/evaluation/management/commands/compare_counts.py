"""`diversion compare_counts --treated 42/120 --comparison 61/118`

Two groups given as counts (so many of a treated group re-offended against so many of a
comparison group): the difference with Newcombe's interval, the z test, Welch's t test, the
risk ratio and the Justice Data Lab's sentence (`stats.compare_proportions`). The same figures
as the page at /evaluation/compare/.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diversion.evaluation.counts import figures
from diversion.evaluation.stats import compare_proportions

_COUNTS = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def counts(text: str) -> tuple[int, int]:
    """ "EVENTS/N", e.g. "42/120": 42 of 120 people had the outcome."""
    found = _COUNTS.match(text)
    if not found:
        raise ValueError(f"{text!r} is not EVENTS/N, for example 42/120")
    return int(found[1]), int(found[2])


class Command(BaseCommand):
    help = "Compare two groups given as counts, as the Justice Data Lab does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--treated", required=True, type=counts, help="EVENTS/N, e.g. 42/120")
        parser.add_argument(
            "--comparison", required=True, type=counts, help="EVENTS/N, e.g. 61/118"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        (a, n1), (c, n2) = options["treated"], options["comparison"]
        try:
            result = compare_proportions(
                treated_events=a, treated_n=n1, comparison_events=c, comparison_n=n2
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for figure in figures(result):
            self.stdout.write(f"{figure.name}: {figure.value}")
        self.stdout.write(result.sentence())
