#!/usr/bin/env python3
"""Resilience harness (issue 12, sections 4 and 5): run on demand, not a test.

    .venv/bin/python benchmarks/resilience.py restore-drill        # about 3-4 minutes

`restore-drill`: backup and point-in-time restore under load, as docs/operations.md describes.

 1. starts a PostgreSQL 15 primary on 127.0.0.1 with WAL archiving (`archive_command` copying
    each segment to an archive folder, `archive_timeout` 5 s) and commit timestamps on; migrates,
    loads the demo data, makes assessment slots and an API client for West Midlands Police;
 2. starts `diversion serve` (gunicorn) and --clients API clients that create referrals
    (POST /api/v1/referrals/ with an Idempotency-Key, each booking a slot) without pause, while
    this process writes a signed audit checkpoint every 3 s (what the worker does every 5 min);
 3. takes a base backup with `pg_basebackup -Ft -z -X stream` in the middle of the load;
 4. notes the target time T, keeps writing for --seconds-after, switches the WAL segment and
    waits until the archive holds it;
 5. restores into a new cluster: the base backup unpacked, `restore_command` reading the archive,
    `recovery_target_time` T, promoted at the target;
 6. checks the restored cluster: each table's rows equal the primary's rows committed by T
    (`pg_xact_commit_timestamp`), every referral acknowledged (201) before T present once, none
    whose request began after T, the latest acknowledged before T present, no slot booked twice,
    and `diversion audit verify` against the checkpoints written up to T (the runbook's step)
    passes; with the whole checkpoint file it must fail (the later heads are gone).

Everything started is stopped by process id in a `finally`; traffic goes to 127.0.0.1 only.
Results are printed and written to var/benchmarks/resilience-restore-<time>.json; the exit
status is 0 only if every check passed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from referral import Server, free_port, pid_alive, say, uk_mobile, wait_gone  # noqa: E402

HOST = "127.0.0.1"
PG_ROLE = "diversion"
PG_DB = "diversion"
PG_USER = "diversion-ci"
SCHEME = "WM"
FORCE = "West Midlands Police"
OFFICER = "officer@demo.diversion.invalid"
LOCAL_AUTHORITY = "E08000025"


# ------------------------------------------------------------------------------------------------
# PostgreSQL clusters
# ------------------------------------------------------------------------------------------------


class Cluster:
    """One PostgreSQL cluster in a folder of its own, run as PG_USER when we are root."""

    def __init__(self, bindir: Path, root: Path, name: str) -> None:
        self.bindir, self.name = bindir, name
        self.dir = root / name
        self.data = self.dir / "data"
        self.port = free_port()
        self.pid: int | None = None
        self.as_root = os.geteuid() == 0

    def run(self, *command: Any, check: bool = True) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", PG_USER, "--"] if self.as_root else []
        return subprocess.run(
            [*prefix, *map(str, command)],
            cwd=self.dir,
            check=check,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )

    def own(self, path: Path) -> None:
        if self.as_root:
            subprocess.run(["chown", "-R", f"{PG_USER}:{PG_USER}", str(path)], check=True)

    def initdb(self, conf: str) -> None:
        self.dir.mkdir(parents=True)
        self.own(self.dir)
        self.run(
            self.bindir / "initdb", f"--pgdata={self.data}", f"--username={PG_ROLE}",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
        )  # fmt: skip
        self.configure(conf)

    def configure(self, conf: str) -> None:
        with open(self.data / "postgresql.conf", "a") as file:
            file.write(
                f"\n# ---- benchmarks/resilience.py: {self.name} ----\n"
                f"listen_addresses = '{HOST}'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.dir}'\n"
                "max_connections = 200\nshared_buffers = 128MB\n" + conf
            )

    def start(self) -> None:
        self.run(
            self.bindir / "pg_ctl", "-D", self.data, "-l", self.dir / "postgres.log",
            "-w", "-t", "120", "start",
        )  # fmt: skip
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def url(self, database: str = PG_DB) -> str:
        return f"postgres://{PG_ROLE}@{HOST}:{self.port}/{database}"

    def sql(self, query: str, params: Any = None, database: str = PG_DB) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def stop(self, mode: str = "fast") -> None:
        if self.pid is None or not pid_alive(self.pid):
            return
        self.run(self.bindir / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop",
                 check=False)  # fmt: skip
        if not wait_gone(self.pid, 10):
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            wait_gone(self.pid, 5)

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join((self.dir / "postgres.log").read_text().splitlines()[-lines:])
        return ""


def ensure_pg_user() -> None:
    if os.geteuid() != 0:
        return
    if subprocess.run(["id", "-u", PG_USER], capture_output=True).returncode != 0:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", "--user-group", PG_USER],
            check=True,
        )  # fmt: skip


def archiving_conf(archive: Path) -> str:
    """What docs/operations.md asks of the production primary, with a shorter archive_timeout."""
    return (
        "wal_level = replica\n"
        "archive_mode = on\n"
        f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'\n"
        "archive_timeout = 5\n"
        "max_wal_senders = 10\n"
        "track_commit_timestamp = on\n"
    )


# ------------------------------------------------------------------------------------------------
# The application: set up in this process, served by gunicorn
# ------------------------------------------------------------------------------------------------


def app_env(database_url: str, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diversion.settings",
        "DIVERSION_ENV": "development",
        "DEBUG": "0",
        "DEMO_MODE": "0",
        "DATABASE_URL": database_url,
        "AUDIT_CHECKPOINT_PATH": str(work / "audit-checkpoints.jsonl"),
        "MESSAGING_BACKEND": "file",
        "MESSAGING_SEND_INLINE": "0",
        "API_RATE_LIMIT": "100000/min",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def prepare(database_url: str, work: Path) -> tuple[str, list[int]]:
    """Migrate, demo data, 60 days of slots; an API client. Returns its key and free slots."""
    os.environ.update(app_env(database_url, work) | {"DATABASE_POOL": "0"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from diversion.scheduling.models import Slot
    from diversion.scheduling.services import slots_generate
    from diversion.schemes.models import Scheme

    began = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_data", verbosity=0)
    scheme = Scheme.objects.get(code=SCHEME)
    slots_generate(scheme_id=scheme.pk, start=timezone.localdate(), days=60)
    out = io.StringIO()
    call_command(
        "create_api_client", force=FORCE, name="Resilience harness",
        scopes="referrals:write,referrals:read,slots:read", stdout=out,
    )  # fmt: skip
    key = out.getvalue().strip().splitlines()[-1].strip()
    free = list(
        Slot.objects.filter(scheme=scheme, starts_at__gt=timezone.now(), bookings__isnull=True)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )
    say(f"prepared in {time.perf_counter() - began:.0f} s: {len(free)} free slots")
    return key, free


def write_checkpoint() -> None:
    from django.db import connection

    from diversion.audit.checkpoints import audit_checkpoint_write

    connection.close()  # a fresh connection: the last one may have died with PgBouncer
    try:
        audit_checkpoint_write()
    finally:
        connection.close()


# ------------------------------------------------------------------------------------------------
# API clients
# ------------------------------------------------------------------------------------------------

GIVEN = ["Alex", "Sam", "Jordan", "Riley", "Casey", "Morgan", "Jamie", "Taylor", "Robin", "Kit"]


@dataclass
class Ack:
    reference: str
    key: str
    sent_at: dt.datetime
    acked_at: dt.datetime


@dataclass
class Load:
    base_urls: list[str]
    key: str
    slots: list[int]
    acks: list[Ack] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0

    def next_slot(self) -> tuple[int, int] | None:
        with self.lock:
            if self.counter >= len(self.slots):
                return None
            self.counter += 1
            return self.counter, self.slots[self.counter - 1]

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def body(self, number: int, slot: int, rng: random.Random) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC)
        return {
            "officer_email": OFFICER,
            "person": {
                "given_name": rng.choice(GIVEN),
                "family_name": f"Drill{number:05d}",
                "date_of_birth": f"{rng.randint(1970, 2005)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}",
                "sex": rng.choice(["female", "male"]),
                "self_defined_ethnicity": "W1",
                "observed_ethnicity": "IC1",
                "mobile": uk_mobile(rng),
                "safe_to_text": True,
            },
            "stop": {
                "stopped_at": (now - dt.timedelta(minutes=20)).isoformat(),
                "local_authority": LOCAL_AUTHORITY,
                "how_found": "stop_and_search",
                "drugs": [{"code": "cannabis", "quantity": "2 grams"}],
            },
            "consent_to_contact": True,
            "consent_to_share": True,
            "slot_id": slot,
        }

    def client(self, index: int) -> None:
        rng = random.Random(index)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.key}"
        while not self.stop.is_set():
            picked = self.next_slot()
            if picked is None:
                return
            number, slot = picked
            key = f"drill-{index}-{number}"
            body = self.body(number, slot, rng)
            sent = dt.datetime.now(dt.UTC)
            # Retry with the same key until there is an answer (docs/api.md, "Retrying").
            for attempt in range(60):
                base = self.base_urls[(number + attempt) % len(self.base_urls)]
                try:
                    response = session.post(
                        f"{base}/api/v1/referrals/", json=body, timeout=15,
                        headers={"Idempotency-Key": key},
                    )  # fmt: skip
                except requests.RequestException:
                    self.count(0)
                    time.sleep(0.5)
                    continue
                self.count(response.status_code)
                if response.status_code in {200, 201}:
                    acked = dt.datetime.now(dt.UTC)
                    with self.lock:
                        self.acks.append(Ack(response.json()["reference"], key, sent, acked))
                    break
                if response.status_code < 500 and response.status_code != 429:
                    with self.lock:
                        if len(self.refusals) < 5:
                            self.refusals.append(f"{response.status_code} {response.text[:300]}")
                    break  # refused: this referral is not made
                time.sleep(0.5)

    def start(self, clients: int) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        return threads


# ------------------------------------------------------------------------------------------------
# The restore drill
# ------------------------------------------------------------------------------------------------

TABLES = {
    "referrals": "referrals_referral",
    "bookings": "scheduling_booking",
    "people": "people_person",
    "messages": "messaging_message",
    "audit_events": "audit_auditevent",
}


def committed_by(cluster: Cluster, target: dt.datetime) -> dict[str, int]:
    counts = {}
    for name, table in TABLES.items():
        [(count,)] = cluster.sql(
            f"SELECT count(*) FROM {table} "
            "WHERE coalesce(pg_xact_commit_timestamp(xmin), '-infinity') <= %s",
            [target],
        )
        counts[name] = count
    return counts


def all_rows(cluster: Cluster) -> dict[str, int]:
    return {
        name: cluster.sql(f"SELECT count(*) FROM {table}")[0][0] for name, table in TABLES.items()
    }


def wait_archived(primary: Cluster, seconds: float = 60) -> str:
    [(segment,)] = primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        [(last,)] = primary.sql("SELECT last_archived_wal FROM pg_stat_archiver")
        if last is not None and last >= segment:
            return str(segment)
        time.sleep(0.5)
    raise SystemExit(f"segment {segment} was not archived within {seconds} s")


def base_backup(primary: Cluster, folder: Path) -> float:
    began = time.perf_counter()
    folder.mkdir(parents=True)
    primary.own(folder)
    primary.run(
        primary.bindir / "pg_basebackup", "-h", HOST, "-p", primary.port, "-U", PG_ROLE,
        "-D", folder, "-Ft", "-z", "-X", "stream", "-c", "fast", "-l", "restore drill",
    )  # fmt: skip
    return time.perf_counter() - began


def restore(bindir: Path, root: Path, backup: Path, archive: Path, target: dt.datetime) -> Cluster:
    restored = Cluster(bindir, root, "restored")
    restored.dir.mkdir(parents=True)
    restored.data.mkdir(mode=0o700)
    with tarfile.open(backup / "base.tar.gz") as tar:
        tar.extractall(restored.data, filter="tar")
    with tarfile.open(backup / "pg_wal.tar.gz") as tar:
        tar.extractall(restored.data / "pg_wal", filter="tar")
    (restored.data / "postmaster.pid").unlink(missing_ok=True)
    # The primary's settings came with the backup; this cluster must not archive into the
    # primary's archive, and listens on its own port.
    restored.configure(
        "archive_mode = off\n"
        f"restore_command = 'cp {archive}/%f %p'\n"
        f"recovery_target_time = '{target.isoformat(sep=' ')}'\n"
        "recovery_target_action = 'promote'\n"
    )
    (restored.data / "recovery.signal").touch()
    restored.own(restored.dir)
    os.chmod(restored.data, 0o700)
    restored.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with contextlib.suppress(psycopg.Error):
            if restored.sql("SELECT pg_is_in_recovery()") == [(False,)]:
                return restored
        time.sleep(0.5)
    raise SystemExit(f"the restored cluster did not finish recovery:\n{restored.log_tail()}")


def audit_verify(database_url: str, checkpoints: Path, work: Path) -> tuple[int, str]:
    env = app_env(database_url, work) | {"AUDIT_CHECKPOINT_PATH": str(checkpoints)}
    done = subprocess.run(
        [sys.executable, "-m", "diversion.cli", "audit", "verify"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return done.returncode, (done.stdout + done.stderr).strip()[-600:]


def checkpoints_until(source: Path, target: dt.datetime, destination: Path) -> int:
    """The runbook's step: keep the checkpoint lines written up to the restore target."""
    kept = []
    for line in source.read_text().splitlines():
        written = dt.datetime.fromisoformat(json.loads(line)["written_at"].replace("Z", "+00:00"))
        if written <= target:
            kept.append(line)
    destination.write_text("".join(f"{line}\n" for line in kept))
    return len(kept)


