"""Fifty officers booking the same slot at the same moment get exactly one booking."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking
from diversion.scheduling.services import SlotUnavailable

OFFICERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_bookings_of_one_slot_give_exactly_one(
    scheme: Any, slots: list[Any], officer: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one in-memory connection")
    barrier = threading.Barrier(OFFICERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            referral_submit(
                officer=officer,
                scheme=scheme,
                person=person_details(given_name=f"Person{index}", family_name=f"Number{index}"),
                stop=stop_details(scheme),
                consent_to_contact=True,
                consent_to_share=True,
                slot_id=slots[0].pk,
                idempotency_key=f"concurrent-{index}",
            )
            result = "booked"
        except SlotUnavailable:
            result = "refused"
        except Exception as error:
            result = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(i,)) for i in range(OFFICERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(set(outcomes)) == ["booked", "refused"], outcomes
    assert outcomes.count("booked") == 1
    assert Booking.objects.filter(slot=slots[0]).count() == 1
    assert Referral.objects.count() == 1  # the refused ones rolled back whole
