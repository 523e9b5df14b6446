#!/usr/bin/env python3
"""Load benchmark of the officer's referral flow (issue 3), against gunicorn and PostgreSQL.

Run on demand (this is not a test):

    .venv/bin/python benchmarks/referral.py                 # defaults: about 4-5 minutes
    .venv/bin/python benchmarks/referral.py --officers 20 --referrals-per-officer 2 --duration 60

What it does, in order:

 1. starts a throw-away PostgreSQL 15 cluster on 127.0.0.1 (as a system user when run as root),
    unless --database-url is given; migrates; loads the demo data; creates --officers extra
    officer accounts in West Midlands Police (each with a confirmed TOTP device); generates
    assessment slots for --slot-days days;
 2. starts `diversion serve` (gunicorn, --workers x --threads) with DIVERSION_ENV=development,
    DEBUG off and the production database pool, and signs every officer in over HTTP (email and
    password, then a TOTP code): not timed;
 3. "unloaded": one officer, a few referrals one after another, plus /healthz alone: the service
    time of each step on an idle server;
 4. "saturation": every officer at once, no pause between requests, at least
    --referrals-per-officer complete referrals each (GET /referrals/new/, the person page and its
    look-up, the stop page, consent and booking, the confirmation), bounded by --duration; a
    scripted officer at human typing speed goes through one referral meanwhile;
 5. "baseline": GET /healthz (a do-nothing view through the whole middleware stack) with the
    same concurrency for the same number of requests;
 6. "paced": every officer at human typing speed for --paced-seconds (the realistic load);
 7. page weights of each page (first visit: HTML and every asset it uses; after: what is not
    cached), the SQL queries each step makes (in-process, Django's test client), and the
    correctness checks (referral rows, double bookings, 5xx responses).

Results are printed and written as JSON to var/benchmarks/referral-<date>-<time>.json.
Everything it started (gunicorn, PostgreSQL) is stopped by process id in a `finally` block.
All HTTP traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import html
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tree this file is in, whatever the venv was installed from
HOST = "127.0.0.1"
BENCH_DOMAIN = "bench.diversion.invalid"
BENCH_PASSWORD = "bench-officer-password-not-a-secret-2026"  # throw-away accounts only
PG_ROLE = "diversion"
PG_DB = "diversion"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Step names, in flow order. Each is one HTTP request; redirects are not followed by the client
# (a browser follows them at once, so each GET after a POST is measured on its own).
FLOW_STEPS = [
    "start",  # GET /referrals/new/ -> 302
    "person_get",  # GET /referrals/new/person/
    "person_lookup",  # GET /referrals/new/person/lookup/ (htmx, once name and date of birth are in)
    "person_post",  # POST /referrals/new/person/ -> 302
    "stop_get",  # GET /referrals/new/stop/
    "stop_post",  # POST /referrals/new/stop/ -> 302
    "consent_get",  # GET /referrals/new/consent/ (holds the first slot)
    "consent_post",  # POST /referrals/new/consent/ -> 302 (creates the referral and booking)
    "done_get",  # GET /referrals/<reference>/
]


# ------------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.1)
    return not pid_alive(pid)


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.extend(int(c) for c in (task / "children").read_text().split())
    return found


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def _stat_times(pid: int) -> tuple[int, int] | None:
    """(own utime+stime, reaped children's cutime+cstime) in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def tree_cpu_seconds(root_pid: int | None) -> float:
    """CPU seconds used by a process tree, including children already reaped."""
    if root_pid is None:
        return 0.0
    ticks = 0
    for pid in [root_pid, *descendants(root_pid)]:
        times = _stat_times(pid)
        if times is not None:
            ticks += times[0] + times[1]
    return ticks / CLK_TCK


def machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def summarize(seconds: list[float]) -> dict[str, Any]:
    values = sorted(seconds)
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "mean_ms": round(sum(values) / len(values) * 1000, 1),
        "max_ms": round(values[-1] * 1000, 1),
    }


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# PostgreSQL: a throw-away cluster, as in .ci/run
# ------------------------------------------------------------------------------------------------


class Postgres:
    def __init__(self, bindir: Path, system_user: str) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.user = system_user if self.as_root else ""
        self.tmp: Path | None = None
        self.pid: int | None = None
        self.port = 0

    @property
    def data(self) -> Path:
        assert self.tmp is not None
        return self.tmp / "data"

    def _run(self, *command: Any) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.as_root else []
        assert self.tmp is not None
        with open(self.tmp / "commands.log", "ab") as log:
            subprocess.run(
                [*prefix, *map(str, command)],
                cwd=self.tmp,
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    def start(self) -> str:
        for tool in ("initdb", "pg_ctl", "postgres", "psql"):
            if not (self.bindir / tool).exists():
                raise SystemExit(f"{self.bindir / tool} is missing: install postgresql-15")
        if self.as_root:
            exists = subprocess.run(["id", "-u", self.user], capture_output=True).returncode == 0
            if not exists:
                say(f"creating system user {self.user} (PostgreSQL refuses to run as root)")
                subprocess.run(
                    [
                        "useradd",
                        "--system",
                        "--no-create-home",
                        "--home-dir",
                        "/nonexistent",
                        "--shell",
                        "/usr/sbin/nologin",
                        "--user-group",
                        self.user,
                    ],
                    check=True,
                )
        self.tmp = Path(tempfile.mkdtemp(prefix="diversion-bench-pg.", dir="/tmp"))
        if self.as_root:
            shutil.chown(self.tmp, user=self.user)
        os.chmod(self.tmp, 0o700)
        locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout
        locale = "C.UTF-8" if re.search(r"^c\.utf-?8$", locales, re.I | re.M) else "C"
        self._run(
            self.bindir / "initdb",
            f"--pgdata={self.data}",
            f"--username={PG_ROLE}",
            "--auth=trust",
            "--encoding=UTF8",
            f"--locale={locale}",
            "--no-instructions",
        )
        # Durable defaults (fsync, synchronous_commit on) as in production; only what a
        # throw-away cluster on a small machine needs is changed.
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# ---- benchmarks/referral.py: throw-away cluster ----\n"
                f"listen_addresses = '{HOST}'\n"
                f"unix_socket_directories = '{self.tmp}'\n"
                "max_connections = 200\n"
                "shared_buffers = 256MB\n"
                "max_parallel_workers_per_gather = 0\n"
                "# Report row-lock waits longer than 50 ms (the summary counts them by table).\n"
                "log_lock_waits = on\n"
                "deadlock_timeout = '50ms'\n"
            )
        self.port = free_port()
        self._run(
            self.bindir / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.tmp / "postgres.log",
            "-o",
            f"-p {self.port}",
            "-w",
            "-t",
            "60",
            "start",
        )
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        self._run(
            self.bindir / "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            HOST,
            "-p",
            self.port,
            "-U",
            PG_ROLE,
            "-d",
            "postgres",
            "-c",
            f"CREATE DATABASE {PG_DB} OWNER {PG_ROLE}",
        )
        return f"postgres://{PG_ROLE}@{HOST}:{self.port}/{PG_DB}"

    def lock_waits(self) -> dict[str, Any]:
        """Lock waits over deadlock_timeout logged so far, by the table being locked."""
        if self.tmp is None:
            return {}
        try:
            lines = (self.tmp / "postgres.log").read_text(errors="replace").splitlines()
        except OSError:
            return {}
        kinds: Counter[str] = Counter()
        tables: Counter[str] = Counter()
        # "acquired ... after N ms": how long each logged wait really lasted.
        waited = sorted(
            float(ms)
            for ms in re.findall(r"acquired \w+ on .*? after ([\d.]+) ms", "\n".join(lines))
        )
        longest = 0.0
        samples: list[list[str]] = []
        for index, line in enumerate(lines):
            found = re.search(r"still waiting for (\w+) on .*? after ([\d.]+) ms", line)
            if not found:
                continue
            if len(samples) < 8:  # the wait with its DETAIL, CONTEXT and STATEMENT lines
                samples.append([text[:400] for text in lines[index : index + 5]])
            kinds[found.group(1)] += 1
            longest = max(longest, float(found.group(2)))
            oid = re.search(r"of relation (\d+)", line)
            if oid:  # e.g. "AccessExclusiveLock on tuple (0,1) of relation 16789"
                tables[f"oid:{oid.group(1)}"] += 1
                continue
            for later in lines[index + 1 : index + 5]:
                relation = re.search(r'CONTEXT:.* in relation "(\w+)"', later)
                if relation:
                    tables[relation.group(1)] += 1
                    break
            else:
                tables["(no relation given)"] += 1
        return {
            "waits_over_50ms": sum(kinds.values()),
            "by_lock_type": dict(kinds),
            "by_table": dict(tables),
            "longest_logged_wait_ms": round(max([longest, *waited]), 1),
            "acquired_after_ms": summarize([w / 1000 for w in waited]),
            "deadlocks": sum("deadlock detected" in line for line in lines),
            "samples": samples,
        }

    def version(self) -> str:
        return subprocess.run(
            [str(self.bindir / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip()

    def stop(self) -> None:
        if self.pid is not None and pid_alive(self.pid):
            say(f"stopping PostgreSQL (postmaster pid {self.pid})")
            with contextlib.suppress(Exception):
                self._run(
                    self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop"
                )
            if not wait_gone(self.pid, 5):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGINT)
                if not wait_gone(self.pid, 15):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    wait_gone(self.pid, 5)
        if self.tmp is not None and (self.pid is None or not pid_alive(self.pid)):
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


# ------------------------------------------------------------------------------------------------
# gunicorn through `diversion serve`
# ------------------------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], workers: int, threads: int, log_path: Path) -> None:
        self.env, self.workers, self.threads, self.log_path = env, workers, threads, log_path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = f"http://{HOST}:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable, "-m", "diversion.cli", "serve", "--host", HOST,
            "--port", str(self.port), "--workers", str(self.workers),
            "--threads", str(self.threads),
        ]  # fmt: skip
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}): see {self.log_path}")
            with contextlib.suppress(requests.RequestException):
                answered = requests.get(f"{self.base}/healthz", timeout=2).status_code == 200
                # ... and every worker has booted
                if answered and len(children(self.proc.pid)) >= self.workers:
                    return
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 60 s: see {self.log_path}")

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        workers = descendants(self.proc.pid)
        say(f"stopping gunicorn (master pid {self.proc.pid}, workers {workers})")
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for pid in workers:
            if pid_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


