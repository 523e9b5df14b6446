#!/usr/bin/env python3
"""The retention job over a large synthetic deployment, against plain DELETE and UPDATE
statements of the same rows in the same run (issue 13).

Run on demand (not a test), from the repository root, as root or a user who can run PostgreSQL:

    .venv/bin/python benchmarks/retention.py --referrals 1000000

It starts a throw-away PostgreSQL 15 cluster (as `referral.py` does; or `--database-url`),
migrates, loads the demo schemes, generates `--referrals` referrals and `--police-records`
police records into West Midlands (`diversion generate`'s generator, COPY), and adds to every
referral what the generator leaves out: two messages, a self-service link and, for a finished
referral, a police notice (INSERT ... SELECT). Then, with the clock set `--years-ahead` (7) years
on, so that every kind is due:

1. the dry run (counts, time);
2. for each kind, the plain statement a DBA would write (one DELETE, or one UPDATE blanking the
   same columns the job blanks), timed inside one transaction and rolled back: that transaction
   is also how long it holds its row locks;
3. the retention job itself: its time per kind and its longest single transaction.

The people kind goes through privacy's erasure, one person at a time; at full size that is
hours, so `--people-minutes` (default 10) bounds it the way the nightly limit does and the rate
is reported (the job is resumable: the next night goes on). Writes var/benchmarks/retention-*.json.
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

# kind -> the plain statement over the same rows (%(cutoff)s: the kind's cutoff).
PLAIN = {
    "messages": "DELETE FROM messaging_message WHERE created_at <= %(cutoff)s",
    "self_service_links": (
        "DELETE FROM engagement_selfservicelink WHERE used_at <= %(cutoff)s "
        "OR expires_at <= %(cutoff)s"
    ),
    "police_notices": "DELETE FROM engagement_policenotice WHERE created_at <= %(cutoff)s",
    "police_data": (
        "UPDATE evaluation_policeperson p SET police_id_index = '', name_key = '' "
        "WHERE EXISTS (SELECT 1 FROM evaluation_policeoffence o JOIN evaluation_importbatch b "
        "ON b.id = o.batch_id WHERE o.police_person_id = p.id AND b.imported_at <= %(cutoff)s)"
    ),
    "referral_person": (
        "UPDATE people_person p SET given_name = '', family_name = '', mobile = '', email = '', "
        "police_person_id = '', police_person_id_index = '' WHERE NOT EXISTS (SELECT 1 FROM "
        "referrals_referral r WHERE r.person_id = p.id AND (r.status NOT IN "
        "('completed', 'withdrawn', 'not_engaged', 'course_not_completed') "
        "OR r.status_changed_at > %(cutoff)s))"
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--police-records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--years-ahead", type=int, default=7)
    parser.add_argument("--people-minutes", type=float, default=10.0)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--pg-bindir", default=os.environ.get("CI_PG_BINDIR", "/usr/lib/postgresql/15/bin")
    )
    parser.add_argument("--pg-user", default=os.environ.get("CI_PG_USER", "diversion-ci"))
    parser.add_argument("--database-url", help="use this database instead of a new cluster")
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
    out = ROOT / "var" / "benchmarks" / f"retention-{dt.date.today()}-{args.referrals}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(json.dumps(report, indent=2, default=str))
    print(f"written to {out}")


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def add_contact_records(connection: Any, scheme_id: int) -> dict[str, int]:
    """Two messages and a link per referral, a notice per finished one, in SQL."""
    from diversion.core.crypto import encrypt

    recipient, body = encrypt("+447700900000"), encrypt("Your appointment is on Monday.")
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO messaging_message (referral_id, person_id, channel, template, language,
                discreet, recipient, recipient_index, sender_name, subject, body,
                calendar_invite, status, attempts, last_error, created_at, queued_at, sent_at,
                provider_reference, dedupe_key, delivery_key)
            SELECT r.id, r.person_id, c.channel, 'assessment_confirmation', 'en', true, %s,
                md5(r.person_id::text), '', '', %s, '', 'sent', 1, '', r.created_at,
                r.created_at, r.created_at, '', 'bench:' || r.id || ':' || c.channel,
                gen_random_uuid()
            FROM referrals_referral r CROSS JOIN (VALUES ('sms'), ('email')) AS c(channel)
            WHERE r.scheme_id = %s
            """,
            [recipient, body, scheme_id],
        )
        counts["messages"] = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO engagement_selfservicelink (public_id, referral_id, purpose, created_at,
                expires_at, used_at, used_for)
            SELECT substr(md5('link' || r.id), 1, 16), r.id, 'assessment', r.created_at,
                r.created_at + interval '14 days', NULL, ''
            FROM referrals_referral r WHERE r.scheme_id = %s
            """,
            [scheme_id],
        )
        counts["self_service_links"] = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO engagement_policenotice (referral_id, scheme_id, kind, created_at)
            SELECT r.id, r.scheme_id, CASE WHEN r.status = 'not_engaged'
                THEN 'intelligence_log' ELSE 'completed' END, r.status_changed_at
            FROM referrals_referral r WHERE r.scheme_id = %s
              AND r.status IN ('completed', 'not_engaged')
            """,
            [scheme_id],
        )
        counts["police_notices"] = cursor.rowcount
        cursor.execute("ANALYZE")
    return counts


