"""The worker's day, the manager's team view, the call pages and the rota pages: contents,
order, scoping to the user's scheme, audit rows, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.calls import booking_mark_missed
from diversion.scheduling.models import (
    Availability,
    Booking,
    BookingChange,
    BookingStatus,
    ContactAttempt,
    RotaException,
)

from .helpers import at, booked_call, free_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.WORKER, scheme, full_name="Jordan Ellis")


@pytest.fixture
def worker_client(worker: Any) -> Any:
    from django.test import Client

    return sign_in(Client(), worker)


def _text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _tomorrow(hour: int) -> dt.datetime:
    return at(timezone.localdate() + dt.timedelta(days=1), hour)


def test_the_workers_day_lists_todays_calls_in_time_order_with_contact_preferences(
    scheme: Any, officer: Any, worker: Any, worker_client: Any, make_user: Any
) -> None:
    today = timezone.localdate()
    late = booked_call(officer, scheme, worker, at(today, 14), given_name="Zara", safe_to_text=True)
    early = booked_call(
        officer,
        scheme,
        worker,
        at(today, 9),
        given_name="Amir",
        safe_to_text=False,
        safe_to_leave_voicemail=True,
        preferred_language="pl",
    )
    Booking.objects.filter(pk=early.pk).update(interpreter="booked", interpreter_language="Polish")
    colleague = make_user(Role.WORKER, scheme)
    booked_call(officer, scheme, colleague, at(today, 10), given_name="Colleagues")
    booked_call(officer, scheme, worker, _tomorrow(9), given_name="Tomorrow")

    response = worker_client.get(reverse("scheduling:day"))

    assert response.status_code == 200
    text = _text(response)
    calls = text.split("Today's calls")[2].split("Missed calls to follow up")[0]
    assert calls.index("09:00") < calls.index("Amir") < calls.index("14:00") < calls.index("Zara")
    assert "Colleagues" not in calls and "Tomorrow" not in calls
    assert "Texts: no Voicemail: yes Polish (polski) Interpreter booked: Polish" in calls
    assert "Texts: yes Voicemail: no English" in calls
    event = AuditEvent.objects.get(reason="worker's day")
    assert set(event.changes["referral_ids"]) == {early.referral_id, late.referral_id}


def test_the_workers_day_lists_missed_calls_and_overdue_cases(
    scheme: Any, officer: Any, worker: Any, worker_client: Any
) -> None:
    missed = booked_call(
        officer, scheme, worker, timezone.now() - dt.timedelta(days=2), given_name="Missy"
    )
    booking_mark_missed(booking_id=missed.pk, actor=Actor.of(worker))
    Referral.objects.filter(pk=missed.referral_id).update(
        created_at=timezone.now() - dt.timedelta(days=scheme.days_to_assessment + 1)
    )

    text = _text(worker_client.get(reverse("scheduling:day")))

    follow_up = text.split("Missed calls to follow up", 1)[1].split("Unassigned and overdue")[0]
    assert "Missy" in follow_up and "Rebook" in follow_up
    cases = text.split("Unassigned and overdue cases", 1)[1]
    assert "Missy" in cases and "Overdue" in cases


def test_a_worker_records_a_no_answer_in_one_click_and_it_is_listed(
    scheme: Any, officer: Any, worker: Any, worker_client: Any
) -> None:
    call = booked_call(officer, scheme, worker, timezone.now())
    url = reverse("scheduling:call", args=[call.pk])
    page = _text(worker_client.get(url))
    assert "Voicemail left" not in page  # the person did not allow voicemail: not offered

    response = worker_client.post(url, {"outcome": "no_answer"})

    assert response.status_code == 302
    assert ContactAttempt.objects.get().outcome == "no_answer"
    assert "No answer, " in _text(worker_client.get(url))


def test_showing_a_call_is_audited_as_a_read_and_recording_an_attempt_only_as_a_change(
    scheme: Any, officer: Any, worker: Any, worker_client: Any
) -> None:
    call = booked_call(officer, scheme, worker, timezone.now())
    url = reverse("scheduling:call", args=[call.pk])
    reads = AuditEvent.objects.filter(action="read", reason="assessment call page")

    worker_client.get(url)
    assert [(e.object_id, e.actor) for e in reads] == [(str(call.referral_id), worker)]
    worker_client.post(url, {"outcome": "no_answer"})
    assert reads.count() == 1


@pytest.mark.parametrize("outcome", ["voicemail", "", "shouted"])
def test_a_refused_or_bad_contact_attempt_shows_an_error_and_changes_nothing(
    scheme: Any, officer: Any, worker: Any, worker_client: Any, outcome: str
) -> None:
    call = booked_call(officer, scheme, worker, timezone.now())
    response = worker_client.post(reverse("scheduling:call", args=[call.pk]), {"outcome": outcome})
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    expected = "has not agreed to voicemail" if outcome == "voicemail" else "Choose what happened"
    assert expected in text
    assert not ContactAttempt.objects.exists()


def test_a_worker_marks_a_call_missed_and_rebooks_it_with_a_reason(
    scheme: Any, officer: Any, worker: Any, worker_client: Any
) -> None:
    call = booked_call(officer, scheme, worker, timezone.now() - dt.timedelta(minutes=20))
    response = worker_client.post(reverse("scheduling:missed", args=[call.pk]))
    assert response.status_code == 302
    call.referral.refresh_from_db()
    assert call.referral.status == ReferralStatus.ASSESSMENT_MISSED

    slot = free_slot(scheme, worker, _tomorrow(11))
    url = reverse("scheduling:rebook", args=[call.pk])
    response = worker_client.post(url, {"slot": slot.pk, "reason": "Phone was off"})

    assert response.status_code == 302
    new = Booking.objects.get(slot=slot)
    assert response["Location"] == reverse("scheduling:call", args=[new.pk])
    page = _text(worker_client.get(response["Location"]))
    assert "Rebooked on" in page and "Reason: Phone was off" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Phone was off"}, "Choose a time"),
        ({"slot": "999999", "reason": "x"}, "Choose one of the times shown"),
        ({"slot": "SLOT", "reason": ""}, "Enter the reason"),
    ],
)
def test_bad_rebooking_input_shows_an_error_and_changes_nothing(
    scheme: Any,
    officer: Any,
    worker: Any,
    worker_client: Any,
    data: dict[str, str],
    message: str,
) -> None:
    call = booked_call(officer, scheme, worker, timezone.now() - dt.timedelta(minutes=20))
    booking_mark_missed(booking_id=call.pk, actor=Actor.of(worker))
    slot = free_slot(scheme, worker, _tomorrow(11))
    data = {k: str(slot.pk) if v == "SLOT" else v for k, v in data.items()}

    response = worker_client.post(reverse("scheduling:rebook", args=[call.pk]), data)

    assert response.status_code == 200
    assert message in _text(response)
    call.referral.refresh_from_db()
    assert call.referral.status == ReferralStatus.ASSESSMENT_MISSED
    assert not slot.bookings.exists() and not BookingChange.objects.exists()


def test_the_rebook_page_says_when_the_limit_is_reached(
    scheme: Any, officer: Any, worker: Any, worker_client: Any
) -> None:
    scheme.missed_appointments_limit = 1
    scheme.save()
    call = booked_call(officer, scheme, worker, timezone.now() - dt.timedelta(minutes=20))
    booking_mark_missed(booking_id=call.pk, actor=Actor.of(worker))
    free_slot(scheme, worker, _tomorrow(11))
    text = _text(worker_client.get(reverse("scheduling:rebook", args=[call.pk])))
    assert "limit of missed appointments has been reached" in text
    assert "Phone was off" not in text


def test_another_schemes_worker_and_manager_get_not_found(
    scheme: Any, other_scheme: Any, officer: Any, worker: Any, client_for: Any
) -> None:
    call = booked_call(officer, scheme, worker, _tomorrow(10))
    stranger = client_for(Role.WORKER, other_scheme)
    manager = client_for(Role.PROVIDER_MANAGER, other_scheme)
    for name in ("call", "missed", "rebook", "interpreter"):
        assert stranger.get(reverse(f"scheduling:{name}", args=[call.pk])).status_code == 404
    assert manager.get(reverse("scheduling:reassign", args=[call.pk])).status_code == 404
    assert manager.get(reverse("scheduling:rota", args=[worker.pk])).status_code == 404
    response = stranger.post(reverse("scheduling:call", args=[call.pk]), {"outcome": "no_answer"})
    assert response.status_code == 404
    assert not ContactAttempt.objects.exists()
    assert "Person" not in _text(manager.get(reverse("scheduling:team")))


def test_the_team_view_shows_each_worker_and_the_manager_reassigns_a_call(
    scheme: Any, officer: Any, worker: Any, make_user: Any, client_for: Any
) -> None:
    manager = make_user(Role.PROVIDER_MANAGER, scheme)
    colleague = make_user(Role.WORKER, scheme, full_name="Grace Adeyemi")
    today = timezone.localdate()
    booked_call(officer, scheme, worker, at(today, 9), given_name="Amir")
    later = booked_call(officer, scheme, worker, _tomorrow(10), given_name="Bea")
    RotaException.objects.create(
        worker=worker,
        kind="sickness",
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        created_by=manager,
    )
    free = free_slot(scheme, colleague, _tomorrow(10))
    client = sign_in(__import__("django.test").test.Client(), manager)

    text = _text(client.get(reverse("scheduling:team")))
    assert "Jordan Ellis" in text and "Grace Adeyemi" in text
    assert "Away: sickness" in text
    to_reassign = text.split("Calls to reassign")[2].split("'s calls today")[0]
    assert "Bea" in to_reassign
    shown = AuditEvent.objects.get(reason="team's day", actor=manager).changes["referral_ids"]
    assert later.referral_id in shown

    page = _text(client.get(reverse("scheduling:reassign", args=[later.pk])))
    assert "with Grace Adeyemi" in page
    bad = client.post(reverse("scheduling:reassign", args=[later.pk]), {"slot": free.pk})
    assert "Enter the reason" in _text(bad)
    assert Booking.objects.get(pk=later.pk).status == BookingStatus.BOOKED

    response = client.post(
        reverse("scheduling:reassign", args=[later.pk]),
        {"slot": free.pk, "reason": "Jordan is off sick"},
    )
    assert response.status_code == 302
    assert Booking.objects.get(pk=later.pk).status == BookingStatus.CANCELLED
    assert Booking.objects.get(slot=free).referral_id == later.referral_id
    assert AuditEvent.objects.filter(reason="assessment call reassigned").count() == 1


def test_a_worker_cannot_reassign_calls(
    scheme: Any, officer: Any, worker: Any, worker_client: Any
) -> None:
    call = booked_call(officer, scheme, worker, _tomorrow(10))
    assert worker_client.get(reverse("scheduling:reassign", args=[call.pk])).status_code == 403


def test_the_interpreter_is_recorded_and_a_missing_language_changes_nothing(
    scheme: Any, officer: Any, worker: Any, worker_client: Any
) -> None:
    call = booked_call(officer, scheme, worker, _tomorrow(10))
    url = reverse("scheduling:interpreter", args=[call.pk])
    bad = worker_client.post(url, {"interpreter": "booked", "language": ""})
    assert "Enter the language the interpreter speaks" in _text(bad)
    assert Booking.objects.get(pk=call.pk).interpreter == "not_needed"

    worker_client.post(url, {"interpreter": "booked", "language": "Tigrinya"})
    call.refresh_from_db()
    assert (call.interpreter, call.interpreter_language) == ("booked", "Tigrinya")
    assert AuditEvent.objects.filter(reason="interpreter for the assessment call").exists()


def test_a_manager_adds_weekly_hours_and_time_away_and_bad_input_changes_nothing(
    scheme: Any, worker: Any, client_for: Any
) -> None:
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    url = reverse("scheduling:rota", args=[worker.pk])
    bad = client.post(
        url, {"weekday": "2", "starts_at": "17:00", "ends_at": "9am", "slot_minutes": "45"}
    )
    assert "End time must be a time" in _text(bad)
    assert not Availability.objects.exists()

    good = client.post(
        url,
        {
            "weekday": "2",
            "starts_at": "09:00",
            "ends_at": "12:00",
            "slot_minutes": "60",
            "scheme": scheme.pk,
        },
    )
    assert good.status_code == 302
    assert Availability.objects.get().starts_at == dt.time(9)
    assert worker.slots.count() >= 12

    away = reverse("scheduling:away-add", args=[worker.pk])
    bad = client.post(away, {"kind": "leave", "starts_on": "9/12/2026", "ends_on": "8/12/2026"})
    assert "The last day must be the same as or after the first day" in _text(bad)
    bad = client.post(
        away,
        {
            "kind": "training",
            "starts_on": "9/12/2026",
            "ends_on": "9/12/2026",
            "from_time": "13:00",
        },
    )
    assert "Enter both times for part of a day, or neither" in _text(bad)
    assert not RotaException.objects.exists()

    wednesday = timezone.localdate() + dt.timedelta(
        days=(2 - timezone.localdate().weekday()) % 7 + 7
    )
    good = client.post(
        away,
        {
            "kind": "leave",
            "starts_on": wednesday.strftime("%d/%m/%Y"),
            "ends_on": wednesday.strftime("%d/%m/%Y"),
        },
    )
    assert good.status_code == 302
    assert not worker.slots.filter(starts_at__date=wednesday, is_withdrawn=False).exists()
    assert "Annual leave" in _text(client.get(reverse("scheduling:rotas")))
