#!/usr/bin/env python3
"""Scale figures (issue 12, section 6): three ratios, each measured against its baseline in one run.

Run on demand (this is not a test), from the repository root, as root or as a user who can run
PostgreSQL (it starts a throw-away cluster the way `referral.py` does):

    .venv/bin/python benchmarks/scale.py                          # about 20-30 minutes
    .venv/bin/python benchmarks/scale.py --large 100000 --flows 20   # a quicker look

1. **The submission against the same statements, bare.** In-process (Django's test client), an
   officer makes `--submissions` referrals. Every statement each step sends, with its
   parameters, is recorded and replayed on a copy of the database taken before the first one
   (`CREATE DATABASE ... TEMPLATE`), through a bare psycopg connection: the steps before the
   submission one by one, the submission's statements in **one transaction**, timed. Both
   databases start identical and see the same statements in the same order, so every insert
   and update of the replay does what the original did (checked: same referral and booking
   counts at the end). Ratio: the submission's wall time ÷ the bare transaction's, pair by pair.
2. **Stored referrals.** The scheme is taken to `--small` referrals; the database is copied
   (`CREATE DATABASE ... TEMPLATE`) and the copy's scheme grown to `--large` by the generator
   (`diversion generate`, COPY, then `ANALYZE`). Two gunicorns (`--workers` x `--threads`), one
   on each database; one officer makes `--flows` referrals on each over HTTP, alternately (and
   which goes first alternates), so that the machine's other work falls on both alike. Ratio:
   p95 of the officer's requests at `--large` ÷ at `--small`, with `GET /healthz` alongside
   each as the noise floor.
3. **Two app servers against one.** At `--small`, `--officers` officers with no pauses, for
   `--duration` seconds, all on one gunicorn, then split between two (each with the same
   `--workers` x `--threads`; the load generator balances round-robin by officer, as a load
   balancer with sticky sessions would), alternating one-two-one-two. Each server is held to
   `--server-cpus` of CPU by a cpu cgroup (v1, as root), so the ratio answers "does the app tier
   scale out?" rather than "how many cores does this machine have?". Ratio: completed requests
   per second with two ÷ with one.

Results are printed and written as JSON to var/benchmarks/scale-<date>-<time>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from referral import (
    FLOW_STEPS,
    HOST,
    PG_DB,
    ROOT,
    FlowError,
    HttpOfficer,
    InProcessOfficer,
    Postgres,
    Recorder,
    Server,
    descendants,
    django_setup,
    hammer,
    no_pause,
    percentile,
    prepare_database,
    referral_flow,
    run_officers,
    say,
    summarize,
)

REPLAY_DB = f"{PG_DB}_replay"


# ------------------------------------------------------------------------------------------------
# 1. The submission, and the same statements as one bare transaction
# ------------------------------------------------------------------------------------------------


class RecordingOfficer(InProcessOfficer):
    """The in-process officer, also keeping every statement's parameters."""

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.statements: list[tuple[str, list[tuple[str, Any, bool]]]] = []

    def request(self, step: str, method: str, path: str, **kwargs: Any) -> Any:
        from django.db import connection

        sent: list[tuple[str, Any, bool]] = []

        def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            sent.append((sql, params, many))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(keep):
            response = super().request(step, method, path, **kwargs)
        self.statements.append((step, sent))
        return response


def replay_connection(database_url: str) -> Any:
    """A psycopg connection to the copy, with Django's own adapters (same types, same SQL)."""
    from django.db import connections

    config = dict(connections.settings["default"])
    config["NAME"] = REPLAY_DB
    connections.settings["replay"] = config
    replay = connections["replay"]
    replay.ensure_connection()
    raw = replay.connection
    raw.autocommit = True
    return raw


def replay(raw: Any, statements: list[tuple[str, Any, bool]], *, one_transaction: bool) -> float:
    begin = time.perf_counter()
    cursor = raw.cursor()
    if one_transaction:
        with raw.transaction():
            for sql, params, many in statements:
                cursor.executemany(sql, params) if many else cursor.execute(sql, params)
    else:
        for sql, params, many in statements:
            cursor.executemany(sql, params) if many else cursor.execute(sql, params)
    cursor.close()
    return time.perf_counter() - begin


