"""The multi-node layout on loopback, with each component killed in turn (issue 12, section 4).

Run through `benchmarks/resilience.py cluster` (see its docstring and docs/deployment.md):

  PostgreSQL primary (WAL archiving, synchronous streaming replication) and a hot-standby
  replica made with `pg_basebackup -R`; PgBouncer in front of the primary; two app servers
  (`diversion serve`, gunicorn) with the replica router on; HAProxy in front of them; two
  workers (`diversion worker`) sending texts to a stand-in GOV.UK Notify (a separate process)
  and webhooks to a receiver in this process.

Under a load of API clients creating referrals, it kills: an app server (kill -9 of gunicorn's
master and workers), a worker while Notify is slow to answer (so sends are in flight), PgBouncer
(kill -9), and the primary (`pg_ctl -m immediate stop`), then does the runbook's step: promote
the replica and point PgBouncer at it. Each killed component except the primary is started
again, as systemd would. Then it checks every acknowledged referral is stored once, no slot
has two bookings, each text reached Notify once, each webhook event arrived at least once with
one id, and `diversion audit verify` passes on the promoted primary.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from referral import Server, descendants, free_port, pid_alive, say
from resilience import (
    HOST,
    PG_DB,
    PG_ROLE,
    PG_USER,
    ROOT,
    Cluster,
    Load,
    app_env,
    archiving_conf,
    audit_verify,
    ensure_pg_user,
    prepare,
    write_checkpoint,
)


class Receiver:
    """A police system's webhook endpoint: records every delivery's event id and reference."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver.lock:
                    receiver.received.append(
                        {"id": body.get("id"), "reference": body.get("reference"),
                         "delivery": self.headers.get("Diversion-Delivery")}
                    )  # fmt: skip
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/hook"


