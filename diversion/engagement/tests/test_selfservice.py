"""The person's self-service link: from the message to the page, confirm or choose another time,
and every way a link stops working (used, expired, out of date, tampered with, too many tries)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone

from diversion.audit.models import AuditEvent
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.engagement.models import LinkUse, SelfServiceLink
from diversion.engagement.selfservice import link_token
from diversion.messaging.models import Channel, Message
from diversion.messaging.wording import COMPLETION, MISSED_APPOINTMENT
from diversion.officer.tests.builders import referral_made
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.calls import booking_mark_missed
from diversion.scheduling.models import Booking, BookingStatus, Slot

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+/r/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)/")


@pytest.fixture
def referral(
    officer: Any,
    scheme: Any,
    slots: list[Slot],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> Referral:
    settings.MESSAGING_SEND_INLINE = True  # the confirmation written at once, not by the worker
    with django_capture_on_commit_callbacks(execute=True):
        made = referral_made(officer, scheme, slots[2], key="self-service")
    return made.referral


def token_in(message: Message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def confirmation_token(referral: Referral) -> str:
    email = Message.objects.get(
        referral=referral, channel=Channel.EMAIL, template="assessment_confirmation"
    )
    return token_in(email)


def open_page(token: str, client: Client | None = None, **kwargs: Any) -> Any:
    return (client or Client()).get(f"/r/{token}/", **kwargs)


def test_the_confirmation_carries_one_link_in_both_its_text_and_email(referral: Referral) -> None:
    messages = Message.objects.filter(referral=referral, template="assessment_confirmation")
    tokens = {token_in(message) for message in messages}
    assert len(messages) == 2 and len(tokens) == 1  # the short discreet text has room for it
    link = SelfServiceLink.objects.get(referral=referral)
    assert tokens == {link_token(link)}
    assert link.expires_at == referral.bookings.get().slot.starts_at


def test_the_page_shows_the_time_without_a_giveaway_word_and_the_look_is_audited(
    referral: Referral,
) -> None:
    response = open_page(confirmation_token(referral))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirm this time" in html and "Choose a new time" in html
    shown = re.sub(r"<[^>]+>", " ", html).casefold()  # what a glance at the screen or tab shows
    for word in ("police", "drug", "diversion", "cannabis"):
        assert word not in shown
    event = AuditEvent.objects.filter(object_type="referrals.Referral", action="read").first()
    assert event is not None and event.object_id == str(referral.pk)
    assert event.actor_label == "person (self-service link)"


def test_confirming_uses_the_link_up_and_a_second_use_is_refused(referral: Referral) -> None:
    token = confirmation_token(referral)
    client = Client()
    response = client.post(f"/r/{token}/", {"action": "confirm"})
    assert response.status_code == 200
    assert "Time confirmed" in response.content.decode()
    link = SelfServiceLink.objects.get(referral=referral)
    assert link.used_for == LinkUse.CONFIRMED and link.used_at is not None

    again = client.post(f"/r/{token}/", {"action": "confirm"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert (
        AuditEvent.objects.filter(object_type="engagement.SelfServiceLink", action="update").count()
        == 1
    )


def test_choosing_another_time_moves_the_booking_and_sends_a_new_link(
    referral: Referral, slots: list[Slot], django_capture_on_commit_callbacks: Any
) -> None:
    token = confirmation_token(referral)
    old = referral.bookings.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/r/{token}/", {"action": "choose", "slot": slots[6].pk})
    assert response.status_code == 200, response.content.decode()
    assert "New time booked" in response.content.decode()
    old.refresh_from_db()
    assert old.status == BookingStatus.CANCELLED
    new = Booking.objects.get(referral=referral, status=BookingStatus.BOOKED)
    assert new.slot == slots[6]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    links = SelfServiceLink.objects.filter(referral=referral).order_by("pk")
    assert [link.used_for for link in links] == [LinkUse.REBOOKED, ""]
    assert links[1].booking == new


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"action": "choose"}, "Choose a new time"),
        ({"action": "choose", "slot": "999999"}, "Choose one of the times shown"),
        ({"action": "choose", "slot": "nonsense"}, "Choose one of the times shown"),
    ],
)
def test_a_bad_choice_says_what_is_wrong_and_changes_nothing(
    referral: Referral, posted: dict[str, str], message: str
) -> None:
    token = confirmation_token(referral)
    before = list(Booking.objects.values_list("pk", "status"))
    response = Client().post(f"/r/{token}/", posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert list(Booking.objects.values_list("pk", "status")) == before
    assert SelfServiceLink.objects.get(referral=referral).used_at is None


def test_a_time_another_scheme_offers_cannot_be_chosen(
    referral: Referral, other_scheme: Any, make_user: Any
) -> None:
    worker = make_user(Role.WORKER, other_scheme)
    starts = timezone.now() + dt.timedelta(days=2)
    elsewhere = Slot.objects.create(
        scheme=other_scheme,
        worker=worker,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=45),
    )
    response = Client().post(
        f"/r/{confirmation_token(referral)}/", {"action": "choose", "slot": elsewhere.pk}
    )
    assert response.status_code == 400
    assert not Booking.objects.filter(slot=elsewhere).exists()


@pytest.mark.parametrize("mangle", ["swap", "truncate", "unknown"])
def test_a_tampered_or_made_up_link_is_not_found(referral: Referral, mangle: str) -> None:
    token = confirmation_token(referral)
    public_id, signature = token.split(".")
    mangled = {
        "swap": f"{public_id}.{signature[::-1]}",
        "truncate": public_id,
        "unknown": "aaaaaaaa." + signature,
    }[mangle]
    response = open_page(mangled)
    assert response.status_code == 404
    assert "not complete or not right" in response.content.decode()


def test_a_link_has_expired_once_the_call_has_started(referral: Referral) -> None:
    link = SelfServiceLink.objects.get(referral=referral)
    SelfServiceLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = open_page(link_token(link))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_link_is_out_of_date_once_the_worker_has_moved_the_call(referral: Referral) -> None:
    link = SelfServiceLink.objects.get(referral=referral)
    Booking.objects.filter(referral=referral).update(status=BookingStatus.CANCELLED)
    response = open_page(link_token(link))
    assert response.status_code == 410
    assert "changed since" in response.content.decode()


def test_too_many_tries_on_one_link_are_refused_for_a_while(referral: Referral) -> None:
    token = confirmation_token(referral)
    client = Client()
    codes = [open_page(token, client).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20
    assert codes[20] == 429


def test_a_missed_call_sends_a_message_with_a_link_to_choose_a_new_time(
    referral: Referral, slots: list[Slot], django_capture_on_commit_callbacks: Any
) -> None:
    booking = referral.bookings.get()
    worker = Actor.of(booking.slot.worker)
    with django_capture_on_commit_callbacks(execute=True):
        booking_mark_missed(
            booking_id=booking.pk, actor=worker, now=booking.slot.starts_at + dt.timedelta(hours=1)
        )
    missed = Message.objects.filter(referral=referral, template=MISSED_APPOINTMENT)
    assert {m.channel for m in missed} == {Channel.SMS, Channel.EMAIL}
    token = token_in(missed.get(channel=Channel.SMS))
    page = open_page(token)
    assert page.status_code == 200 and "could not reach you" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/r/{token}/", {"action": "choose", "slot": slots[8].pk})
    assert response.status_code == 200, response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    assert Booking.objects.get(referral=referral, status=BookingStatus.BOOKED).slot == slots[8]


def test_no_new_time_is_offered_once_the_person_has_missed_as_many_calls_as_allowed(
    referral: Referral, scheme: Any, django_capture_on_commit_callbacks: Any
) -> None:
    scheme.missed_appointments_limit = 1
    scheme.save(update_fields=["missed_appointments_limit"])
    booking = referral.bookings.get()
    with django_capture_on_commit_callbacks(execute=True):
        booking_mark_missed(
            booking_id=booking.pk,
            actor=Actor.of(booking.slot.worker),
            now=booking.slot.starts_at + dt.timedelta(hours=1),
        )
    assert not Message.objects.filter(referral=referral, template=MISSED_APPOINTMENT).exists()


def test_completing_the_scheme_sends_a_thank_you_once(
    referral: Referral, django_capture_on_commit_callbacks: Any
) -> None:
    system = Actor()
    with django_capture_on_commit_callbacks(execute=True):
        for status in (ReferralStatus.ASSESSED, ReferralStatus.COMPLETED):
            referral_transition(referral_id=referral.pk, to_status=status, actor=system)
    sent = Message.objects.filter(referral=referral, template=COMPLETION)
    assert sent.count() == 2  # text and email, once each
    assert "Thank you" in sent.get(channel=Channel.SMS).body


def test_an_address_for_links_that_gives_the_service_away_is_refused_at_start_up(
    settings: Any,
) -> None:
    settings.SELF_SERVICE_BASE_URL = "https://drug-diversion.example.org"
    errors = [e for e in run_checks() if e.id == "diversion.E002"]
    assert errors and "diversion" in errors[0].msg
    settings.SELF_SERVICE_BASE_URL = "https://appointments.example.org"
    assert not [e for e in run_checks() if e.id == "diversion.E002"]