def submission_against_bare(database_url: str, officer_pk: int, submissions: int) -> dict[str, Any]:
    import psycopg
    from django.db import connection, connections

    from diversion.accounts.models import User

    connections.close_all()
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {REPLAY_DB}")
        admin.execute(f"CREATE DATABASE {REPLAY_DB} TEMPLATE {PG_DB}")
    raw = replay_connection(database_url)
    officer = RecordingOfficer(User.objects.get(pk=officer_pk))
    # The sign-in above wrote a session row the copy does not have: the replay needs it too.
    copy_session(raw, officer.client.session.session_key)
    rng = random.Random(2027)
    pairs: list[tuple[float, float]] = []
    statements_per_submission: list[int] = []
    for n in range(submissions + 1):  # the first warms both sides; not counted
        officer.statements.clear()
        referral_flow(officer, rng)
        for step, sent in officer.statements:
            if step == "consent_post":
                django_s = officer.times[step][0]
                bare_s = replay(raw, sent, one_transaction=True)
                if n:
                    pairs.append((django_s, bare_s))
                    statements_per_submission.append(len(sent))
            else:
                replay(raw, sent, one_transaction=False)
    counts = {}
    for table in ("referrals_referral", "scheduling_booking", "audit_auditevent"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            original = cursor.fetchone()[0]
        copied = raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        counts[table] = {"original": original, "replay": copied}
    raw.close()
    ratios = sorted(d / b for d, b in pairs)
    return {
        "submissions": len(pairs),
        "statements_per_submission": statistics.median(statements_per_submission),
        "django_ms_median": round(statistics.median(d for d, _ in pairs) * 1000, 1),
        "bare_ms_median": round(statistics.median(b for _, b in pairs) * 1000, 1),
        "ratio_median": round(statistics.median(ratios), 2),
        "ratio_p25_p75": [round(percentile(ratios, 0.25), 2), round(percentile(ratios, 0.75), 2)],
        "row_counts_match": all(c["original"] == c["replay"] for c in counts.values()),
        "row_counts": counts,
        "target": "<= 3",
        "met": statistics.median(ratios) <= 3,
    }


def copy_session(raw: Any, session_key: str) -> None:
    """Copy the officer's session row (written after the copy was taken) into the copy."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT session_key, session_data, expire_date FROM django_session "
            "WHERE session_key = %s",
            [session_key],
        )
        row = cursor.fetchone()
    raw.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)",
        row,
    )


# ------------------------------------------------------------------------------------------------
# 2. Stored referrals: the officer's steps at --small and at --large
# ------------------------------------------------------------------------------------------------


def referral_count() -> int:
    from diversion.referrals.models import Referral
    from diversion.schemes.models import Scheme

    return Referral.objects.filter(scheme=Scheme.objects.get(code="WM")).count()


def grow_to(target: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connections

    have = referral_count()
    begin = time.perf_counter()
    if target > have:
        call_command(
            "generate",
            scheme="WM",
            referrals=target - have,
            police_records=0,
            seed=target,
            verbosity=0,
        )
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
    connections.close_all()
    return {"referrals": referral_count(), "generate_s": round(time.perf_counter() - begin, 1)}


LARGE_DB = f"{PG_DB}_large"


def large_copy(database_url: str, target: int, env: dict[str, str]) -> dict[str, Any]:
    """Copy the database as it is now and grow the copy's scheme to `target` referrals.

    The officer then works on both at once, one referral on each in turn, so that whatever
    else the machine does falls on both sizes alike.
    """
    import subprocess

    import psycopg
    from django.db import connections

    connections.close_all()
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    large_url = database_url.rsplit("/", 1)[0] + f"/{LARGE_DB}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {LARGE_DB}")
        admin.execute(f"CREATE DATABASE {LARGE_DB} TEMPLATE {PG_DB}")
    have = referral_count()
    connections.close_all()
    begin = time.perf_counter()
    subprocess.run(
        [
            sys.executable, "-m", "diversion.cli", "generate", "--scheme", "WM",
            "--referrals", str(target - have), "--police-records", "0", "--seed", str(target),
            "--verbosity", "0",
        ],
        cwd=ROOT,
        env={**env, "DATABASE_URL": large_url, "DATABASE_POOL": "0"},
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    with psycopg.connect(large_url, autocommit=True) as large:
        large.execute("ANALYZE")
        count = large.execute(
            "SELECT count(*) FROM referrals_referral r JOIN schemes_scheme s "
            "ON s.id = r.scheme_id WHERE s.code = 'WM'"
        ).fetchone()[0]
    return {"url": large_url, "referrals": count, "generate_s": round(time.perf_counter() - begin)}


def officer_steps(small: HttpOfficer, large: HttpOfficer, flows: int, seed: int) -> dict[str, Any]:
    """`flows` referrals on each size, alternately (which goes first alternates too)."""
    small.phase, large.phase = "small", "large"
    rngs = {"small": random.Random(seed), "large": random.Random(seed)}  # the same people
    flow_seconds: dict[str, list[float]] = {"small": [], "large": []}
    for index in range(flows):
        pair = [small, large] if index % 2 == 0 else [large, small]
        for officer in pair:
            begin = time.perf_counter()
            referral_flow(officer, rngs[officer.phase])
            flow_seconds[officer.phase].append(time.perf_counter() - begin)
            hammer(
                officer.base,
                "/healthz",
                concurrency=1,
                total=10,
                deadline=time.monotonic() + 30,
                recorder=officer.recorder,
                phase=f"{officer.phase}_healthz",
            )
    result = {}
    for phase in ("small", "large"):
        samples = small.recorder.of(phase)
        per_step = {}
        for step in FLOW_STEPS:
            of_step = sorted(s.seconds for s in samples if s.step == step)
            per_step[step] = round(percentile(of_step, 0.95) * 1000, 1)
        result[phase] = {
            "flows": flows,
            "requests": len(samples),
            "p95_ms_all_steps": round(
                percentile(sorted(s.seconds for s in samples), 0.95) * 1000, 1
            ),
            "p95_ms_by_step": per_step,
            "flow_s": summarize(flow_seconds[phase]),
            "healthz": summarize([s.seconds for s in small.recorder.of(f"{phase}_healthz")]),
        }
    return result


# ------------------------------------------------------------------------------------------------
# 3. Two app servers against one
# ------------------------------------------------------------------------------------------------


def throughput(
    officers: list[HttpOfficer], bases: list[str], duration: float, phase: str, seed: int
) -> dict[str, Any]:
    for index, officer in enumerate(officers):
        officer.base = bases[index % len(bases)]
    stop = threading.Event()
    outcome = run_officers(
        officers,
        phase,
        minimum=1,
        deadline=time.monotonic() + duration,
        keep_going=lambda: True,
        pace_for=lambda _i: no_pause,
        stop=stop,
        seed=seed,
    )
    samples = officers[0].recorder.of(phase)
    ok = [s for s in samples if 200 <= s.status < 400]
    return {
        "servers": len(bases),
        "wall_s": round(outcome.wall_s, 1),
        "requests_ok": len(ok),
        "requests_failed": len(samples) - len(ok),
        "requests_per_s": round(len(ok) / outcome.wall_s, 1),
        "referrals": len(outcome.references),
        "failures": dict(outcome.failures),
        "p95_ms": round(percentile(sorted(s.seconds for s in ok), 0.95) * 1000, 1) if ok else None,
    }


class CpuBudget:
    """A cgroup (v1 `cpu` controller) holding one app server to `cpus` of CPU time.

    Two servers each given the same budget against one server with it is the question "does
    the app tier scale out?" without the answer depending on what else the machine runs
    (PostgreSQL, the load generator, other work): each server is held to its own share.
    """

    ROOT = Path("/sys/fs/cgroup/cpu")

    def __init__(self, name: str, cpus: float) -> None:
        self.path = self.ROOT / name
        self.path.mkdir(exist_ok=True)
        (self.path / "cpu.cfs_period_us").write_text("100000")
        (self.path / "cpu.cfs_quota_us").write_text(str(int(cpus * 100000)))

    @classmethod
    def available(cls) -> bool:
        return os.access(cls.ROOT, os.W_OK) and (cls.ROOT / "cpu.cfs_quota_us").exists()

    def hold(self, root_pid: int) -> None:
        """The server's master and its workers (workers forked later inherit the group)."""
        for pid in [root_pid, *descendants(root_pid)]:
            with contextlib.suppress(ProcessLookupError, OSError):
                (self.path / "cgroup.procs").write_text(str(pid))

    def throttled(self) -> int:
        stats = dict(line.split() for line in (self.path / "cpu.stat").read_text().splitlines())
        return int(stats.get("nr_throttled", 0))

    def release(self) -> None:
        """Every process back to the machine's own group: no budget."""
        with contextlib.suppress(OSError):
            for pid in (self.path / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):
                    (self.ROOT / "cgroup.procs").write_text(pid)

    def remove(self) -> None:
        self.release()
        with contextlib.suppress(OSError):
            self.path.rmdir()


# ------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000, help="referrals first (10,000)")
    parser.add_argument("--large", type=int, default=1_000_000, help="then (1,000,000)")
    parser.add_argument("--flows", type=int, default=30, help="officer flows at each size (30)")
    parser.add_argument("--submissions", type=int, default=30, help="submission pairs (30)")
    parser.add_argument("--officers", type=int, default=24, help="officers for throughput (24)")
    parser.add_argument("--duration", type=float, default=40, help="seconds per throughput leg")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (2)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (2)")
    parser.add_argument(
        "--server-cpus",
        type=float,
        default=0.25,
        help="CPU budget of each app server in part 3, through a cpu cgroup (0.25; 0 = none)",
    )
    parser.add_argument("--pg-bindir", default="/usr/lib/postgresql/15/bin")
    parser.add_argument("--pg-user", default="diversion-ci")
    parser.add_argument("--skip", action="append", default=[], choices=["bare", "size", "servers"])
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    output = args.output or ROOT / "var" / "benchmarks" / f"scale-{stamp}.json"
    report: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_start": os.getloadavg(),
        },
        "arguments": {k: str(v) for k, v in vars(args).items()},
    }
    postgres = Postgres(Path(args.pg_bindir), args.pg_user)
    servers: list[Server] = []
    budgets: list[CpuBudget] = []
    temp = Path(tempfile.mkdtemp(prefix="diversion-scale."))
    signal.signal(
        signal.SIGTERM, lambda signum, _f: (_ for _ in ()).throw(SystemExit(128 + signum))
    )
    try:
        database_url = postgres.start()
        say(f"PostgreSQL up on port {postgres.port}")
        django_setup(database_url)
        accounts, timings = prepare_database(args.officers + 2, 60)
        report["setup"] = timings
        from django.db import connections

        if "bare" not in args.skip:
            say(f"1. submission against the same statements bare, {args.submissions} pairs")
            report["submission_vs_bare"] = submission_against_bare(
                database_url, accounts[-1].pk, args.submissions
            )
            print(json.dumps(report["submission_vs_bare"], indent=1))
        connections.close_all()
        report["small"] = grow_to(args.small)
        say(f"scheme at {report['small']['referrals']} referrals")

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "diversion.settings",
            "DIVERSION_ENV": "development",
            "DEBUG": "0",
            "DEMO_MODE": "0",
            "DATABASE_URL": database_url,
            "DATABASE_POOL": "1",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        if "size" not in args.skip:
            say(f"copying the database and growing the copy to {args.large} referrals")
            report["large"] = large_copy(database_url, args.large, env)
            say(f"copy at {report['large']['referrals']} referrals")
        for index in range(2):
            server = Server(env, args.workers, args.threads, temp / f"gunicorn-{index}.log")
            server.start()
            servers.append(server)
            if args.server_cpus > 0 and CpuBudget.available():
                budgets.append(
                    CpuBudget(f"diversion-scale-{os.getpid()}-{index}", args.server_cpus)
                )
        report["server_cpu_budget"] = (
            f"{args.server_cpus} CPU each (cpu cgroup)" if budgets else "none (no cpu cgroup)"
        )
        recorder = Recorder()

        if "size" not in args.skip:
            large_server = Server(
                {**env, "DATABASE_URL": report["large"]["url"]},
                args.workers,
                args.threads,
                temp / "gunicorn-large.log",
            )
            large_server.start()
            servers.append(large_server)
            solo_account = accounts[-2]
            on_small = HttpOfficer(servers[0].base, solo_account.email, solo_account.totp, recorder)
            on_large = HttpOfficer(
                large_server.base, solo_account.email, solo_account.totp, recorder
            )
            for officer, seed in ((on_small, 1), (on_large, 2)):
                officer.sign_in()
                referral_flow(officer, random.Random(seed))  # warm up
            say(f"2. one officer, {args.flows} referrals on each size, alternately")
            steps = officer_steps(on_small, on_large, args.flows, 11)
            small, large = steps["small"], steps["large"]
            ratio = large["p95_ms_all_steps"] / small["p95_ms_all_steps"]
            report["large_vs_small"] = {
                "referrals": [report["small"]["referrals"], report["large"]["referrals"]],
                "p95_ms_small": small["p95_ms_all_steps"],
                "p95_ms_large": large["p95_ms_all_steps"],
                "ratio": round(ratio, 2),
                "healthz_p95_ms_small": small["healthz"].get("p95_ms"),
                "healthz_p95_ms_large": large["healthz"].get("p95_ms"),
                "target": "<= 1.2",
                "met": ratio <= 1.2,
                "by_step": {
                    step: [small["p95_ms_by_step"][step], large["p95_ms_by_step"][step]]
                    for step in FLOW_STEPS
                },
                "flow_s": [small["flow_s"], large["flow_s"]],
            }
            print(json.dumps(report["large_vs_small"], indent=1))
            large_server.stop()

        if "servers" not in args.skip:
            officers = [
                HttpOfficer(servers[0].base, a.email, a.totp, recorder)
                for a in accounts[: args.officers]
            ]
            for officer in officers:
                officer.sign_in()
            for server, budget in zip(servers, budgets, strict=False):
                budget.hold(server.pid or 0)  # only for this part: the others run unbudgeted
            legs = []
            for leg, count in enumerate((1, 2, 1, 2)):
                say(f"3. throughput: {args.officers} officers on {count} server(s)")
                bases = [s.base for s in servers[:count]]
                legs.append(throughput(officers, bases, args.duration, f"leg{leg}", 100 + leg))
                print(json.dumps(legs[-1]))
            one = statistics.mean(leg["requests_per_s"] for leg in legs if leg["servers"] == 1)
            two = statistics.mean(leg["requests_per_s"] for leg in legs if leg["servers"] == 2)
            report["two_servers_vs_one"] = {
                "cpu_budget_per_server": report["server_cpu_budget"],
                "throttled_periods": [b.throttled() for b in budgets],
                "legs": legs,
                "one_server_requests_per_s": round(one, 1),
                "two_servers_requests_per_s": round(two, 1),
                "ratio": round(two / one, 2),
                "target": ">= 1.7",
                "met": two / one >= 1.7,
            }
            print(json.dumps(report["two_servers_vs_one"], indent=1))
            for budget in budgets:
                budget.release()
    except FlowError as error:
        report["error"] = str(error)
        raise
    finally:
        for server in servers:
            server.stop()
        for budget in budgets:
            budget.remove()
        postgres.stop()
        shutil.rmtree(temp, ignore_errors=True)
        report["machine"]["load_average_at_end"] = os.getloadavg()
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=1, default=str))
        say(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
