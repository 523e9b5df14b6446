"""The officer's three pages through Django's test client (the browser tests drive Chromium)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.core.roles import Role
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking, Slot
from diversion.scheduling.services import SlotUnavailable

pytestmark = pytest.mark.django_db


def person_form(**changes: Any) -> dict[str, Any]:
    data = {
        "given_name": "Jamie",
        "family_name": "O'Neill",
        "date_of_birth_0": "14",
        "date_of_birth_1": "6",
        "date_of_birth_2": "1998",
        "sex": "male",
        "self_defined_ethnicity": "W1",
        "observed_ethnicity": "IC1",
        "mobile": "07911 123456",
        "email": "",
        "preferred_language": "en",
        "safe_to_text": "on",
        "discreet_messages": "on",
        "police_person_id": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def stop_form(scheme: Any, **changes: Any) -> dict[str, Any]:
    now = timezone.localtime() - dt.timedelta(minutes=5)
    data = {
        "stopped_on_0": str(now.day),
        "stopped_on_1": str(now.month),
        "stopped_on_2": str(now.year),
        "stopped_time": f"{now:%H:%M}",
        "local_authority": str(scheme.local_authorities.first().pk),
        "place": "Corporation Street",
        "how_found": "stop_and_search",
        "drug_0": "cannabis",
        "drug_0_quantity": "2 grams",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def officer_client(officer: Any) -> Client:
    return sign_in(Client(), officer)


def _through_stop(
    client: Client,
    scheme: Any,
    person: dict[str, Any] | None = None,
    stop: dict[str, Any] | None = None,
) -> Any:
    client.get(reverse("officer:start"))
    response = client.post(reverse("officer:person"), person or person_form())
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    return client.post(reverse("officer:stop"), stop or stop_form(scheme))


def _confirm(client: Client, slot: Any, token: str | None = None) -> Any:
    page = client.get(reverse("officer:consent"))
    token = token or page.context["form"].initial["token"]
    return client.post(
        reverse("officer:consent"),
        {
            "consent_to_contact": "on",
            "consent_to_share": "on",
            "slot": str(slot.pk),
            "token": token,
        },
    )


def test_an_adult_cannabis_referral_goes_through_three_pages_to_a_confirmation(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    assert _through_stop(officer_client, scheme)["Location"] == reverse("officer:consent")
    page = officer_client.get(reverse("officer:consent"))
    assert "Eligible for diversion" in page.content.decode()
    response = _confirm(officer_client, slots[0])
    referral = Referral.objects.get()
    assert response["Location"] == reverse("officer:done", kwargs={"reference": referral.reference})
    done = officer_client.get(response["Location"]).content.decode()
    assert referral.reference in done and "Community Resolution (Home Office outcome 8)" in done
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    assert referral.person.mobile == "+447911123456"


def test_the_first_slot_shown_is_held_for_the_officer(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    _through_stop(officer_client, scheme)
    page = officer_client.get(reverse("officer:consent"))
    held = Slot.objects.get(pk=slots[0].pk)
    assert held.held_for == page.context["form"].initial["token"]
    assert held.held_until is not None and held.held_until > timezone.now()
    assert str(slots[0].pk) == page.context["form"].initial["slot"]


def test_a_double_submit_creates_one_referral_and_shows_the_same_confirmation(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    _through_stop(officer_client, scheme)
    token = officer_client.get(reverse("officer:consent")).context["form"].initial["token"]
    data = {
        "consent_to_contact": "on",
        "consent_to_share": "on",
        "slot": str(slots[0].pk),
        "token": token,
    }
    first = officer_client.post(reverse("officer:consent"), data)
    second = officer_client.post(reverse("officer:consent"), data)
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1 and Booking.objects.count() == 1


def test_a_slot_booked_by_someone_else_is_refused_by_the_service_too(
    officer: Any, scheme: Any, slots: list[Any]
) -> None:
    Booking.objects.create(slot=slots[2], referral=_a_referral(officer, scheme, slots[3]))
    with pytest.raises(SlotUnavailable, match="just been booked by someone else"):
        referral_submit(
            officer=officer,
            scheme=scheme,
            person=person_details(given_name="Kim"),
            stop=stop_details(scheme),
            consent_to_contact=True,
            consent_to_share=True,
            slot_id=slots[2].pk,
            idempotency_key="k",
        )


def _a_referral(officer: Any, scheme: Any, slot: Any) -> Referral:
    return referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(),
        stop=stop_details(scheme),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slot.pk,
        idempotency_key="first",
    ).referral


def test_a_slot_taken_mid_flow_offers_the_next_ones(
    officer_client: Client, scheme: Any, slots: list[Any], make_user: Any
) -> None:
    _through_stop(officer_client, scheme)
    token = officer_client.get(reverse("officer:consent")).context["form"].initial["token"]
    rival = sign_in(Client(), make_user(Role.OFFICER, scheme))
    _through_stop(rival, scheme, person=person_form(given_name="Alex", family_name="Smith"))
    rival.get(reverse("officer:consent"))
    Slot.objects.filter(pk=slots[1].pk).update(held_for="", held_until=None)
    assert _confirm(rival, slots[1]).status_code == 302  # the rival books slot 1 first
    response = officer_client.post(
        reverse("officer:consent"),
        {
            "consent_to_contact": "on",
            "consent_to_share": "on",
            "slot": str(slots[1].pk),
            "token": token,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "That appointment has just been booked by someone else. Choose another time" in html
    offered = [choice for choice, _label in response.context["form"].fields["slot"].choices]
    assert str(slots[1].pk) not in offered and str(slots[0].pk) in offered
    assert Referral.objects.count() == 1


def test_a_supply_case_is_refused_with_its_reason_and_nothing_is_saved(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    stop = stop_form(
        scheme,
        supply_indicators=["scales", "deal_bags"],
        supply_suspected="yes",
        supply_reason="Scales and twenty wraps",
    )
    response = _through_stop(officer_client, scheme, stop=stop)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Not eligible" in html and "possible supply offence" in html
    assert officer_client.get(reverse("officer:consent"))["Location"] == reverse("officer:stop")
    assert Referral.objects.count() == 0


def test_a_young_person_needs_an_appropriate_adult(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    sixteen = timezone.localdate().replace(year=timezone.localdate().year - 16) - dt.timedelta(
        days=3
    )
    person = person_form(
        date_of_birth_0=str(sixteen.day),
        date_of_birth_1=str(sixteen.month),
        date_of_birth_2=str(sixteen.year),
    )
    response = _through_stop(officer_client, scheme, person=person)
    html = response.content.decode()
    assert "Enter the appropriate adult&#x27;s name: a person under 18 needs one present" in html
    with_adult = stop_form(
        scheme,
        appropriate_adult_name="Maria Lopez",
        appropriate_adult_relationship="Mother",
        appropriate_adult_phone="0121 496 0000",
    )
    assert officer_client.post(reverse("officer:stop"), with_adult)["Location"] == reverse(
        "officer:consent"
    )
    assert _confirm(officer_client, slots[0]).status_code == 302
    assert Referral.objects.get().appropriate_adult_name == "Maria Lopez"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"date_of_birth_2": str(timezone.localdate().year + 1)},
            "Date of birth must be in the past",
        ),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth_1": ""}, "Date of birth must include a month"),
        ({"mobile": "0121 496 0000"}, "Enter a mobile number, not a landline"),
        ({"mobile": "12345"}, "Enter a UK mobile number, like 07700 900 982"),
        (
            {"mobile": "", "email": "", "safe_to_text": None},
            "Enter a mobile number or an email address",
        ),
        ({"email": "jamie@"}, "Enter an email address in the correct format"),
        ({"given_name": ""}, "Enter the person&#x27;s first name"),
        ({"sex": None}, "Select the person&#x27;s sex"),
    ],
)
def test_bad_person_details_get_a_specific_message_and_save_nothing(
    officer_client: Client, changes: dict[str, Any], message: str
) -> None:
    response = officer_client.post(reverse("officer:person"), person_form(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and message in html
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"drug_0": ""}, "Select the drug found"),
        (
            {"drug_0": "other", "drug_0_other": "", "drug_0_class": ""},
            "Enter the name of the other drug",
        ),
        ({"stopped_time": "25:99"}, "Enter the time of the stop as hours and minutes"),
        ({"stopped_on_2": str(timezone.localdate().year + 1)}, "The stop cannot be in the future"),
        ({"local_authority": ""}, "Select the local authority where the drugs were found"),
        ({"how_found": None}, "Select how the drugs were found"),
    ],
)
def test_bad_stop_details_get_a_specific_message(
    officer_client: Client, scheme: Any, slots: list[Any], changes: dict[str, Any], message: str
) -> None:
    response = _through_stop(officer_client, scheme, stop=stop_form(scheme, **changes))
    assert message in response.content.decode()
    assert Referral.objects.count() == 0


def test_consent_is_required(officer_client: Client, scheme: Any, slots: list[Any]) -> None:
    _through_stop(officer_client, scheme)
    token = officer_client.get(reverse("officer:consent")).context["form"].initial["token"]
    response = officer_client.post(
        reverse("officer:consent"), {"slot": str(slots[0].pk), "token": token}
    )
    html = response.content.decode()
    assert "Confirm the person agrees to be contacted" in html
    assert "Confirm the person agrees to their information being shared" in html
    assert Referral.objects.count() == 0


def test_the_outside_area_option_is_refused_with_what_to_do_instead(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    response = _through_stop(officer_client, scheme, stop=stop_form(scheme, local_authority="-1"))
    assert (
        "Refer to the scheme for the area where the drugs were found" in response.content.decode()
    )


def test_my_referrals_shows_engagement_status_only(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    _through_stop(officer_client, scheme)
    _confirm(officer_client, slots[0])
    html = officer_client.get(reverse("officer:mine")).content.decode()
    referral = Referral.objects.get()
    assert referral.reference in html and "Assessment booked" in html
    assert "Jamie" not in html


def test_an_officer_cannot_open_another_officers_referral(
    officer_client: Client, scheme: Any, slots: list[Any], make_user: Any
) -> None:
    _through_stop(officer_client, scheme)
    _confirm(officer_client, slots[0])
    other = sign_in(Client(), make_user(Role.OFFICER, scheme))
    reference = Referral.objects.get().reference
    assert other.get(reverse("officer:done", kwargs={"reference": reference})).status_code == 404


def test_the_lookup_shows_only_what_eligibility_needs(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    _through_stop(officer_client, scheme)
    _confirm(officer_client, slots[0])
    Referral.objects.update(status=ReferralStatus.NOT_ENGAGED, created_at=timezone.now())
    response = officer_client.get(
        reverse("officer:lookup"), person_form(given_name="JAMIE", family_name="ONeill")
    )
    html = response.content.decode()
    month = timezone.localdate().strftime("%B %Y")
    reference = Referral.objects.get().reference
    assert (
        f"Did not engage after referral {reference} in {month}: not eligible for diversion again"
        in html
    )
    assert "07700" not in html


def test_looking_up_and_viewing_a_referral_are_audited(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    _through_stop(officer_client, scheme)
    _confirm(officer_client, slots[0])
    referral = Referral.objects.get()
    officer_client.get(reverse("officer:done", kwargs={"reference": referral.reference}))
    read = AuditEvent.objects.filter(
        action="read", object_type="referrals.Referral", object_id=str(referral.pk)
    )
    assert read.count() == 1
    officer_client.get(reverse("officer:lookup"), person_form())
    lookups = AuditEvent.objects.filter(
        action="read", object_type="people.Person", object_id=str(referral.person_id)
    )
    assert lookups.count() == 1
    assert lookups.get().reason == "eligibility look-up at the scene"


def test_a_slot_of_another_scheme_cannot_be_booked(
    officer_client: Client, scheme: Any, slots: list[Any], other_scheme: Any, make_user: Any
) -> None:
    worker = make_user(Role.WORKER, other_scheme)
    foreign = Slot.objects.create(
        scheme=other_scheme, worker=worker, starts_at=slots[0].starts_at, ends_at=slots[0].ends_at
    )
    _through_stop(officer_client, scheme)
    response = _confirm(officer_client, foreign)
    assert "That time is no longer available. Choose another time" in response.content.decode()
    assert Referral.objects.count() == 0


def test_the_stop_pages_eligibility_check_of_a_known_person_is_audited_once(
    officer_client: Client, officer: Any, scheme: Any, slots: list[Any]
) -> None:
    first = _a_referral(officer, scheme, slots[0])
    Referral.objects.filter(pk=first.pk).update(status=ReferralStatus.COMPLETED)
    response = _through_stop(officer_client, scheme)
    assert response["Location"] == reverse("officer:consent")
    lookups = AuditEvent.objects.filter(
        action="read", object_type="people.Person", object_id=str(first.person_id)
    )
    assert [event.reason for event in lookups] == ["eligibility look-up at the scene"]
