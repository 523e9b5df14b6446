"""The demo gives each worker a day: calls today, misses to follow up, an overdue case, an
interpreter, and a worker on leave whose booked call needs reassigning."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.demo.accounts import create_accounts
from diversion.demo.rotas import create_rotas
from diversion.demo.schemes import create_schemes
from diversion.demo.workday import create_workday
from diversion.scheduling import selectors
from diversion.scheduling.models import Booking, ContactAttempt, RotaException

pytestmark = pytest.mark.django_db


def test_every_demo_worker_has_calls_today_and_misses_to_follow_up(reference_data: Any) -> None:
    create_schemes()
    create_accounts()
    create_rotas(days=7)

    made = create_workday()

    assert create_workday() == 0  # once a day
    workers = list(User.objects.filter(role=Role.WORKER))
    assert made >= len(workers) * 6
    for worker in workers:
        today = selectors.calls_on_day(
            user=worker, day=timezone.localdate(), worker_ids=[worker.pk]
        )
        assert len(today) == 4, worker
        assert len(selectors.missed_awaiting_follow_up(user=worker, worker_ids=[worker.pk])) == 2
        assert any(case.overdue for case in selectors.cases_unassigned_or_overdue(user=worker))
    assert Booking.objects.filter(interpreter="booked").exists()
    assert ContactAttempt.objects.filter(outcome="wrong_number").exists()
    manager = User.objects.get(email="manager@demo.diversion.invalid")
    assert RotaException.objects.filter(worker__full_name="Grace Adeyemi").exists()
    assert len(selectors.bookings_needing_reassignment(user=manager)) == 1