class Process:
    """A long-running child in its own session, so that kill -9 takes its whole tree."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def kill9(self) -> list[int]:
        assert self.proc is not None
        tree = [self.proc.pid, *descendants(self.proc.pid)]
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(10)
        return tree

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        tree = [self.proc.pid, *descendants(self.proc.pid)]
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for pid in tree:
            if pid_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def pgbouncer_ini(folder: Path, port: int, backend_port: int) -> Path:
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"{PG_DB} = host={HOST} port={backend_port} dbname={PG_DB}\n"
        "[pgbouncer]\n"
        f"listen_addr = {HOST}\nlisten_port = {port}\n"
        f"unix_socket_dir = {folder}\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        "pool_mode = session\n"
        "max_client_conn = 400\ndefault_pool_size = 150\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
        "server_connect_timeout = 3\nserver_login_retry = 1\n"
    )
    (folder / "users.txt").write_text(f'"{PG_ROLE}" ""\n')
    return ini


def haproxy_cfg(folder: Path, port: int, apps: list[Server]) -> Path:
    cfg = folder / "haproxy.cfg"
    servers = "".join(
        f"    server app{i + 1} {HOST}:{app.port} check inter 1s fall 2 rise 1\n"
        for i, app in enumerate(apps)
    )
    cfg.write_text(
        "global\n    maxconn 1000\n"
        "defaults\n    mode http\n    timeout connect 2s\n    timeout client 30s\n"
        "    timeout server 30s\n    retries 2\n    option redispatch\n"
        "    retry-on conn-failure empty-response\n"
        f"frontend web\n    bind {HOST}:{port}\n    default_backend apps\n"
        "    option forwardfor\n"
        "backend apps\n    balance roundrobin\n    option httpchk GET /healthz\n" + servers
    )
    return cfg


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def cluster_run(options: argparse.Namespace) -> dict[str, Any]:
    ensure_pg_user()
    root = Path(tempfile.mkdtemp(prefix="diversion-cluster.", dir="/tmp"))
    os.chmod(root, 0o755)
    archive = root / "wal-archive"
    archive.mkdir()
    primary = Cluster(options.pg_bindir, root, "primary")
    primary.own(archive)
    replica = Cluster(options.pg_bindir, root, "replica")
    children: list[Process] = []
    apps: list[Server] = []
    report: dict[str, Any] = {"work": str(root), "events": []}
    load: Load | None = None

    def event(what: str, **details: Any) -> None:
        say(what)
        report["events"].append({"at": round(time.monotonic() - began, 1), "what": what, **details})

    began = time.monotonic()
    try:
        primary.initdb(archiving_conf(archive) + "hot_standby = on\nwal_keep_size = 512MB\n")
        primary.start()
        primary.sql(f"CREATE DATABASE {PG_DB} OWNER {PG_ROLE}", database="postgres")
        event("primary started", port=primary.port)

        replica.dir.mkdir(parents=True)
        replica.own(replica.dir)
        replica.run(
            options.pg_bindir / "pg_basebackup", "-h", HOST, "-p", primary.port, "-U", PG_ROLE,
            "-D", replica.data, "-X", "stream", "-c", "fast", "-R",
            "-d", f"host={HOST} port={primary.port} user={PG_ROLE} application_name=replica1",
        )  # fmt: skip
        replica.configure(
            "archive_mode = off\nhot_standby = on\n"
            f"primary_conninfo = 'host={HOST} port={primary.port} user={PG_ROLE} "
            "application_name=replica1'\n"
        )
        replica.start()
        # Zero loss on failover: a commit waits until the replica has it (deployment.md). Set
        # once the replica is connected, or commits would wait for it.
        primary.sql("ALTER SYSTEM SET synchronous_standby_names = 'replica1'")
        primary.sql("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 60
        while primary.sql("SELECT sync_state FROM pg_stat_replication") != [("sync",)]:
            if time.monotonic() > deadline:
                raise SystemExit(f"the replica is not synchronous:\n{replica.log_tail()}")
            time.sleep(0.5)
        event("replica started (pg_basebackup -R, streaming, synchronous)", port=replica.port)

        bouncer_dir = root / "pgbouncer"
        bouncer_dir.mkdir()
        primary.own(bouncer_dir)
        bouncer_port = free_port()
        ini = pgbouncer_ini(bouncer_dir, bouncer_port, primary.port)
        primary.own(bouncer_dir)
        prefix = ["runuser", "-u", PG_USER, "--"] if os.geteuid() == 0 else []
        bouncer = Process("pgbouncer", [*prefix, "/usr/sbin/pgbouncer", str(ini)],
                          dict(os.environ), root / "pgbouncer.out")  # fmt: skip
        bouncer.start()
        children.append(bouncer)
        database_url = f"postgres://{PG_ROLE}@{HOST}:{bouncer_port}/{PG_DB}"
        time.sleep(1)

        receiver = Receiver()
        key, slots = prepare(database_url, root)
        from diversion.accounts.models import User
        from diversion.audit.services import Actor
        from diversion.core.roles import Role
        from diversion.schemes.models import Organisation
        from diversion.webhooks.services import webhook_subscription_create

        force = Organisation.objects.get(name="West Midlands Police")
        admin = User.objects.filter(role=Role.SCHEME_ADMIN).order_by("pk").first()
        webhook_subscription_create(
            actor=Actor.of(admin), organisation=force, url=receiver.url, events=["referral.created"]
        )

        notify_service, notify_secret = str(uuid.uuid4()), str(uuid.uuid4())
        notify_port = free_port()
        sent_file, mode_file = root / "notify-sent.jsonl", root / "notify-mode"
        notify = Process(
            "notify",
            [sys.executable, "-m", "diversion.messaging.tests.fake_notify", "--port",
             str(notify_port), "--service-id", notify_service, "--secret", notify_secret,
             "--sent-file", str(sent_file), "--mode-file", str(mode_file)],
            dict(os.environ, PYTHONPATH=str(ROOT)), root / "notify.out",
        )  # fmt: skip
        notify.start()
        children.append(notify)

        env = app_env(database_url, root) | {
            "DATABASE_REPLICA_URL": replica.url(),
            "MESSAGING_BACKEND": "notify",
            "NOTIFY_BASE_URL": f"http://{HOST}:{notify_port}",
            "NOTIFY_API_KEY": f"harness-{notify_service}-{notify_secret}",
            "NOTIFY_SMS_TEMPLATE_ID": str(uuid.uuid4()),
            "NOTIFY_EMAIL_TEMPLATE_ID": str(uuid.uuid4()),
            "NOTIFY_TIMEOUT_SECONDS": "3",
            "MESSAGING_SEND_LEASE_SECONDS": "15",
            "MESSAGING_RETRY_BASE_SECONDS": "5",
            "TRUSTED_PROXIES": HOST,
            "WORKER_PROCESSES": "1",
            "LOG_LEVEL": "INFO",
        }
        for index in range(2):
            app = Server(env, workers=2, threads=2, log_path=root / f"app{index + 1}.log")
            app.start()
            apps.append(app)
        workers = [
            Process(
                f"worker{index + 1}",
                [sys.executable, "-m", "diversion.cli", "worker"],
                env,
                root / f"worker{index + 1}.log",
            )
            for index in range(2)
        ]
        for worker in workers:
            worker.start()
            children.append(worker)
        balancer_port = free_port()
        cfg = haproxy_cfg(root, balancer_port, apps)
        haproxy = Process("haproxy", ["/usr/sbin/haproxy", "-db", "-f", str(cfg)],
                          dict(os.environ), root / "haproxy.out")  # fmt: skip
        haproxy.start()
        children.append(haproxy)
        base = f"http://{HOST}:{balancer_port}"
        wait_http(f"{base}/healthz")
        event("HAProxy, 2 app servers, 2 workers, PgBouncer, fake Notify up", url=base)

        load = Load(base_urls=[base], key=key, slots=slots)
        threads = load.start(options.clients)
        pause = options.pause

        def acked() -> int:
            return len(load.acks) if load else 0

        time.sleep(pause)
        killed = apps[0].pid
        tree = Process("app1", [], {}, root / "x")
        tree.proc = apps[0].proc
        event("kill -9 app server 1", pids=tree.kill9(), acked=acked())
        time.sleep(pause)
        apps[0].start()
        event("app server 1 started again", old_pid=killed, acked=acked())
        time.sleep(pause)

        mode_file.write_text("hang")
        time.sleep(4)
        event("kill -9 worker 1 while Notify hangs", pids=workers[0].kill9(), acked=acked())
        mode_file.write_text("ok")
        time.sleep(1)
        workers[0].start()
        event("worker 1 started again", acked=acked())
        time.sleep(pause)

        event("kill -9 PgBouncer", pids=bouncer.kill9(), acked=acked())
        time.sleep(3)
        bouncer.start()
        event("PgBouncer started again", acked=acked())
        time.sleep(pause)

        write_checkpoint()
        primary.stop("immediate")
        event("primary stopped (immediate)", acked=acked())
        time.sleep(2)
        replica.run(options.pg_bindir / "pg_ctl", "-D", replica.data, "-w", "promote")
        pgbouncer_ini(bouncer_dir, bouncer_port, replica.port)
        assert bouncer.proc is not None
        for pid in descendants(bouncer.proc.pid):  # PgBouncer itself, under runuser
            os.kill(pid, signal.SIGHUP)  # reloads its configuration: the new [databases]
        event("runbook: replica promoted, PgBouncer pointed at it (SIGHUP)", acked=acked())
        time.sleep(pause)

        load.stop.set()
        for thread in threads:
            thread.join(30)
        event("load stopped", acked=acked())
        references = sorted({ack.reference for ack in load.acks})
        report["drain"] = drain(replica, references, options.drain_seconds)
        write_checkpoint()
        report["checks"] = checks(replica, load, receiver, sent_file, root)
        report["status_codes"] = {str(k): v for k, v in sorted(load.statuses.items())}
        report["refusals"] = load.refusals
        return report
    finally:
        if load is not None:
            load.stop.set()
        for app in apps:
            app.stop()
        for child in reversed(children):
            child.stop()
        replica.stop()
        primary.stop()
        if not options.keep:
            import shutil

            shutil.rmtree(root, ignore_errors=True)


OF_RUN = "SELECT id FROM referrals_referral WHERE reference = ANY(%s)"


def drain(database: Cluster, references: list[str], seconds: float) -> dict[str, Any]:
    """Wait for the workers to send this run's confirmations and webhooks."""
    deadline = time.monotonic() + seconds
    pending: list[tuple[Any, ...]] = []
    while time.monotonic() < deadline:
        pending = database.sql(
            "SELECT 'message', status, count(*) FROM messaging_message "
            f"WHERE status IN ('queued', 'sending') AND referral_id IN ({OF_RUN}) "
            "AND (not_before IS NULL OR not_before <= now()) GROUP BY status UNION ALL "
            "SELECT 'webhook', status, count(*) FROM webhooks_webhookdelivery "
            "WHERE status = 'pending' AND payload->>'reference' = ANY(%s) GROUP BY status",
            [references, references],
        )
        if not pending:
            break
        time.sleep(2)
    return {"seconds_left": round(max(0.0, deadline - time.monotonic()), 1),
            "still_pending": [list(row) for row in pending]}  # fmt: skip


