"""Legal holds stop erasure (of the person, through any of their referrals); a second erasure is
refused; a refused or failed erasure changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.selectors import audit_chain_verify
from diversion.audit.services import Actor
from diversion.core.events import subscribe, unsubscribe
from diversion.core.roles import Role
from diversion.officer.tests.builders import referral_made
from diversion.people.models import Person, PersonMatchKey
from diversion.privacy.anonymise import age_on, coarse_birth_date
from diversion.privacy.erasure import ErasureRefused, anonymise_person
from diversion.privacy.events import PersonErased
from diversion.privacy.holds import holds_active_ids, is_held, lift_hold, place_hold
from diversion.privacy.models import Erasure, HoldKind, LegalHold

pytestmark = pytest.mark.django_db

NEXT_MONTH = timezone.localdate() + dt.timedelta(days=30)


@pytest.fixture
def admin(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.SCHEME_ADMIN, scheme)


@pytest.fixture
def referral(officer: Any, scheme: Any, slots: list[Any]) -> Any:
    return referral_made(officer, scheme, slots[0]).referral


def test_a_hold_on_a_person_covers_their_referrals_and_one_on_a_referral_covers_the_person(
    admin: Any, referral: Any
) -> None:
    person = referral.person
    assert not is_held(person_id=person.pk) and not is_held(referral_id=referral.pk)
    hold = place_hold(
        actor=admin,
        kind=HoldKind.COMPLAINT,
        reason="complaint 42",
        review_on=NEXT_MONTH,
        person=person,
    )
    assert is_held(person_id=person.pk) and is_held(referral_id=referral.pk)
    assert holds_active_ids().referral_ids == {referral.pk}
    lift_hold(actor=admin, hold_id=hold.pk, reason="complaint closed")
    assert not is_held(person_id=person.pk) and not is_held(referral_id=referral.pk)
    place_hold(
        actor=admin,
        kind=HoldKind.LITIGATION,
        reason="claim",
        review_on=NEXT_MONTH,
        referral=referral,
    )
    assert is_held(person_id=person.pk) and is_held(referral_id=referral.pk)
    assert holds_active_ids().person_ids == {person.pk}
    actions = list(
        AuditEvent.objects.filter(object_type="privacy.LegalHold").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "create", "update"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"kind": "whim"}, "kind"),
        ({"review_on": timezone.localdate()}, "review_on"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
def test_a_hold_with_bad_input_is_refused_and_nothing_is_saved(
    admin: Any, referral: Any, changes: dict[str, Any], field: str
) -> None:
    values = {"kind": HoldKind.OTHER, "reason": "why", "review_on": NEXT_MONTH, **changes}
    with pytest.raises(ValidationError) as error:
        place_hold(actor=admin, person=referral.person, **values)
    assert field in error.value.message_dict
    assert not LegalHold.objects.exists()


def test_a_lifted_hold_cannot_be_lifted_again(admin: Any, referral: Any) -> None:
    hold = place_hold(
        actor=admin, kind=HoldKind.OTHER, reason="r", review_on=NEXT_MONTH, person=referral.person
    )
    lift_hold(actor=admin, hold_id=hold.pk, reason="done")
    with pytest.raises(ValidationError, match="already been lifted"):
        lift_hold(actor=admin, hold_id=hold.pk, reason="again")


def _snapshot(person: Person) -> tuple[Any, ...]:
    fresh = Person.objects.get(pk=person.pk)
    return (
        fresh.given_name,
        fresh.date_of_birth,
        PersonMatchKey.objects.filter(person=person).count(),
        AuditEvent.objects.exclude(erased_at=None).count(),
    )


def test_erasure_of_someone_under_a_hold_is_refused_and_changes_nothing(
    admin: Any, referral: Any
) -> None:
    place_hold(
        actor=admin,
        kind=HoldKind.SAFEGUARDING_REVIEW,
        reason="review",
        review_on=NEXT_MONTH,
        referral=referral,
    )
    before = _snapshot(referral.person)
    with pytest.raises(ErasureRefused, match="under a legal hold \\(safeguarding review"):
        anonymise_person(referral.person, actor=admin, reason="asked")
    assert _snapshot(referral.person) == before
    assert not Erasure.objects.exists()


def test_a_second_erasure_is_refused(admin: Any, referral: Any) -> None:
    anonymise_person(referral.person, actor=admin, reason="asked")
    with pytest.raises(ErasureRefused, match="already erased"):
        anonymise_person(referral.person, actor=admin, reason="asked again")
    assert Erasure.objects.count() == 1
    assert audit_chain_verify() == []


def test_a_failing_subscriber_undoes_the_whole_erasure(admin: Any, referral: Any) -> None:
    def broken(event: PersonErased) -> None:
        raise RuntimeError("the evaluation could not forget")

    subscribe(PersonErased, broken, in_transaction=True)
    before = _snapshot(referral.person)
    try:
        with pytest.raises(RuntimeError):
            anonymise_person(referral.person, actor=admin, reason="asked")
    finally:
        unsubscribe(PersonErased, broken)
    assert _snapshot(referral.person) == before
    assert before[0] == "Jamie"
    assert not Erasure.objects.exists()


def test_an_erasure_needs_a_reason_and_a_person_who_exists(admin: Any, referral: Any) -> None:
    with pytest.raises(ErasureRefused):
        anonymise_person(referral.person, actor=admin, reason=" ")
    with pytest.raises(ErasureRefused, match="no such person"):
        anonymise_person(Person(pk=987654), actor=admin, reason="asked")


@pytest.mark.parametrize(
    ("born", "dates"),
    [
        (dt.date(1990, 6, 15), [dt.date(2020, 6, 14), dt.date(2021, 6, 15)]),
        (dt.date(2000, 2, 29), [dt.date(2021, 2, 28), dt.date(2021, 3, 1), dt.date(2024, 2, 29)]),
        (dt.date(1985, 12, 31), []),
        (dt.date(1999, 1, 1), [dt.date(2019, 12, 31)]),
    ],
)
def test_the_coarse_birth_date_keeps_every_age_and_is_never_the_real_one_when_avoidable(
    born: dt.date, dates: list[dt.date]
) -> None:
    coarse = coarse_birth_date(born, dates)
    assert [age_on(coarse, day) for day in dates] == [age_on(born, day) for day in dates]
    assert coarse <= born and coarse.year == born.year
    # It depends only on the ages on those dates: another birth date with the same ages on
    # them gives the same answer.
    other = born - dt.timedelta(days=1)
    if other.year == born.year and all(age_on(other, d) == age_on(born, d) for d in dates):
        assert coarse_birth_date(other, dates) == coarse


def _review_on(day: dt.date) -> dict[str, str]:
    return {
        "review_on_0": str(day.day),
        "review_on_1": str(day.month),
        "review_on_2": str(day.year),
    }


def test_holds_are_placed_listed_and_lifted_on_the_pages_within_the_users_schemes(
    admin: Any, referral: Any, other_scheme: Any, make_user: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    from diversion.accounts.tests.helpers import sign_in

    client = sign_in(Client(), admin)
    placed = client.post(
        reverse("privacy:hold-new"),
        {
            "reference": referral.reference.lower(),
            "scope": "person",
            "kind": "complaint",
            "reason": "complaint 7",
            **_review_on(NEXT_MONTH),
        },
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.person == referral.person and is_held(referral_id=referral.pk)
    assert "complaint 7" in client.get(reverse("privacy:holds")).text
    stranger = sign_in(Client(), make_user(Role.SCHEME_ADMIN, other_scheme))
    assert "complaint 7" not in stranger.get(reverse("privacy:holds")).text
    assert stranger.get(reverse("privacy:hold-lift", kwargs={"pk": hold.pk})).status_code == 404
    unknown = stranger.post(
        reverse("privacy:hold-new"),
        {
            "reference": referral.reference,
            "scope": "person",
            "kind": "other",
            "reason": "x",
            **_review_on(NEXT_MONTH),
        },
    )
    assert unknown.status_code == 422
    assert "No referral with this reference in your schemes" in unknown.text
    empty = client.post(reverse("privacy:hold-lift", kwargs={"pk": hold.pk}), {"lift_reason": ""})
    assert empty.status_code == 422 and "Enter why the hold can be lifted" in empty.text
    lifted = client.post(
        reverse("privacy:hold-lift", kwargs={"pk": hold.pk}), {"lift_reason": "closed"}
    )
    assert lifted.status_code == 302 and not is_held(person_id=referral.person.pk)


def test_the_retention_job_can_erase_as_the_system_and_extracts_that_held_the_person_are_listed(
    admin: Any, referral: Any, scheme: Any
) -> None:
    from diversion.audit.services import SYSTEM
    from diversion.evaluation.extract import extract_create
    from diversion.privacy.models import ExtractRecall

    today = timezone.localdate()
    extract_create(
        actor=Actor.of(admin), scheme=scheme, start=today - dt.timedelta(days=7), end=today
    )
    extract_create(
        actor=Actor.of(admin),
        scheme=scheme,
        start=today - dt.timedelta(days=400),
        end=today - dt.timedelta(days=300),
    )
    result = anonymise_person(referral.person, actor=SYSTEM, reason="end of retention period")
    assert result.erasure.erased_by is None
    assert [r.extract for r in result.recalls] == [
        f"{scheme.code} {(today - dt.timedelta(days=7)).isoformat()} {today.isoformat()}"
    ]
    assert ExtractRecall.objects.count() == 1
    assert audit_chain_verify() == []