def plain_statements(connection: Any, now: dt.datetime, periods: dict[str, int]) -> dict:
    """Each plain statement in its own transaction, rolled back: rows and seconds."""
    from django.db import transaction

    results = {}
    for kind, sql in PLAIN.items():
        cutoff = now - dt.timedelta(days=periods[kind])
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, {"cutoff": cutoff})
                rows = cursor.rowcount
            took = time.monotonic() - started
            transaction.set_rollback(True)
        results[kind] = {"rows": rows, "seconds": round(took, 2)}
        say(f"plain {kind}: {rows:,} rows in {took:.1f} s (one transaction, rolled back)")
    return results


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
    from diversion.privacy.models import Erasure
    from diversion.retention.job import retention_run
    from diversion.retention.registry import retention_kinds
    from diversion.schemes.models import Scheme
    from diversion.synthetic.generate import scheme_generate

    call_command("migrate", verbosity=0)
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
    started = time.monotonic()
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
    result["added"] = add_contact_records(connection, scheme.pk)
    result["generate_seconds"] = round(time.monotonic() - started, 1)
    say(f"generated in {result['generate_seconds']} s: {result['generated']} {result['added']}")

    now = timezone.now() + dt.timedelta(days=365 * args.years_ahead + 2)
    periods = {kind.key: kind.default_days for kind in retention_kinds()}

    started = time.monotonic()
    dry = retention_run(now=now, dry_run=True)
    result["dry_run"] = {"seconds": round(time.monotonic() - started, 1), "counts": dry.counts}
    say(f"dry run: {result['dry_run']}")

    result["plain"] = plain_statements(connection, now, periods)

    # The job without the people kind first (all of it), then the people kind for a while.
    others = [kind.key for kind in retention_kinds() if kind.key != "referral_person"]
    started = time.monotonic()
    job = retention_run(now=now, batch_size=args.batch_size, kinds=others)
    result["job"] = {
        "seconds": round(time.monotonic() - started, 1),
        "seconds_per_kind": job.seconds,
        "longest_transaction_ms": job.longest_transaction_ms,
        "counts": job.counts,
        "errors": job.errors,
    }
    say(f"job without people: {result['job']}")
    erased_before = Erasure.objects.count()
    started = time.monotonic()
    job = retention_run(now=now, batch_size=args.batch_size, max_seconds=args.people_minutes * 60)
    took = time.monotonic() - started
    erased = Erasure.objects.count() - erased_before
    due = dry.counts.get(scheme.code, {}).get("referral_person", {}).get("anonymise", 0)
    result["people"] = {
        "seconds": round(took, 1),
        "erased": erased,
        "due": due,
        "people_per_second": round(erased / took, 1) if took else None,
        "hours_for_all_due": round(due / (erased / took) / 3600, 1) if erased else None,
        "longest_transaction_ms": job.longest_transaction_ms,
        "stopped_early": job.stopped_early,
        "errors": job.errors,
    }
    say(f"people: {result['people']}")
    return result


if __name__ == "__main__":
    main()
