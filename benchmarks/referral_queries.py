#!/usr/bin/env python3
"""The SQL and the Python CPU of the officer's final submission (issue 3), in-process.

Run on demand (this is not a test, and it sends no HTTP traffic):

    .venv/bin/python benchmarks/referral_queries.py                  # SQLite, in memory
    DATABASE_URL=postgres://user@127.0.0.1:5432/diversion_queries \\
        .venv/bin/python benchmarks/referral_queries.py --referrals 10 --list

It creates a throw-away test database the way the test runner does (`test_` + the database's
name, migrated, dropped at the end), adds a scheme, an officer and slots with the tests'
factories, then drives `--referrals` referrals through Django's test client: start, person, stop,
consent page, **consent POST** and the confirmation page (`done`). For the two last steps it
prints the number of queries of the last referral, by kind, the median Python CPU of this thread
(`time.thread_time`, which excludes the database's own work when it runs in another process) and
the median wall time. `--list` prints every statement of the last submission with its literals
replaced by `?`. The load benchmark (`referral.py`) reports the same counts for every step, but
needs a whole PostgreSQL cluster and several minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DIVERSION_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diversion.settings")

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")
STEPS = ("consent_post", "done_get")


def _data() -> tuple[Any, Any]:
    """A scheme, one of its officers and 60 slots from tomorrow."""
    from django.utils import timezone

    from diversion.accounts.tests.factories import UserFactory
    from diversion.core.roles import Role
    from diversion.reference.loader import load_reference_data
    from diversion.reference.models import SelfDefinedEthnicity
    from diversion.scheduling.models import Slot
    from diversion.schemes.tests.factories import SchemeFactory

    if not SelfDefinedEthnicity.objects.exists():
        load_reference_data()
    scheme = SchemeFactory()
    officer = UserFactory(role=Role.OFFICER, organisation=scheme.force)
    worker = UserFactory(role=Role.WORKER, organisation=scheme.provider)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    Slot.objects.bulk_create(
        Slot(
            scheme=scheme,
            worker=worker,
            starts_at=start + dt.timedelta(days=1, minutes=45 * i),
            ends_at=start + dt.timedelta(days=1, minutes=45 * (i + 1)),
        )
        for i in range(60)
    )
    return scheme, officer


def _flow(client: Any, scheme: Any, n: int, record: Any) -> None:
    from django.urls import reverse
    from django.utils import timezone

    client.get(reverse("officer:start"))
    given = "".join(chr(65 + (n // 26**i) % 26) for i in range(4)).title()
    born = dt.date(1975, 1, 1) + dt.timedelta(days=97 * n)  # a new person: no look-alike either
    person = {
        "given_name": f"Sam{given}",
        "family_name": f"Okafor{given}",
        "date_of_birth_0": str(born.day),
        "date_of_birth_1": str(born.month),
        "date_of_birth_2": str(born.year),
        "sex": "female",
        "self_defined_ethnicity": "W1",
        "observed_ethnicity": "IC1",
        "mobile": "07911 123456",
        "email": "sam@example.org",
        "preferred_language": "en",
        "safe_to_text": "on",
        "discreet_messages": "on",
    }
    response = client.post(reverse("officer:person"), person)
    assert response.status_code == 302, "the person page refused the details"
    now = timezone.localtime() - dt.timedelta(minutes=5)
    stop = {
        "stopped_on_0": str(now.day),
        "stopped_on_1": str(now.month),
        "stopped_on_2": str(now.year),
        "stopped_time": f"{now:%H:%M}",
        "local_authority": str(scheme.local_authorities.first().pk),
        "place": "Corporation Street",
        "how_found": "stop_and_search",
        "drug_0": "cannabis",
        "drug_0_quantity": "2 grams",
    }
    response = client.post(reverse("officer:stop"), stop)
    assert response.status_code == 302, "the stop page refused the details"
    page = client.get(reverse("officer:consent"))
    form = page.context["form"]
    consent = {
        "consent_to_contact": "on",
        "consent_to_share": "on",
        "slot": form.initial["slot"],
        "token": form.initial["token"],
    }
    response = record("consent_post", lambda: client.post(reverse("officer:consent"), consent))
    assert response.status_code == 302, "the submission was refused"
    assert "/new/" not in response["Location"], "the submission was sent back to the form"
    record("done_get", lambda: client.get(response["Location"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=10, help="referrals to time (10)")
    parser.add_argument("--list", action="store_true", help="print the submission's statements")
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    from diversion.accounts.tests.helpers import sign_in

    logging.disable(logging.INFO)
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        scheme, officer = _data()
        client = sign_in(Client(), officer)
        sql: dict[str, list[str]] = {}
        cpu: dict[str, list[float]] = {step: [] for step in STEPS}
        wall: dict[str, list[float]] = {step: [] for step in STEPS}

        def record(step: str, call: Any) -> Any:
            begin, thread = time.perf_counter(), time.thread_time()
            with CaptureQueriesContext(connection) as captured:
                response = call()
            wall[step].append(time.perf_counter() - begin)
            cpu[step].append(time.thread_time() - thread)
            sql[step] = [q["sql"] for q in captured.captured_queries]
            return response

        for n in range(args.referrals + 1):  # the first one warms the caches, not timed
            _flow(client, scheme, n, record)
            if n == 0:
                cpu, wall = {s: [] for s in STEPS}, {s: [] for s in STEPS}
        print(f"{connection.vendor}, {args.referrals} referrals (medians)")
        for step in STEPS:
            kinds = Counter(q.split(None, 1)[0].upper() for q in sql[step] if q.strip())
            print(
                f"{step:13} {len(sql[step]):3} queries  "
                f"CPU {statistics.median(cpu[step]) * 1000:6.1f} ms  "
                f"wall {statistics.median(wall[step]) * 1000:6.1f} ms  {dict(kinds)}"
            )
        if args.list:
            for step in STEPS:
                print(f"\n{step}:")
                for number, query in enumerate(sql[step], 1):
                    print(f"{number:3}. {_LITERALS.sub('?', query)[:150]}")
    finally:
        connection.close()
        teardown_databases(databases, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    sys.exit(main())
