"""Issue 15 on the officer's pages: the truth about the record (§5), the officer's judgement on
supply (§3), every decision kept (§2) and the identity question across schemes (§1)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.engagement.notifications import referral_confirmation_queue
from diversion.messaging.models import Channel, Message
from diversion.messaging.rendering import Appointment, render
from diversion.messaging.wording import LANGUAGES, TEMPLATES
from diversion.officer.tests.builders import referral_made
from diversion.officer.tests.test_flow_pages import _confirm, _through_stop, person_form, stop_form
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import EligibilityRecord, Referral
from diversion.referrals.transitions import referral_transition
from diversion.schemes.policy import RECORD_STATEMENT_MUST_SAY
from diversion.schemes.services import scheme_sharing_update
from diversion.schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db
DBS_WORDS = RECORD_STATEMENT_MUST_SAY  # recorded by the police; not a conviction; enhanced DBS
UNQUALIFIED = re.compile(r"no criminal record(?![^.]*(DBS|disclosed))", re.IGNORECASE)


@pytest.fixture
def officer_client(officer: Any) -> Client:
    from diversion.accounts.tests.helpers import sign_in

    return sign_in(Client(), officer)


def _text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _says_the_truth(text: str) -> None:
    for words in DBS_WORDS:
        assert words.casefold() in text.casefold(), words
    assert not UNQUALIFIED.search(text), UNQUALIFIED.search(text)


# §5 Truthful words -------------------------------------------------------------------------


def test_the_consent_and_confirmation_pages_say_the_record_may_be_disclosed(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    _through_stop(officer_client, scheme)
    consent = officer_client.get(reverse("officer:consent"))
    _says_the_truth(_text(consent))
    done = officer_client.get(_confirm(officer_client, slots[0])["Location"])
    _says_the_truth(_text(done))


def test_the_privacy_summary_says_the_record_may_be_disclosed(client: Client) -> None:
    _says_the_truth(_text(client.get(reverse("core:privacy"))))


def test_a_scheme_can_word_it_its_own_way_and_its_words_are_read_out(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    scheme.record_statement = (
        "Tell them: this is recorded by the police, it is not a conviction, and it may appear "
        "on an enhanced DBS check. Whether they take part does not change that."
    )
    scheme.save()
    _through_stop(officer_client, scheme)
    assert "Tell them: this is recorded" in _text(officer_client.get(reverse("officer:consent")))


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_message_that_names_the_outcome_says_what_it_means_for_the_record(
    template: str, language: str
) -> None:
    import datetime as dt

    starts = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.UTC)
    appointment = Appointment(
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=45),
        reference="WM-7K3Q-92",
        provider_name="Change Grow Live",
    )
    words = render(template=template, language=language, discreet=False, appointment=appointment)
    plain = TEMPLATES[template][words.language].plain
    if any("{outcome}" in paragraph for paragraph in plain.email):
        assert "DBS" in words.email_text
        if words.language == "en":
            _says_the_truth(words.email_text)
    if "{outcome}" in plain.sms:
        assert "DBS" in words.sms


def test_the_persons_confirmation_carries_the_schemes_words_in_english_and_the_translation(
    officer: Any, scheme: Any, slots: list[Any]
) -> None:
    scheme.record_statement = (
        "Your Community Resolution is recorded by the police. It is not a conviction but may be "
        "disclosed on an enhanced DBS check. Taking part or not does not change that."
    )
    scheme.save()
    english = referral_made(officer, scheme, slots[0], key="en", discreet_messages=False)
    referral_confirmation_queue(referral_id=english.referral.pk)
    email = Message.objects.get(referral=english.referral, channel=Channel.EMAIL)
    assert "Your Community Resolution is recorded by the police." in email.body
    polish = referral_made(
        officer,
        scheme,
        slots[1],
        key="pl",
        given_name="Kasia",
        preferred_language="pl",
        discreet_messages=False,
    )
    referral_confirmation_queue(referral_id=polish.referral.pk)
    email = Message.objects.get(referral=polish.referral, channel=Channel.EMAIL)
    assert "rozszerzonym zaświadczeniu DBS" in email.body


# §3 Officer judgement on supply --------------------------------------------------------------


def test_the_stop_page_asks_whether_the_officer_suspects_intent_to_supply(
    officer_client: Client, scheme: Any
) -> None:
    officer_client.get(reverse("officer:start"))
    officer_client.post(reverse("officer:person"), person_form())
    page = officer_client.get(reverse("officer:stop")).content.decode()
    assert "Do you suspect intent to supply?" in page
    assert 'name="supply_suspected"' in page and 'name="supply_reason"' in page


def test_one_indicator_without_suspicion_is_allowed_and_the_reason_recorded_for_supervisors(
    officer_client: Client, scheme: Any, slots: list[Any]
) -> None:
    reason = "£300 in cash: paid in cash at work today; one small bag"
    stop = stop_form(
        scheme, supply_indicators=["cash"], supply_suspected="no", supply_reason=reason
    )
    assert _through_stop(officer_client, scheme, stop=stop)["Location"] == reverse(
        "officer:consent"
    )
    consent = _text(officer_client.get(reverse("officer:consent")))
    assert "you do not suspect intent to supply. Your reason is recorded for supervisors" in consent
    _confirm(officer_client, slots[0])
    referral = Referral.objects.get()
    record = referral.eligibility_record
    assert (record.eligible, record.supply_indicators, record.supply_suspected) == (
        True,
        ["cash"],
        False,
    )
    assert record.supply_reason == reason
    assert [n["code"] for n in referral.eligibility["notes"]] == ["supply_not_suspected"]


def test_an_indicator_with_no_answer_is_sent_back_with_an_error(
    officer_client: Client, scheme: Any
) -> None:
    response = _through_stop(
        officer_client, scheme, stop=stop_form(scheme, supply_indicators=["scales"])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Select yes if you suspect intent to supply, or no if you do not" in html
    assert EligibilityRecord.objects.count() == 0


def test_an_indicator_the_scheme_refuses_on_is_refused_with_the_schemes_reason(
    officer_client: Client, scheme: Any
) -> None:
    scheme.automatic_supply_refusals = ["deal_bags"]
    scheme.save()
    stop = stop_form(
        scheme, supply_indicators=["deal_bags"], supply_suspected="no", supply_reason="Says own use"
    )
    response = _through_stop(officer_client, scheme, stop=stop)
    text = _text(response)
    assert response.status_code == 422
    assert "This scheme never offers diversion when it finds deal bags or wraps." in text
    assert "possible supply offence" in text


# §2 Every decision on record -----------------------------------------------------------------


def test_a_refusal_is_kept_with_who_where_when_and_monitoring_data_but_no_name(
    officer_client: Client, officer: Any, scheme: Any
) -> None:
    stop = stop_form(
        scheme, supply_indicators=["scales"], supply_suspected="yes", supply_reason="Scales"
    )
    assert _through_stop(officer_client, scheme, stop=stop).status_code == 422
    record = EligibilityRecord.objects.get()
    assert record.eligible is False and record.reason_codes == ["supply"]
    assert record.officer == officer and record.scheme == scheme
    assert record.place == "Corporation Street"
    assert record.local_authority == scheme.local_authorities.first()
    assert (record.age_band, record.sex) == ("25 to 34", "male")
    assert (record.self_defined_ethnicity, record.observed_ethnicity) == ("W1", "IC1")
    assert record.referral is None and Referral.objects.count() == 0
    everything = " ".join(str(value) for value in record.__dict__.values())
    assert "Jamie" not in everything and "O'Neill" not in everything
    assert AuditEvent.objects.filter(
        object_type="referrals.EligibilityRecord", object_id=str(record.pk)
    ).exists()


# §1 The identity question across schemes -----------------------------------------------------


def test_a_possible_match_in_a_sharing_scheme_asks_the_officer_without_revealing_it(
    officer_client: Client, scheme: Any, make_user: Any
) -> None:
    other = SchemeFactory()
    from diversion.referrals.tests.test_bar_across_schemes import _slots

    made = referral_made(
        make_user(Role.OFFICER, other), other, _slots(other, make_user)[0], key="other"
    ).referral
    referral_transition(referral_id=made.pk, to_status=ReferralStatus.NOT_ENGAGED, actor=SYSTEM)
    scheme_sharing_update(actor=SYSTEM, scheme=other, share_with_ids=[scheme.pk], reason="DSA")
    officer_client.get(reverse("officer:start"))
    officer_client.post(reverse("officer:person"), person_form(given_name="Jaimie"))
    page = officer_client.get(reverse("officer:stop")).content.decode()
    assert "Is this the person another scheme referred before?" in page
    for secret in (made.reference, other.name, other.code + "-"):
        assert secret not in page
    refused = _through_stop(
        officer_client, scheme, person_form(given_name="Jaimie"), stop_form(scheme)
    )
    assert refused.status_code == 422
    different = _through_stop(
        officer_client,
        scheme,
        person_form(given_name="Jaimie"),
        stop_form(scheme, identity_answer="different"),
    )
    assert different["Location"] == reverse("officer:consent")
    answers = list(
        EligibilityRecord.objects.filter(scheme=scheme)
        .order_by("pk")
        .values_list("identity_answer", "eligible")
    )
    assert answers == [("", False), ("different", True)]
