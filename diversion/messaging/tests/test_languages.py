"""Every template in every language: machine-made translations flagged, nothing given away in
any language, two-part texts on every day of the year, the person's language chosen."""

from __future__ import annotations

import datetime as dt

import pytest

from diversion.messaging.rendering import SMS_MAX_SEGMENTS, Appointment, render, sms_segments
from diversion.messaging.wording import (
    ASSESSMENT_CONFIRMATION,
    ASSESSMENT_REMINDER_DAY_BEFORE,
    ASSESSMENT_REMINDER_TWO_HOURS,
    COMPLETION,
    COURSE_JOINING,
    COURSE_REMINDER,
    LANGUAGES,
    MISSED_APPOINTMENT,
    TEMPLATES,
    all_discreet_words,
    translations_needing_review,
)

LANGUAGE_CODES = ("en", "cy", "ur", "pa", "pl")
TEMPLATE_CODES = (
    ASSESSMENT_CONFIRMATION,
    ASSESSMENT_REMINDER_DAY_BEFORE,
    ASSESSMENT_REMINDER_TWO_HOURS,
    MISSED_APPOINTMENT,
    COURSE_JOINING,
    COURSE_REMINDER,
    COMPLETION,
)
# As long as a real link gets: the scheme's address and a 21-character token.
LINK = "https://appointments.westmidlands.example.org.uk/r/abcdefgh.ABCDEFGHIJKL"
EVERY = [(t, lang) for t in TEMPLATE_CODES for lang in LANGUAGE_CODES]


def appointment(starts_at: dt.datetime, **changes: object) -> Appointment:
    values: dict[str, object] = {
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(minutes=45),
        "reference": "WMX-7K3Q-92",
        "provider_name": "Change Grow Live Birmingham and Solihull Partnership",
        "provider_short_name": "Change Grow Live",
        "outcome_code": 22,
        "link": LINK,
        "joining": "https://meet.example.org/j/123456789?pwd=abcdef",
    }
    values.update(changes)
    return Appointment(**values)  # type: ignore[arg-type]


def test_every_template_is_in_all_five_languages() -> None:
    for template in TEMPLATE_CODES:
        assert set(TEMPLATES[template]) == set(LANGUAGE_CODES), template


def test_the_machine_made_translations_are_listed_for_review_and_english_is_not() -> None:
    expected = sorted(
        (template, language) for template in TEMPLATE_CODES for language in LANGUAGE_CODES[1:]
    )
    assert translations_needing_review() == expected


def test_the_review_flag_is_never_shown_to_the_person() -> None:
    words = render(
        template=ASSESSMENT_CONFIRMATION,
        language="cy",
        discreet=False,
        appointment=appointment(dt.datetime(2026, 9, 30, 11, 45, tzinfo=dt.UTC)),
    )
    shown = " ".join([words.subject, words.sms, words.email_text, words.invite_description])
    for hint in ("review", "machine", "translat", "adolygu", "peiriant"):
        assert hint not in shown.casefold()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("cy", ("heddlu", "cyffuriau")),
        ("pl", ("policja", "narkotyki")),
        ("ur", ("پولیس", "منشیات")),
        ("pa", ("ਪੁਲਿਸ", "ਨਸ਼ੇ")),
    ],
)
def test_each_language_lists_its_words_for_police_and_drugs(
    language: str, words: tuple[str, ...]
) -> None:
    every = all_discreet_words()
    for word in words:
        assert any(giveaway in word.casefold() for giveaway in every), word
        assert any(g in word.casefold() for g in LANGUAGES[language].discreet_words), word


@pytest.mark.parametrize(("template", "language"), EVERY)
def test_discreet_wording_has_no_give_away_word_of_any_language(
    template: str, language: str
) -> None:
    words = render(
        template=template,
        language=language,
        discreet=True,
        appointment=appointment(dt.datetime(2026, 9, 30, 11, 45, tzinfo=dt.UTC)),
    )
    assert words.language == language
    texts = (
        words.sms,
        words.subject,
        words.email_text,
        words.invite_summary,
        words.invite_description,
        words.sender_name,
    )
    every = all_discreet_words()
    for text in texts:
        assert [word for word in every if word in text.casefold()] == [], text


@pytest.mark.parametrize(("template", "language"), EVERY)
def test_the_plain_wording_does_say_what_it_is_for(template: str, language: str) -> None:
    words = render(
        template=template,
        language=language,
        discreet=False,
        appointment=appointment(dt.datetime(2026, 9, 30, 11, 45, tzinfo=dt.UTC)),
    )
    every = all_discreet_words()
    assert [word for word in every if word in words.email_text.casefold()], words.email_text


@pytest.mark.parametrize(("template", "language"), EVERY)
def test_every_text_fits_in_two_parts_on_every_day_of_the_year(
    template: str, language: str
) -> None:
    """The longest day and month names in each language, at a four-figure time."""
    first = dt.datetime(2026, 1, 1, 12, 45, tzinfo=dt.UTC)
    for day in range(365):
        starts_at = first + dt.timedelta(days=day)
        for discreet in (True, False):
            words = render(
                template=template,
                language=language,
                discreet=discreet,
                appointment=appointment(starts_at),
            )
            assert sms_segments(words.sms) <= SMS_MAX_SEGMENTS, (words.sms, sms_segments(words.sms))


def test_non_latin_texts_are_counted_as_ucs2() -> None:
    words = render(
        template=ASSESSMENT_CONFIRMATION,
        language="ur",
        discreet=True,
        appointment=appointment(dt.datetime(2026, 9, 30, 11, 45, tzinfo=dt.UTC)),
    )
    units = len(words.sms.encode("utf-16-le")) // 2
    assert 70 < units <= 134
    assert sms_segments(words.sms) == 2
    assert sms_segments("ਸ" * 134) == 2
    assert sms_segments("ਸ" * 135) == 3


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cy", "Dydd Mercher 30 Medi"),
        ("pl", "30 września"),
        ("ur", "30 ستمبر"),
        ("pa", "30 ਸਤੰਬਰ"),
    ],
)
def test_the_date_is_in_the_persons_language(language: str, expected: str) -> None:
    words = render(
        template=ASSESSMENT_REMINDER_DAY_BEFORE,
        language=language,
        discreet=True,
        appointment=appointment(dt.datetime(2026, 9, 30, 11, 45, tzinfo=dt.UTC)),
    )
    assert expected in words.sms
    assert "12:45" in words.sms
    assert LANGUAGES["ur"].right_to_left
