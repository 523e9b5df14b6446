"""The pages: scoping to the user's scheme, bad input changing nothing, audit of reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.courses.enrolment import enrolment_book
from diversion.courses.models import CourseSettings, CourseType, Enrolment, Session
from diversion.courses.tests.builders import (
    assessed_referrals,
    course_type_for,
    in_days,
    session_on,
)
from diversion.referrals.lifecycle import ReferralStatus


@pytest.fixture
def course(scheme: Any) -> Any:
    return course_type_for(scheme)


def test_a_facilitator_of_another_scheme_cannot_open_a_session_or_its_register(
    scheme: Any, other_scheme: Any, course: Any, client_for: Any
) -> None:
    session = session_on(scheme, course, in_days(1))
    stranger = client_for(Role.FACILITATOR, other_scheme)
    own = client_for(Role.FACILITATOR, scheme)
    for name in ("courses:session-detail", "courses:register"):
        url = reverse(name, kwargs={"pk": session.pk})
        assert stranger.get(url).status_code == 404
        assert own.get(url).status_code == 200


def test_a_manager_of_another_scheme_gets_not_found_for_its_pages(
    scheme: Any, other_scheme: Any, course: Any, client_for: Any, officer: Any
) -> None:
    (referral,) = assessed_referrals(scheme, officer, 1)
    stranger = client_for(Role.PROVIDER_MANAGER, other_scheme)
    assert stranger.get(reverse("courses:enrol", kwargs={"pk": referral.pk})).status_code == 404
    assert stranger.get(reverse("courses:capacity") + f"?scheme={scheme.code}").status_code == 404
    assert (
        stranger.get(reverse("courses:session-list") + f"?scheme={scheme.code}").status_code == 404
    )


def test_the_register_marks_everyone_in_one_submit(
    scheme: Any, course: Any, officer: Any, client_for: Any
) -> None:
    session = session_on(scheme, course, timezone.now() + dt.timedelta(minutes=30))
    people = assessed_referrals(scheme, officer, 3)
    for referral in people:
        enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course.pk)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    client = client_for(Role.FACILITATOR, scheme)
    url = reverse("courses:register", kwargs={"pk": session.pk})
    enrolments = list(session.enrolments.order_by("seat"))

    page = client.get(url)
    assert page.status_code == 200
    assert "checked" not in page.content.decode()  # nothing chosen to begin with

    response = client.post(
        url,
        {
            f"enrolment_{enrolments[0].pk}": "attended",
            f"enrolment_{enrolments[1].pk}": "late",
            f"enrolment_{enrolments[2].pk}": "did_not_attend",
        },
    )
    assert response.status_code == 302
    statuses = [Enrolment.objects.get(pk=e.pk).state for e in enrolments]
    assert statuses == ["attended", "late", "did_not_attend"]
    people[0].refresh_from_db()
    assert people[0].status == ReferralStatus.COMPLETED


def test_an_incomplete_register_names_who_is_unmarked_and_saves_nothing(
    scheme: Any, course: Any, officer: Any, client_for: Any
) -> None:
    session = session_on(scheme, course, timezone.now() + dt.timedelta(minutes=30))
    people = assessed_referrals(scheme, officer, 2)
    for referral in people:
        enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course.pk)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    first, second = session.enrolments.order_by("seat")
    client = client_for(Role.FACILITATOR, scheme)

    response = client.post(
        reverse("courses:register", kwargs={"pk": session.pk}),
        {f"enrolment_{first.pk}": "attended", f"enrolment_{second.pk}": "nonsense"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert f"Mark whether {second.referral.person.full_name} attended" in text
    assert set(session.enrolments.values_list("state", flat=True)) == {"booked"}


def test_a_register_read_is_audited_with_the_people_shown(
    scheme: Any, course: Any, officer: Any, client_for: Any
) -> None:
    session = session_on(scheme, course, in_days(1))
    (referral,) = assessed_referrals(scheme, officer, 1)
    enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course.pk)
    client_for(Role.FACILITATOR, scheme).get(
        reverse("courses:session-detail", kwargs={"pk": session.pk})
    )
    event = AuditEvent.objects.filter(action="read", object_type="courses.Session").get()
    assert event.changes == {"referral_ids": [referral.pk]}


def test_a_worker_books_a_place_from_the_waiting_list(
    scheme: Any, course: Any, officer: Any, client_for: Any
) -> None:
    session = session_on(scheme, course, in_days(3, hour=10))
    (referral,) = assessed_referrals(scheme, officer, 1)
    client = client_for(Role.WORKER, scheme)
    assert referral.person.full_name in client.get(reverse("courses:waiting")).content.decode()

    response = client.post(
        reverse("courses:enrol", kwargs={"pk": referral.pk}),
        {"course_type": course.pk, "time_of_day": "daytime"},
    )

    assert response.status_code == 302
    assert Enrolment.objects.get(referral=referral).session == session


def test_the_waiting_list_and_the_booking_page_are_audited_as_reads_and_booking_is_not(
    scheme: Any, course: Any, officer: Any, client_for: Any
) -> None:
    session_on(scheme, course, in_days(3, hour=10))
    (referral,) = assessed_referrals(scheme, officer, 1)
    client = client_for(Role.WORKER, scheme)
    url = reverse("courses:enrol", kwargs={"pk": referral.pk})
    reads = AuditEvent.objects.filter(action="read", object_type="referrals.Referral")

    client.get(reverse("courses:waiting"))
    client.get(url)
    assert [(e.reason, e.scheme, e.changes) for e in reads.order_by("pk")] == [
        ("people waiting for a course", scheme, {"referral_ids": [referral.pk]}),
        ("booking a course place", scheme, {}),
    ]
    client.post(url, {"course_type": course.pk, "time_of_day": "daytime"})
    assert reads.count() == 2


def test_booking_without_a_course_or_time_shows_errors_and_books_nothing(
    scheme: Any, course: Any, officer: Any, client_for: Any
) -> None:
    session_on(scheme, course, in_days(3))
    (referral,) = assessed_referrals(scheme, officer, 1)
    response = client_for(Role.WORKER, scheme).post(
        reverse("courses:enrol", kwargs={"pk": referral.pk}), {"time_of_day": "midnight"}
    )
    text = response.content.decode()
    assert "Choose the course" in text
    assert "Select a valid choice" in text
    assert Enrolment.objects.count() == 0


def _session_form(course: Any, facilitator: Any, **changes: Any) -> dict[str, Any]:
    day = timezone.localdate() + dt.timedelta(days=7)
    data = {
        "course_type": course.pk,
        "date": f"{day.day}/{day.month}/{day.year}",
        "start_time": "18:00",
        "end_time": "20:30",
        "delivery": "online",
        "meeting_link": "https://meet.example.org/tuesday",
        "venue": "",
        "capacity": "15",
        "facilitators": [facilitator.pk],
        "repeat_weeks": "6",
    }
    data.update(changes)
    return data


def test_a_manager_schedules_six_weekly_sessions(
    scheme: Any, course: Any, client_for: Any, make_user: Any
) -> None:
    facilitator = make_user(Role.FACILITATOR, scheme)
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    response = client.post(
        reverse("courses:session-add") + f"?scheme={scheme.code}",
        _session_form(course, facilitator),
    )
    assert response.status_code == 302
    sessions = list(Session.objects.filter(scheme=scheme))
    assert len(sessions) == 6
    assert all(facilitator in s.facilitators.all() for s in sessions)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "31/2/2027"}, "Date must be a real date, like 14/7/2026"),
        ({"end_time": "17:00"}, "The end time must be after the start time"),
        ({"capacity": "0"}, "Seats must be 1 or more"),
        ({"meeting_link": ""}, "Enter the meeting link for an online session"),
        ({"meeting_link": "not a link"}, "Enter the meeting link as a web address"),
        ({"repeat_weeks": "13"}, "Number of weeks must be 12 or fewer"),
        ({"date": "1/1/2020"}, "The session must start in the future"),
        ({"delivery": "in_person", "venue": "Hall"}, "This scheme runs online sessions only"),
    ],
)
def test_bad_session_input_is_explained_and_schedules_nothing(
    scheme: Any,
    course: Any,
    client_for: Any,
    make_user: Any,
    changes: dict[str, str],
    message: str,
) -> None:
    facilitator = make_user(Role.FACILITATOR, scheme)
    response = client_for(Role.PROVIDER_MANAGER, scheme).post(
        reverse("courses:session-add"), _session_form(course, facilitator, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Session.objects.count() == 0


def test_a_facilitator_of_another_provider_cannot_be_put_on_a_session(
    scheme: Any, other_scheme: Any, course: Any, client_for: Any, make_user: Any
) -> None:
    stranger = make_user(Role.FACILITATOR, other_scheme)
    response = client_for(Role.PROVIDER_MANAGER, scheme).post(
        reverse("courses:session-add"), _session_form(course, stranger)
    )
    assert "Select a valid choice" in response.content.decode()
    assert Session.objects.count() == 0


def test_a_manager_adds_and_changes_a_course_type_with_its_modules(
    scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    data = {
        "name": "Ketamine course",
        "code": "ketamine-course",
        "audience": "substance_specific",
        "substance": "ketamine",
        "duration_minutes": "150",
        "description": "",
        "modules": "Health\nRelationships\n\nThe wider impact",
    }
    assert client.post(reverse("courses:course-type-add"), data).status_code == 302
    course = CourseType.objects.get(code="ketamine-course")
    assert [m.title for m in course.modules.all()] == [
        "Health",
        "Relationships",
        "The wider impact",
    ]
    assert course.provider == scheme.provider

    data["modules"] = "Health\nTravel"
    url = reverse("courses:course-type-edit", kwargs={"pk": course.pk})
    assert client.post(url, data).status_code == 302
    assert [m.title for m in course.modules.all()] == ["Health", "Travel"]
    assert AuditEvent.objects.filter(object_type="courses.CourseType").count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "90"}, "Length in minutes must be 120 or more"),
        ({"modules": "  \n "}, "Enter at least one module"),
        ({"code": "Bad Code"}, "The short code can only have lower-case letters"),
        ({"substance": ""}, "Enter the substance a substance-specific course is about"),
    ],
)
def test_bad_course_type_input_changes_nothing(
    scheme: Any, client_for: Any, changes: dict[str, str], message: str
) -> None:
    before = CourseType.objects.count()
    data = {
        "name": "Ketamine course",
        "code": "ketamine-course",
        "audience": "substance_specific",
        "substance": "ketamine",
        "duration_minutes": "150",
        "modules": "Health",
        **changes,
    }
    response = client_for(Role.PROVIDER_MANAGER, scheme).post(
        reverse("courses:course-type-add"), data
    )
    assert message in response.content.decode()
    assert CourseType.objects.count() == before


def test_a_manager_cannot_change_a_course_type_another_provider_relies_on(
    scheme: Any, other_scheme: Any, course: Any, client_for: Any
) -> None:
    other_scheme.course_types.add(course)
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    response = client.get(reverse("courses:course-type-edit", kwargs={"pk": course.pk}))
    assert response.status_code == 404


def test_the_wait_target_is_validated_and_saved_with_an_audit_row(
    scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.PROVIDER_MANAGER, scheme)
    url = reverse("courses:settings") + f"?scheme={scheme.code}"
    bad = client.post(url, {"course_wait_target_days": "3", "offers_in_person": "False"})
    assert "Target wait in days must be 7 or more" in bad.content.decode()
    assert not CourseSettings.objects.exists()

    good = client.post(url, {"course_wait_target_days": "28", "offers_in_person": "True"})
    assert good.status_code == 302
    saved = CourseSettings.objects.get(scheme=scheme)
    assert (saved.course_wait_target_days, saved.offers_in_person) == (28, True)
    assert AuditEvent.objects.filter(object_type="courses.CourseSettings").exists()


def test_the_capacity_page_warns_when_the_projected_wait_passes_the_target(
    scheme: Any, course: Any, officer: Any, client_for: Any
) -> None:
    session_on(scheme, course, in_days(3), capacity=1)
    for referral in assessed_referrals(scheme, officer, 3):
        enrolment_book(actor=SYSTEM, referral_id=referral.pk, course_type_id=course.pk)
    text = client_for(Role.PROVIDER_MANAGER, scheme).get(reverse("courses:capacity")).content
    page = text.decode()
    assert "Capacity planning" in page
    assert f"{course.name}: people are waiting and no sessions are scheduled" in page


def test_a_facilitators_home_list_shows_their_upcoming_sessions_with_registers(
    scheme: Any, course: Any, client_for: Any, make_user: Any
) -> None:
    facilitator = make_user(Role.FACILITATOR, scheme)
    mine = session_on(scheme, course, in_days(1), facilitators=(facilitator,))
    session_on(scheme, course, in_days(2))  # someone else's
    session_on(scheme, course, in_days(-2), facilitators=(facilitator,))  # over
    from django.test import Client

    from diversion.accounts.tests.helpers import sign_in

    page = sign_in(Client(), facilitator).get(reverse("courses:my-sessions")).content.decode()
    assert reverse("courses:register", kwargs={"pk": mine.pk}) in page
    assert page.count("Register<span") == 1