def checks(
    database: Cluster, load: Load, receiver: Receiver, sent_file: Path, root: Path
) -> dict[str, Any]:
    stored = dict(
        database.sql("SELECT reference, count(*) FROM referrals_referral GROUP BY reference")
    )
    acked = {ack.reference for ack in load.acks}
    doubles = database.sql(
        "SELECT slot_id, count(*) FROM scheduling_booking "
        "WHERE status IN ('booked', 'attended', 'missed') GROUP BY slot_id HAVING count(*) > 1"
    )
    sent = (
        [json.loads(line) for line in sent_file.read_text().splitlines()]
        if sent_file.exists()
        else []
    )
    by_reference: dict[str, int] = {}
    for notification in sent:
        by_reference[notification["reference"]] = by_reference.get(notification["reference"], 0) + 1
    references = sorted(acked)
    messages = database.sql(
        f"SELECT status, count(*) FROM messaging_message WHERE referral_id IN ({OF_RUN}) "
        "GROUP BY status",
        [references],
    )
    sent_rows = database.sql(
        "SELECT id, delivery_key FROM messaging_message WHERE status = 'sent' "
        f"AND referral_id IN ({OF_RUN})",
        [references],
    )
    sent_refs = {f"message-{pk}-{key.hex[:12]}" for pk, key in sent_rows}
    hooks: dict[str, set[str]] = {}
    for delivery in receiver.received:
        hooks.setdefault(delivery["reference"], set()).add(delivery["id"])
    code, output = audit_verify(database.url(), root / "audit-checkpoints.jsonl", root)
    result = {
        "acknowledged": len(acked),
        "acknowledged_missing_or_not_once": sorted(r for r in acked if stored.get(r) != 1)[:20],
        "slots_with_two_active_bookings": doubles,
        "messages_by_status": dict(messages),
        "texts_received_by_notify": len(sent),
        "references_sent_more_than_once": sorted(r for r, n in by_reference.items() if n > 1),
        "sent_rows_not_at_notify": sorted(sent_refs - set(by_reference))[:20],
        "webhook_deliveries_received": len(receiver.received),
        "acknowledged_without_webhook": sorted(acked - set(hooks))[:20],
        "references_with_more_than_one_event_id": sorted(
            r for r, ids in hooks.items() if len(ids) > 1
        ),
        "audit_verify": {"exit": code, "output": output},
    }
    result["passed"] = bool(
        acked
        and not result["acknowledged_missing_or_not_once"]
        and not doubles
        and not result["references_sent_more_than_once"]
        and not result["sent_rows_not_at_notify"]
        and not result["acknowledged_without_webhook"]
        and not result["references_with_more_than_one_event_id"]
        and code == 0
    )
    return result