# ------------------------------------------------------------------------------------------------
# HTML forms, read the way a browser would submit them
# ------------------------------------------------------------------------------------------------

INPUT_RE = re.compile(r"<input\b([^>]*)>", re.I)
SELECT_RE = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.I | re.S)
OPTION_RE = re.compile(r"<option\b([^>]*)>(.*?)</option>", re.I | re.S)
# A grouped choice rendered as one <option> whose label is the Python list of the group's choices.
GROUP_LABEL_CODE_RE = re.compile(r"\(\s*'([^']+)',")
ATTR_RE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*\"([^\"]*)\")?")


def _attrs(text: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value or "") for name, value in ATTR_RE.findall(text)}


@dataclass
class Form:
    values: dict[str, Any] = field(default_factory=dict)  # what the browser would submit as is
    options: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    broken_selects: set[str] = field(default_factory=set)  # groups rendered as single options


def parse_form(text: str) -> Form:
    form = Form()
    for raw in INPUT_RE.findall(text):
        attrs = _attrs(raw)
        name, kind = attrs.get("name"), attrs.get("type", "text").lower()
        if not name or kind in {"submit", "button", "image", "reset", "file"}:
            continue
        value = attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")
        if kind in {"radio", "checkbox"}:
            form.options[name].append(value)
            if "checked" in attrs:
                if kind == "checkbox" and name in form.values:
                    existing = form.values[name]
                    form.values[name] = (
                        [*existing, value] if isinstance(existing, list) else [existing, value]
                    )
                else:
                    form.values[name] = value
        else:
            form.values[name] = value
    for raw_attrs, body in SELECT_RE.findall(text):
        name = _attrs(raw_attrs).get("name")
        if not name:
            continue
        chosen = None
        for option, label in OPTION_RE.findall(body):
            attrs = _attrs(option)
            value = attrs.get("value", "")
            label = html.unescape(label).strip()
            if label.startswith("[("):
                # The page offers the group's name, which the form refuses; a browser cannot
                # submit a valid choice. Submit the codes inside the group instead (and report it).
                form.broken_selects.add(name)
                form.options[name].extend(GROUP_LABEL_CODE_RE.findall(label))
                continue
            form.options[name].append(value)
            if "selected" in attrs and chosen is None:
                chosen = value
        form.values[name] = chosen if chosen is not None else (form.options[name] or [""])[0]
    return form


# ------------------------------------------------------------------------------------------------
# Random, valid people and stops
# ------------------------------------------------------------------------------------------------

GIVEN_NAMES = [
    "Jamie",
    "Aaliyah",
    "Mohammed",
    "Olivia",
    "Kyle",
    "Priya",
    "Connor",
    "Amara",
    "Tyler",
    "Chloe",
    "Reece",
    "Sana",
    "Liam",
    "Jade",
    "Kofi",
    "Ellie",
    "Harvey",
    "Zara",
    "Callum",
    "Maya",
    "Ethan",
    "Leah",
    "Bilal",
    "Megan",
    "Jordan",
    "Ruby",
    "Dylan",
    "Hana",
    "Marcus",
    "Keira",
    "Tomasz",
    "Ayesha",
    "Lewis",
    "Nia",
    "Aaron",
    "Imogen",
    "Declan",
    "Sofia",
    "Rhys",
    "Fatima",
]
SYLLABLES = [
    "ab",
    "ber",
    "cal",
    "dor",
    "el",
    "fen",
    "gar",
    "hol",
    "ing",
    "jor",
    "kel",
    "lan",
    "mor",
    "nor",
    "ok",
    "pen",
    "quin",
    "ros",
    "sel",
    "tor",
    "ul",
    "van",
    "wes",
    "yar",
    "zel",
    "ash",
]
PLACES = [
    "Corporation Street",
    "New Street",
    "Broad Street",
    "Digbeth High Street",
    "Bull Ring",
    "Hurst Street",
    "Soho Road",
    "Stratford Road",
    "Coventry Road",
    "Lichfield Road",
    "Moor Street Queensway",
    "Ladypool Road",
    "Dudley Street",
    "Park Lane, Wolverhampton",
]
DRUGS = [
    ("cannabis", 60),
    ("cocaine", 15),
    ("mdma", 8),
    ("ketamine", 7),
    ("nitrous_oxide", 5),
    ("amphetamine", 5),
]
QUANTITIES = ["2 grams", "1 gram", "3.5 grams", "a small bag", "2 tablets", "1 wrap", "0.5 grams"]
RELATIONSHIPS = ["Mother", "Father", "Carer", "Aunt", "Social worker", "Grandmother"]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]], allowed: list[str]) -> str:
    pairs = [(value, weight) for value, weight in pairs if value in allowed] or [(allowed[0], 1)]
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def uk_mobile(rng: random.Random) -> str:
    import phonenumbers

    while True:
        number = f"07{rng.choice('34579')}{rng.randrange(10**8):08d}"
        parsed = phonenumbers.parse(number, "GB")
        if phonenumbers.is_valid_number(parsed) and (
            phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        ):
            return f"{number[:5]} {number[5:]}"


@dataclass
class Person:
    given: str
    family: str
    born: dt.date
    young: bool

    @classmethod
    def random(cls, rng: random.Random, *, young_share: float = 0.1) -> Person:
        family = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
        if rng.random() < 0.08:
            family = "O'" + family
        young = rng.random() < young_share
        today = dt.date.today()
        years = rng.randint(14, 17) if young else rng.randint(18, 55)
        born = today - dt.timedelta(days=years * 365 + rng.randint(10, 350))
        return cls(rng.choice(GIVEN_NAMES), family, born, young)


def person_fields(rng: random.Random, person: Person, form: Form) -> dict[str, Any]:
    data = {k: v for k, v in form.values.items() if k != "csrfmiddlewaretoken"}
    options = form.options
    has_mobile = rng.random() < 0.85
    has_email = not has_mobile or rng.random() < 0.4
    data.update(
        {
            "given_name": person.given,
            "family_name": person.family,
            "date_of_birth_0": str(person.born.day),
            "date_of_birth_1": str(person.born.month),
            "date_of_birth_2": str(person.born.year),
            "sex": rng.choice([v for v in options["sex"] if v] or ["male"]),
            "self_defined_ethnicity": rng.choice(
                [v for v in options["self_defined_ethnicity"] if v]
            ),
            "observed_ethnicity": rng.choice([v for v in options["observed_ethnicity"] if v]),
            "mobile": uk_mobile(rng) if has_mobile else "",
            "email": (
                f"{person.given.lower()}.{person.family.lower().replace(chr(39), '')}"
                f"{rng.randrange(100)}@example.com"
                if has_email
                else ""
            ),
            "preferred_language": "en"
            if rng.random() < 0.85
            else rng.choice([v for v in options["preferred_language"] if v] or ["en"]),
            "police_person_id": f"WM{rng.randrange(10**8):08d}" if rng.random() < 0.3 else "",
        }
    )
    for box, share in (("safe_to_text", 0.8), ("safe_to_leave_voicemail", 0.3)):
        if box == "safe_to_text" and not has_mobile:
            data.pop(box, None)
        elif rng.random() < share:
            data[box] = "on"
        else:
            data.pop(box, None)
    return data


