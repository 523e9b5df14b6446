from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.events import subscribe, unsubscribe
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.events import StatusChanged
from diversion.referrals.lifecycle import (
    ENGAGED,
    TRANSITIONS,
    ReferralStatus,
    TransitionNotAllowed,
    is_engaged,
)
from diversion.referrals.models import Referral, StatusChange
from diversion.referrals.transitions import (
    referral_histories_write,
    referral_transition,
    referrals_bulk_transition,
)

pytestmark = pytest.mark.django_db
STATUSES = list(ReferralStatus.values)


@pytest.fixture
def referral(officer: Any, scheme: Any, slots: list[Any]) -> Referral:
    return referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(),
        stop=stop_details(scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slots[0].pk,
        idempotency_key="k",
    ).referral


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.parametrize("to_status", STATUSES)
def test_every_transition_from_every_status_is_allowed_or_refused_by_the_table(
    referral: Referral, from_status: str, to_status: str
) -> None:
    Referral.objects.filter(pk=referral.pk).update(status=from_status)
    history, audit = StatusChange.objects.count(), AuditEvent.objects.count()
    if to_status in TRANSITIONS[from_status]:
        moved = referral_transition(
            referral_id=referral.pk, to_status=to_status, actor=SYSTEM, reason="test"
        )
        assert moved.status == to_status
        last = StatusChange.objects.order_by("-pk").first()
        assert last is not None and (last.from_status, last.to_status) == (from_status, to_status)
        assert AuditEvent.objects.count() == audit + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            referral_transition(referral_id=referral.pk, to_status=to_status, actor=SYSTEM)
        referral.refresh_from_db()
        assert referral.status == from_status
        assert (StatusChange.objects.count(), AuditEvent.objects.count()) == (history, audit)


def test_finished_referrals_can_go_nowhere() -> None:
    for status in (ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN, ReferralStatus.NOT_ENGAGED):
        assert TRANSITIONS[status] == frozenset()


def test_every_status_is_reachable_from_a_new_referral() -> None:
    reached, frontier = {""}, [""]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached - {""} == set(STATUSES)


@pytest.mark.parametrize(
    ("status", "engaged"),
    [
        (ReferralStatus.REFERRED, False),
        (ReferralStatus.ASSESSMENT_BOOKED, False),
        (ReferralStatus.ASSESSMENT_MISSED, False),
        (ReferralStatus.ASSESSED, True),
        (ReferralStatus.COURSE_BOOKED, True),
        (ReferralStatus.COMPLETED, True),
        (ReferralStatus.ONWARD_ONLY, True),
        (ReferralStatus.COURSE_NOT_COMPLETED, True),
        (ReferralStatus.WITHDRAWN, False),
        (ReferralStatus.NOT_ENGAGED, False),
    ],
)
def test_engaged_means_at_least_the_assessment_in_every_scheme(status: str, engaged: bool) -> None:
    assert is_engaged(status) is engaged


@pytest.mark.parametrize("status", sorted(ENGAGED))
def test_once_assessed_a_referral_can_never_become_not_engaged(status: str) -> None:
    """Not finishing the course is its own ending, never "did not engage" (decision 0016)."""
    assert ReferralStatus.NOT_ENGAGED not in TRANSITIONS[status]


def test_a_referral_passed_in_is_moved_without_being_read_again_inside_its_transaction(
    referral: Referral,
) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("scheme")
            .get(pk=referral.pk)
        )
        with CaptureQueriesContext(connection) as captured:
            referral_transition(referral=locked, to_status=ReferralStatus.ASSESSED, actor=SYSTEM)
    assert not [q for q in captured if q["sql"].startswith('SELECT "referrals_referral"')]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ASSESSED
    last = StatusChange.objects.filter(referral=referral).order_by("-pk").first()
    assert last is not None and last.to_status == ReferralStatus.ASSESSED
    with transaction.atomic(), pytest.raises(TransitionNotAllowed):
        referral_transition(referral=locked, to_status=ReferralStatus.REFERRED, actor=SYSTEM)
    assert locked.status == ReferralStatus.ASSESSED


def test_a_transition_publishes_status_changed_in_its_transaction(referral: Referral) -> None:
    heard: list[StatusChanged] = []

    def listen(event: StatusChanged) -> None:
        heard.append(event)

    subscribe(StatusChanged, listen, in_transaction=True)
    try:
        referral_transition(
            referral_id=referral.pk, to_status=ReferralStatus.WITHDRAWN, actor=SYSTEM
        )
    finally:
        unsubscribe(StatusChanged, listen)
    assert [(e.referral_id, e.from_status, e.to_status) for e in heard] == [
        (referral.pk, ReferralStatus.ASSESSMENT_BOOKED, ReferralStatus.WITHDRAWN)
    ]
    assert heard[0].scheme_id == referral.scheme_id


def test_the_bulk_history_writer_refuses_a_path_the_table_does_not_allow_and_writes_nothing(
    referral: Referral,
) -> None:
    before = StatusChange.objects.count()
    now = timezone.now()
    skipping = [
        (referral.pk, "", ReferralStatus.REFERRED, now, None),
        (referral.pk, ReferralStatus.REFERRED, ReferralStatus.COMPLETED, now, None),
    ]
    with pytest.raises(TransitionNotAllowed):
        referral_histories_write(rows=skipping, actor_label="loader")
    broken_chain = [
        (referral.pk, "", ReferralStatus.REFERRED, now, None),
        (referral.pk, ReferralStatus.ASSESSED, ReferralStatus.COMPLETED, now, None),
    ]
    with pytest.raises(TransitionNotAllowed):
        referral_histories_write(rows=broken_chain, actor_label="loader")
    assert StatusChange.objects.count() == before


def test_the_bulk_history_writer_writes_an_allowed_path(referral: Referral) -> None:
    StatusChange.objects.filter(referral=referral).delete()
    now = timezone.now()
    path = [ReferralStatus.REFERRED, ReferralStatus.ASSESSMENT_BOOKED, ReferralStatus.ASSESSED]
    rows = [
        (referral.pk, previous, status, now + dt.timedelta(days=i), None)
        for i, (previous, status) in enumerate(zip(["", *path], path, strict=False))
    ]
    assert referral_histories_write(rows=rows, actor_label="loader") == 3
    written = list(
        StatusChange.objects.filter(referral=referral).values_list("from_status", "to_status")
    )
    assert written == [
        ("", "referred"),
        ("referred", "assessment_booked"),
        ("assessment_booked", "assessed"),
    ]
    assert StatusChange.objects.filter(referral=referral).last().changed_at == now + dt.timedelta(
        days=2
    )


def test_the_bulk_transition_moves_all_or_none(referral: Referral, scheme: Any) -> None:
    with pytest.raises(TransitionNotAllowed):
        referrals_bulk_transition(
            referral_ids=[referral.pk],
            to_status=ReferralStatus.COURSE_BOOKED,  # not from assessment_booked
            changed_at=timezone.now(),
            actor_label="loader",
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    moved = referrals_bulk_transition(
        referral_ids=[referral.pk],
        to_status=ReferralStatus.ASSESSED,
        changed_at=timezone.now(),
        actor_label="loader",
    )
    referral.refresh_from_db()
    assert (moved, referral.status) == (1, ReferralStatus.ASSESSED)
    last = StatusChange.objects.filter(referral=referral).last()
    assert (last.from_status, last.to_status, last.actor_label) == (
        "assessment_booked",
        "assessed",
        "loader",
    )
