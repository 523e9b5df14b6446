"""A referral the officer completed without signal, sent when the signal returns.

It is read with the pages' own forms (the same checks, the same messages) and submitted through
`referral_submit` with the idempotency key the phone gave it, so it is accepted once whatever the
number of retries, background syncs or open tabs. The decision on eligibility is made here, on
the person's history as it is now. The officer held a provisional time: if it has gone, the next
free one is booked and the person's confirmation (the usual message) gives that time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from diversion.audit.services import Actor, audit_read
from diversion.officer.forms import PersonForm, StopForm
from diversion.officer.selectors import slot_chosen, slots_offered
from diversion.officer.services import IneligibleReferral, referral_submit
from diversion.referrals.choices import NO_CONTACT_CONSENT, NO_SHARING
from diversion.referrals.details import PersonDetails, StopDetails
from diversion.referrals.models import Referral
from diversion.scheduling.models import Slot
from diversion.scheduling.services import SlotUnavailable
from diversion.schemes.models import Scheme

KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_FIELDS = 120
NEXT_SLOT_TRIES = 3


class SyncRefused(Exception):
    """The offline referral cannot be accepted as sent: an RFC 9457 problem for the phone."""

    def __init__(
        self, status: int, kind: str, title: str, *, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(title)
        self.status, self.kind, self.title = status, kind, title
        self.errors = errors or {}


@dataclass(frozen=True)
class OfflineReferral:
    key: str
    person: PersonDetails
    stop: StopDetails
    slot_id: int | None  # None: the officer chose "call the person back"


def _form_data(values: Any, part: str) -> QueryDict:
    if not isinstance(values, dict) or len(values) > MAX_FIELDS:
        raise SyncRefused(400, "malformed", f"'{part}' must be an object of form fields")
    data = QueryDict(mutable=True)
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            raise SyncRefused(400, "malformed", f"'{part}.{name}' must be text or a list of text")
        data.setlist(name, items)
    return data


def _errors(form: Any) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def offline_referral_parse(*, payload: Any, scheme: Scheme) -> OfflineReferral:
    """Check the phone's referral as the three pages would; SyncRefused says what is wrong."""
    if not isinstance(payload, dict):
        raise SyncRefused(400, "malformed", "The body must be a JSON object")
    key = payload.get("idempotency_key")
    if not isinstance(key, str) or not KEY.match(key):
        raise SyncRefused(
            400, "malformed", "'idempotency_key' must be 16 to 64 letters, digits, - or _"
        )
    person_form = PersonForm(_form_data(payload.get("person"), "person"))
    if not person_form.is_valid():
        raise SyncRefused(422, "invalid", "The person's details need correcting",
                          errors=_errors(person_form))  # fmt: skip
    person = person_form.person_details()
    stop_form = StopForm(
        _form_data(payload.get("stop"), "stop"), scheme=scheme, date_of_birth=person.date_of_birth
    )
    if not stop_form.is_valid():
        raise SyncRefused(422, "invalid", "The stop's details need correcting",
                          errors=_errors(stop_form))  # fmt: skip
    consent = payload.get("consent")
    consent = consent if isinstance(consent, dict) else {}
    missing = {}
    if consent.get("contact") is not True:
        missing["consent_to_contact"] = [NO_CONTACT_CONSENT]
    if consent.get("share") is not True:
        missing["consent_to_share"] = [NO_SHARING]
    if missing:
        raise SyncRefused(422, "invalid", "The person's consent is missing", errors=missing)
    booking = payload.get("booking")
    booking = booking if isinstance(booking, dict) else {}
    slot_id: int | None = None
    if booking.get("call_back") is not True:
        chosen = slot_chosen(scheme=scheme, slot_id=str(booking.get("slot", "")))
        if not chosen:
            raise SyncRefused(
                422,
                "invalid",
                "Choose a provisional time or to call the person back",
                errors={"booking": ["Choose a provisional time or to call the person back"]},
            )
        slot_id = chosen[0].pk
    return OfflineReferral(key=key, person=person, stop=stop_form.stop_details(), slot_id=slot_id)


@dataclass(frozen=True)
class SyncOutcome:
    """What the officer is told: `booked` (the time held), `booked_next` (it had gone: the next
    one), `call_back` (the provider rings the person to book), or `not_eligible`."""

    outcome: str
    created: bool
    referral: Referral | None = None
    slot: Slot | None = None
    reasons: list[str] = field(default_factory=list)
    what_to_do_instead: str = ""


def _replayed(referral: Referral, *, officer: Any, requested: int | None) -> SyncOutcome:
    audit_read(
        actor=Actor.of(officer),
        obj=referral,
        scheme=referral.scheme,
        reason="offline referral sent again",
    )
    booking = referral.bookings.select_related("slot").order_by("-created_at").first()
    slot = booking.slot if booking else None
    if slot is None:
        return SyncOutcome("call_back", created=False, referral=referral)
    outcome = "booked" if requested in (None, slot.pk) else "booked_next"
    return SyncOutcome(outcome, created=False, referral=referral, slot=slot)


def offline_referral_sync(*, officer: Any, scheme: Scheme, offline: OfflineReferral) -> SyncOutcome:
    """Submit once per key: a key this officer used returns its referral; another officer's
    key is refused (a key names one officer's referral, never anyone else's)."""
    existing = Referral.objects.filter(idempotency_key=offline.key).first()
    if existing is not None:
        if existing.officer_id != officer.pk:
            raise SyncRefused(409, "key-used", "This idempotency key belongs to another referral")
        return _replayed(existing, officer=officer, requested=offline.slot_id)
    slot_id = offline.slot_id
    for _attempt in range(NEXT_SLOT_TRIES + 1):
        try:
            result = referral_submit(
                officer=officer,
                scheme=scheme,
                person=offline.person,
                stop=offline.stop,
                consent_to_contact=True,
                consent_to_share=True,
                slot_id=slot_id,
                idempotency_key=offline.key,
                hold_token=offline.key,
            )
        except IneligibleReferral as refused:
            return SyncOutcome(
                "not_eligible",
                created=False,
                reasons=[reason.message for reason in refused.decision.reasons],
                what_to_do_instead=refused.decision.what_to_do_instead,
            )
        except SlotUnavailable:
            free = slots_offered(scheme=scheme, token=offline.key)
            slot_id = free[0].pk if free else None  # none left: the provider rings to book
            continue
        if not result.created:
            return _replayed(result.referral, officer=officer, requested=offline.slot_id)
        if slot_id is None:
            return SyncOutcome("call_back", created=True, referral=result.referral)
        slot = Slot.objects.get(pk=slot_id)
        outcome = "booked" if slot_id == offline.slot_id else "booked_next"
        return SyncOutcome(outcome, created=True, referral=result.referral, slot=slot)
    raise SyncRefused(409, "no-time", "Every time offered was taken: send again")
