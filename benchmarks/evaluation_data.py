#!/usr/bin/env python3
"""Speed of the evaluation's data loading: the synthetic generator and a 100,000-row CSV import.

Run on demand (not a test), from the repository root:

    .venv/bin/python benchmarks/evaluation_data.py                       # SQLite in a temp file
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/evaluation_data.py --referrals 1000000 \
        --police-records 5000000

It migrates the database it is given, loads the demo schemes (not their referrals), generates
--referrals and --police-records into West Midlands, then writes a --csv-rows offences file and
imports it twice (the second import must add nothing), printing rows per second for each step.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--police-records", type=int, default=500_000)
    parser.add_argument("--csv-rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="diversion-evaluation-data-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DIVERSION_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diversion.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from diversion.audit.services import Actor
    from diversion.demo.schemes import create_schemes
    from diversion.evaluation.imports import IMPORTERS, import_file
    from diversion.evaluation.imports.offences import OffencesImporter
    from diversion.schemes.models import Scheme
    from diversion.synthetic.generate import scheme_generate

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    if not Scheme.objects.filter(code="WM").exists():
        create_schemes()
    scheme = Scheme.objects.get(code="WM")

    started = time.monotonic()
    result = scheme_generate(
        scheme=scheme,
        referrals=args.referrals,
        police_records=args.police_records,
        seed=args.seed,
        progress=lambda stage, done, total: print(
            f"\r{stage}: {done:,}/{total:,}", end="", file=sys.stderr
        ),
    )
    took = time.monotonic() - started
    print(file=sys.stderr)
    for line in result.lines():
        print(line)
    rows = sum(result.counts.values())
    print(
        f"generate: {took:.1f} s in all, {rows / took:,.0f} rows/s (people, referrals, police data)"
    )

    path = workdir / "offences.csv"
    rng = random.Random(args.seed)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(OffencesImporter.required + OffencesImporter.optional))
        for _ in range(args.csv_rows):
            person = rng.randrange(args.csv_rows // 3 + 1)
            day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1000))
            born = dt.date(1990, 1, 1) + dt.timedelta(days=person % 5000)
            writer.writerow(
                [
                    f"BENCH/{person}" if person % 2 else "",
                    f"Given{person}",
                    f"Family{person}",
                    born.isoformat(),
                    day.isoformat(),
                    rng.choice(["92E", "92D", "105A"]),
                ]
            )
    for attempt in ("first import", "re-import"):
        started = time.monotonic()
        outcome = import_file(
            importer=IMPORTERS["offences"](),
            scheme=scheme,
            path=path,
            actor=Actor(label="benchmark"),
        )
        took = time.monotonic() - started
        print(
            f"{attempt}: {outcome.rows_read:,} rows in {took:.1f} s = "
            f"{outcome.rows_read / took:,.0f} rows/s ({outcome.rows_added:,} added, "
            f"{outcome.rows_already_imported:,} already, "
            f"{len(outcome.bad_rows)} bad)"
        )


if __name__ == "__main__":
    main()
