"""Demo referrals: a year and a half of history for every scheme, generated from a seed.

Volumes, drug mix, ages and ethnicity follow the public descriptions of the West Midlands scheme
(nine in ten for cannabis, about 65% completing at least the assessment), scaled per scheme.
Older referrals have finished (engaged, completed or not engaged); recent ones are in progress.
The last few are made through the real referral service, with bookings and audit rows.
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
from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.people.matching import stored_keys
from diversion.people.models import Person, PersonMatchKey
from diversion.referrals.details import DrugDetails, PersonDetails, StopDetails
from diversion.referrals.drugs import DRUGS
from diversion.referrals.lifecycle import ReferralStatus, is_engaged
from diversion.referrals.models import DrugFound, Referral, StatusChange
from diversion.referrals.services import new_reference, referral_create
from diversion.scheduling.selectors import slots_available
from diversion.schemes.models import Scheme

WEEKS = 78
# Referrals a week, by scheme.
WEEKLY = {"WM": 40, "WMC": 12, "TV": 22}
DRUG_MIX = [
    ("cannabis", 88),
    ("cocaine", 6),
    ("ketamine", 2),
    ("mdma", 2),
    ("crack", 1),
    ("nitrous_oxide", 1),
]
# Self-defined ethnicity mix (illustrative, weighted to urban West Midlands), with the IC code an
# officer would most often record.
ETHNICITY = [
    ("W1", "IC1", 46),
    ("W9", "IC2", 4),
    ("A2", "IC4", 12),
    ("A1", "IC4", 5),
    ("A3", "IC4", 3),
    ("B1", "IC3", 8),
    ("B2", "IC3", 5),
    ("M1", "IC3", 6),
    ("M3", "IC1", 2),
    ("O9", "IC6", 2),
    ("NS", "IC9", 7),
]
# Days from the stop to each successive status, for the history's timestamps.
DAYS_TO_STATUS = [0, 0, 6, 12, 20, 40, 60]
HOW_FOUND = [("stop_and_search", 78), ("custody", 12), ("other", 10)]

# People a newcomer can try on the officer's pages (in West Midlands).
NAMED = [
    # given, family, date of birth, outcomes of earlier referrals
    ("Jordan", "Smith", dt.date(2001, 5, 12), [ReferralStatus.COMPLETED, ReferralStatus.COMPLETED]),
    ("Casey", "Brown", dt.date(1999, 9, 9), [ReferralStatus.NOT_ENGAGED]),
]


def _pick(rng: random.Random, weighted: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[row[-1] for row in weighted])[0]


def _final_status(rng: random.Random, age_days: int) -> list[str]:
    """The statuses a referral went through, given how long ago it was made."""
    path: list[str] = [ReferralStatus.REFERRED, ReferralStatus.ASSESSMENT_BOOKED]
    if age_days < 3:
        return path
    roll = rng.random()
    if roll < 0.02:
        return [*path, ReferralStatus.WITHDRAWN]
    if roll < 0.35:  # did not engage: missed, maybe rebooked, then not engaged after the deadline
        path.append(ReferralStatus.ASSESSMENT_MISSED)
        return path if age_days < 21 else [*path, ReferralStatus.NOT_ENGAGED]
    path.append(ReferralStatus.ASSESSED)
    if age_days < 10:
        return path
    if rng.random() < 0.08:
        return [*path, ReferralStatus.ONWARD_ONLY] + (
            [ReferralStatus.COMPLETED] if age_days > 60 else []
        )
    path.append(ReferralStatus.COURSE_BOOKED)
    return path if age_days < 35 else [*path, ReferralStatus.COMPLETED]


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


def _historic_referral(
    rng: random.Random,
    scheme: Scheme,
    person: Person,
    officer: User,
    stopped_at: dt.datetime,
    statuses: list[str],
    authorities: list[Any],
) -> Referral:
    drug_code = _pick(rng, DRUG_MIX)[0]
    name, drug_class = DRUGS[drug_code]
    young = (stopped_at.date() - person.date_of_birth).days < 18 * 365.25
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
        status_changed_at=stopped_at + dt.timedelta(days=DAYS_TO_STATUS[min(len(statuses) - 1, 6)]),
    )
    DrugFound.objects.create(
        referral=referral, drug=name, drug_class=drug_class, quantity=f"{rng.randint(1, 7)} grams"
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            referral=referral,
            from_status=previous,
            to_status=status,
            changed_at=stopped_at + dt.timedelta(days=DAYS_TO_STATUS[min(offset, 6)]),
            actor=officer if offset == 0 else None,
            actor_label="demo data",
        )
        for offset, (previous, status) in enumerate(zip(["", *statuses], statuses, strict=False))
    )
    _notices(referral, statuses, stopped_at)
    return referral


def _notices(referral: Referral, statuses: list[str], stopped_at: dt.datetime) -> None:
    """What the police were told, as the lifecycle would have told them."""
    requires_course = referral.scheme.engagement_requires_course
    kinds: list[tuple[str, int]] = []
    for offset, status in enumerate(statuses):
        if status == ReferralStatus.NOT_ENGAGED:
            kinds.append((NoticeKind.INTELLIGENCE_LOG, offset))
        if status == ReferralStatus.COMPLETED:
            kinds.append((NoticeKind.COMPLETED, offset))
        engaged_now = is_engaged(status, engagement_requires_course=requires_course)
        if engaged_now and not any(kind == NoticeKind.ENGAGED for kind, _o in kinds):
            kinds.append((NoticeKind.ENGAGED, offset))
    PoliceNotice.objects.bulk_create(
        PoliceNotice(
            referral=referral,
            scheme=referral.scheme,
            kind=kind,
            created_at=stopped_at + dt.timedelta(days=DAYS_TO_STATUS[min(offset, 6)]),
            acknowledged_at=stopped_at + dt.timedelta(days=DAYS_TO_STATUS[min(offset, 6)] + 1)
            if stopped_at < timezone.now() - dt.timedelta(days=90)
            else None,
        )
        for kind, offset in kinds
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
        for week in range(weeks, 0, -1):
            for _ in range(
                rng.randint(int(WEEKLY[scheme.code] * 0.7), int(WEEKLY[scheme.code] * 1.3))
            ):
                day = today - dt.timedelta(days=week * 7 - rng.randint(0, 6))
                if day >= today - dt.timedelta(days=2):
                    continue
                hour = rng.choices(
                    range(24),
                    weights=[
                        3,
                        2,
                        1,
                        1,
                        1,
                        1,
                        1,
                        2,
                        3,
                        4,
                        5,
                        6,
                        6,
                        6,
                        7,
                        8,
                        8,
                        8,
                        8,
                        8,
                        7,
                        6,
                        5,
                        4,
                    ],
                )[0]
                stopped_at = dt.datetime.combine(
                    day, dt.time(hour, rng.randint(0, 59)), tzinfo=zone
                )
                person = (
                    rng.choice(repeaters)
                    if repeaters and rng.random() < 0.08
                    else _person(rng, fake, scheme, day)
                )
                statuses = _final_status(rng, (today - day).days)
                _historic_referral(
                    rng, scheme, person, rng.choice(officers), stopped_at, statuses, authorities
                )
                if statuses[-1] in (ReferralStatus.COMPLETED, ReferralStatus.ONWARD_ONLY):
                    repeaters.append(person)
                total += 1
        if scheme.code == "WM":
            total += _named_people(rng, fake, scheme, officers, authorities, today, zone)
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
        referral_create(
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
