"""Demo referrals: a year and a half of history for every scheme, generated from a seed.

Volumes, drug mix, ages and ethnicity follow the public descriptions of the West Midlands scheme
(nine in ten for cannabis, about 65% completing at least the assessment; `synthetic/mixes.py`),
scaled per scheme. Older referrals have finished (engaged, completed or not engaged); recent ones
are in progress. Their history is checked against the lifecycle's table as it is written
(`referral_histories_write`), and the police notices are the ones each step owed
(`notice_kinds`). The last few are made through the real referral service, with bookings and
audit rows.
Two named people let a newcomer see the eligibility rules at work (see the README).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from faker import Faker

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.engagement.models import PoliceNotice
from diversion.engagement.services import notice_kinds
from diversion.officer.services import referral_submit
from diversion.people.matching import stored_keys
from diversion.people.models import Person, PersonMatchKey
from diversion.referrals.details import DrugDetails, PersonDetails, StopDetails
from diversion.referrals.drugs import DRUGS
from diversion.referrals.lifecycle import ENGAGED_WITH_COURSE, ReferralStatus
from diversion.referrals.models import DrugFound, Referral
from diversion.referrals.services import new_reference
from diversion.referrals.transitions import HistoryRow, referral_histories_write
from diversion.scheduling.selectors import slots_available
from diversion.schemes.models import Scheme
from diversion.synthetic.mixes import (
    DRUG_MIX,
    ETHNICITY,
    HOUR_WEIGHTS,
    HOW_FOUND,
    days_to_step,
    status_path,
)

WEEKS = 78
# Referrals a week, by scheme.
WEEKLY = {"WM": 40, "WMC": 12, "TV": 22}
# People a newcomer can try on the officer's pages (in West Midlands).
NAMED = [
    # given, family, date of birth, outcomes of earlier referrals
    ("Jordan", "Smith", dt.date(2001, 5, 12), [ReferralStatus.COMPLETED, ReferralStatus.COMPLETED]),
    ("Casey", "Brown", dt.date(1999, 9, 9), [ReferralStatus.NOT_ENGAGED]),
]


def _pick(rng: random.Random, weighted: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[row[-1] for row in weighted])[0]


def _person(
    rng: random.Random,
    fake: Faker,
    scheme: Scheme,
    today: dt.date,
    given: str = "",
    family: str = "",
    dob: dt.date | None = None,
) -> Person:
    code, observed, _weight = _pick(rng, ETHNICITY)
    age = rng.choices(
        [rng.randint(14, 17), rng.randint(18, 25), rng.randint(26, 40), rng.randint(41, 65)],
        weights=[7, 48, 35, 10],
    )[0]
    dob = dob or today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    sex = rng.choices(["male", "female", "other"], weights=[84, 15, 1])[0]
    given = given or (fake.first_name_male() if sex == "male" else fake.first_name_female())
    family = family or fake.last_name()
    has_mobile = rng.random() < 0.92
    person = Person.objects.create(
        scheme=scheme,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        sex=sex,
        self_defined_ethnicity_id=code,
        observed_ethnicity_id=observed,
        mobile=f"+4479{rng.randint(10_000_000, 99_999_999)}" if has_mobile else "",
        email=f"{given.lower()}.{family.lower()}{rng.randint(1, 99)}@example.org"
        if not has_mobile or rng.random() < 0.5
        else "",
        safe_to_text=has_mobile and rng.random() < 0.85,
        safe_to_leave_voicemail=rng.random() < 0.5,
        discreet_messages=rng.random() < 0.7,
        preferred_language=rng.choices(["en", "pl", "ur", "pa", "cy"], weights=[90, 3, 3, 2, 2])[0],
    )
    PersonMatchKey.objects.bulk_create(
        [
            PersonMatchKey(person=person, kind=kind, key=key)
            for kind, key in stored_keys(given, family, dob)
        ]
    )
    return person


def _unused_reference(scheme_code: str) -> str:
    """A new reference, drawn again on the rare clash (about 1 in 50 million per draw)."""
    while True:
        reference = new_reference(scheme_code)
        if not Referral.objects.filter(reference=reference).exists():
            return reference


def _step_at(stopped_at: dt.datetime, step: int, steps: int, now: dt.datetime) -> dt.datetime:
    """When the `step`-th of `steps` statuses happened: the usual days after the stop, but never
    after now (a recent referral's steps are squeezed into the last hours, still in order)."""
    usual = stopped_at + dt.timedelta(days=days_to_step(step))
    return min(usual, now - dt.timedelta(hours=steps - step))


def _historic_referral(
    rng: random.Random,
    scheme: Scheme,
    person: Person,
    officer: User,
    stopped_at: dt.datetime,
    statuses: list[str],
    authorities: list[Any],
    history: list[HistoryRow],
) -> Referral:
    """A referral as it stands after `statuses`; its history rows go on `history`, for
    `referral_histories_write` to check against the lifecycle and write in one go."""
    drug_code = _pick(rng, DRUG_MIX)[0]
    name, drug_class = DRUGS[drug_code]
    young = (stopped_at.date() - person.date_of_birth).days < 18 * 365.25
    now = timezone.now()
    steps = len(statuses)
    referral = Referral.objects.create(
        scheme=scheme,
        reference=_unused_reference(scheme.code),
        person=person,
        officer=officer,
        status=statuses[-1],
        stopped_at=stopped_at,
        local_authority=rng.choice(authorities),
        how_found=_pick(rng, HOW_FOUND)[0],
        appropriate_adult_name="Parent (demo)" if young else "",
        appropriate_adult_relationship="Parent" if young else "",
        eligibility={
            "eligible": True,
            "reasons": [],
            "notes": [],
            "scheme_code": scheme.code,
            "policy_version": 1,
            "rules_version": 1,
        },
        policy_version=1,
        outcome_code=scheme.outcome_code,
        consent_to_contact=True,
        consent_to_share=True,
        idempotency_key=f"demo-{scheme.code}-{rng.getrandbits(64):016x}",
        created_at=stopped_at,
        status_changed_at=_step_at(stopped_at, steps - 1, steps, now),
    )
    DrugFound.objects.create(
        referral=referral, drug=name, drug_class=drug_class, quantity=f"{rng.randint(1, 7)} grams"
    )
    history.extend(
        (
            referral.pk,
            previous,
            status,
            _step_at(stopped_at, step, steps, now),
            officer.pk if step == 0 else None,
        )
        for step, (previous, status) in enumerate(zip(["", *statuses], statuses, strict=False))
    )
    _notices(referral, statuses, stopped_at, now)
    return referral


def _notices(
    referral: Referral, statuses: list[str], stopped_at: dt.datetime, now: dt.datetime
) -> None:
    """What the police were told: the notices each step owed (`notice_kinds`, the lifecycle's
    one rule), each dated the day of its step."""
    steps = len(statuses)
    kinds = [
        (kind, step)
        for step, (previous, status) in enumerate(zip(["", *statuses], statuses, strict=False))
        for kind in notice_kinds(from_status=previous, to_status=status)
    ]
    PoliceNotice.objects.bulk_create(
        PoliceNotice(
            referral=referral,
            scheme=referral.scheme,
            kind=kind,
            created_at=_step_at(stopped_at, step, steps, now),
            acknowledged_at=_step_at(stopped_at, step, steps, now) + dt.timedelta(days=1)
            if stopped_at < now - dt.timedelta(days=90)
            else None,
        )
        for kind, step in kinds
    )


def create_referrals(*, seed: int = 2026, weeks: int = WEEKS) -> int:
    rng, fake = random.Random(seed), Faker("en_GB")
    fake.seed_instance(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    total = 0
    for scheme in Scheme.objects.order_by("code"):
        officers = list(User.objects.filter(organisation=scheme.force, role=Role.OFFICER))
        authorities = list(scheme.local_authorities.all())
        repeaters: list[Person] = []
        history: list[HistoryRow] = []
        for week in range(weeks, 0, -1):
            for _ in range(
                rng.randint(int(WEEKLY[scheme.code] * 0.7), int(WEEKLY[scheme.code] * 1.3))
            ):
                day = today - dt.timedelta(days=week * 7 - rng.randint(0, 6))
                if day >= today - dt.timedelta(days=2):
                    continue
                hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
                stopped_at = dt.datetime.combine(
                    day, dt.time(hour, rng.randint(0, 59)), tzinfo=zone
                )
                person = (
                    rng.choice(repeaters)
                    if repeaters and rng.random() < 0.08
                    else _person(rng, fake, scheme, day)
                )
                statuses = status_path((today - day).days, rng.random)
                _historic_referral(
                    rng,
                    scheme,
                    person,
                    rng.choice(officers),
                    stopped_at,
                    statuses,
                    authorities,
                    history,
                )
                if statuses[-1] in ENGAGED_WITH_COURSE:  # finished well: may be stopped again
                    repeaters.append(person)
                total += 1
        if scheme.code == "WM":
            total += _named_people(rng, fake, scheme, officers, authorities, today, zone, history)
        referral_histories_write(rows=history, actor_label="demo data")
        total += _recent_through_the_service(rng, fake, scheme, officers, authorities, count=4)
    return total


def _named_people(
    rng: random.Random,
    fake: Faker,
    scheme: Scheme,
    officers: list[User],
    authorities: list[Any],
    today: dt.date,
    zone: ZoneInfo,
    history: list[HistoryRow],
) -> int:
    made = 0
    for given, family, dob, outcomes in NAMED:
        person = _person(rng, fake, scheme, today, given=given, family=family, dob=dob)
        for index, outcome in enumerate(outcomes):
            day = today - dt.timedelta(days=300 - 120 * index)
            path: list[str] = [ReferralStatus.REFERRED, ReferralStatus.ASSESSMENT_BOOKED]
            path += (
                [ReferralStatus.ASSESSMENT_MISSED, ReferralStatus.NOT_ENGAGED]
                if outcome == ReferralStatus.NOT_ENGAGED
                else [
                    ReferralStatus.ASSESSED,
                    ReferralStatus.COURSE_BOOKED,
                    ReferralStatus.COMPLETED,
                ]
            )
            _historic_referral(
                rng,
                scheme,
                person,
                officers[0],
                dt.datetime.combine(day, dt.time(15, 20), tzinfo=zone),
                path,
                authorities,
                history,
            )
            made += 1
    return made


def _recent_through_the_service(
    rng: random.Random,
    fake: Faker,
    scheme: Scheme,
    officers: list[User],
    authorities: list[Any],
    *,
    count: int,
) -> int:
    made = 0
    for index in range(count):
        slot = slots_available(scheme_id=scheme.pk).first()
        if slot is None:
            break
        given, family = fake.first_name(), fake.last_name()
        person = PersonDetails(
            given_name=given,
            family_name=family,
            date_of_birth=dt.date(1995 + index, 3, 10 + index),
            sex="male",
            self_defined_ethnicity="W1",
            observed_ethnicity="IC1",
            mobile=f"+4479{rng.randint(10_000_000, 99_999_999)}",
            safe_to_text=True,
        )
        stop = StopDetails(
            stopped_at=timezone.now() - dt.timedelta(hours=3 + index),
            local_authority_id=rng.choice(authorities).pk,
            how_found="stop_and_search",
            drugs=(
                DrugDetails(
                    code="cannabis", name=DRUGS["cannabis"][0], drug_class="B", quantity="2 grams"
                ),
            ),
        )
        referral_submit(
            officer=officers[0],
            scheme=scheme,
            person=person,
            stop=stop,
            consent_to_contact=True,
            consent_to_share=True,
            slot_id=slot.pk,
            idempotency_key=f"demo-recent-{scheme.code}-{index}",
        )
        made += 1
    return made
