"""Weekly hours, time away and bank holidays make exactly the right slots; changing a rota
regenerates the free slots and never touches a booked one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.scheduling.models import Availability, RotaException, Slot
from diversion.scheduling.rotas import (
    availability_add,
    rota_exception_add,
    rota_exception_remove,
)
from diversion.scheduling.selectors import bookings_needing_reassignment
from diversion.scheduling.services import slots_generate

from .helpers import at, booked_call

pytestmark = pytest.mark.django_db

EASTER_MONDAY = dt.date(2027, 3, 29)


@pytest.fixture
def manager(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.PROVIDER_MANAGER, scheme)


@pytest.fixture
def worker(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.WORKER, scheme)


def _mornings(worker: Any, scheme: Any) -> None:
    for weekday in range(5):
        Availability.objects.create(
            worker=worker,
            scheme=scheme,
            weekday=weekday,
            starts_at=dt.time(9, 0),
            ends_at=dt.time(12, 0),
            slot_minutes=60,
        )


def _starts(worker: Any) -> list[tuple[str, str]]:
    return [
        (f"{timezone.localtime(s.starts_at):%a %d}", f"{timezone.localtime(s.starts_at):%H:%M}")
        for s in Slot.objects.filter(worker=worker, is_withdrawn=False).order_by("starts_at")
    ]


def test_a_week_with_easter_monday_and_a_day_of_leave_gives_exactly_the_working_slots(
    scheme: Any, worker: Any, manager: Any
) -> None:
    _mornings(worker, scheme)
    RotaException.objects.create(
        worker=worker,
        kind="leave",
        starts_on=dt.date(2027, 3, 31),
        ends_on=dt.date(2027, 3, 31),
        created_by=manager,
    )
    RotaException.objects.create(
        worker=worker,
        kind="training",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2027, 4, 1),
        from_time=dt.time(10, 30),
        to_time=dt.time(12, 0),
        created_by=manager,
    )

    created = slots_generate(scheme_id=scheme.pk, start=EASTER_MONDAY, days=7)

    # Monday is Easter Monday, Wednesday is leave, Thursday's training overlaps 10:00 and 11:00.
    assert _starts(worker) == [
        ("Tue 30", "09:00"),
        ("Tue 30", "10:00"),
        ("Tue 30", "11:00"),
        ("Thu 01", "09:00"),
        ("Fri 02", "09:00"),
        ("Fri 02", "10:00"),
        ("Fri 02", "11:00"),
    ]
    assert created == 7
    assert slots_generate(scheme_id=scheme.pk, start=EASTER_MONDAY, days=7) == 0


def test_adding_leave_takes_free_slots_out_but_leaves_a_booked_call_flagged_for_reassignment(
    scheme: Any, worker: Any, manager: Any, officer: Any
) -> None:
    _mornings(worker, scheme)
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    slots_generate(scheme_id=scheme.pk, start=monday, days=5)
    Slot.objects.filter(worker=worker, starts_at=at(monday, 10)).delete()
    booking = booked_call(officer, scheme, worker, at(monday, 10))

    rota_exception_add(
        actor=Actor.of(manager),
        worker=worker,
        kind="sickness",
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=1),
    )

    left = Slot.objects.filter(
        worker=worker,
        is_withdrawn=False,
        starts_at__gte=at(monday, 0),
        starts_at__lt=at(monday, 23),
    )
    assert list(left) == [booking.slot]
    assert (
        Slot.objects.filter(worker=worker, starts_at__date=monday + dt.timedelta(days=2)).count()
        == 3
    )
    assert bookings_needing_reassignment(user=manager) == [booking]
    assert AuditEvent.objects.filter(object_type="scheduling.RotaException").count() == 1


def test_removing_leave_puts_the_slots_back(scheme: Any, worker: Any, manager: Any) -> None:
    _mornings(worker, scheme)
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    exception = rota_exception_add(
        actor=Actor.of(manager),
        worker=worker,
        kind="leave",
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
    )
    assert (
        not Slot.objects.filter(worker=worker, starts_at__gte=at(monday, 0))
        .exclude(starts_at__gte=at(monday + dt.timedelta(days=5), 0))
        .exists()
    )

    rota_exception_remove(actor=Actor.of(manager), exception=exception)

    week = Slot.objects.filter(
        worker=worker,
        is_withdrawn=False,
        starts_at__gte=at(monday, 0),
        starts_at__lt=at(monday + dt.timedelta(days=5), 0),
    )
    assert week.count() == 15


def test_new_weekly_hours_make_slots_from_today_for_four_weeks(
    scheme: Any, worker: Any, manager: Any
) -> None:
    availability_add(
        actor=Actor.of(manager),
        worker=worker,
        scheme=scheme,
        weekday=5,
        starts_at=dt.time(10, 0),
        ends_at=dt.time(11, 30),
        slot_minutes=45,
    )
    slots = list(Slot.objects.filter(worker=worker))
    assert len(slots) in {7, 8}  # two a Saturday, for the Saturdays in the next 28 days
    assert {timezone.localtime(s.starts_at).weekday() for s in slots} == {5}
    assert AuditEvent.objects.filter(object_type="scheduling.Availability").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": dt.time(12, 0), "ends_at": dt.time(9, 0)}, "ends_at"),
        ({"starts_at": dt.time(11, 0), "ends_at": dt.time(13, 0)}, "starts_at"),
        ({"slot_minutes": 5}, "slot_minutes"),
    ],
)
def test_hours_that_end_before_they_start_or_overlap_are_refused_and_change_nothing(
    scheme: Any, worker: Any, manager: Any, changes: dict[str, Any], field: str
) -> None:
    _mornings(worker, scheme)
    values: dict[str, Any] = {
        "weekday": 0,
        "starts_at": dt.time(13, 0),
        "ends_at": dt.time(15, 0),
        "slot_minutes": 45,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        availability_add(actor=Actor.of(manager), worker=worker, scheme=scheme, **values)
    assert field in error.value.error_dict
    assert Availability.objects.filter(worker=worker).count() == 5
    assert not Slot.objects.exists()
    assert not AuditEvent.objects.filter(object_type="scheduling.Availability").exists()


def test_time_away_ending_before_it_starts_is_refused(worker: Any, manager: Any) -> None:
    with pytest.raises(ValidationError) as error:
        rota_exception_add(
            actor=Actor.of(manager),
            worker=worker,
            kind="leave",
            starts_on=dt.date(2027, 1, 5),
            ends_on=dt.date(2027, 1, 4),
        )
    assert "ends_on" in error.value.error_dict
    assert not RotaException.objects.exists()