def stop_fields(rng: random.Random, person: Person, form: Form) -> dict[str, Any]:
    data = {k: v for k, v in form.values.items() if k != "csrfmiddlewaretoken"}
    options = form.options
    areas = [v for v in options["local_authority"] if v not in {"", "-1"}]
    drug_codes = [v for v in options["drug_0"] if v not in {"", "other"}]
    data.update(
        {
            "local_authority": rng.choice(areas),
            "place": rng.choice(PLACES),
            "how_found": _weighted(
                rng, [("stop_and_search", 75), ("custody", 10), ("other", 15)], options["how_found"]
            ),
            "drug_0": _weighted(rng, DRUGS, drug_codes),
            "drug_0_quantity": rng.choice(QUANTITIES),
        }
    )
    if rng.random() < 0.15:
        data["drug_1"] = _weighted(rng, DRUGS, drug_codes)
        data["drug_1_quantity"] = rng.choice(QUANTITIES)
    if person.young:
        data["appropriate_adult_name"] = f"{rng.choice(GIVEN_NAMES)} {person.family}"
        data["appropriate_adult_relationship"] = rng.choice(RELATIONSHIPS)
        data["appropriate_adult_phone"] = uk_mobile(rng)
    return data


# ------------------------------------------------------------------------------------------------
# The typing model: how long a person takes to fill in each page
# ------------------------------------------------------------------------------------------------


@dataclass
class Typing:
    per_char: float = 0.12
    per_choice: float = 1.0  # a tap on a radio, checkbox, button; a select counts as two
    per_field: float = 0.5  # moving to a text field

    def seconds(self, chars: int, choices: int, fields: int) -> float:
        return chars * self.per_char + choices * self.per_choice + fields * self.per_field


def effort(page: str, data: dict[str, Any]) -> tuple[int, int, int]:
    """(characters typed, choices/taps, text fields visited) for each moment of the flow."""
    if page == "start":
        return 0, 1, 0
    if page == "person_identity":  # up to the look-up: names and date of birth
        keys = [
            "given_name",
            "family_name",
            "date_of_birth_0",
            "date_of_birth_1",
            "date_of_birth_2",
        ]
        return sum(len(str(data[k])) for k in keys), 0, len(keys)
    if page == "person_rest":
        texts = [k for k in ("mobile", "email", "police_person_id") if data.get(k)]
        choices = 1 + 2 + 2  # sex (radio), two selects
        choices += 2 if data.get("preferred_language") != "en" else 0
        choices += sum(1 for k in ("safe_to_text", "safe_to_leave_voicemail") if data.get(k))
        choices += 1  # Continue
        return sum(len(str(data[k])) for k in texts), choices, len(texts)
    if page == "stop":
        texts = [
            k
            for k in (
                "place",
                "drug_0_quantity",
                "drug_1_quantity",
                "appropriate_adult_name",
                "appropriate_adult_relationship",
                "appropriate_adult_phone",
            )
            if data.get(k)
        ]
        choices = (
            2 + 1 + 2 + 1
        )  # local authority (select), how found (radio), drug (select), Continue
        choices += 2 if data.get("drug_1") else 0
        return sum(len(str(data[k])) for k in texts), choices, len(texts)
    if page == "consent":
        return 0, 3, 0  # two consent boxes, Confirm (the soonest slot is already chosen)
    raise ValueError(page)


Pacer = Callable[[str, dict[str, Any]], None]


def no_pause(_page: str, _data: dict[str, Any]) -> None:
    return None


def typing_pacer(
    typing: Typing,
    rng: random.Random | None,
    stop: threading.Event,
    log: dict[str, float] | None = None,
) -> Pacer:
    def pace(page: str, data: dict[str, Any]) -> None:
        chars, choices, fields = effort(page, data)
        seconds = typing.seconds(chars, choices, fields)
        if rng is not None:
            seconds *= rng.uniform(0.7, 1.3)
        if log is not None:
            log["chars"] = log.get("chars", 0) + chars
            log["choices"] = log.get("choices", 0) + choices
            log["fields"] = log.get("fields", 0) + fields
            log["typing_s"] = log.get("typing_s", 0) + seconds
        stop.wait(seconds)
        if stop.is_set():
            raise Abandoned

    return pace


# ------------------------------------------------------------------------------------------------
# Transports: the same flow over HTTP (timed) or in-process (to count SQL queries)
# ------------------------------------------------------------------------------------------------


class FlowError(Exception):
    pass


class Abandoned(Exception):
    """The phase ended mid-referral."""


@dataclass
class Resp:
    status: int
    location: str
    text: str


@dataclass
class Sample:
    phase: str
    step: str
    started: float
    seconds: float
    status: int
    nbytes: int


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []  # list.append is atomic under the GIL

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    def of(self, phase: str) -> list[Sample]:
        return [s for s in self.samples if s.phase == phase]


