"""Known police and ONS data beside the known referrals (`dashboard_data.known_referrals`), for
the tests of the report's sections. Every figure the tests expect is counted from the lists
here, by hand, never by our own functions.

- The scheme goes live 30 days before today, so the filter (60 days ago to today) has 30 days
  before go-live and 31 after: the comparison uses 30 days either side.
- Re-offending: referrals 0-7 have an offence 5 days after referral; 0-4 are possession (92E);
  0-5 end in a conviction 20 days after the offence.
- A pool of 30 people never diverted, each with a possession offence in the period; 12 of them
  offend again 10 days later.
- Possession outcomes (OUTCOMES below), stop and search (SEARCHES) and population (POPULATION).
- Unit costs (UNIT_COSTS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from diversion.evaluation.models import (
    PoliceOffence,
    PolicePerson,
    Population,
    PossessionOutcome,
    StopSearch,
    UnitCost,
)
from diversion.evaluation.tests.dashboard_data import Known

REOFFENDERS = range(8)
POSSESSION_REOFFENDERS = range(5)
PROVEN_REOFFENDERS = range(6)
POOL = 30
POOL_REOFFENDERS = 12
# (period, Home Office outcome code, self-defined ethnicity, sex, how many)
OUTCOMES: list[tuple[str, int, str, str, int]] = [
    ("before", 1, "B2", "male", 30),
    ("before", 1, "W1", "male", 20),
    ("before", 2, "W1", "male", 20),
    ("before", 6, "W1", "female", 5),
    ("before", 8, "B2", "male", 10),
    ("before", 8, "W1", "male", 15),
    ("after", 1, "B2", "male", 5),
    ("after", 1, "W1", "male", 10),
    ("after", 2, "W1", "male", 6),
    ("after", 6, "W1", "male", 3),
    ("after", 7, "W1", "male", 4),
    ("after", 8, "B2", "male", 35),
    ("after", 8, "W1", "male", 21),
    ("after", 22, "W1", "male", 16),
    ("after", 0, "W1", "male", 3),  # still awaiting an outcome
]
# (self-defined ethnicity, searches in the period)
SEARCHES = [("W1", 40), ("B2", 30), ("A1", 3), ("M1", 10)]
# (ethnic group, population of each sex)
POPULATION = [("White", 5000), ("Black", 1000), ("Asian", 1500), ("Mixed", 500)]
UNIT_COSTS = {
    "diversion_referral": ("300.00", "Contract price per referral"),
    "charge": ("2000.00", "Home Office unit cost of a charge"),
    "caution": ("400.00", "Home Office unit cost of a caution"),
    "penalty_notice": ("200.00", "Home Office unit cost of a penalty notice"),
}


@dataclass
class Police:
    go_live: dt.date
    before: tuple[dt.date, dt.date]
    after: tuple[dt.date, dt.date]
    area: str


def known_police_data(known: Known) -> Police:
    scheme = known.scheme
    today = timezone.localdate()
    go_live = today - dt.timedelta(days=30)
    type(scheme).objects.filter(pk=scheme.pk).update(go_live=go_live)
    scheme.refresh_from_db()
    area = known.first_area.ons_code
    row = iter(range(1_000_000))

    def offence(person: PolicePerson, day: dt.date, code: str, **extra: Any) -> PoliceOffence:
        return PoliceOffence.objects.create(
            scheme=scheme,
            police_person=person,
            offence_date=day,
            offence_code=code,
            is_possession=code in ("92D", "92E"),
            row_key=f"o{next(row)}",
            **extra,
        )

    for i, referral in enumerate(known.referrals):
        person = referral.person
        police = PolicePerson.objects.create(
            scheme=scheme,
            date_of_birth=person.date_of_birth,
            sex=person.sex,
            ethnicity="W1",
            local_authority=area,
            person=person,
            link="police_id",
        )
        referred = timezone.localdate(referral.stopped_at)
        if i in REOFFENDERS:
            day = referred + dt.timedelta(days=5)
            proven = (
                {"disposal": "conviction", "disposal_date": day + dt.timedelta(days=20)}
                if i in PROVEN_REOFFENDERS
                else {}
            )
            offence(person=police, day=day, code="92E" if i in POSSESSION_REOFFENDERS else "105A",
                    **proven)  # fmt: skip
    for i in range(POOL):
        index = known.start + dt.timedelta(days=1 + i)
        police = PolicePerson.objects.create(
            scheme=scheme,
            date_of_birth=dt.date(1980 + i % 20, 1 + i % 12, 10),
            sex="male" if i % 5 < 3 else "female",
            ethnicity="W1",
            local_authority=area,
        )
        offence(person=police, day=index, code="92E")
        if i < POOL_REOFFENDERS:
            offence(person=police, day=index + dt.timedelta(days=10), code="105A")

    before = (go_live - dt.timedelta(days=30), go_live - dt.timedelta(days=1))
    after = (go_live, go_live + dt.timedelta(days=29))
    outcomes = []
    for period, code, ethnicity, sex, count in OUTCOMES:
        for n in range(count):
            first = before[0] if period == "before" else after[0]
            outcomes.append(
                PossessionOutcome(
                    scheme=scheme,
                    offence_date=first + dt.timedelta(days=n % 30),
                    local_authority=area,
                    offence_code="92E",
                    outcome_code=code,
                    sex=sex,
                    ethnicity=ethnicity,
                    diverted=code == 8 and period == "after",
                    row_key=f"p{next(row)}",
                )
            )
    PossessionOutcome.objects.bulk_create(outcomes)
    StopSearch.objects.bulk_create(
        StopSearch(
            scheme=scheme,
            searched_on=known.start + dt.timedelta(days=n % 60),
            local_authority=area,
            sex="male",
            ethnicity=ethnicity,
            observed_ethnicity="IC1",
            row_key=f"s{next(row)}",
        )
        for ethnicity, count in SEARCHES
        for n in range(count)
    )
    Population.objects.bulk_create(
        Population(
            scheme=scheme, local_authority=area, sex=sex, ethnic_group=group, population=people
        )
        for group, people in POPULATION
        for sex in ("female", "male")
    )
    for name, (amount, source) in UNIT_COSTS.items():
        UnitCost.objects.create(
            scheme=scheme,
            name=name,
            amount_pounds=Decimal(amount),
            source=source,
            valid_from=go_live - dt.timedelta(days=365),
        )
    return Police(go_live=go_live, before=before, after=after, area=area)
