"""The sync endpoint: a referral completed without signal is accepted once per idempotency key,
whatever the retries; everything else gets an RFC 9457 problem and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diversion.accounts.tests.helpers import sign_in
from diversion.core.roles import Role
from diversion.officer.forms import slot_label
from diversion.officer.tests.builders import referral_made
from diversion.officer.tests.test_flow_pages import person_form, stop_form
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.scheduling.models import Booking

pytestmark = pytest.mark.django_db

SYNC = "/referrals/sync/"
KEY = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"


def offline_referral(scheme: Any, slot: Any | None, **changes: Any) -> dict[str, Any]:
    """What the phone sends: the pages' own fields, consent and the provisional booking."""
    body: dict[str, Any] = {
        "idempotency_key": KEY,
        "person": person_form(),
        "stop": stop_form(scheme),
        "consent": {"contact": True, "share": True},
        "booking": {"slot": str(slot.pk)} if slot is not None else {"call_back": True},
    }
    body.update(changes)
    return body


def token_for(client: Client) -> str:
    response = client.get(reverse("officer:offline-session"))
    assert response.status_code == 200
    return str(response.json()["sync_token"])


def send(client: Client, body: Any, token: str | None = None) -> Any:
    headers = {"HTTP_X_OFFLINE_TOKEN": token if token is not None else token_for(client)}
    return client.post(SYNC, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def officer_client(officer: Any) -> Client:
    return sign_in(Client(), officer)


def test_an_offline_referral_is_made_once_however_often_it_is_sent(
    officer_client: Client, scheme: Any, slots: list[Any], officer: Any
) -> None:
    body = offline_referral(scheme, slots[0])
    token = token_for(officer_client)
    first = send(officer_client, body, token)
    assert first.status_code == 201, first.content
    result = first.json()
    assert result["outcome"] == "booked" and result["created"] is True
    assert result["appointment"] == slot_label(slots[0])
    for _ in range(3):
        again = send(officer_client, body, token)
        assert again.status_code == 200
        assert again.json()["reference"] == result["reference"]
        assert again.json()["created"] is False
    referral = Referral.objects.get()
    assert referral.reference == result["reference"]
    assert referral.officer == officer
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    assert Booking.objects.get().slot == slots[0]


def test_a_referral_submitted_online_whose_answer_was_lost_is_found_by_its_key(
    officer_client: Client, scheme: Any, slots: list[Any], officer: Any
) -> None:
    made = referral_made(officer, scheme, slots[0], key=KEY).referral
    response = send(officer_client, offline_referral(scheme, slots[0]))
    assert response.status_code == 200
    assert response.json()["reference"] == made.reference
    assert Referral.objects.count() == 1


def test_a_provisional_time_taken_meanwhile_books_the_next_one_and_says_so(
    officer_client: Client, scheme: Any, slots: list[Any], officer: Any
) -> None:
    referral_made(officer, scheme, slots[0], key="someone-else-1", given_name="Other")
    response = send(officer_client, offline_referral(scheme, slots[0]))
    assert response.status_code == 201
    assert response.json()["outcome"] == "booked_next"
    assert response.json()["appointment"] == slot_label(slots[1])
    referral = Referral.objects.get(idempotency_key=KEY)
    assert referral.bookings.get().slot == slots[1]
    again = send(officer_client, offline_referral(scheme, slots[0]))
    assert again.json()["outcome"] == "booked_next"  # the retry says the same


def test_call_the_person_back_leaves_the_referral_unbooked_for_the_provider(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    response = send(officer_client, offline_referral(scheme, None))
    assert response.status_code == 201
    assert response.json()["outcome"] == "call_back"
    assert response.json()["appointment"] is None
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.REFERRED
    assert not Booking.objects.exists()


def test_eligibility_is_decided_on_sync_and_a_refusal_saves_nothing(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    stop = stop_form(scheme, other_offences="supply")
    response = send(officer_client, offline_referral(scheme, slots[0], stop=stop))
    assert response.status_code == 200
    result = response.json()
    assert result["outcome"] == "not_eligible"
    assert result["reference"] is None
    assert result["reasons"] and result["what_to_do_instead"]
    assert not Referral.objects.exists()
    assert not Booking.objects.exists()


def test_another_officers_key_is_refused_and_reveals_nothing(
    client_for: Any, scheme: Any, slots: list[Any], officer: Any
) -> None:
    made = referral_made(officer, scheme, slots[0], key=KEY).referral
    other = client_for(Role.OFFICER, scheme)
    response = send(other, offline_referral(scheme, slots[1]))
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert made.reference not in response.content.decode()
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("token", "status"),
    [("", 403), ("not-this-sessions-token", 403)],
)
def test_without_the_sessions_token_nothing_is_accepted(
    officer_client: Client, scheme: Any, slots: list[Any], token: str, status: int
) -> None:
    token_for(officer_client)  # the session has a token; the request does not carry it
    response = send(officer_client, offline_referral(scheme, slots[0]), token)
    assert response.status_code == status
    assert response.json()["status"] == status
    assert response["Content-Type"] == "application/problem+json"
    assert not Referral.objects.exists()


def test_another_sessions_token_is_refused(officer: Any, scheme: Any, slots: list[Any]) -> None:
    theirs = token_for(sign_in(Client(), officer))
    mine = sign_in(Client(), officer)
    token_for(mine)
    assert send(mine, offline_referral(scheme, slots[0]), theirs).status_code == 403
    assert not Referral.objects.exists()


def test_a_cross_site_form_post_is_refused(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    token_for(officer_client)
    response = officer_client.post(SYNC, {"idempotency_key": KEY})
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_bad_bodies_get_problems_that_say_what_is_wrong(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    token = token_for(officer_client)
    headers = {"HTTP_X_OFFLINE_TOKEN": token}
    not_json = officer_client.post(SYNC, "{", content_type="application/json", **headers)
    assert not_json.status_code == 400 and not_json.json()["title"] == "The body is not valid JSON"
    form = officer_client.post(SYNC, "a=1", content_type="text/plain", **headers)
    assert form.status_code == 415
    for body in ([], {"idempotency_key": "short"}, offline_referral(scheme, slots[0], person=[])):
        response = send(officer_client, body, token)
        assert response.status_code == 400, body
        assert response["Content-Type"] == "application/problem+json"
    nested = offline_referral(scheme, slots[0], person={"given_name": {"a": 1}})
    assert send(officer_client, nested, token).status_code == 400
    assert not Referral.objects.exists()


def test_answers_the_pages_would_refuse_are_refused_naming_the_field(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    token = token_for(officer_client)
    long_name = offline_referral(scheme, slots[0], person=person_form(given_name="J" * 101))
    response = send(officer_client, long_name, token)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "given_name": ["First name must be 100 characters or fewer"]
    }
    no_drug = offline_referral(scheme, slots[0], stop=stop_form(scheme, drug_0=""))
    assert send(officer_client, no_drug, token).json()["errors"] == {
        "drug_0": ["Select the drug found"]
    }
    no_consent = offline_referral(scheme, slots[0], consent={"contact": True, "share": "yes"})
    assert list(send(officer_client, no_consent, token).json()["errors"]) == ["consent_to_share"]
    no_booking = offline_referral(scheme, slots[0], booking={"slot": "999999"})
    assert send(officer_client, no_booking, token).status_code == 422
    assert not Referral.objects.exists()


def test_only_a_signed_in_officer_may_send(client_for: Any, scheme: Any, slots: list[Any]) -> None:
    anonymous = Client().post(SYNC, "{}", content_type="application/json")
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    worker = client_for(Role.WORKER, scheme)
    response = worker.post(SYNC, "{}", content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert worker.get(reverse("officer:offline-session")).status_code == 403