class HttpOfficer:
    def __init__(self, base: str, email: str, totp: tuple[Any, ...], recorder: Recorder) -> None:
        self.base, self.email, self.totp, self.recorder = base, email, totp, recorder
        self.session = requests.Session()
        self.session.mount(
            "http://", HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)
        )
        self.phase = "sign_in"
        self.last_headers: dict[str, str] = {}

    def request(
        self,
        step: str,
        method: str,
        path: str,
        *,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Resp:
        started = time.time()
        begin = time.perf_counter()
        try:
            response = self.session.request(
                method,
                self.base + path,
                data=data,
                params=params,
                headers=headers,
                allow_redirects=False,
                timeout=60,
            )
            body = response.content
        except requests.RequestException as error:
            self.recorder.add(Sample(self.phase, step, started, time.perf_counter() - begin, 0, 0))
            raise FlowError(f"{step}: {type(error).__name__}") from error
        self.recorder.add(
            Sample(
                self.phase,
                step,
                started,
                time.perf_counter() - begin,
                response.status_code,
                len(body),
            )
        )
        self.last_headers = dict(response.headers)
        return Resp(response.status_code, response.headers.get("Location", ""), response.text)

    def sign_in(self) -> None:
        from django_otp.oath import TOTP

        page = self.request("sign_in_get", "GET", "/sign-in/")
        token = parse_form(page.text).values["csrfmiddlewaretoken"]
        answer = self.request(
            "sign_in_post",
            "POST",
            "/sign-in/",
            data={"csrfmiddlewaretoken": token, "email": self.email, "password": BENCH_PASSWORD},
        )
        if answer.status != 302 or "security-code" not in answer.location:
            raise FlowError(f"sign-in refused for {self.email}: HTTP {answer.status}")
        page = self.request("code_get", "GET", answer.location)
        token = parse_form(page.text).values["csrfmiddlewaretoken"]
        key, step, t0, digits, drift = self.totp
        code = f"{TOTP(key, step, t0, digits, drift).token():0{digits}d}"
        answer = self.request(
            "code_post",
            "POST",
            "/sign-in/security-code/",
            data={"csrfmiddlewaretoken": token, "code": code},
        )
        if answer.status != 302:
            raise FlowError(f"security code refused for {self.email}: HTTP {answer.status}")


class InProcessOfficer:
    """Django's test client in this process, counting the SQL queries of each step."""

    def __init__(self, user: Any) -> None:
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        self.client = Client()
        self.client.force_login(user)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(
            user=user, confirmed=True
        ).persistent_id
        session.save()
        self.queries: dict[str, list[str]] = {}
        self.times: dict[str, tuple[float, float, float]] = {}

    def request(
        self,
        step: str,
        method: str,
        path: str,
        *,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Resp:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        begin, cpu = time.perf_counter(), time.thread_time()
        with CaptureQueriesContext(connection) as captured:
            if method == "GET":
                response = self.client.get(path, params or {}, headers=headers)
            else:
                response = self.client.post(path, data or {}, headers=headers)
        elapsed, cpu = time.perf_counter() - begin, time.thread_time() - cpu
        self.queries[step] = [q["sql"] for q in captured.captured_queries]
        sql_seconds = sum(float(q["time"]) for q in captured.captured_queries)
        self.times[step] = (elapsed, sql_seconds, cpu)
        text = response.content.decode() if hasattr(response, "content") else ""
        return Resp(response.status_code, response.get("Location", ""), text)


# ------------------------------------------------------------------------------------------------
# One referral, end to end
# ------------------------------------------------------------------------------------------------


@dataclass
class FlowResult:
    reference: str = ""
    slot_conflicts: int = 0
    pages: dict[str, Resp] = field(default_factory=dict)


PROBLEMS: set[str] = set()  # product problems noticed while driving the pages
CONFLICTS: Counter[str] = Counter()  # what the consent page said when a slot was taken
CONFLICTS_LOCK = threading.Lock()

ERROR_ITEM_RE = re.compile(r'<li><a href="#([^"]*)">([^<]*)</a></li>')


def _expect(resp: Resp, step: str, status: int, location: str | None = None) -> None:
    if resp.status != status:
        problems = "; ".join(
            f"{a}: {html.unescape(m)}" for a, m in ERROR_ITEM_RE.findall(resp.text)
        )
        raise FlowError(
            f"{step}: HTTP {resp.status} (expected {status})"
            + (f" [{problems}]" if problems else "")
        )
    if location is not None and not resp.location.startswith(location):
        raise FlowError(f"{step}: redirected to {resp.location!r} (expected {location})")


def referral_flow(
    officer: Any, rng: random.Random, pace: Pacer = no_pause, keep_pages: bool = False
) -> FlowResult:
    result = FlowResult()
    person = Person.random(rng)

    pace("start", {})
    resp = officer.request("start", "GET", "/referrals/new/")
    _expect(resp, "start", 302, "/referrals/new/person/")

    resp = officer.request("person_get", "GET", "/referrals/new/person/")
    _expect(resp, "person_get", 200)
    if keep_pages:
        result.pages["person"] = resp
    form = parse_form(resp.text)
    for name in form.broken_selects:
        PROBLEMS.add(
            f"person page: <select name={name}> offers each group's name as an option value "
            "(label = the Python list of its choices); the form refuses it, so a browser cannot "
            "submit a valid choice. The benchmark submits a code from the group instead."
        )
    token = form.values["csrfmiddlewaretoken"]
    data = person_fields(rng, person, form)

    pace("person_identity", data)
    lookup = officer.request(
        "person_lookup",
        "GET",
        "/referrals/new/person/lookup/",
        params={"csrfmiddlewaretoken": token, **data},
        headers={"HX-Request": "true", "HX-Target": "person-lookup"},
    )
    _expect(lookup, "person_lookup", 200)
    if keep_pages:
        result.pages["person_lookup"] = lookup

    pace("person_rest", data)
    resp = officer.request(
        "person_post", "POST", "/referrals/new/person/", data={"csrfmiddlewaretoken": token, **data}
    )
    _expect(resp, "person_post", 302, "/referrals/new/stop/")

    resp = officer.request("stop_get", "GET", "/referrals/new/stop/")
    _expect(resp, "stop_get", 200)
    if keep_pages:
        result.pages["stop"] = resp
    form = parse_form(resp.text)
    data = stop_fields(rng, person, form)
    pace("stop", data)
    resp = officer.request(
        "stop_post",
        "POST",
        "/referrals/new/stop/",
        data={"csrfmiddlewaretoken": form.values["csrfmiddlewaretoken"], **data},
    )
    _expect(resp, "stop_post", 302, "/referrals/new/consent/")

    resp = officer.request("consent_get", "GET", "/referrals/new/consent/")
    _expect(resp, "consent_get", 200)
    if keep_pages:
        result.pages["consent"] = resp
    form = parse_form(resp.text)
    slot = form.values.get("slot") or (form.options.get("slot") or [""])[0]
    if not slot:
        raise FlowError("consent_get: no assessment slots offered")
    pace("consent", {})
    for _attempt in range(6):
        resp = officer.request(
            "consent_post",
            "POST",
            "/referrals/new/consent/",
            data={
                "csrfmiddlewaretoken": form.values["csrfmiddlewaretoken"],
                "token": form.values["token"],
                "consent_to_contact": "on",
                "consent_to_share": "on",
                "slot": slot,
            },
        )
        if resp.status == 302:
            break
        if resp.status != 200 or "govuk-error-summary" not in resp.text:
            raise FlowError(f"consent_post: HTTP {resp.status}")
        # Someone else booked or is holding that time: the page offers the next ones.
        result.slot_conflicts += 1
        with CONFLICTS_LOCK:
            for _anchor, message in ERROR_ITEM_RE.findall(resp.text):
                CONFLICTS[html.unescape(message)] += 1
        retry = parse_form(resp.text)
        offered = [s for s in retry.options.get("slot", []) if s != slot]
        if not offered:
            raise FlowError("consent_post: slot taken and no other slots offered")
        slot = offered[0]
        form.values["csrfmiddlewaretoken"] = retry.values.get(
            "csrfmiddlewaretoken", form.values["csrfmiddlewaretoken"]
        )
    else:
        raise FlowError("consent_post: still no free slot after 6 attempts")
    _expect(resp, "consent_post", 302, "/referrals/")
    reference = resp.location.rstrip("/").rsplit("/", 1)[-1]

    resp = officer.request("done_get", "GET", resp.location)
    _expect(resp, "done_get", 200)
    if reference not in resp.text:
        raise FlowError("done_get: the reference is not on the confirmation page")
    if keep_pages:
        result.pages["done"] = resp
    result.reference = reference
    return result


# ------------------------------------------------------------------------------------------------
# Setup: database, demo data, officers, slots
# ------------------------------------------------------------------------------------------------


@dataclass
class OfficerAccount:
    email: str
    totp: tuple[Any, ...]
    pk: int


def django_setup(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "diversion.settings",
            "DIVERSION_ENV": "development",
            "DEBUG": "0",
            "DATABASE_URL": database_url,
            "DATABASE_POOL": "0",
            "DEMO_MODE": "0",
            "LOG_LEVEL": "WARNING",  # this process only; the server logs at INFO
        }
    )
    import django

    django.setup()


def prepare_database(officers: int, slot_days: int) -> tuple[list[OfficerAccount], dict[str, Any]]:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from diversion.accounts.models import User
    from diversion.accounts.services import user_create
    from diversion.audit.services import SYSTEM
    from diversion.core.roles import Role
    from diversion.scheduling.models import Slot
    from diversion.scheduling.services import slots_generate
    from diversion.schemes.models import Scheme

    timings: dict[str, Any] = {}
    begin = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - begin, 1)
    begin = time.perf_counter()
    call_command("demo_data", verbosity=0)
    timings["demo_data_s"] = round(time.perf_counter() - begin, 1)

    begin = time.perf_counter()
    scheme = Scheme.objects.select_related("force").get(code="WM")
    rng = random.Random(4242)
    accounts = []
    hashed = make_password(BENCH_PASSWORD)  # Argon2 once, not once per officer
    for index in range(officers):
        email = f"officer{index + 1:03d}@{BENCH_DOMAIN}"
        with transaction.atomic():
            user = User.objects.filter(email=email).first()
            if user is None:
                user = user_create(
                    actor=SYSTEM,
                    email=email,
                    full_name=f"PC Bench {index + 1:03d}",
                    role=Role.OFFICER,
                    organisation=scheme.force,
                    password=None,
                )
                user.password = hashed
                user.save(update_fields=["password"])
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(
                    user=user,
                    name="Benchmark authenticator",
                    confirmed=True,
                    key=rng.getrandbits(160).to_bytes(20, "big").hex(),
                )
        accounts.append(
            OfficerAccount(
                email,
                (device.bin_key, device.step, device.t0, device.digits, device.drift),
                user.pk,
            )
        )
    timings["officers_s"] = round(time.perf_counter() - begin, 1)

    begin = time.perf_counter()
    created = slots_generate(scheme_id=scheme.pk, start=timezone.localdate(), days=slot_days)
    free = Slot.objects.filter(
        scheme=scheme, starts_at__gt=timezone.now(), bookings__isnull=True
    ).count()
    timings["slots_s"] = round(time.perf_counter() - begin, 1)
    timings["slots_created"] = created
    timings["slots_free"] = free
    return accounts, timings


# ------------------------------------------------------------------------------------------------
# Phases
# ------------------------------------------------------------------------------------------------


@dataclass
class PhaseOutcome:
    references: list[str] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    abandoned: int = 0
    slot_conflicts: int = 0
    referral_seconds: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)


class CpuWatch:
    def __init__(self, server: Server, postgres_pid: int | None) -> None:
        self.server, self.postgres_pid = server, postgres_pid

    @contextlib.contextmanager
    def measure(self, into: dict[str, float]) -> Iterator[None]:
        app0, db0 = tree_cpu_seconds(self.server.pid), tree_cpu_seconds(self.postgres_pid)
        me0 = sum(os.times()[:2])
        busy0, total0 = machine_cpu()
        wall0 = time.perf_counter()
        try:
            yield
        finally:
            wall = time.perf_counter() - wall0
            busy1, total1 = machine_cpu()
            app = tree_cpu_seconds(self.server.pid) - app0
            db = tree_cpu_seconds(self.postgres_pid) - db0 if self.postgres_pid else 0.0
            me = sum(os.times()[:2]) - me0
            busy = (busy1 - busy0) / CLK_TCK
            into.update(
                {
                    "gunicorn_cpu_s": round(app, 2),
                    "postgres_cpu_s": round(db, 2) if self.postgres_pid else None,
                    "load_generator_cpu_s": round(me, 2),
                    # Anything else on the machine (other people's work on a shared box).
                    "other_processes_cpu_s": round(max(0.0, busy - app - db - me), 2),
                    "machine_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
                    "wall_s": round(wall, 2),
                }
            )


