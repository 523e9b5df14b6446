"""Linking people in the police data to people referred, by equality on blind-index keys.

The police identifier's keyed hash is compared with `Person.police_person_id_index`; the exact
name-and-date-of-birth key with the `PersonMatchKey` of kind "exact" that every referred person
has. Only exact keys link: a fuzzy match is good enough to warn an officer, not to count a
re-offence against someone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import OuterRef, Subquery

from diversion.core.crypto import normalise_name
from diversion.evaluation.imports.base import fast_blind_index
from diversion.evaluation.models import LinkKind, PolicePerson
from diversion.people.matching import PURPOSE
from diversion.people.models import MatchKind, Person, PersonMatchKey

_normal = lru_cache(maxsize=65_536)(normalise_name)


def name_dob_key(given_name: str, family_name: str, date_of_birth: dt.date) -> str:
    """The exact key `people.matching` stores for a person with this name and date of birth
    (its format, computed fast; the tests check the two agree)."""
    text = "|".join(
        [
            MatchKind.EXACT.value,
            _normal(given_name),
            _normal(family_name),
            date_of_birth.isoformat(),
        ]
    )
    return fast_blind_index(text, purpose=PURPOSE)


def police_id_index(police_person_id: str) -> str:
    """`people.matching.police_id_key`, computed fast (the tests check the two agree)."""
    cleaned = "".join(ch for ch in police_person_id.upper() if ch.isalnum())
    return fast_blind_index(cleaned, purpose="police-person-id") if cleaned else ""


def police_people_link(*, scheme_id: int, police_person_ids: Iterable[int] | None = None) -> int:
    """Link the scheme's unlinked police people to referred people; returns how many linked.
    Run after each import, and again after new referrals (the generator and demo call it)."""
    unlinked = PolicePerson.objects.filter(scheme_id=scheme_id, person__isnull=True)
    if police_person_ids is not None:
        unlinked = unlinked.filter(pk__in=list(police_person_ids))
    by_police_id = Person.objects.filter(
        scheme_id=scheme_id, police_person_id_index=OuterRef("police_id_index")
    ).order_by("pk")
    linked = (
        unlinked.exclude(police_id_index="")
        .filter(
            police_id_index__in=Person.objects.filter(scheme_id=scheme_id).values(
                "police_person_id_index"
            )
        )
        .update(person=Subquery(by_police_id.values("pk")[:1]), link=LinkKind.POLICE_ID)
    )
    by_name = PersonMatchKey.objects.filter(
        person__scheme_id=scheme_id, kind=MatchKind.EXACT, key=OuterRef("name_key")
    ).order_by("person_id")
    linked += (
        unlinked.filter(person__isnull=True)
        .exclude(name_key="")
        .filter(
            name_key__in=PersonMatchKey.objects.filter(
                person__scheme_id=scheme_id, kind=MatchKind.EXACT
            ).values("key")
        )
        .update(person=Subquery(by_name.values("person_id")[:1]), link=LinkKind.NAME_DOB)
    )
    return linked
