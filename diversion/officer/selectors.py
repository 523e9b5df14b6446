"""Reads for the officer's pages. A read of personal data writes its own audit row here, so no
page can show it without the row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from diversion.audit.services import Actor, audit_read
from diversion.referrals.models import DrugFound, Referral
from diversion.referrals.selectors import PersonHistory, person_history, referral_for_officer
from diversion.scheduling.models import Slot
from diversion.scheduling.selectors import distinct_times, slots_available
from diversion.schemes.models import Scheme

LOOKUP_REASON = "eligibility look-up at the scene"
SLOTS_SHOWN = 3  # a phone screen's worth; "Later times" pages on (issue 17)


def history_read_record(
    *, actor: Actor, scheme: Scheme, history: PersonHistory, reason: str = LOOKUP_REASON
) -> None:
    """A look-up that found someone read their referral history: audited like any read."""
    if history.person_id is None and not history.possible_matches:
        return
    audit_read(
        actor=actor,
        object_type="people.Person",
        object_id=str(history.person_id or ""),
        scheme=scheme,
        reason=reason,
        changes={"possible_matches": len(history.possible_matches)},
    )


def shared_facts_read_record(
    *, actor: Actor, scheme: Scheme, history: PersonHistory, reason: str = LOOKUP_REASON
) -> None:
    """A look-up that found facts other schemes share is audited in both: in this scheme (how
    many facts, from how many schemes: never which) and in each scheme that shared one (which
    of its people, and that `scheme` asked)."""
    others = history.other_schemes
    if not others:
        return
    audit_read(
        actor=actor,
        object_type="people.Person",
        object_id=str(history.person_id or ""),
        scheme=scheme,
        reason=f"{reason}: facts shared by other schemes",
        changes={
            "shared_facts": len(history.shared),
            "possible_matches_to_confirm": len(history.to_confirm),
            "schemes": len(others),
        },
    )
    schemes = Scheme.objects.in_bulk(list(others))
    for fact_scheme_id in sorted(others):
        people = sorted(
            {
                f.person_id
                for f in (*history.shared, *history.to_confirm)
                if f.scheme_id == fact_scheme_id
            }
        )
        audit_read(
            actor=actor,
            object_type="people.Person",
            object_id=",".join(map(str, people))[:64],
            scheme=schemes[fact_scheme_id],
            reason=f"engagement fact shared with {scheme.code} at its eligibility look-up",
            changes={"asked_by_scheme": scheme.code, "people": people},
        )


def person_lookup(
    *,
    actor: Actor,
    scheme: Scheme,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date,
    police_person_id: str = "",
    reason: str = LOOKUP_REASON,
) -> PersonHistory:
    """What eligibility needs to know about the person's earlier referrals, audited."""
    history = person_history(
        scheme=scheme,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        police_person_id=police_person_id,
    )
    history_read_record(actor=actor, scheme=scheme, history=history, reason=reason)
    shared_facts_read_record(actor=actor, scheme=scheme, history=history, reason=reason)
    return history


def slots_offered(*, scheme: Scheme, token: str, after: dt.datetime | None = None) -> list[Slot]:
    """The next assessment times to offer, one slot each (the draft's own hold counts free)."""
    return distinct_times(
        slots_available(scheme_id=scheme.pk, token=token, after=after), limit=SLOTS_SHOWN
    )


def slot_chosen(*, scheme: Scheme, slot_id: str | None) -> list[Slot]:
    """The slot a submitted form names, if it is the scheme's: all its validation needs (the
    submission checks it is still free)."""
    try:
        pk = int(slot_id or "")
    except ValueError:
        return []
    return list(Slot.objects.filter(pk=pk, scheme=scheme).order_by())


def referral_submitted(*, officer: Any, idempotency_key: str) -> Referral | None:
    """The officer's referral made with this key: a retry after the submission went through."""
    if not idempotency_key:
        return None
    return Referral.objects.filter(officer_id=officer.pk, idempotency_key=idempotency_key).first()


@dataclass(frozen=True)
class Confirmation:
    referral: Referral
    appointment: Slot | None
    drugs: list[DrugFound]


def referral_confirmation(*, officer: Any, reference: str) -> Confirmation:
    """The officer's own referral, its assessment and drugs, for the confirmation: audited."""
    referral = referral_for_officer(officer=officer, reference=reference)
    audit_read(
        actor=Actor.of(officer),
        obj=referral,
        scheme=referral.scheme,
        reason="officer's confirmation page",
    )
    booking = referral.bookings.select_related("slot").order_by("-created_at").first()
    return Confirmation(
        referral=referral,
        appointment=booking.slot if booking else None,
        drugs=list(referral.drugs.all()),
    )
