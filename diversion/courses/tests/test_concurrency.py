"""Twenty workers booking the last seats of one session at the same moment never over-book it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from diversion.audit.services import SYSTEM
from diversion.courses.enrolment import enrolment_book
from diversion.courses.tests.builders import (
    assessed_referrals,
    course_type_for,
    in_days,
    session_on,
)

PEOPLE = 20
SEATS = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_fill_the_seats_exactly_and_wait_list_the_rest(
    scheme: Any, officer: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one in-memory connection")
    course = course_type_for(scheme)
    session = session_on(scheme, course, in_days(3), capacity=SEATS)
    people = assessed_referrals(scheme, officer, PEOPLE)
    barrier = threading.Barrier(PEOPLE)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(referral_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            placement = enrolment_book(
                actor=SYSTEM, referral_id=referral_id, course_type_id=course.pk
            )
            result = "booked" if placement.enrolment else "waitlisted"
        except Exception as error:
            result = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(p.pk,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(set(outcomes)) == ["booked", "waitlisted"], outcomes
    assert outcomes.count("booked") == SEATS
    assert sorted(session.enrolments.values_list("seat", flat=True)) == list(range(1, SEATS + 1))