def run_officers(
    officers: list[HttpOfficer],
    phase: str,
    *,
    minimum: int,
    deadline: float,
    keep_going: Callable[[], bool],
    pace_for: Callable[[int], Pacer],
    stop: threading.Event,
    seed: int,
    stagger: float = 0.0,
) -> PhaseOutcome:
    outcome = PhaseOutcome()
    lock = threading.Lock()

    def work(index: int, officer: HttpOfficer) -> None:
        officer.phase = phase
        rng = random.Random(seed * 1000 + index)
        pace = pace_for(index)
        if stagger and stop.wait(rng.uniform(0, stagger)):
            return
        done = 0
        while (
            not stop.is_set() and time.monotonic() < deadline and (done < minimum or keep_going())
        ):
            begin = time.perf_counter()
            try:
                result = referral_flow(officer, rng, pace)
            except Abandoned:
                with lock:
                    outcome.abandoned += 1
                return
            except FlowError as error:
                with lock:
                    outcome.failures[str(error)] += 1
                done += 1
                continue
            with lock:
                outcome.references.append(result.reference)
                outcome.slot_conflicts += result.slot_conflicts
                outcome.referral_seconds.append(time.perf_counter() - begin)
            done += 1

    threads = [
        threading.Thread(target=work, args=(i, o), daemon=True) for i, o in enumerate(officers)
    ]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 90))
    outcome.wall_s = time.perf_counter() - begin
    return outcome


def hammer(
    base: str,
    path: str,
    *,
    concurrency: int,
    total: int,
    deadline: float,
    recorder: Recorder,
    phase: str,
    cookies: dict[str, str] | None = None,
) -> float:
    """`total` GETs of `path` from `concurrency` threads; returns the wall time."""
    remaining = [total]
    lock = threading.Lock()

    def work() -> None:
        session = requests.Session()
        session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0))
        if cookies:
            session.cookies.update(cookies)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started, begin = time.time(), time.perf_counter()
            try:
                response = session.get(base + path, timeout=60)
                status, size = response.status_code, len(response.content)
            except requests.RequestException:
                status, size = 0, 0
            recorder.add(
                Sample(phase, "healthz", started, time.perf_counter() - begin, status, size)
            )

    threads = [threading.Thread(target=work, daemon=True) for _ in range(concurrency)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - begin


# ------------------------------------------------------------------------------------------------
# Page weights
# ------------------------------------------------------------------------------------------------

LINK_RE = re.compile(r"<link\b([^>]*)>", re.I)
SRC_RE = re.compile(r"<(?:script|img)\b([^>]*)>", re.I)
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
FONT_FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}", re.I)
CSS_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*url\([^{}]*)\}")
JS_IMPORT_RE = re.compile(r"""(?:import|export)\s*(?:[^'"()]*?from\s*)?['"]([^'"]+\.m?js)['"]""")


def _cacheable(headers: dict[str, str]) -> bool:
    control = headers.get("Cache-Control", "").lower()
    match = re.search(r"max-age=(\d+)", control)
    return bool(
        match
        and int(match.group(1)) > 0
        and "no-store" not in control
        and "no-cache" not in control
    )


def _gzip_len(body: bytes) -> int:
    return min(len(body), len(gzip.compress(body, 6)))


class AssetFetcher:
    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.cache: dict[str, dict[str, Any]] = {}

    def fetch(self, url: str) -> dict[str, Any]:
        if url in self.cache:
            return self.cache[url]
        response = self.session.get(
            url, headers={"Accept-Encoding": "gzip, deflate, br"}, stream=True, timeout=30
        )
        wire = response.raw.read(decode_content=False)
        encoding = response.headers.get("Content-Encoding", "")
        body = gzip.decompress(wire) if encoding == "gzip" else wire
        info = {
            "url": urlsplit(url).path,
            "status": response.status_code,
            "content_type": response.headers.get("Content-Type", ""),
            "content_encoding": encoding,
            "wire_bytes": len(wire),
            "raw_bytes": len(body) if encoding in {"", "gzip"} else None,
            "gzip_bytes": _gzip_len(body) if encoding in {"", "gzip"} else len(wire),
            "cache_control": response.headers.get("Cache-Control", ""),
            "etag": response.headers.get("ETag", ""),
            "last_modified": response.headers.get("Last-Modified", ""),
            "cacheable": _cacheable(dict(response.headers)),
            "_body": body,
        }
        if info["etag"]:
            again = self.session.get(url, headers={"If-None-Match": info["etag"]}, timeout=30)
            info["revalidates_304"] = again.status_code == 304
        self.cache[url] = info
        return info

    def assets_of_page(self, page_url: str, text: str) -> list[str]:
        urls: list[str] = []

        def add(candidate: str, relative_to: str) -> str | None:
            if not candidate or candidate.startswith(("data:", "#", "about:")):
                return None
            absolute = urljoin(relative_to, html.unescape(candidate))
            if urlsplit(absolute).netloc != urlsplit(self.base).netloc:
                return None
            if absolute not in urls:
                urls.append(absolute)
            return absolute

        for raw in LINK_RE.findall(text):
            attrs = _attrs(raw)
            rel = attrs.get("rel", "").lower()
            if any(word in rel for word in ("stylesheet", "icon", "preload", "modulepreload")):
                add(attrs.get("href", ""), page_url)
        for raw in SRC_RE.findall(text):
            add(_attrs(raw).get("src", ""), page_url)
        classes = set(re.findall(r"class=\"([^\"]*)\"", text))
        used = {name for group in classes for name in group.split()}
        index = 0
        while index < len(urls):  # follow what stylesheets and modules pull in
            url = urls[index]
            index += 1
            info = self.fetch(url)
            body = info["_body"].decode("utf-8", "replace")
            if url.endswith(".css"):
                for face in FONT_FACE_RE.findall(body):
                    first = CSS_URL_RE.search(face)  # a browser takes the first format it supports
                    if first:
                        add(first.group(1), url)
                without_faces = FONT_FACE_RE.sub("", body)
                for selector, block in CSS_RULE_RE.findall(without_faces):
                    wanted = set(re.findall(r"\.([\w-]+)", selector))
                    if not wanted or wanted & used:  # only images of components on the page
                        for image in CSS_URL_RE.findall(block):
                            add(image, url)
            elif url.endswith((".js", ".mjs")):
                for module in JS_IMPORT_RE.findall(body):
                    add(module, url)
        return urls


def consent_script(text: str) -> str:
    """What the officer tells the person on the consent page (the 'Tell ...' section)."""
    start = text.find(">Tell ")
    end = text.find("<form", start)
    if start < 0 or end < 0:
        return ""
    return html.unescape(re.sub(r"<[^>]+>", " ", text[start + 1 : end]))


def page_weights(officer: HttpOfficer, rng: random.Random, base: str) -> tuple[dict[str, Any], str]:
    fetcher = AssetFetcher(base)
    pages: dict[str, tuple[str, Resp, dict[str, str]]] = {}

    class Capturing:
        def request(self, step: str, method: str, path: str, **kwargs: Any) -> Resp:
            resp = officer.request(step, method, path, **kwargs)
            if method == "GET" and resp.status == 200:
                pages[step] = (path, resp, dict(officer.last_headers))
            return resp

    reference = referral_flow(Capturing(), rng).reference
    mine = officer.request("mine_get", "GET", "/referrals/")
    pages["mine_get"] = ("/referrals/", mine, dict(officer.last_headers))
    anonymous = requests.Session()
    sign_in = anonymous.get(base + "/sign-in/", timeout=30)
    pages["sign_in_get"] = (
        "/sign-in/",
        Resp(sign_in.status_code, "", sign_in.text),
        dict(sign_in.headers),
    )

    result: dict[str, Any] = {"pages": {}, "assets": {}}
    for step, (path, resp, headers) in pages.items():
        body = resp.text.encode()
        assets = fetcher.assets_of_page(base + path, resp.text)
        infos = [fetcher.fetch(a) for a in assets]
        html_gzip = _gzip_len(body)
        first_raw = len(body) + sum(i["raw_bytes"] or i["wire_bytes"] for i in infos)
        first_wire = len(body) + sum(i["wire_bytes"] for i in infos)
        first_gzip = html_gzip + sum(i["gzip_bytes"] for i in infos)
        uncached = [i for i in infos if not i["cacheable"]]
        result["pages"][step] = {
            "path": path,
            "html_bytes": len(body),
            "html_gzip_bytes": html_gzip,
            "html_content_encoding": headers.get("Content-Encoding", ""),
            "html_cache_control": headers.get("Cache-Control", ""),
            "assets": [urlsplit(a).path for a in assets],
            "first_visit_bytes": first_raw,
            "first_visit_wire_bytes": first_wire,
            "first_visit_gzip_bytes": first_gzip,
            "repeat_visit_bytes": len(body)
            + sum(i["raw_bytes"] or i["wire_bytes"] for i in uncached),
            "repeat_visit_gzip_bytes": html_gzip + sum(i["gzip_bytes"] for i in uncached),
            "uncached_assets": [i["url"] for i in uncached],
        }
    for info in fetcher.cache.values():
        result["assets"][info["url"]] = {k: v for k, v in info.items() if not k.startswith("_")}
    return result, reference


