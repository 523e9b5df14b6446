"""Keys for finding a person again: exact and fuzzy variants of name and date of birth.

Each key is a blind index (keyed hash) of a normalised variant, so matching works by equality on
hashes. Fuzzy matching is the union of the variants: swapped given and family names, names that
sound alike (Soundex), surname with first initial, and day and month of birth transposed.
"""

from __future__ import annotations

import datetime as dt

from diversion.core.crypto import blind_index, normalise_name
from diversion.people.models import MatchKind

PURPOSE = "person-match"

_SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(name: str) -> str:
    """American Soundex (as used by the US census): a letter and three digits."""
    letters = [ch for ch in normalise_name(name) if ch.isalpha()]
    if not letters:
        return ""
    first, result = letters[0], []
    previous = _SOUNDEX_CODES.get(first, "")
    for ch in letters[1:]:
        code = _SOUNDEX_CODES.get(ch, "")
        if code and code != previous:
            result.append(code)
        if ch not in "hw":
            previous = code
    return (first.upper() + "".join(result) + "000")[:4]


def _key(kind: str, *parts: str) -> str:
    return blind_index("|".join([kind, *parts]), purpose=PURPOSE)


def match_keys(given_name: str, family_name: str, date_of_birth: dt.date) -> dict[str, set[str]]:
    given, family = normalise_name(given_name), normalise_name(family_name)
    dob = date_of_birth.isoformat()
    keys: dict[str, set[str]] = {
        MatchKind.EXACT: {_key(MatchKind.EXACT, given, family, dob)},
        # Stored under the exact form, looked up swapped: a key of the swapped input equals
        # the exact key of the stored person.
        MatchKind.SWAPPED_NAMES: {_key(MatchKind.EXACT, family, given, dob)},
        MatchKind.PHONETIC: {_key(MatchKind.PHONETIC, soundex(given), soundex(family), dob)},
        MatchKind.INITIAL: {_key(MatchKind.INITIAL, given[:1], family, dob)},
        MatchKind.DAY_MONTH_SWAPPED: set(),
    }
    if date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
        swapped = dt.date(date_of_birth.year, date_of_birth.day, date_of_birth.month)
        keys[MatchKind.DAY_MONTH_SWAPPED] = {
            _key(MatchKind.EXACT, given, family, swapped.isoformat())
        }
    return keys


def stored_keys(given_name: str, family_name: str, date_of_birth: dt.date) -> list[tuple[str, str]]:
    """The keys kept for a person: one of each kind that can be looked up by equality."""
    keys = match_keys(given_name, family_name, date_of_birth)
    return [
        (MatchKind.EXACT, next(iter(keys[MatchKind.EXACT]))),
        (MatchKind.PHONETIC, next(iter(keys[MatchKind.PHONETIC]))),
        (MatchKind.INITIAL, next(iter(keys[MatchKind.INITIAL]))),
    ]


def police_id_key(police_person_id: str) -> str:
    cleaned = "".join(ch for ch in police_person_id.upper() if ch.isalnum())
    return blind_index(cleaned, purpose="police-person-id") if cleaned else ""
