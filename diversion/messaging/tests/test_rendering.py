"""The wording of every template in every language, rendered: limits, discretion, UK times."""

from __future__ import annotations

import datetime as dt

import pytest

from diversion.messaging.rendering import (
    SMS_MAX_SEGMENTS,
    Appointment,
    discreet_words_in,
    format_time,
    render,
    sms_segments,
)
from diversion.messaging.wording import LANGUAGES, TEMPLATES

UTC = dt.UTC
EVERY_WORDING = [
    (template, language, discreet)
    for template, translations in TEMPLATES.items()
    for language in translations
    for discreet in (True, False)
]


def appointment(**changes: object) -> Appointment:
    values: dict[str, object] = {
        # The longest English date and time: "Wednesday 30 September at 12:45pm" (BST).
        "starts_at": dt.datetime(2026, 9, 30, 11, 45, tzinfo=UTC),
        "ends_at": dt.datetime(2026, 9, 30, 12, 30, tzinfo=UTC),
        "reference": "WMX-7K3Q-92",
        "provider_name": "Change Grow Live Birmingham and Solihull Partnership",
        "provider_short_name": "Change Grow Live",
        "outcome_code": 22,
        "link": "https://appointments.westmidlands.example.org.uk/r/abcdefgh.ABCDEFGHIJKL",
        "joining": "https://meet.example.org/j/123456789?pwd=abcdef",
    }
    values.update(changes)
    return Appointment(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("template", "language", "discreet"), EVERY_WORDING)
def test_every_text_message_fits_in_two_parts(template: str, language: str, discreet: bool) -> None:
    words = render(
        template=template, language=language, discreet=discreet, appointment=appointment()
    )
    assert sms_segments(words.sms) <= SMS_MAX_SEGMENTS, words.sms


@pytest.mark.parametrize(
    ("template", "language"),
    [(t, lang) for t, translations in TEMPLATES.items() for lang in translations],
)
def test_discreet_wording_gives_nothing_away_in_the_text_subject_preview_or_invite(
    template: str, language: str
) -> None:
    words = render(template=template, language=language, discreet=True, appointment=appointment())
    for text in (words.sms, words.subject, words.email_text, words.invite_summary):
        assert discreet_words_in(text, language=language) == [], text
    assert discreet_words_in(words.invite_description + words.sender_name) == []


def test_plain_wording_says_what_the_appointment_is_for() -> None:
    words = render(
        template="assessment_confirmation",
        language="en",
        discreet=False,
        appointment=appointment(outcome_code=8),
    )
    assert "drug service" in words.subject.casefold()
    assert "Community Resolution" in words.sms
    assert "Community Resolution" in words.email_text


def test_a_provider_whose_name_gives_it_away_is_called_the_service_in_discreet_wording() -> None:
    words = render(
        template="assessment_confirmation",
        language="en",
        discreet=True,
        appointment=appointment(provider_name="Drug and Alcohol Team", provider_short_name=""),
    )
    assert "Drug" not in words.email_text + words.sms
    assert "contact the service" in words.sms


def test_a_very_long_provider_name_gives_way_to_the_short_name_in_a_text() -> None:
    long_name = "The Quite Remarkably Long Named Community Wellbeing Partnership " * 3
    words = render(
        template="assessment_confirmation",
        language="en",
        discreet=False,
        appointment=appointment(provider_name=long_name.strip()),
    )
    assert "Change Grow Live" in words.sms
    assert long_name.strip() not in words.sms
    assert long_name.strip() in words.email_text
    assert sms_segments(words.sms) <= SMS_MAX_SEGMENTS


@pytest.mark.parametrize(
    ("starts_at", "expected"),
    [
        (dt.datetime(2026, 12, 1, 10, 30, tzinfo=UTC), "Tuesday 1 December at 10:30am"),
        (dt.datetime(2026, 6, 2, 9, 30, tzinfo=UTC), "Tuesday 2 June at 10:30am"),  # BST
        (dt.datetime(2026, 3, 29, 23, 15, tzinfo=UTC), "Monday 30 March at 12:15am"),
        (dt.datetime(2026, 7, 1, 11, 0, tzinfo=UTC), "Wednesday 1 July at midday"),
    ],
)
def test_dates_and_times_are_in_uk_time(starts_at: dt.datetime, expected: str) -> None:
    words = render(
        template="assessment_confirmation",
        language="en",
        discreet=True,
        appointment=appointment(starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=45)),
    )
    assert words.subject == f"Your appointment on {expected}"


def test_a_language_without_a_translation_yet_falls_back_to_english() -> None:
    words = render(
        template="assessment_confirmation", language="fr", discreet=True, appointment=appointment()
    )
    assert words.language == "en"
    assert words.sms.startswith("Your phone appointment")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # the extension table costs two places each
        ("€" * 81, 2),
        ("ł" * 70, 1),  # outside GSM: UCS-2, 70 then 67 a part
        ("ł" * 71, 2),
        ("ł" * 135, 3),
    ],
)
def test_text_messages_are_counted_in_parts_as_networks_charge_them(text: str, parts: int) -> None:
    assert sms_segments(text) == parts


def test_times_follow_the_gov_uk_style() -> None:
    times = [dt.time(9, 5), dt.time(12, 0), dt.time(0, 0), dt.time(17, 30)]
    assert [format_time(t, style="govuk") for t in times] == [
        "9:05am",
        "midday",
        "midnight",
        "5:30pm",
    ]
    assert format_time(dt.time(17, 30), style="24h") == "17:30"


def test_every_language_with_templates_has_its_terms() -> None:
    used = {language for translations in TEMPLATES.values() for language in translations}
    assert used <= set(LANGUAGES)
