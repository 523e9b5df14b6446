"""A small known set of referrals, made through the real services, for the dashboard's tests.

Twenty referrals in the last seven weeks: 14 in the scheme's first local authority and 6 in a
second; 17 for cannabis and 3 for cocaine (a cell of 3, which must never be published); 12 men
and 8 women. Ten were assessed, six of those booked on a course and five completed it; four
missed their assessment, two of whom then did not engage; six are still waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from diversion.audit.services import SYSTEM
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.details import DrugDetails
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.models import Slot
from diversion.schemes.tests.factories import LocalAuthorityFactory

COCAINE = DrugDetails(code="cocaine", name="Cocaine powder", drug_class="A", quantity="1 wrap")
GIVEN = ["Alex", "Sam", "Robin", "Charlie", "Jesse", "Morgan", "Riley", "Taylor", "Jamie", "Drew"]


@dataclass
class Known:
    scheme: Any
    first_area: Any
    second_area: Any
    referrals: list[Referral]
    start: dt.date
    end: dt.date


def _slot(scheme: Any, worker: Any, at: dt.datetime) -> Slot:
    return Slot.objects.create(
        scheme=scheme, worker=worker, starts_at=at, ends_at=at + dt.timedelta(minutes=45)
    )


def known_referrals(*, scheme: Any, officer: Any, worker: Any) -> Known:
    first_area = scheme.local_authorities.first()
    second_area = LocalAuthorityFactory(force=scheme.force, name="Second Borough")
    scheme.local_authorities.add(second_area)
    now = timezone.now()
    referrals = []
    for i in range(20):
        # Noon in England, so that days between events never depend on the hour the test runs.
        day = timezone.localdate() - dt.timedelta(days=45 - 2 * i)
        stopped_at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        stop = stop_details(
            scheme,
            stopped_at=stopped_at,
            local_authority_id=(first_area if i < 14 else second_area).pk,
            **({"drugs": (COCAINE,)} if i in (3, 9, 15) else {}),
        )
        person = person_details(
            given_name=GIVEN[i % 10],
            family_name=f"Testperson{i}",
            date_of_birth=dt.date(1980 + i, 1 + i % 12, 10),
            sex="male" if i % 5 < 3 else "female",
            email=f"person{i}@example.org",
        )
        made = referral_submit(
            officer=officer,
            scheme=scheme,
            person=person,
            stop=stop,
            consent_to_contact=True,
            consent_to_share=True,
            slot_id=_slot(scheme, worker, now + dt.timedelta(days=1, minutes=45 * i)).pk,
            idempotency_key=f"known-{i}",
        )
        referrals.append(made.referral)
    for i, referral in enumerate(referrals):
        _move(referral, i)
    today = timezone.localdate()
    return Known(
        scheme=scheme,
        first_area=first_area,
        second_area=second_area,
        referrals=referrals,
        start=today - dt.timedelta(days=60),
        end=today,
    )


def _move(referral: Referral, i: int) -> None:
    stopped = referral.stopped_at

    def to(status: str, days: int) -> None:
        referral_transition(
            referral_id=referral.pk,
            to_status=status,
            actor=SYSTEM,
            reason="test",
            now=min(stopped + dt.timedelta(days=days), timezone.now()),
        )

    if i < 10:  # assessed on day 3 + i % 3
        to("assessed", 3 + i % 3)
        if i < 6:
            to("course_booked", 10)
            if i < 5:
                to("completed", 20)
    elif i < 14:  # missed the assessment
        to("assessment_missed", 2)
        if i < 12:
            to("not_engaged", 4)
