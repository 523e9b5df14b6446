"""Contact attempts, a missed call, rebooking it up to the scheme's limit, and reassignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.messaging.models import Message
from diversion.referrals.lifecycle import ReferralStatus
from diversion.scheduling.calls import booking_mark_missed, contact_attempt_record
from diversion.scheduling.models import Booking, BookingChange, BookingStatus, ContactAttempt
from diversion.scheduling.selectors import booking_history
from diversion.scheduling.services import (
    BookingRefused,
    SlotUnavailable,
    booking_reassign,
    booking_rebook,
)

from .helpers import booked_call, free_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.WORKER, scheme)


@pytest.fixture
def call(officer: Any, scheme: Any, worker: Any) -> Booking:
    """A call that started half an hour ago; the person allowed texts but not voicemail."""
    return booked_call(
        officer, scheme, worker, timezone.now() - dt.timedelta(minutes=30), safe_to_text=True
    )


def _tomorrow(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_a_no_answer_is_recorded_with_who_and_when_and_audited(call: Booking, worker: Any) -> None:
    attempt = contact_attempt_record(
        booking_id=call.pk, outcome="no_answer", actor=Actor.of(worker)
    )
    assert (attempt.outcome, attempt.made_by) == ("no_answer", worker)
    assert abs(attempt.made_at - timezone.now()) < dt.timedelta(minutes=1)
    event = AuditEvent.objects.get(object_type="scheduling.ContactAttempt")
    assert event.changes["outcome"] == "no_answer"
    assert event.actor == worker


def test_a_voicemail_is_refused_when_the_person_did_not_allow_it(
    call: Booking, worker: Any
) -> None:
    with pytest.raises(BookingRefused, match="not agreed to voicemail"):
        contact_attempt_record(booking_id=call.pk, outcome="voicemail", actor=Actor.of(worker))
    assert not ContactAttempt.objects.exists()
    assert not AuditEvent.objects.filter(object_type="scheduling.ContactAttempt").exists()


def test_a_voicemail_is_recorded_when_the_person_allowed_it(
    officer: Any, scheme: Any, worker: Any
) -> None:
    call = booked_call(officer, scheme, worker, timezone.now(), safe_to_leave_voicemail=True)
    contact_attempt_record(booking_id=call.pk, outcome="voicemail", actor=Actor.of(worker))
    assert call.attempts.get().get_outcome_display() == "Voicemail left"


def test_marking_a_call_missed_moves_the_referral_to_assessment_missed(
    call: Booking, worker: Any
) -> None:
    booking_mark_missed(booking_id=call.pk, actor=Actor.of(worker))
    call.refresh_from_db()
    call.referral.refresh_from_db()
    assert call.status == BookingStatus.MISSED
    assert call.referral.status == ReferralStatus.ASSESSMENT_MISSED
    assert call.referral.history.last().reason == "assessment call missed"


def test_a_call_that_has_not_started_cannot_be_missed(
    officer: Any, scheme: Any, worker: Any
) -> None:
    later = booked_call(officer, scheme, worker, timezone.now() + dt.timedelta(hours=3))
    with pytest.raises(BookingRefused, match="not started"):
        booking_mark_missed(booking_id=later.pk, actor=Actor.of(worker))
    later.refresh_from_db()
    assert later.status == BookingStatus.BOOKED
    assert later.referral.status == ReferralStatus.ASSESSMENT_BOOKED


def test_a_missed_call_is_rebooked_with_its_reason_in_the_history_and_the_person_told(
    call: Booking, worker: Any, scheme: Any, django_capture_on_commit_callbacks: Any
) -> None:
    booking_mark_missed(booking_id=call.pk, actor=Actor.of(worker))
    slot = free_slot(scheme, worker, _tomorrow(10))
    sent_before = Message.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        new = booking_rebook(
            referral_id=call.referral_id,
            slot_id=slot.pk,
            reason="Was at work; asked for a morning call",
            actor=Actor.of(worker),
        )

    call.refresh_from_db()
    call.referral.refresh_from_db()
    assert (new.slot, new.status) == (slot, BookingStatus.BOOKED)
    assert call.status == BookingStatus.MISSED  # kept, not deleted
    assert call.referral.status == ReferralStatus.ASSESSMENT_BOOKED
    [change] = booking_history(referral=call.referral)
    assert (change.kind, change.from_booking, change.to_booking) == ("rebooked", call, new)
    assert change.reason == "Was at work; asked for a morning call"
    assert Message.objects.count() > sent_before
    assert Message.objects.filter(booking=new).exists()


def test_rebooking_is_refused_once_the_scheme_limit_of_misses_is_reached_and_changes_nothing(
    call: Booking, worker: Any, scheme: Any
) -> None:
    scheme.missed_appointments_limit = 1
    scheme.save()
    booking_mark_missed(booking_id=call.pk, actor=Actor.of(worker))
    slot = free_slot(scheme, worker, _tomorrow(10))
    events = AuditEvent.objects.count()

    with pytest.raises(BookingRefused, match="missed 1 of the 1 appointments"):
        booking_rebook(
            referral_id=call.referral_id, slot_id=slot.pk, reason="again", actor=Actor.of(worker)
        )

    call.referral.refresh_from_db()
    assert call.referral.status == ReferralStatus.ASSESSMENT_MISSED
    assert Booking.objects.filter(referral=call.referral).count() == 1
    assert not BookingChange.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_second_miss_reaches_a_limit_of_two(call: Booking, worker: Any, scheme: Any) -> None:
    actor = Actor.of(worker)
    booking_mark_missed(booking_id=call.pk, actor=actor)
    second = booking_rebook(
        referral_id=call.referral_id,
        slot_id=free_slot(scheme, worker, _tomorrow(10)).pk,
        reason="first miss",
        actor=actor,
    )
    Booking.objects.filter(pk=second.pk).update(slot=free_slot(scheme, worker, timezone.now()))
    booking_mark_missed(booking_id=second.pk, actor=actor)
    with pytest.raises(BookingRefused, match="missed 2 of the 2"):
        booking_rebook(
            referral_id=call.referral_id,
            slot_id=free_slot(scheme, worker, _tomorrow(11)).pk,
            reason="second miss",
            actor=actor,
        )


def test_rebooking_into_a_slot_already_booked_is_refused_and_changes_nothing(
    call: Booking, worker: Any, scheme: Any, officer: Any
) -> None:
    booking_mark_missed(booking_id=call.pk, actor=Actor.of(worker))
    taken = booked_call(officer, scheme, worker, _tomorrow(10))
    with pytest.raises(SlotUnavailable):
        booking_rebook(
            referral_id=call.referral_id,
            slot_id=taken.slot_id,
            reason="try this",
            actor=Actor.of(worker),
        )
    call.referral.refresh_from_db()
    assert call.referral.status == ReferralStatus.ASSESSMENT_MISSED
    assert taken.slot.bookings.count() == 1
    assert not BookingChange.objects.exists()


def test_a_rebooking_needs_a_reason(call: Booking, worker: Any, scheme: Any) -> None:
    booking_mark_missed(booking_id=call.pk, actor=Actor.of(worker))
    slot = free_slot(scheme, worker, _tomorrow(10))
    with pytest.raises(BookingRefused, match="Enter the reason"):
        booking_rebook(
            referral_id=call.referral_id, slot_id=slot.pk, reason="  ", actor=Actor.of(worker)
        )
    assert not slot.bookings.exists()


def test_a_manager_reassigns_a_call_to_another_worker_at_the_same_time(
    officer: Any, scheme: Any, worker: Any, make_user: Any
) -> None:
    manager = make_user(Role.PROVIDER_MANAGER, scheme)
    colleague = make_user(Role.WORKER, scheme)
    old = booked_call(officer, scheme, worker, _tomorrow(10))
    Booking.objects.filter(pk=old.pk).update(interpreter="booked", interpreter_language="Polish")
    theirs = free_slot(scheme, colleague, _tomorrow(10))

    new = booking_reassign(
        booking_id=old.pk, slot_id=theirs.pk, reason="Jordan on leave", actor=Actor.of(manager)
    )

    old.refresh_from_db()
    assert old.status == BookingStatus.CANCELLED
    assert (new.slot.worker, new.interpreter, new.interpreter_language) == (
        colleague,
        "booked",
        "Polish",
    )
    assert booking_history(referral=old.referral)[0].kind == "reassigned"
    event = AuditEvent.objects.get(reason="assessment call reassigned")
    assert event.changes["worker"] == {"from": worker.pk, "to": colleague.pk}


def test_a_reassignment_to_a_booked_slot_is_refused_and_changes_nothing(
    officer: Any, scheme: Any, worker: Any, make_user: Any
) -> None:
    manager = make_user(Role.PROVIDER_MANAGER, scheme)
    colleague = make_user(Role.WORKER, scheme)
    old = booked_call(officer, scheme, worker, _tomorrow(10))
    busy = booked_call(officer, scheme, colleague, _tomorrow(10))
    with pytest.raises(SlotUnavailable):
        booking_reassign(
            booking_id=old.pk, slot_id=busy.slot_id, reason="cover", actor=Actor.of(manager)
        )
    old.refresh_from_db()
    assert old.status == BookingStatus.BOOKED
    assert not BookingChange.objects.exists()
