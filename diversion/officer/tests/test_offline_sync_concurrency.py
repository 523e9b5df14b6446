"""Ten replays of one offline referral reaching the live server at the same moment (a phone's
retries, background syncs and open tabs) make exactly one referral and one booking."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from diversion.accounts.tests.helpers import sign_in
from diversion.officer.tests.test_offline_sync import offline_referral
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking

REPLAYS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_replays_of_one_offline_referral_make_one(
    live_server: Any, scheme: Any, slots: list[Any], officer: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one in-memory connection")
    client = sign_in(Client(), officer)
    token = client.get(reverse("officer:offline-session")).json()["sync_token"]
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    body = json.dumps(offline_referral(scheme, slots[0])).encode()
    barrier = threading.Barrier(REPLAYS)
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def replay() -> None:
        request = urllib.request.Request(
            f"{live_server.url}/referrals/sync/",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Offline-Token": token,
                "Cookie": cookie,
            },
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = (response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            answer = (error.code, error.read().decode())
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=replay) for _ in range(REPLAYS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (REPLAYS - 1) + [201], answers
    references = {answer["reference"] for _, answer in answers}
    assert len(references) == 1
    assert Referral.objects.count() == 1
    assert Referral.objects.get().reference in references
    assert Booking.objects.count() == 1
