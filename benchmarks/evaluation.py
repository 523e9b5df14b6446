#!/usr/bin/env python3
"""The commissioner's dashboard at scale: the whole report for a scheme and a year, beside a
baseline of one hand-written SQL aggregate per figure over the same rows, on PostgreSQL 15.

Run on demand (not a test), from the repository root, as root or as a user who can run
PostgreSQL's tools:

    .venv/bin/python benchmarks/evaluation.py                      # 1,000,000 and 5,000,000
    .venv/bin/python benchmarks/evaluation.py --referrals 100000 --police-records 500000

It starts a throw-away PostgreSQL 15 cluster (as `benchmarks/referral.py` does: as the
`diversion-ci` system user, stopped by its postmaster's pid at the end), migrates it, loads the
demo schemes, generates --referrals and --police-records into West Midlands with the synthetic
generator (the COPY path), then times:

- the report (`evaluation_report`, every section, as the analyst's dashboard builds it) for the
  last full year, cold (first request for the filter) and warm (the same filter again);
- the baseline: one hand-written SQL aggregate per figure over the same rows.

The numbers go to standard output and to var/benchmarks/evaluation-<date>-<referrals>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# One aggregate per figure, over the rows the report reads (%(s)s scheme, %(a)s..%(b)s the
# period, %(lo)s..%(hi)s the periods either side of go-live). The stand-in for "the fastest the
# database can answer the question", without suppression, statistics or layout.
BASELINE: dict[str, str] = {
    "referrals by month": """
        SELECT date_trunc('month', stopped_at AT TIME ZONE 'Europe/London'), count(*)
        FROM referrals_referral WHERE scheme_id = %(s)s
          AND stopped_at >= %(a)s AND stopped_at < %(b1)s GROUP BY 1""",
    "referrals by week": """
        SELECT date_trunc('week', stopped_at AT TIME ZONE 'Europe/London'), count(*)
        FROM referrals_referral WHERE scheme_id = %(s)s
          AND stopped_at >= %(a)s AND stopped_at < %(b1)s GROUP BY 1""",
    "funnel": """
        SELECT r.status, count(*) FROM referrals_referral r WHERE r.scheme_id = %(s)s
          AND r.stopped_at >= %(a)s AND r.stopped_at < %(b1)s GROUP BY 1""",
    "status history (assessed, course, missed)": """
        SELECT c.to_status, count(DISTINCT c.referral_id) FROM referrals_statuschange c
        JOIN referrals_referral r ON r.id = c.referral_id WHERE r.scheme_id = %(s)s
          AND r.stopped_at >= %(a)s AND r.stopped_at < %(b1)s GROUP BY 1""",
    "by local authority, how found, sex, ethnicity": """
        SELECT r.local_authority_id, r.how_found, p.sex, p.self_defined_ethnicity_id, count(*)
        FROM referrals_referral r JOIN people_person p ON p.id = r.person_id
        WHERE r.scheme_id = %(s)s AND r.stopped_at >= %(a)s AND r.stopped_at < %(b1)s
        GROUP BY 1, 2, 3, 4""",
    "by age band": """
        SELECT width_bucket(date_part('year', age(r.stopped_at, p.date_of_birth)),
                            ARRAY[18, 25, 35, 45, 55]), count(*)
        FROM referrals_referral r JOIN people_person p ON p.id = r.person_id
        WHERE r.scheme_id = %(s)s AND r.stopped_at >= %(a)s AND r.stopped_at < %(b1)s
        GROUP BY 1""",
    "re-offending within 6 and 12 months (3 measures)": """
        WITH c AS (
          SELECT r.person_id, min((r.stopped_at AT TIME ZONE 'Europe/London')::date) AS d
          FROM referrals_referral r WHERE r.scheme_id = %(s)s
            AND r.stopped_at >= %(a)s AND r.stopped_at < %(b1)s GROUP BY 1)
        SELECT count(*) FILTER (WHERE c.d + 182 <= %(asof)s),
               count(DISTINCT c.person_id) FILTER (WHERE o.offence_date <= c.d + 182),
               count(DISTINCT c.person_id) FILTER (WHERE o.offence_date <= c.d + 365),
               count(DISTINCT c.person_id) FILTER (WHERE o.is_possession
                                                    AND o.offence_date <= c.d + 182),
               count(DISTINCT c.person_id) FILTER (WHERE o.disposal IN ('conviction', 'caution')
                                                    AND o.offence_date <= c.d + 182)
        FROM c LEFT JOIN evaluation_policeperson pp ON pp.person_id = c.person_id
                                                  AND pp.scheme_id = %(s)s
        LEFT JOIN evaluation_policeoffence o ON o.police_person_id = pp.id
                                            AND o.offence_date > c.d""",
    "time to first re-offence (Kaplan-Meier input)": """
        WITH c AS (
          SELECT r.person_id, min((r.stopped_at AT TIME ZONE 'Europe/London')::date) AS d
          FROM referrals_referral r WHERE r.scheme_id = %(s)s
            AND r.stopped_at >= %(a)s AND r.stopped_at < %(b1)s GROUP BY 1)
        SELECT least(min(o.offence_date) - c.d, 365) AS days, count(*)
        FROM c LEFT JOIN evaluation_policeperson pp ON pp.person_id = c.person_id
        LEFT JOIN evaluation_policeoffence o ON o.police_person_id = pp.id
                                            AND o.offence_date > c.d
        GROUP BY c.person_id, c.d""",
    "outcomes before and after go-live": """
        SELECT offence_date >= %(go)s, outcome_code, count(*) FROM evaluation_possessionoutcome
        WHERE scheme_id = %(s)s AND offence_date BETWEEN %(lo)s AND %(hi)s GROUP BY 1, 2""",
    "formal share by ethnicity and sex": """
        SELECT offence_date >= %(go)s, ethnicity, sex, outcome_code IN (1, 2, 3, 6), count(*)
        FROM evaluation_possessionoutcome
        WHERE scheme_id = %(s)s AND offence_date BETWEEN %(lo)s AND %(hi)s
        GROUP BY 1, 2, 3, 4""",
    "stop and search by ethnicity": """
        SELECT ethnicity, count(*) FROM evaluation_stopsearch
        WHERE scheme_id = %(s)s AND searched_on BETWEEN %(a)s AND %(b)s GROUP BY 1""",
    "population by ethnic group": """
        SELECT ethnic_group, sum(population) FROM evaluation_population
        WHERE scheme_id = %(s)s GROUP BY 1""",
    "matched comparison: the pool and prior offences": """
        SELECT pp.id, min(o.offence_date) FILTER (WHERE o.is_possession
                 AND o.offence_date BETWEEN %(a)s AND %(b)s), count(o.id)
        FROM evaluation_policeperson pp JOIN evaluation_policeoffence o
          ON o.police_person_id = pp.id
        WHERE pp.scheme_id = %(s)s AND pp.person_id IS NULL GROUP BY pp.id""",
    "unit costs": """
        SELECT name, amount_pounds FROM evaluation_unitcost WHERE scheme_id = %(s)s""",
}


def baseline(scheme: Any, start: dt.date, end: dt.date, as_of: dt.date) -> dict[str, float]:
    from django.db import connection

    from diversion.evaluation.inputs import periods_around

    periods = periods_around(scheme.go_live, start, end)
    lo, hi = (periods.before[0], periods.after[1]) if periods else (start, end)
    params = {
        "s": scheme.pk,
        "a": start,
        "b": end,
        "b1": end + dt.timedelta(days=1),
        "go": scheme.go_live,
        "lo": lo,
        "hi": hi,
        "asof": as_of,
    }
    took: dict[str, float] = {}
    with connection.cursor() as cursor:
        for name, sql in BASELINE.items():
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            took[name] = time.perf_counter() - started
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--police-records", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3, help="warm runs of the report")
    parser.add_argument(
        "--pg-bindir", default=os.environ.get("CI_PG_BINDIR", "/usr/lib/postgresql/15/bin")
    )
    parser.add_argument("--pg-user", default=os.environ.get("CI_PG_USER", "diversion-ci"))
    parser.add_argument("--database-url", help="use this database instead of a new cluster")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --database-url: keep the data already there when the scheme has at least "
        "--referrals referrals (skip generating)",
    )
    args = parser.parse_args()

    from referral import Postgres, say  # benchmarks/referral.py

    postgres = None
    if args.database_url:
        url = args.database_url
    else:
        postgres = Postgres(Path(args.pg_bindir), args.pg_user)
        url = postgres.start()
        say(f"PostgreSQL up: pid {postgres.pid}, port {postgres.port}")
    try:
        report = run(args, url)
        if postgres is not None:
            report["postgres"] = postgres.version()
    finally:
        if postgres is not None:
            postgres.stop()
    stem = f"evaluation-{dt.date.today().isoformat()}-{args.referrals}"
    out = ROOT / "var" / "benchmarks" / f"{stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(json.dumps(report, indent=2, default=str))
    print(f"written to {out}")


def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DIVERSION_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diversion.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from diversion.demo.schemes import create_schemes
    from diversion.evaluation import report as report_module
    from diversion.schemes.models import Scheme
    from diversion.synthetic.generate import scheme_generate

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Scheme.objects.filter(code="WM").exists():
        create_schemes()
    scheme = Scheme.objects.get(code="WM")
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}",
        "database": connection.vendor,
        "referrals": args.referrals,
        "police_records": args.police_records,
    }
    from diversion.referrals.models import Referral

    started = time.monotonic()
    have = Referral.objects.filter(scheme=scheme).count()
    if args.reuse and have >= args.referrals:
        result["generated"] = f"reused {have:,} referrals already in the database"
    else:
        generate(args, scheme, result, scheme_generate)
    result["generate_seconds"] = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    scheme.refresh_from_db()

    from diversion.evaluation.models import FrameSnapshotPart
    from diversion.evaluation.snapshot import snapshot_build

    started = time.monotonic()
    built = snapshot_build(scheme)
    result["snapshot_build_seconds"] = round(time.monotonic() - started, 1)
    result["snapshot_rows"] = built.rows
    result["snapshot_megabytes"] = round(
        sum(
            len(p)
            for p in FrameSnapshotPart.objects.filter(snapshot=built).values_list(
                "payload", flat=True
            )
        )
        / 1e6,
        1,
    )

    today = timezone.localdate()
    result["go_live"] = scheme.go_live.isoformat()
    # A server has its modules loaded after its first request; `report` has loaded its sections.

    # The dashboard's usual filter (the last full year), and the year around go-live (the
    # comparison before and after go-live is only made when the period spans it).
    end = today.replace(day=1) - dt.timedelta(days=1)
    periods = {
        "last full year": (end.replace(year=end.year - 1) + dt.timedelta(days=1), end),
        "year around go-live": (
            scheme.go_live - dt.timedelta(days=182),
            scheme.go_live + dt.timedelta(days=182),
        ),
    }
    result["periods"] = {}
    for name, (start, end) in periods.items():
        result["periods"][name] = one_period(args, report_module, scheme, start, end, today)
    return result


def generate(
    args: argparse.Namespace, scheme: Any, result: dict[str, Any], scheme_generate: Any
) -> None:
    generated = scheme_generate(
        scheme=scheme,
        referrals=args.referrals,
        police_records=args.police_records,
        seed=args.seed,
        progress=lambda stage, done, total: print(
            f"\r{stage}: {done:,}/{total:,}   ", end="", file=sys.stderr
        ),
    )
    print(file=sys.stderr)
    result["generated"] = dict(generated.counts)


def one_period(
    args: argparse.Namespace,
    report_module: Any,
    scheme: Any,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> dict[str, Any]:
    """The report for one filter, built four ways: from the tables (as before snapshots), from
    the snapshot in a new server process (nothing in memory), from the snapshot in a running
    one (its Arrow tables in memory), and from the cache; then the SQL baseline."""
    from django.core.cache import cache

    from diversion.evaluation.sources import forget

    result: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}

    def build(name: str, *, snapshot: bool, new_process: bool, dashboard: bool) -> Any:
        cache.clear()
        if new_process:
            forget()
        sections: dict[str, float] = {}
        built = timed_report(
            report_module, scheme, start, end, today, sections, snapshot, dashboard
        )
        total = sum(sections.values())
        result[name] = {
            "seconds": round(total, 2),
            "by_section": {k: round(v, 2) for k, v in sections.items()},
        }
        return built

    # The whole report, everything read from the tables and the comparison waited for (how the
    # dashboard worked before snapshots, and how a small scheme's still does).
    built = build("from_tables", snapshot=False, new_process=True, dashboard=False)
    result["tables"] = len(built.tables())
    result["sections_unavailable"] = [s.key for s in built.sections if s.unavailable]
    # The dashboard: frames from the snapshot, the comparison queued for the background worker
    # (its section says so), first in a new server process and then in a running one.
    built = build("dashboard_new_process", snapshot=True, new_process=True, dashboard=True)
    result["dashboard_pending"] = [s.key for s in built.sections if s.pending]
    for run in range(args.runs):
        build(
            f"dashboard_running_server_{run + 1}", snapshot=True, new_process=False, dashboard=True
        )
    # The background worker's job: the comparison into the cache (what the next dashboard
    # request for the filter then shows).
    forget()
    started = time.perf_counter()
    report_module.comparison_prepare(
        scheme.pk, start.isoformat(), end.isoformat(), "", today.isoformat()
    )
    result["comparison_in_background_seconds"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    after = report_module.evaluation_report(
        scheme=scheme, start=start, end=end, as_of=today, comparison_in_background=True
    )
    result["dashboard_after_comparison_seconds"] = round(time.perf_counter() - started, 2)
    result["dashboard_after_comparison_pending"] = [s.key for s in after.sections if s.pending]
    cached = []
    for _ in range(args.runs):
        started = time.perf_counter()
        report_module.evaluation_report(scheme=scheme, start=start, end=end, as_of=today)
        cached.append(time.perf_counter() - started)
    result["cached_seconds"] = [round(c, 3) for c in cached]
    took = [baseline(scheme, start, end, today) for _ in range(2)][-1]
    result["baseline_seconds"] = round(sum(took.values()), 3)
    result["baseline_by_figure"] = {k: round(v, 3) for k, v in took.items()}
    for name in ("from_tables", "dashboard_new_process", "dashboard_running_server_1"):
        result[f"ratio_{name}"] = round(result[name]["seconds"] / result["baseline_seconds"], 2)
    print(json.dumps(result, indent=2), file=sys.stderr)
    return result


def timed_report(
    report_module: Any,
    scheme: Any,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    sections: dict[str, float],
    snapshot: bool | None = None,
    dashboard: bool = False,
) -> Any:
    """The whole report, with the time of each section (the frames a section first needs are
    loaded inside its own time)."""
    started = time.perf_counter()
    built = report_module.evaluation_report(
        scheme=scheme,
        start=start,
        end=end,
        as_of=as_of,
        timings=sections,
        snapshot=snapshot,
        comparison_in_background=dashboard,
    )
    sections["everything else"] = time.perf_counter() - started - sum(sections.values())
    return built


if __name__ == "__main__":
    main()
