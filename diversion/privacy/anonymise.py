"""What erasure does to each kind of record linked to a person: rules as data, one place.

Each model the registry links to a person (privacy/graph.py) is in exactly one of the tables
below; `tests/test_erasure_scan.py` fails for a model that is in none. Personal values are
blanked (the row and its non-identifying facts stay, so the evaluation's past figures do not
change), or the row is deleted when it is nothing but a key to the person, or a higher app
handles it on the `PersonErased` event (api, evaluation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

# model label: the fields set to a blank value ("" for text, {} or [] for JSON: per its default)
BLANK: dict[str, tuple[str, ...]] = {
    "people.Person": (
        "given_name",
        "family_name",
        "mobile",
        "email",
        "police_person_id",
        "police_person_id_index",
    ),
    "referrals.Referral": (
        "place",
        "appropriate_adult_name",
        "appropriate_adult_relationship",
        "appropriate_adult_phone",
    ),
    "referrals.EligibilityRecord": ("place", "supply_reason", "identity_answer"),
    "referrals.StatusChange": ("reason",),
    "casework.Assessment": ("answers", "risk_change_reason"),
    "casework.AdvicePlan": ("personal_note",),
    "casework.Allocation": ("change_reason", "proposed_reason"),
    "casework.OnwardReferral": ("notes",),
    "casework.SafeguardingConcern": ("kinds",),
    "scheduling.BookingChange": ("reason",),
    "messaging.Message": (
        "recipient",
        "recipient_index",
        "subject",
        "body",
        "calendar_invite",
        "provider_reference",
    ),
    "privacy.RightsRequest": ("identity_evidence", "details"),
}

# Keys removed, at any depth, from these JSON fields (free text kept inside a decision).
JSON_FREE_TEXT_KEYS = frozenset({"notes", "note", "free_text", "name", "reason_text"})
JSON_SCRUBBED: dict[str, tuple[str, ...]] = {
    "referrals.Referral": ("eligibility",),
    "referrals.EligibilityRecord": ("decision",),
}

# Rows that are only a key to the person: deleted.
DELETE: frozenset[str] = frozenset({"people.PersonMatchKey", "engagement.SelfServiceLink"})

# Rows kept as they are: no personal value in them (ids, dates, statuses, codes), or written by
# staff about the handling of the record itself. Each with why.
KEEP: dict[str, str] = {
    "referrals.DrugFound": "drug, class and quantity: facts of the offence kept for the figures",
    "casework.AdvicePlanItem": "which standard advice was given: codes",
    "courses.Enrolment": "course, session and attendance: dates and statuses",
    "courses.WaitlistEntry": "dates and course type",
    "engagement.PoliceNotice": "the police's record of the outcome: kind and dates (the force's)",
    "messaging.MessagingPreference": "opt-out flags and dates",
    "scheduling.Booking": "slot, status and language needed: dates and codes",
    "scheduling.ContactAttempt": "when a call was tried and its result",
    "evaluation.PoliceOffence": "offence codes and dates, keyed by an opaque row key",
    "privacy.Erasure": "the record of the erasure itself: when, who, why, counts",
    "privacy.ExtractRecall": "which extracts must be recalled",
    "privacy.LegalHold": "the hold's kind, reason and dates, written by staff",
}

# Handled by a higher app on PersonErased (it may not be imported from here).
BY_EVENT: dict[str, str] = {
    "api.IdempotencyRecord": "api: deleted (request keys and body fingerprints)",
    "evaluation.PolicePerson": "evaluation: indexes blanked, birth date coarsened",
}


def blank_value(field: Any) -> Any:
    default = field.get_default() if field.has_default() else None
    if isinstance(default, dict | list):
        return type(default)()
    if field.get_internal_type() == "JSONField":
        return {}
    return ""


def scrub_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            key: scrub_json(item) for key, item in value.items() if key not in JSON_FREE_TEXT_KEYS
        }
    if isinstance(value, list):
        return [scrub_json(item) for item in value]
    return value


def coarse_birth_date(born: dt.date, on_dates: Iterable[dt.date]) -> dt.date:
    """The earliest birth date giving the same age in whole years on every one of `on_dates`.

    The evaluation reports ages (bands) at the referral: those stay exactly the same. The date
    depends only on the dates and the ages on them, so it tells no more than the ages do. With
    no dates, the first of January of the year of birth.
    """
    days = list(on_dates)
    earliest = dt.date(born.year, 1, 1)
    for day in days:
        earliest = max(earliest, _years_before(day, age_on(born, day) + 1) + dt.timedelta(days=1))
    candidate = min(earliest, born)
    # 29 February makes "n years before" ambiguous: step on to the first date that holds.
    while any(age_on(candidate, day) != age_on(born, day) for day in days):
        candidate += dt.timedelta(days=1)
    return candidate


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years, counting a birthday on the day itself (as the evaluation does)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)