# ------------------------------------------------------------------------------------------------
# SQL queries per step (in-process), and the correctness checks
# ------------------------------------------------------------------------------------------------

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def query_profile(
    user_pk: int, rng: random.Random, runs: int = 3
) -> tuple[dict[str, Any], list[str]]:
    """The SQL of each step, through Django's test client in this process (no HTTP, no gunicorn).
    Times are the median of `runs` referrals and include this process's own CPU work."""
    import logging
    import statistics

    from django.db import connections

    from diversion.accounts.models import User

    logging.disable(logging.INFO)
    officer = InProcessOfficer(User.objects.get(pk=user_pk))
    references = []
    timings: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for _ in range(runs):
        officer.times = {}
        references.append(referral_flow(officer, rng).reference)
        for step, pair in officer.times.items():
            timings[step].append(pair)
    profile: dict[str, Any] = {}
    for step in FLOW_STEPS:
        sql = officer.queries.get(step, [])
        kinds = Counter(q.split(None, 1)[0].upper() for q in sql if q.strip())
        shapes = Counter(_LITERALS.sub("?", q) for q in sql)
        repeated = {shape[:160]: n for shape, n in shapes.items() if n > 1}
        profile[step] = {
            "queries": len(sql),
            "by_kind": dict(kinds),
            "repeated": repeated,
            "in_process_ms_median": round(statistics.median(t[0] for t in timings[step]) * 1000, 1),
            "sql_ms_median": round(statistics.median(t[1] for t in timings[step]) * 1000, 1),
            # CPU of Django itself (this thread), whatever else the machine is doing
            "python_cpu_ms_median": round(statistics.median(t[2] for t in timings[step]) * 1000, 1),
        }
    connections.close_all()
    logging.disable(logging.NOTSET)
    return profile, references


def name_relations(waits: dict[str, Any]) -> dict[str, Any]:
    """Replace "oid:NNN" keys of the lock-wait summary with table names."""
    from django.db import connection

    named: Counter[str] = Counter()
    with connection.cursor() as cursor:
        for key, count in waits.get("by_table", {}).items():
            if key.startswith("oid:"):
                cursor.execute("SELECT relname FROM pg_class WHERE oid = %s", [int(key[4:])])
                row = cursor.fetchone()
                key = row[0] if row else key
            named[key] += count
    return {**waits, "by_table": dict(named)}


