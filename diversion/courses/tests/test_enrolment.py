"""Enrolment into the next suitable session, the waitlist and its order, and seats never
over-booked."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM, Actor
from diversion.courses.enrolment import NotEnrollable, enrolment_book
from diversion.courses.models import (
    CourseSettings,
    Enrolment,
    EnrolmentState,
    WaitlistEntry,
    WaitlistState,
)
from diversion.courses.selectors import (
    ON_WAITLIST,
    TO_REBOOK,
    enrolment_current,
    people_waiting,
    sessions_starting_between,
)
from diversion.courses.services import session_create
from diversion.courses.tests.builders import (
    assessed_referrals,
    course_type_for,
    in_days,
    session_on,
)
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import StatusChange
from diversion.schemes.tests.factories import CourseTypeFactory


@pytest.fixture
def course(scheme: Any) -> Any:
    return course_type_for(scheme)


def book(referral: Any, course: Any, **preferences: Any) -> Any:
    return enrolment_book(
        actor=SYSTEM, referral_id=referral.pk, course_type_id=course.pk, **preferences
    )


def test_a_person_is_booked_on_the_next_session_with_a_free_seat(
    scheme: Any, officer: Any, course: Any
) -> None:
    later = session_on(scheme, course, in_days(9))
    sooner = session_on(scheme, course, in_days(2))
    session_on(scheme, course, in_days(-1))  # already over
    (referral,) = assessed_referrals(scheme, officer, 1)

    placement = book(referral, course)

    assert placement.enrolment is not None
    assert placement.enrolment.session == sooner
    assert placement.enrolment.seat == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COURSE_BOOKED
    assert StatusChange.objects.filter(referral=referral, to_status="course_booked").count() == 1
    assert enrolment_current(referral_id=referral.pk) == placement.enrolment
    assert later.enrolments.count() == 0


def test_a_full_session_is_skipped_for_the_next_one(scheme: Any, officer: Any, course: Any) -> None:
    full = session_on(scheme, course, in_days(2), capacity=1)
    next_one = session_on(scheme, course, in_days(4))
    first, second = assessed_referrals(scheme, officer, 2)

    assert book(first, course).enrolment.session == full
    assert book(second, course).enrolment.session == next_one


def test_evening_and_daytime_preferences_choose_the_session(
    scheme: Any, officer: Any, course: Any
) -> None:
    daytime = session_on(scheme, course, in_days(2, hour=10))
    evening = session_on(scheme, course, in_days(3, hour=18))
    first, second = assessed_referrals(scheme, officer, 2)

    assert book(first, course, time_of_day="evening").enrolment.session == evening
    assert book(second, course, time_of_day="daytime").enrolment.session == daytime


def test_someone_who_wants_to_attend_in_person_is_not_booked_online(
    scheme: Any, officer: Any, course: Any
) -> None:
    session_on(scheme, course, in_days(2))
    in_person = session_on(scheme, course, in_days(5), delivery="in_person")
    (referral,) = assessed_referrals(scheme, officer, 1)

    assert book(referral, course, delivery_preference="in_person").enrolment.session == in_person


def test_when_every_suitable_session_is_full_the_person_joins_the_waitlist(
    scheme: Any, officer: Any, course: Any
) -> None:
    session_on(scheme, course, in_days(2), capacity=1)
    first, second = assessed_referrals(scheme, officer, 2)
    book(first, course)

    placement = book(second, course, time_of_day="evening")

    assert placement.enrolment is None
    assert placement.waitlist_entry is not None
    assert placement.waitlist_entry.time_of_day == "evening"
    second.refresh_from_db()
    assert second.status == ReferralStatus.ASSESSED
    rows = people_waiting(scheme=scheme)
    assert [(row.referral, row.situation) for row in rows] == [(second, ON_WAITLIST)]
    assert AuditEvent.objects.filter(
        object_type="courses.WaitlistEntry", object_id=str(placement.waitlist_entry.pk)
    ).exists()


def test_a_new_session_offers_its_seats_to_the_waitlist_in_the_order_people_joined(
    scheme: Any, officer: Any, course: Any, make_user: Any
) -> None:
    people = assessed_referrals(scheme, officer, 4)
    for referral in people:
        assert book(referral, course).waitlist_entry is not None
    manager = make_user("provider_manager", scheme)
    facilitator = make_user("facilitator", scheme)

    (session,) = session_create(
        actor=Actor.of(manager),
        scheme=scheme,
        course_type=course,
        starts_at=in_days(3),
        ends_at=in_days(3) + (in_days(1) - in_days(0)) / 8,
        delivery="online",
        meeting_link="https://meet.example.org/new",
        venue="",
        capacity=3,
        facilitators=[facilitator],
    )

    booked = list(session.enrolments.order_by("seat").values_list("referral_id", flat=True))
    assert booked == [p.pk for p in people[:3]]
    assert WaitlistEntry.objects.get(referral=people[3]).state == WaitlistState.WAITING
    assert (
        WaitlistEntry.objects.filter(referral__in=people[:3], state=WaitlistState.ENROLLED).count()
        == 3
    )
    for referral in people[:3]:
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.COURSE_BOOKED


def test_the_waitlist_skips_someone_the_new_session_does_not_suit(
    scheme: Any, officer: Any, course: Any
) -> None:
    evening_only, anyone = assessed_referrals(scheme, officer, 2)
    book(evening_only, course, time_of_day="evening")
    book(anyone, course)
    from diversion.courses.enrolment import waitlist_offer

    daytime = session_on(scheme, course, in_days(3, hour=10), capacity=5)
    assert waitlist_offer(session_id=daytime.pk, actor=SYSTEM) == 1

    assert list(daytime.enrolments.values_list("referral_id", flat=True)) == [anyone.pk]
    assert WaitlistEntry.objects.get(referral=evening_only).state == WaitlistState.WAITING


def test_moving_to_another_session_frees_the_seat_for_the_first_person_waiting(
    scheme: Any, officer: Any, course: Any
) -> None:
    first_session = session_on(scheme, course, in_days(2), capacity=1)
    mover, waiting = assessed_referrals(scheme, officer, 2)
    book(mover, course)
    book(waiting, course)
    second_session = session_on(scheme, course, in_days(6), capacity=1)

    placement = book(mover, course)

    assert placement.enrolment.session == second_session
    assert Enrolment.objects.get(referral=mover, session=first_session).state == "moved"
    assert enrolment_current(referral_id=waiting.pk).session == first_session
    moves = StatusChange.objects.filter(
        referral=mover, from_status="course_booked", to_status="course_booked"
    )
    assert moves.count() == 1


def test_only_an_assessed_person_can_be_booked_and_a_refusal_changes_nothing(
    scheme: Any, officer: Any, course: Any, slots: list[Any]
) -> None:
    from diversion.officer.tests.builders import referral_made

    session_on(scheme, course, in_days(2))
    not_assessed = referral_made(officer, scheme, slots[0], key="not-assessed").referral

    with pytest.raises(NotEnrollable):
        book(not_assessed, course)

    assert Enrolment.objects.count() == 0
    assert WaitlistEntry.objects.count() == 0
    not_assessed.refresh_from_db()
    assert not_assessed.status == ReferralStatus.ASSESSMENT_BOOKED


def test_a_course_the_scheme_does_not_offer_is_refused(
    scheme: Any, officer: Any, course: Any
) -> None:
    elsewhere = CourseTypeFactory(code="elsewhere")
    (referral,) = assessed_referrals(scheme, officer, 1)
    with pytest.raises(NotEnrollable, match="offers"):
        book(referral, elsewhere)
    assert Enrolment.objects.count() == 0


def test_seats_are_never_over_booked(scheme: Any, officer: Any, course: Any) -> None:
    session = session_on(scheme, course, in_days(2), capacity=3)
    people = assessed_referrals(scheme, officer, 5)
    outcomes = [book(p, course) for p in people]

    assert sum(1 for o in outcomes if o.enrolment) == 3
    assert sorted(session.enrolments.values_list("seat", flat=True)) == [1, 2, 3]


def test_the_database_refuses_two_people_in_one_seat(
    scheme: Any, officer: Any, course: Any
) -> None:
    session = session_on(scheme, course, in_days(2))
    first, second = assessed_referrals(scheme, officer, 2)
    Enrolment.objects.create(referral=first, session=session, seat=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(referral=second, session=session, seat=1)


def test_booking_writes_an_audit_row_for_the_enrolment(
    scheme: Any, officer: Any, course: Any, make_user: Any
) -> None:
    session_on(scheme, course, in_days(2))
    (referral,) = assessed_referrals(scheme, officer, 1)
    worker = make_user("worker", scheme)

    placement = enrolment_book(
        actor=Actor.of(worker), referral_id=referral.pk, course_type_id=course.pk
    )

    event = AuditEvent.objects.get(
        object_type="courses.Enrolment", object_id=str(placement.enrolment.pk)
    )
    assert event.actor == worker
    assert event.action == "create"


def test_sessions_starting_between_gives_the_lead_the_sessions_to_remind(
    scheme: Any, officer: Any, course: Any
) -> None:
    tomorrow = session_on(scheme, course, in_days(1))
    session_on(scheme, course, in_days(5))
    found = sessions_starting_between(start=in_days(1, hour=0), end=in_days(2, hour=0))
    assert list(found) == [tomorrow]


def test_an_in_person_session_needs_the_scheme_to_offer_them(
    scheme: Any, course: Any, make_user: Any
) -> None:
    from django.core.exceptions import ValidationError

    manager = make_user("provider_manager", scheme)
    arguments: dict[str, Any] = {
        "actor": Actor.of(manager),
        "scheme": scheme,
        "course_type": course,
        "starts_at": in_days(3),
        "ends_at": in_days(3, hour=20),
        "delivery": "in_person",
        "meeting_link": "",
        "venue": "Digbeth hall",
        "capacity": 12,
        "facilitators": [],
    }
    with pytest.raises(ValidationError) as refused:
        session_create(**arguments)
    assert refused.value.message_dict == {"delivery": ["This scheme runs online sessions only"]}

    CourseSettings.objects.create(scheme=scheme, offers_in_person=True)
    (session,) = session_create(**arguments)
    assert session.venue == "Digbeth hall"


def test_a_weekly_repeat_keeps_the_same_local_time_across_the_clocks_changing(
    scheme: Any, course: Any, make_user: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    manager = make_user("provider_manager", scheme)
    year = timezone.localdate().year + 1
    start = timezone.make_aware(dt.datetime(year, 3, 17, 18, 0))  # before the clocks go forward
    created = session_create(
        actor=Actor.of(manager),
        scheme=scheme,
        course_type=course,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        delivery="online",
        meeting_link="https://meet.example.org/weekly",
        venue="",
        capacity=15,
        facilitators=[],
        repeat_weeks=4,
    )
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in created] == ["18:00"] * 4
    assert len({timezone.localtime(s.starts_at).weekday() for s in created}) == 1


def test_a_person_who_missed_their_session_is_booked_again_from_course_booked(
    scheme: Any, officer: Any, course: Any
) -> None:
    session = session_on(scheme, course, in_days(2))
    (referral,) = assessed_referrals(scheme, officer, 1)
    enrolment = book(referral, course).enrolment
    Enrolment.objects.filter(pk=enrolment.pk).update(state=EnrolmentState.DID_NOT_ATTEND)
    session_on(scheme, course, in_days(9))
    assert [row.situation for row in people_waiting(scheme=scheme)] == [TO_REBOOK]

    placement = book(referral, course)

    assert placement.enrolment.session != session
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COURSE_BOOKED