def restore_drill(options: argparse.Namespace) -> dict[str, Any]:
    ensure_pg_user()
    root = Path(tempfile.mkdtemp(prefix="diversion-restore-drill.", dir="/tmp"))
    os.chmod(root, 0o755)
    archive = root / "wal-archive"
    archive.mkdir()
    primary = Cluster(options.pg_bindir, root, "primary")
    primary.own(archive)
    restored: Cluster | None = None
    server: Server | None = None
    report: dict[str, Any] = {"work": str(root)}
    load: Load | None = None
    try:
        primary.initdb(archiving_conf(archive))
        primary.start()
        primary.sql(f"CREATE DATABASE {PG_DB} OWNER {PG_ROLE}", database="postgres")
        say(f"primary on port {primary.port}, archiving to {archive}")
        key, slots = prepare(primary.url(), root)
        server = Server(app_env(primary.url(), root), workers=2, threads=2,
                        log_path=root / "gunicorn.log")  # fmt: skip
        server.start()
        load = Load(base_urls=[server.base], key=key, slots=slots)
        threads = load.start(options.clients)
        stop_checkpoints = threading.Event()

        def checkpoints() -> None:
            while not stop_checkpoints.wait(3):
                write_checkpoint()

        writer = threading.Thread(target=checkpoints, daemon=True)
        writer.start()
        time.sleep(options.seconds_before / 2)
        say("base backup (pg_basebackup -Ft -z -X stream) under load")
        report["base_backup_seconds"] = round(base_backup(primary, root / "backup"), 1)
        time.sleep(options.seconds_before / 2)
        target = dt.datetime.now(dt.UTC)
        say(f"target time {target.isoformat()}; writing on for {options.seconds_after} s")
        time.sleep(options.seconds_after)
        load.stop.set()
        for thread in threads:
            thread.join(30)
        stop_checkpoints.set()
        writer.join(10)
        report["last_segment_archived"] = wait_archived(primary)
        report["primary_rows_at_end"] = all_rows(primary)
        expected = committed_by(primary, target)
        report["primary_rows_committed_by_target"] = expected

        say("restoring into a new cluster to the target time")
        began = time.perf_counter()
        restored = restore(options.pg_bindir, root, root / "backup", archive, target)
        report["restore_seconds"] = round(time.perf_counter() - began, 1)
        report["restored_rows"] = got = all_rows(restored)
        stored = {
            reference: count
            for reference, count in restored.sql(
                "SELECT reference, count(*) FROM referrals_referral GROUP BY reference"
            )
        }
        before = [a for a in load.acks if a.acked_at <= target]
        after = [a for a in load.acks if a.sent_at > target]
        if not before:
            raise SystemExit(f"no referral was acknowledged: {load.statuses} {load.refusals}")
        latest = max(before, key=lambda a: a.acked_at)
        doubles = restored.sql(
            "SELECT slot_id, count(*) FROM scheduling_booking "
            "WHERE status IN ('booked', 'attended', 'missed') GROUP BY slot_id HAVING count(*) > 1"
        )
        whole_file = root / "audit-checkpoints.jsonl"
        until = root / "audit-checkpoints-until-target.jsonl"
        kept = checkpoints_until(whole_file, target, until)
        verify_code, verify_out = audit_verify(restored.url(), until, root)
        whole_code, whole_out = audit_verify(restored.url(), whole_file, root)
        checks = {
            "rows_equal_primary_committed_by_target": got == expected,
            "acknowledged_before_target": len(before),
            "acknowledged_before_target_missing": [
                a.reference for a in before if stored.get(a.reference) != 1
            ][:20],
            "sent_after_target_present": [a.reference for a in after if a.reference in stored],
            "latest_acknowledged_before_target": {
                "reference": latest.reference,
                "acknowledged_at": latest.acked_at.isoformat(),
                "present_once": stored.get(latest.reference) == 1,
            },
            "slots_with_two_active_bookings": doubles,
            "audit_verify_with_checkpoints_until_target": {
                "exit": verify_code, "checkpoints_kept": kept, "output": verify_out,
            },
            "audit_verify_with_every_checkpoint_fails_as_expected": {
                "exit": whole_code, "output": whole_out[-300:],
            },
        }  # fmt: skip
        checks["passed"] = bool(
            checks["rows_equal_primary_committed_by_target"]
            and not checks["acknowledged_before_target_missing"]
            and not checks["sent_after_target_present"]
            and stored.get(latest.reference) == 1
            and not doubles
            and verify_code == 0
            and whole_code != 0
        )
        report.update(
            target=target.isoformat(),
            acknowledged=len(load.acks),
            status_codes={str(k): v for k, v in sorted(load.statuses.items())},
            checks=checks,
        )
        return report
    finally:
        if load is not None:
            load.stop.set()
        if server is not None:
            server.stop()
        if restored is not None:
            restored.stop()
        primary.stop()
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["restore-drill", "cluster"])
    parser.add_argument("--pg-bindir", type=Path, default=Path("/usr/lib/postgresql/15/bin"))
    parser.add_argument("--clients", type=int, default=4, help="API clients creating referrals")
    parser.add_argument("--seconds-before", type=float, default=20, help="load before T")
    parser.add_argument("--seconds-after", type=float, default=10, help="load after T")
    parser.add_argument("--keep", action="store_true", help="keep the clusters' folder")
    parser.add_argument("--pause", type=float, default=10, help="cluster: seconds between faults")
    parser.add_argument(
        "--drain-seconds", type=float, default=150, help="cluster: wait for the workers to send"
    )
    return parser.parse_args()


def main() -> int:
    options = parse_args()
    began = time.perf_counter()
    if options.scenario == "cluster":
        from resilience_cluster import cluster_run

        report = cluster_run(options)
    else:
        report = restore_drill(options)
    report["total_seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(report, indent=2, default=str))
    name = f"resilience-{options.scenario}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out = ROOT / "var" / "benchmarks" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    say(f"written to {out}")
    return 0 if report["checks"]["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
