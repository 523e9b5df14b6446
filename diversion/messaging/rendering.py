"""Turning a template's wording and an appointment into the words of one message.

Dates and times are in the UK's time zone, in the person's language. The provider's name goes in
only where it is safe: in discreet wording a name containing a give-away word becomes "the
service", and in a text message a long name gives way to a shorter one to keep within two parts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, translation

from diversion.messaging.wording import (
    DISCREET_WORDS,
    ENGLISH,
    LANGUAGES,
    TEMPLATES,
    LanguageTerms,
    Wording,
)

SMS_MAX_SEGMENTS = 2

# The GSM 03.38 default alphabet, and its extension table (each of those costs two places).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many parts a text message is sent in (and charged for)."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text):
        units = sum(2 if char in GSM_EXTENSION else 1 for char in text)
        single, concatenated = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, concatenated = 70, 67
    if units <= single:
        return 1
    return math.ceil(units / concatenated)


def discreet_words_in(text: str, *, language: str = ENGLISH) -> list[str]:
    """The give-away words in `text`; discreet wording must have none."""
    terms = LANGUAGES.get(language, LANGUAGES[ENGLISH])
    lowered = text.casefold()
    return [word for word in (*DISCREET_WORDS, *terms.discreet_words) if word in lowered]


@dataclass(frozen=True)
class Appointment:
    """The facts a confirmation or reminder may mention. Nothing about health or the offence."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    reference: str
    provider_name: str
    provider_short_name: str = ""
    outcome_code: int = 8
    # The person's self-service link (confirm or choose another time), if the message carries one.
    link: str = ""
    # How to join a course session: its meeting link or venue.
    joining: str = ""
    # The scheme's own English words about the outcome's record (blank: the language's own).
    record_statement: str = ""


@dataclass(frozen=True)
class Rendered:
    template: str
    language: str
    discreet: bool
    subject: str
    sms: str
    email: tuple[str, ...]
    invite_summary: str
    invite_description: str
    sender_name: str
    right_to_left: bool

    @property
    def email_text(self) -> str:
        return "\n\n".join(self.email)


def template_language(*, template: str, preferred: str) -> str:
    """The person's language if the template has it, otherwise English."""
    return preferred if preferred in TEMPLATES[template] and preferred in LANGUAGES else ENGLISH


def format_time(value: dt.time, *, style: str) -> str:
    if style == "24h":
        return f"{value:%H:%M}"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}{suffix}"


def _when(starts_at: dt.datetime, *, language: str, terms: LanguageTerms) -> tuple[str, str]:
    local = starts_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    with translation.override(language):
        date = formats.date_format(local, terms.date_format)
    return date, format_time(local.time(), style=terms.time_style)


def _names(appointment: Appointment, *, discreet: bool, language: str) -> list[str]:
    """The ways of naming the provider, best first; the neutral one always last."""
    terms = LANGUAGES[language]
    candidates = [appointment.provider_name.strip(), appointment.provider_short_name.strip()]
    names = [
        name
        for name in candidates
        if name and not (discreet and discreet_words_in(name, language=language))
    ]
    return [*dict.fromkeys(names), terms.neutral_sender]


def render(*, template: str, language: str, discreet: bool, appointment: Appointment) -> Rendered:
    language = template_language(template=template, preferred=language)
    terms = LANGUAGES[language]
    translation_ = TEMPLATES[template][language]
    wording: Wording = translation_.discreet if discreet else translation_.plain
    date, time = _when(appointment.starts_at, language=language, terms=terms)
    minutes = round((appointment.ends_at - appointment.starts_at).total_seconds() / 60)
    names = _names(appointment, discreet=discreet, language=language)

    def fill(text: str, provider: str) -> str:
        return text.format(
            date=date,
            time=time,
            reference=appointment.reference,
            provider=provider,
            minutes=minutes,
            outcome=terms.outcome_names.get(appointment.outcome_code, ""),
            link=appointment.link,
            joining=appointment.joining,
        )

    sms_options = [fill(wording.sms, name) for name in names]
    # A message that names the outcome says what it means for the person's record.
    if "{outcome}" in wording.sms and terms.record_statement_sms:
        sms_options = [f"{text} {terms.record_statement_sms}" for text in sms_options]
    if appointment.link and "{link}" not in wording.sms and terms.manage_link_sms:
        # The link where it still fits in two parts; otherwise the text says whom to contact.
        with_link = [
            f"{text} {terms.manage_link_sms.format(link=appointment.link)}" for text in sms_options
        ]
        sms_options = with_link + sms_options
    sms = next(
        (text for text in sms_options if sms_segments(text) <= SMS_MAX_SEGMENTS), sms_options[-1]
    )
    provider = names[0]
    email = tuple(fill(paragraph, provider) for paragraph in wording.email)
    if any("{outcome}" in paragraph for paragraph in wording.email):
        own = appointment.record_statement.strip() if language == ENGLISH else ""
        email = (*email, own or terms.record_statement)
    if appointment.link and not any("{link}" in paragraph for paragraph in wording.email):
        email = (*email, terms.manage_link.format(link=appointment.link))
    return Rendered(
        template=template,
        language=language,
        discreet=discreet,
        subject=fill(wording.subject, provider),
        sms=sms,
        email=email,
        invite_summary=fill(wording.invite_summary, provider),
        invite_description=fill(wording.invite_description, provider),
        sender_name=terms.discreet_from_name if discreet else provider,
        right_to_left=terms.right_to_left,
    )
