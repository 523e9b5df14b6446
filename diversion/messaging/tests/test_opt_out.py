"""Opting out (issue 18, section 5): every email carries a link that stops emails (and says so
to the mail program, RFC 8058), its links can be clicked in the HTML part and read in the plain
text, and the person's choice holds for every kind of message, on each channel."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.casework.advice_services import SUMMARY_TEMPLATE
from diversion.messaging.models import Channel, Message, MessageStatus, MessagingPreference
from diversion.messaging.optout import SALT, opt_out_link, opt_out_path
from diversion.messaging.services import message_create, message_send, messaging_opt_out
from diversion.messaging.tests.helpers import Mailbox, plain_text
from diversion.messaging.wording import LANGUAGES, TEMPLATES
from diversion.referrals.models import Referral

pytestmark = pytest.mark.django_db

KINDS = [*sorted(TEMPLATES), SUMMARY_TEMPLATE]
LINK = re.compile(r"https?://\S+/messaging/emails/[^/\s]+/")


def html_part(message: Any) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None, "the email has no HTML part"
    return str(body.get_content())


def test_a_confirmation_email_has_a_plain_text_and_an_html_part_with_clickable_links(
    mailbox: Mailbox, refer: Callable[..., Referral]
) -> None:
    referral = refer()
    [email] = mailbox.messages()
    text, html = plain_text(email), html_part(email)
    opt_out = opt_out_link(person_id=referral.person_id, channel=Channel.EMAIL)
    assert opt_out in text
    self_service = re.search(r"https?://\S+/r/[^/\s]+/", text)
    assert self_service, text
    for link in (self_service.group(0), opt_out):
        assert f'href="{link}"' in html, html
    assert str(email["List-Unsubscribe"]).strip() == f"<{opt_out}>"
    assert str(email["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_opt_out_line_is_in_the_persons_language_and_gives_nothing_away(
    language: str,
) -> None:
    terms = LANGUAGES[language]
    assert "{link}" in terms.opt_out_email
    from diversion.messaging.rendering import discreet_words_in

    assert discreet_words_in(terms.opt_out_email, language=language) == []


def test_the_link_asks_before_it_stops_emails_then_stops_them_once(
    outbox: Any, refer: Callable[..., Referral]
) -> None:
    referral = refer()
    client = Client()
    path = opt_out_path(person_id=referral.person_id, channel=Channel.EMAIL)
    page = client.get(path)  # a mail scanner following the link changes nothing
    assert page.status_code == 200
    assert b"Stop getting emails" in page.content
    assert not MessagingPreference.objects.filter(email_opted_out=True).exists()
    for content in (b"police", b"drug", b"Diversion"):
        assert content not in page.content

    done = client.post(path)
    assert done.status_code == 200
    assert b"You will not get any more emails" in done.content
    preference = MessagingPreference.objects.get(person=referral.person)
    assert preference.email_opted_out and not preference.sms_opted_out
    assert client.post(path).status_code == 200  # again: nothing more
    assert AuditEvent.objects.filter(reason="Opted out of emails").count() == 1


def test_a_mail_programs_one_click_unsubscribe_works_without_a_form(
    outbox: Any, refer: Callable[..., Referral]
) -> None:
    referral = refer()
    path = opt_out_path(person_id=referral.person_id, channel=Channel.EMAIL)
    response = Client(enforce_csrf_checks=True).post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert MessagingPreference.objects.get(person=referral.person).email_opted_out


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.Signer(salt="another purpose").sign_object([1, "email"]),
        signing.Signer(salt=SALT).sign_object([1, "email"]) + "x",
        signing.Signer(salt=SALT).sign_object(["1; DROP TABLE", "email"]),
        signing.Signer(salt=SALT).sign_object([999_999, "email"]),
        signing.Signer(salt=SALT).sign_object([1, "pigeon"]),
        signing.Signer(salt=SALT).sign_object("1"),
        signing.Signer(salt=SALT).sign_object([True, "email"]),
        signing.dumps([1, "email"], salt=SALT),
    ],
    # Named, not shown: a timestamped token would differ between the workers' collections.
    ids=[
        "nonsense",
        "another purpose",
        "tampered signature",
        "not a person id",
        "unknown person",
        "unknown channel",
        "not a pair",
        "boolean id",
        "timestamped",
    ],
)
def test_a_forged_or_unknown_link_opts_nobody_out(
    outbox: Any, refer: Callable[..., Referral], token: str
) -> None:
    refer()
    client = Client()
    for response in (
        client.get(f"/messaging/emails/{token}/"),
        client.post(f"/messaging/emails/{token}/"),
    ):
        assert response.status_code == 404
        assert b"This link does not work" in response.content
    assert not MessagingPreference.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("opted_out", [Channel.EMAIL, Channel.SMS])
def test_every_kind_of_message_respects_the_persons_choice(
    outbox: Any, refer: Callable[..., Referral], kind: str, opted_out: str
) -> None:
    referral = refer()
    person = referral.person
    messaging_opt_out(person=person, channel=opted_out, actor=SYSTEM)
    messages = {
        channel: message_create(
            person=person,
            referral=referral,
            template=kind,
            language="en",
            discreet=True,
            channel=channel,
            recipient=address,
            subject="Your appointment" if channel == Channel.EMAIL else "",
            body="Words of the message.",
            dedupe_key=f"{kind}:{channel}:test",
        )[0]
        for channel, address in ((Channel.EMAIL, person.email), (Channel.SMS, person.mobile))
    }
    for channel, message in messages.items():
        sent = message_send(message_id=message.pk)
        if channel == opted_out:
            assert (sent.status, sent.last_error) == (MessageStatus.SUPPRESSED, "opted_out")
        else:
            assert sent.status == MessageStatus.SENT
    email = Message.objects.get(pk=messages[Channel.EMAIL].pk)
    assert opt_out_link(person_id=person.pk, channel=Channel.EMAIL) in email.body
    assert "messaging/emails/" not in Message.objects.get(pk=messages[Channel.SMS].pk).body
