from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from diversion.people.matching import match_keys, police_id_key
from diversion.people.models import MatchKind, Person, PersonMatchKey

# Best first: when one person matches several ways, the strongest is reported.
_STRENGTH: list[str] = [
    MatchKind.POLICE_ID,
    MatchKind.EXACT,
    MatchKind.SWAPPED_NAMES,
    MatchKind.DAY_MONTH_SWAPPED,
    MatchKind.PHONETIC,
    MatchKind.INITIAL,
]


@dataclass(frozen=True)
class PersonMatch:
    person: Person
    kind: str

    @property
    def is_exact(self) -> bool:
        return self.kind in {MatchKind.EXACT, MatchKind.POLICE_ID}


def person_matches(
    *,
    scheme_id: int | None,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date,
    police_person_id: str = "",
) -> list[PersonMatch]:
    """People in the scheme who may be this person, strongest match first. With `scheme_id`
    None, in every scheme on the deployment: the keys are blind indexes under one
    deployment-wide key, so the same person has the same keys in every scheme (decision 0016).
    The caller decides what of another scheme's person it may use."""
    wanted = match_keys(given_name, family_name, date_of_birth)
    kind_of_key = {key: kind for kind, keys in wanted.items() for key in keys}
    found: dict[int, str] = {}
    in_scheme = {} if scheme_id is None else {"person__scheme_id": scheme_id}
    rows = PersonMatchKey.objects.filter(key__in=list(kind_of_key), **in_scheme).values_list(
        "person_id", "key"
    )
    for person_id, key in rows:
        kind = kind_of_key[key]
        if person_id not in found or _STRENGTH.index(kind) < _STRENGTH.index(found[person_id]):
            found[person_id] = kind
    index = police_id_key(police_person_id) if police_person_id else ""
    if index:
        people_in = {} if scheme_id is None else {"scheme_id": scheme_id}
        for person_id in Person.objects.filter(
            police_person_id_index=index, **people_in
        ).values_list("pk", flat=True):
            found[person_id] = MatchKind.POLICE_ID
    people = Person.objects.in_bulk(list(found))
    matches = [PersonMatch(people[pk], kind) for pk, kind in found.items()]
    return sorted(matches, key=lambda m: (_STRENGTH.index(m.kind), m.person.pk))
