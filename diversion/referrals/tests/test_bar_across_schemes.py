"""The bar crosses schemes, privately (issue 15 §1, decision 0016): one deployment-wide identity
match; only "referred by another scheme on DATE: engaged / did not engage" crosses, and only
from a scheme that shares it with the one asking; each look-up is audited in both schemes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM, Actor
from diversion.core.roles import Role
from diversion.officer.services import IneligibleReferral, eligibility_check, referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import EligibilityRecord, Referral
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.models import Slot
from diversion.schemes.models import Scheme
from diversion.schemes.services import scheme_sharing_update
from diversion.schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus
# Each path from a booked assessment to the outcome the next stop sees.
PATHS: dict[str, list[str]] = {
    "did not engage": [S.NOT_ENGAGED],
    "assessed, course not completed": [S.ASSESSED, S.COURSE_NOT_COMPLETED],
    "completed": [S.ASSESSED, S.COMPLETED],
    "still in progress": [],
    "withdrew": [S.WITHDRAWN],
}


def _slots(scheme: Scheme, make_user: Any, count: int = 3) -> list[Slot]:
    worker = make_user(Role.WORKER, scheme)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=1)
    return [
        Slot.objects.create(
            scheme=scheme,
            worker=worker,
            starts_at=start + dt.timedelta(minutes=45 * i),
            ends_at=start + dt.timedelta(minutes=45 * (i + 1)),
        )
        for i in range(count)
    ]


@pytest.fixture
def first(scheme: Scheme, make_user: Any, slots: list[Slot]) -> Referral:
    """Jamie, referred by scheme A from a stop at a named place, who never engaged."""
    referral = referral_submit(
        officer=make_user(Role.OFFICER, scheme),
        scheme=scheme,
        person=person_details(police_person_id="PNC-12/345678A"),
        stop=stop_details(scheme, place="Outside Digbeth Coach Station"),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slots[0].pk,
        idempotency_key="stop in A",
    ).referral
    referral_transition(referral_id=referral.pk, to_status=S.NOT_ENGAGED, actor=SYSTEM)
    return referral


@pytest.fixture
def scheme_b(reference_data: None) -> Scheme:
    return SchemeFactory()


@pytest.fixture
def officer_b(scheme_b: Scheme, make_user: Any) -> Any:
    return make_user(Role.OFFICER, scheme_b)


def _share(scheme: Scheme, *with_schemes: Scheme) -> None:
    scheme_sharing_update(
        actor=SYSTEM,
        scheme=scheme,
        share_with_ids=[s.pk for s in with_schemes],
        reason="data-sharing agreement",
    )


def _submit_in(scheme: Scheme, officer: Any, slot: Slot, key: str, **person: Any) -> Any:
    return referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(**person),
        stop=stop_details(scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slot.pk,
        idempotency_key=key,
    )


def _secrets_of(referral: Referral) -> list[str]:
    """What of scheme A must never reach scheme B's officer or records."""
    return [
        referral.reference,
        referral.scheme.code + "-",
        referral.scheme.name,
        "Digbeth",
        referral.officer.email,
    ]


def test_a_non_engager_in_scheme_a_is_refused_in_scheme_b_when_a_shares_with_b(
    first: Referral, scheme_b: Scheme, officer_b: Any, make_user: Any
) -> None:
    _share(first.scheme, scheme_b)
    slot = _slots(scheme_b, make_user)[0]
    with pytest.raises(IneligibleReferral) as refused:
        _submit_in(scheme_b, officer_b, slot, "stop in B")
    day = timezone.localtime(first.stopped_at).date()
    messages = [reason.message for reason in refused.value.decision.reasons]
    assert messages == [
        f"Referred by another scheme on {day.day} {day:%B} {day.year}: did not engage. "
        "Not eligible for diversion again"
    ]
    assert Referral.objects.filter(scheme=scheme_b).count() == 0
    record = EligibilityRecord.objects.get(scheme=scheme_b)
    assert (record.eligible, record.reason_codes, record.shared_facts) == (
        False,
        ["did_not_engage"],
        1,
    )
    seen_in_b = json.dumps(record.decision)
    assert not [secret for secret in _secrets_of(first) if secret in seen_in_b]
    # Audited in both schemes: B read a fact; A's person was read by B's look-up.
    in_a = AuditEvent.objects.filter(
        scheme=first.scheme, reason__contains=f"shared with {scheme_b.code}"
    )
    assert in_a.filter(object_id=str(first.person_id), actor=officer_b).exists()
    assert AuditEvent.objects.filter(
        scheme=scheme_b, reason__contains="facts shared by other schemes"
    ).exists()


def test_the_match_is_found_by_the_police_identifier_alone(
    first: Referral, scheme_b: Scheme, officer_b: Any, make_user: Any
) -> None:
    _share(first.scheme, scheme_b)
    slot = _slots(scheme_b, make_user)[0]
    with pytest.raises(IneligibleReferral):
        _submit_in(
            scheme_b,
            officer_b,
            slot,
            "stop in B",
            given_name="Jay",
            family_name="Neil",
            police_person_id="pnc 12/345678a",
        )