def correctness(
    references: list[str], officer_pks: list[int], since: dt.datetime, statuses: Counter[int]
) -> dict[str, Any]:
    from django.db.models import Count, Q

    from diversion.referrals.models import Referral
    from diversion.scheduling.models import Booking, BookingStatus

    active = [BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.MISSED]
    rows = Referral.objects.filter(officer_id__in=officer_pks, created_at__gte=since)
    stored = set(rows.values_list("reference", flat=True))
    double = list(
        Booking.objects.filter(status__in=active)
        .values("slot_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("slot_id", "n")
    )
    not_one = (
        rows.annotate(n=Count("bookings", filter=Q(bookings__status__in=active)))
        .exclude(n=1)
        .count()
    )
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    checks = {
        "referrals_completed_by_clients": len(references),
        "distinct_references_seen": len(set(references)),
        "referral_rows": len(stored),
        "rows_equal_completed": len(stored) == len(set(references)) == len(references),
        "references_missing_in_db": sorted(set(references) - stored)[:20],
        "rows_not_seen_by_clients": sorted(stored - set(references))[:20],
        "slots_with_two_active_bookings": double,
        "referrals_without_exactly_one_booking": not_one,
        "status_codes": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors_5xx": server_errors,
        "connection_errors": statuses.get(0, 0),
    }
    checks["passed"] = bool(
        checks["rows_equal_completed"]
        and not double
        and not not_one
        and server_errors == 0
        and checks["connection_errors"] == 0
    )
    return checks


# ------------------------------------------------------------------------------------------------
# Reporting
# ------------------------------------------------------------------------------------------------


def step_stats(samples: list[Sample], steps: list[str]) -> dict[str, Any]:
    grouped: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        grouped[sample.step].append(sample.seconds)
    stats = {step: summarize(grouped[step]) for step in steps if grouped.get(step)}
    everything = [s.seconds for s in samples if s.step in steps]
    if everything:
        stats["all_flow_requests"] = summarize(everything)
    return stats


def add_ratios(stats: dict[str, Any], baseline: dict[str, Any]) -> None:
    for values in stats.values():
        if values.get("n") and baseline.get("n"):
            values["ratio_p50"] = round(values["p50_ms"] / max(baseline["p50_ms"], 0.01), 1)
            values["ratio_p95"] = round(values["p95_ms"] / max(baseline["p95_ms"], 0.01), 1)


def print_steps(title: str, stats: dict[str, Any], *, ratios: bool) -> None:
    headers = ["step", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"]
    if ratios:
        headers += ["p50 / baseline", "p95 / baseline"]
    rows = []
    for step, v in stats.items():
        row = [step, v["n"], v["p50_ms"], v["p95_ms"], v["p99_ms"], v["max_ms"]]
        if ratios:
            row += [v.get("ratio_p50", ""), v.get("ratio_p95", "")]
        rows.append(row)
    print(f"\n{title}\n{table(headers, rows)}", flush=True)


def machine_info() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else "?",
        "ram_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "kernel": os.uname().release,
        "python": sys.version.split()[0],
        "commit": commit,
        "working_tree_dirty": bool(dirty),
        "working_tree_changes": dirty.splitlines()[:40],
    }


# ------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--officers", type=int, default=50, help="concurrent officers (50)")
    parser.add_argument(
        "--referrals-per-officer",
        type=int,
        default=3,
        help="saturation phase: at least this many referrals each (3); officers "
        "keep going until the scripted officer has finished",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=60,
        help="saturation phase: at most this many seconds (60)",
    )
    parser.add_argument(
        "--paced-seconds",
        type=float,
        default=60,
        help="paced phase: officers at human speed for this long; 0 skips (60)",
    )
    parser.add_argument(
        "--unloaded-referrals",
        type=int,
        default=5,
        help="referrals by one officer on an idle server (5)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker (2)")
    parser.add_argument(
        "--no-db-pool",
        action="store_true",
        help="no connection pool (the development default; production pools)",
    )
    parser.add_argument("--database-url", help="use this database instead of a throw-away cluster")
    parser.add_argument(
        "--pg-bindir", default=os.environ.get("CI_PG_BINDIR", "/usr/lib/postgresql/15/bin")
    )
    parser.add_argument(
        "--pg-user",
        default=os.environ.get("CI_PG_USER", "diversion-ci"),
        help="system user that runs PostgreSQL when this runs as root",
    )
    parser.add_argument("--slot-days", type=int, default=60, help="days of slots to generate (60)")
    parser.add_argument("--seconds-per-char", type=float, default=0.12)
    parser.add_argument("--seconds-per-choice", type=float, default=1.0)
    parser.add_argument("--seconds-per-field", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--output", type=Path, help="JSON file (var/benchmarks/referral-<date>.json)"
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    started_at = dt.datetime.now(dt.UTC)
    stop = threading.Event()
    recorder = Recorder()
    report: dict[str, Any] = {"machine": machine_info(), "started_at": started_at.isoformat()}
    report["machine"]["load_average_at_start"] = os.getloadavg()
    output = (
        args.output
        or ROOT / "var" / "benchmarks" / f"referral-{time.strftime('%Y-%m-%d-%H%M%S')}.json"
    )
    postgres: Postgres | None = None
    server: Server | None = None
    temp = Path(tempfile.mkdtemp(prefix="diversion-bench."))

    def terminate(signum: int, _frame: Any) -> None:
        stop.set()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    total_begin = time.perf_counter()
    try:
        # ---- database ------------------------------------------------------------------------
        begin = time.perf_counter()
        if args.database_url:
            database_url = args.database_url
            report["postgres"] = {"cluster": "given with --database-url"}
        else:
            postgres = Postgres(Path(args.pg_bindir), args.pg_user)
            database_url = postgres.start()
            report["postgres"] = {
                "cluster": "throw-away, started by the benchmark",
                "version": postgres.version(),
                "port": postgres.port,
                "settings": "defaults (fsync and synchronous_commit on) + "
                "shared_buffers=256MB, max_connections=200",
            }
            say(f"PostgreSQL up: pid {postgres.pid}, port {postgres.port}")
        setup = {"postgres_start_s": round(time.perf_counter() - begin, 1)}
        django_setup(database_url)
        say("migrating, loading demo data, creating officers and slots")
        accounts, timings = prepare_database(args.officers + 3, args.slot_days)
        setup.update(timings)
        report["setup"] = setup
        say(f"setup done: {setup}")
        from django.db import connections

        connections.close_all()

        # ---- gunicorn -------------------------------------------------------------------------
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "diversion.settings",
            "DIVERSION_ENV": "development",
            "DEBUG": "0",
            "DEMO_MODE": "0",
            "DATABASE_URL": database_url,
            "DATABASE_POOL": "0" if args.no_db_pool else "1",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "INFO",
            "WEB_CONCURRENCY": str(args.workers),
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        server = Server(env, args.workers, args.threads, temp / "gunicorn.log")
        server.start()
        report["server"] = {
            "command": f"diversion serve --workers {args.workers} --threads {args.threads}",
            "gunicorn_worker_class": "gthread" if args.threads > 1 else "sync",
            "workers": args.workers,
            "threads": args.threads,
            "DIVERSION_ENV": "development",
            "DEBUG": False,
            "DATABASE_POOL": not args.no_db_pool,
            "sessions": "database (Django default)",
            "static": "whitenoise, finders (development), max-age 3600",
        }
        say(
            f"gunicorn up: {server.base}, master pid {server.pid}, "
            f"workers {children(server.pid or 0)}"
        )
        cpu = CpuWatch(server, postgres.pid if postgres else None)

        # ---- sign in every officer (not timed) -----------------------------------------------
        load_accounts = accounts[: args.officers]
        scripted_account, weights_account, profile_account = accounts[args.officers :]
        officers = [HttpOfficer(server.base, a.email, a.totp, recorder) for a in load_accounts]
        scripted = HttpOfficer(server.base, scripted_account.email, scripted_account.totp, recorder)
        weigher = HttpOfficer(server.base, weights_account.email, weights_account.totp, recorder)
        begin = time.perf_counter()
        everyone = [*officers, scripted, weigher]
        errors: list[str] = []

        def sign_in(batch: list[HttpOfficer]) -> None:
            for officer in batch:
                try:
                    officer.sign_in()
                except FlowError as error:
                    errors.append(str(error))

        batches = [everyone[i::8] for i in range(8)]
        threads = [threading.Thread(target=sign_in, args=(b,)) for b in batches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise SystemExit(f"sign-in failed: {errors[:3]}")
        report["sign_in_s"] = round(time.perf_counter() - begin, 1)
        say(f"{len(everyone)} officers signed in ({report['sign_in_s']} s)")
        for officer in everyone:  # warm up: one page each, every worker touched
            officer.phase = "warm_up"
            officer.request("mine_get", "GET", "/referrals/")
        # ... and a few referrals at once, so that every worker has rendered every page
        warm_refs: list[str] = []
        warm = [
            threading.Thread(
                target=lambda o, i: warm_refs.append(
                    referral_flow(o, random.Random(args.seed - 1 - i)).reference
                ),
                args=(officer, index),
            )
            for index, officer in enumerate(officers[: min(8, len(officers))])
        ]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()

        typing = Typing(args.seconds_per_char, args.seconds_per_choice, args.seconds_per_field)

        # ---- unloaded: service time of each step ---------------------------------------------
        say(f"unloaded: 1 officer, {args.unloaded_referrals} referrals; /healthz alone")
        unloaded_refs: list[str] = []
        solo = officers[0]
        solo.phase = "unloaded"
        rng = random.Random(args.seed)
        for _ in range(args.unloaded_referrals):
            unloaded_refs.append(referral_flow(solo, rng).reference)
        far = time.monotonic() + 60
        hammer(
            server.base,
            "/healthz",
            concurrency=1,
            total=300,
            deadline=far,
            recorder=recorder,
            phase="unloaded_healthz",
        )
        hammer(
            server.base,
            "/healthz",
            concurrency=1,
            total=300,
            deadline=far,
            recorder=recorder,
            phase="unloaded_healthz_signed_in",
            cookies=dict(solo.session.cookies),
        )
        unloaded = step_stats(recorder.of("unloaded"), FLOW_STEPS)
        healthz_alone = summarize([s.seconds for s in recorder.of("unloaded_healthz")])
        healthz_signed = summarize([s.seconds for s in recorder.of("unloaded_healthz_signed_in")])
        add_ratios(unloaded, healthz_alone)
        report["unloaded"] = {
            "steps": unloaded,
            "healthz": healthz_alone,
            "healthz_signed_in": healthz_signed,
        }
        print_steps(
            "Unloaded (one officer, idle server): ratio to /healthz alone", unloaded, ratios=True
        )
        print(
            f"/healthz alone: {healthz_alone}\n/healthz with an officer's session: {healthz_signed}"
        )

        # ---- saturation: all officers at once, plus the scripted human -----------------------
        say(
            f"saturation: {args.officers} officers, "
            f">= {args.referrals_per_officer} referrals each, "
            f"<= {args.duration:.0f} s; scripted officer at human speed meanwhile"
        )
        scripted_log: dict[str, float] = {}
        scripted_result: dict[str, Any] = {}
        scripted_done = threading.Event()

        def scripted_officer() -> None:
            scripted.phase = "scripted"
            begin = time.perf_counter()
            try:
                flow = referral_flow(
                    scripted,
                    random.Random(args.seed + 7),
                    typing_pacer(typing, None, stop, scripted_log),
                    keep_pages=True,
                )
                scripted_result["reference"] = flow.reference
                scripted_result["slot_conflicts"] = flow.slot_conflicts
                # Not simulated: reading the "Tell the person" text aloud on the consent page.
                words = len(consent_script(flow.pages["consent"].text).split())
                scripted_result["consent_script_words"] = words
                scripted_result["reading_it_aloud_s_at_160_wpm"] = round(words / 160 * 60, 1)
            except (FlowError, Abandoned) as error:
                scripted_result["error"] = str(error) or type(error).__name__
            finally:
                scripted_result["total_s"] = round(time.perf_counter() - begin, 1)
                scripted_result["_finished"] = time.monotonic()
                scripted_done.set()

        saturation_cpu: dict[str, float] = {}
        deadline = time.monotonic() + args.duration
        with cpu.measure(saturation_cpu):
            human = threading.Thread(target=scripted_officer, daemon=True)
            human.start()
            saturation = run_officers(
                officers,
                "saturation",
                minimum=args.referrals_per_officer,
                deadline=deadline,
                keep_going=lambda: not scripted_done.is_set(),
                pace_for=lambda _i: no_pause,
                stop=stop,
                seed=args.seed,
            )
            load_over = time.monotonic()
            human.join(timeout=300)
        scripted_samples = recorder.of("scripted")
        server_time = sum(s.seconds for s in scripted_samples)
        scripted_result.update(
            {
                "typing_model": f"{typing.per_char} s/char, {typing.per_choice} s/choice, "
                f"{typing.per_field} s/field",
                "typing_and_tapping_s": round(scripted_log.get("typing_s", 0), 1),
                "characters": int(scripted_log.get("chars", 0)),
                "choices": int(scripted_log.get("choices", 0)),
                "fields": int(scripted_log.get("fields", 0)),
                "waiting_for_server_s": round(server_time, 1),
                "requests": len(scripted_samples),
                "load_still_running_at_finish": scripted_result.pop("_finished", 1e18) <= load_over,
            }
        )
        sat_samples = recorder.of("saturation")
        sat_stats = step_stats(sat_samples, FLOW_STEPS)
        flow_requests = len(sat_samples)
        wall = saturation.wall_s

        # ---- baseline: /healthz, same concurrency, same number of requests ------------------
        say(f"baseline: GET /healthz x {flow_requests}, {args.officers} at once")
        baseline_cpu: dict[str, float] = {}
        with cpu.measure(baseline_cpu):
            baseline_wall = hammer(
                server.base,
                "/healthz",
                concurrency=args.officers,
                total=flow_requests,
                deadline=time.monotonic() + args.duration,
                recorder=recorder,
                phase="baseline",
            )
        base_samples = recorder.of("baseline")
        baseline = summarize([s.seconds for s in base_samples])
        baseline.update(
            {
                "requests_per_s": round(len(base_samples) / baseline_wall, 1),
                "wall_s": round(baseline_wall, 1),
                "cpu": baseline_cpu,
            }
        )
        add_ratios(sat_stats, baseline)
        report["saturation"] = {
            "officers": args.officers,
            "referrals_completed": len(saturation.references),
            "referrals_failed": sum(saturation.failures.values()),
            "failures": dict(saturation.failures),
            "abandoned_at_deadline": saturation.abandoned,
            "slot_conflicts_retried": saturation.slot_conflicts,
            "wall_s": round(wall, 1),
            "requests": flow_requests,
            "requests_per_s": round(flow_requests / wall, 1),
            "referrals_per_s": round(len(saturation.references) / wall, 2),
            "referral_seconds": summarize(saturation.referral_seconds),
            "steps": sat_stats,
            "cpu": saturation_cpu,
        }
        if saturation.references:
            n = len(saturation.references)
            saturation_cpu["gunicorn_cpu_ms_per_referral"] = round(
                saturation_cpu["gunicorn_cpu_s"] * 1000 / n, 1
            )
            if saturation_cpu.get("postgres_cpu_s") is not None:
                saturation_cpu["postgres_cpu_ms_per_referral"] = round(
                    saturation_cpu["postgres_cpu_s"] * 1000 / n, 1
                )
        if base_samples:
            baseline_cpu["gunicorn_cpu_ms_per_request"] = round(
                baseline_cpu["gunicorn_cpu_s"] * 1000 / len(base_samples), 2
            )
        report["baseline"] = baseline
        report["scripted_officer"] = scripted_result
        print_steps(
            f"Saturation ({args.officers} officers, no pauses): "
            f"{len(saturation.references)} referrals, "
            f"{flow_requests} requests in {wall:.1f} s = {flow_requests / wall:.1f} req/s, "
            f"{len(saturation.references) / wall:.2f} referrals/s; "
            "ratio to /healthz at the same concurrency",
            sat_stats,
            ratios=True,
        )
        print(f"baseline /healthz x {len(base_samples)} at {args.officers} at once: {baseline}")
        print(f"CPU during saturation: {saturation_cpu}")
        print(f"scripted officer: {scripted_result}")

        # ---- paced: officers at human speed ---------------------------------------------------
        if args.paced_seconds > 0:
            say(
                f"paced: {args.officers} officers at human typing speed "
                f"for {args.paced_seconds:.0f} s"
            )
            paced_cpu: dict[str, float] = {}
            phase_over = threading.Event()  # at the deadline, officers abandon what they are typing
            timer = threading.Timer(args.paced_seconds, phase_over.set)
            with cpu.measure(paced_cpu):
                timer.start()
                paced = run_officers(
                    officers,
                    "paced",
                    minimum=10**6,
                    deadline=time.monotonic() + args.paced_seconds,
                    keep_going=lambda: True,
                    pace_for=lambda i: typing_pacer(
                        typing, random.Random(args.seed + 100 + i), phase_over
                    ),
                    stop=phase_over,
                    seed=args.seed + 1,
                    stagger=15.0,
                )
            timer.cancel()
            paced_samples = recorder.of("paced")
            paced_stats = step_stats(paced_samples, FLOW_STEPS)
            add_ratios(paced_stats, healthz_alone)
            report["paced"] = {
                "officers": args.officers,
                "seconds": args.paced_seconds,
                "referrals_completed": len(paced.references),
                "referrals_failed": sum(paced.failures.values()),
                "failures": dict(paced.failures),
                "abandoned_at_deadline": paced.abandoned,
                "slot_conflicts_retried": paced.slot_conflicts,
                "requests": len(paced_samples),
                "requests_per_s": round(len(paced_samples) / paced.wall_s, 1),
                "referral_seconds": summarize(paced.referral_seconds),
                "steps": paced_stats,
                "cpu": paced_cpu,
            }
            print_steps(
                f"Paced ({args.officers} officers at human speed, "
                f"{len(paced.references)} referrals, "
                f"{len(paced_samples) / paced.wall_s:.1f} req/s): ratio to /healthz alone",
                paced_stats,
                ratios=True,
            )
            print(f"whole referral at human speed: {summarize(paced.referral_seconds)}")
            print(f"CPU during paced: {paced_cpu}")
        else:
            paced = PhaseOutcome()

        # ---- page weights ---------------------------------------------------------------------
        say("page weights")
        weigher.phase = "page_weights"
        weights, weights_ref = page_weights(weigher, random.Random(args.seed + 9), server.base)
        report["page_weights"] = weights
        rows = []
        for step, page in weights["pages"].items():
            rows.append(
                [
                    step,
                    page["path"],
                    round(page["html_bytes"] / 1024, 1),
                    round(page["html_gzip_bytes"] / 1024, 1),
                    round(page["first_visit_bytes"] / 1024, 1),
                    round(page["first_visit_gzip_bytes"] / 1024, 1),
                    round(page["repeat_visit_bytes"] / 1024, 1),
                    round(page["repeat_visit_gzip_bytes"] / 1024, 1),
                ]
            )
        print(
            "\nPage weights (KB; gzip = if the server compressed)\n"
            + table(
                [
                    "page",
                    "path",
                    "HTML",
                    "HTML gz",
                    "first visit",
                    "first gz",
                    "after first",
                    "after gz",
                ],
                rows,
            )
        )

        # ---- queries per step, in-process -----------------------------------------------------
        say("SQL queries per step (in-process test client)")
        profile, profile_refs = query_profile(profile_account.pk, random.Random(args.seed + 11))
        report["queries_per_step"] = profile
        print(
            table(
                ["step", "queries", "in-process ms", "SQL ms", "Python CPU ms", "by kind"],
                [
                    [
                        s,
                        p["queries"],
                        p["in_process_ms_median"],
                        p["sql_ms_median"],
                        p["python_cpu_ms_median"],
                        p["by_kind"],
                    ]
                    for s, p in profile.items()
                ],
            )
        )

        # ---- correctness ---------------------------------------------------------------------
        statuses: Counter[int] = Counter(s.status for s in recorder.samples)
        references = [
            *warm_refs,
            *unloaded_refs,
            *saturation.references,
            *paced.references,
            *profile_refs,
        ]
        if scripted_result.get("reference"):
            references.append(scripted_result["reference"])
        references.append(weights_ref)
        report["checks"] = correctness(references, [a.pk for a in accounts], started_at, statuses)
        if postgres is not None:
            report["postgres"]["lock_waits"] = name_relations(postgres.lock_waits())
            print(f"PostgreSQL lock waits: {report['postgres']['lock_waits']}")
        log_text = (temp / "gunicorn.log").read_text(errors="replace")
        report["checks"]["gunicorn_log_tracebacks"] = log_text.count("Traceback")
        report["checks"]["gunicorn_worker_timeouts"] = log_text.count("WORKER TIMEOUT")
        print(f"\nchecks: {json.dumps(report['checks'], indent=1)}")

        # ---- targets ---------------------------------------------------------------------------
        def over(stats: dict[str, Any]) -> dict[str, float]:
            return {
                k: v["p95_ms"] for k, v in stats.items() if k in FLOW_STEPS and v["p95_ms"] > 100
            }

        report["targets"] = {
            "p95_le_100ms_paced": {
                "met": not over(report.get("paced", {}).get("steps", {})),
                "steps_over": over(report.get("paced", {}).get("steps", {})),
            },
            "p95_le_100ms_saturation": {"met": not over(sat_stats), "steps_over": over(sat_stats)},
            "p95_le_100ms_unloaded": {"met": not over(unloaded), "steps_over": over(unloaded)},
            "page_le_100kb_after_first_visit": {
                "met": all(
                    p["repeat_visit_bytes"] <= 100 * 1024 for p in weights["pages"].values()
                ),
                "largest_kb": round(
                    max(p["repeat_visit_bytes"] for p in weights["pages"].values()) / 1024, 1
                ),
            },
            "scripted_officer_under_90s": {
                "met": "error" not in scripted_result and scripted_result["total_s"] < 90,
                "seconds": scripted_result.get("total_s"),
            },
        }
        print(f"\ntargets: {json.dumps(report['targets'], indent=1)}")
    finally:
        stop.set()
        if server is not None:
            server.stop()
            with contextlib.suppress(OSError):
                report.setdefault("logs", {})["gunicorn_log_tail"] = (
                    (temp / "gunicorn.log").read_text(errors="replace").splitlines()[-5:]
                )
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(temp, ignore_errors=True)
        report["product_problems_seen"] = sorted(PROBLEMS)
        report["slot_conflict_messages"] = dict(CONFLICTS)
        report["machine"]["load_average_at_end"] = os.getloadavg()
        report["total_runtime_s"] = round(time.perf_counter() - total_begin, 1)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=1, default=str))
        say(f"wrote {output} (total {report['total_runtime_s']} s)")
    return 0 if report.get("checks", {}).get("passed") else 1


if __name__ == "__main__":
    sys.exit(main())