@pytest.mark.parametrize("sharing", ["not shared", "shared with another scheme", "withdrawn"])
def test_a_non_engager_in_a_is_allowed_in_b_with_nothing_of_a_leaked_when_a_does_not_share(
    first: Referral, scheme_b: Scheme, officer_b: Any, make_user: Any, sharing: str
) -> None:
    if sharing == "shared with another scheme":
        _share(first.scheme, SchemeFactory())
    elif sharing == "withdrawn":
        _share(first.scheme, scheme_b)
        _share(first.scheme)
    audit_in_a_before = AuditEvent.objects.filter(scheme=first.scheme).count()
    slot = _slots(scheme_b, make_user)[0]
    made = _submit_in(scheme_b, officer_b, slot, "stop in B").referral
    assert made.eligibility["eligible"] is True
    assert made.person_id != first.person_id  # people stay in their own scheme
    on_record = json.dumps([made.eligibility, made.eligibility_record.decision])
    assert "another scheme" not in on_record
    assert not [secret for secret in _secrets_of(first) if secret in on_record]
    assert made.eligibility_record.shared_facts == 0
    # B's look-up read nothing of A, so A's log has nothing new about it.
    assert AuditEvent.objects.filter(scheme=first.scheme).count() == audit_in_a_before


def test_withdrawing_sharing_is_audited_in_both_schemes(first: Referral, scheme_b: Scheme) -> None:
    _share(first.scheme, scheme_b)
    _share(first.scheme)
    for scheme in (first.scheme, scheme_b):
        reasons = list(
            AuditEvent.objects.filter(scheme=scheme, object_type="schemes.Scheme").values_list(
                "reason", "changes"
            )
        )
        assert len(reasons) == 2, reasons
    assert AuditEvent.objects.filter(
        scheme=scheme_b,
        reason=f"{first.scheme.code} no longer shares engagement facts with this scheme",
    ).exists()


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
@pytest.mark.parametrize("shared", [True, False], ids=["A shares with B", "A does not share"])
def test_eligibility_in_b_depends_on_a_only_through_the_fact_a_shares(
    scheme: Scheme,
    scheme_b: Scheme,
    officer_b: Any,
    make_user: Any,
    slots: list[Slot],
    path: list[str],
    shared: bool,
) -> None:
    """Every outcome of A's referral, shared or not: B's decision is the one it makes with no A
    at all, unless A shares and the person did not engage."""
    baseline_person = person_details(given_name="Alex", family_name="Brown")
    stop = stop_details(scheme_b)
    without_a, _ = eligibility_check(scheme=scheme_b, person=baseline_person, stop=stop)
    a = referral_submit(
        officer=make_user(Role.OFFICER, scheme),
        scheme=scheme,
        person=baseline_person,
        stop=stop_details(scheme, place="Somewhere in A"),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slots[0].pk,
        idempotency_key="A",
    ).referral
    for status in path:
        referral_transition(referral_id=a.pk, to_status=status, actor=SYSTEM)
    if shared:
        _share(scheme, scheme_b)
    with_a, history = eligibility_check(
        scheme=scheme_b, person=baseline_person, stop=stop, actor=Actor.of(officer_b)
    )
    if shared and path == [S.NOT_ENGAGED]:
        assert [r.code for r in with_a.reasons] == ["did_not_engage"]
    else:
        assert (with_a.eligible, with_a.reasons) == (without_a.eligible, without_a.reasons)
    if not shared:
        assert with_a == without_a and history.prior == () and history.to_confirm == ()
    assert a.reference not in json.dumps(with_a.as_record())


def test_a_possible_match_asks_the_officer_and_uses_the_answer(
    first: Referral, scheme_b: Scheme, officer_b: Any
) -> None:
    """Jaimie (sounds like Jamie, same birth date) in B: a possible match with A's non-engager.
    The officer confirms identity with the person; A's details are never shown."""
    _share(first.scheme, scheme_b)
    person = person_details(given_name="Jaimie")
    stop = stop_details(scheme_b)
    unanswered, history = eligibility_check(scheme=scheme_b, person=person, stop=stop)
    assert [r.code for r in unanswered.reasons] == ["identity_to_confirm"]
    assert history.prior == () and len(history.to_confirm) == 1
    shown = json.dumps(unanswered.as_record())
    assert not [secret for secret in _secrets_of(first) if secret in shown]
    different, _ = eligibility_check(
        scheme=scheme_b, person=person, stop=dataclasses.replace(stop, identity_answer="different")
    )
    assert different.eligible
    same, _ = eligibility_check(
        scheme=scheme_b, person=person, stop=dataclasses.replace(stop, identity_answer="same")
    )
    assert [r.code for r in same.reasons] == ["did_not_engage"]


def test_an_answer_about_a_match_no_longer_shared_is_not_used_and_says_so(
    first: Referral, scheme_b: Scheme, officer_b: Any, make_user: Any
) -> None:
    """The officer answered "same" about a possible match; then A withdrew sharing. The
    submission goes through on B's own facts, with a note saying the answer was not used;
    nothing of A is kept."""
    _share(first.scheme, scheme_b)
    person = person_details(given_name="Jaimie")
    stop = dataclasses.replace(stop_details(scheme_b), identity_answer="same")
    refused, _ = eligibility_check(scheme=scheme_b, person=person, stop=stop)
    assert not refused.eligible
    _share(first.scheme)
    made = referral_submit(
        officer=officer_b,
        scheme=scheme_b,
        person=person,
        stop=stop,
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=_slots(scheme_b, make_user)[0].pk,
        idempotency_key="after withdrawal",
    ).referral
    notes = [note["code"] for note in made.eligibility["notes"]]
    assert notes == ["identity_check_not_used"]
    assert made.eligibility_record.identity_answer == "same"
    assert made.eligibility_record.shared_facts == 0
