"""Template names, the wording types, and the English terms. See the package docstring."""

from __future__ import annotations

from dataclasses import dataclass, field

from diversion.schemes.policy import RECORD_STATEMENT_DEFAULT

ENGLISH = "en"
WELSH = "cy"
URDU = "ur"
PUNJABI = "pa"
POLISH = "pl"
ASSESSMENT_CONFIRMATION = "assessment_confirmation"
ASSESSMENT_REMINDER_DAY_BEFORE = "assessment_reminder_day_before"
ASSESSMENT_REMINDER_TWO_HOURS = "assessment_reminder_two_hours"
MISSED_APPOINTMENT = "missed_appointment"
COURSE_JOINING = "course_joining"
COURSE_REMINDER = "course_reminder"
COMPLETION = "completion"


@dataclass(frozen=True)
class Wording:
    subject: str
    sms: str
    # Paragraphs of the email; the first is what an inbox shows as the preview.
    email: tuple[str, ...]
    # Only messages that carry a calendar invitation need these.
    invite_summary: str = ""
    invite_description: str = ""


@dataclass(frozen=True)
class Translation:
    plain: Wording
    discreet: Wording
    # Machine-made or otherwise unchecked: a fluent speaker must review it before it is trusted.
    needs_review: bool = False


@dataclass(frozen=True)
class LanguageTerms:
    date_format: str  # Django date format, e.g. "l j F" -> "Tuesday 1 December"
    time_style: str  # "govuk" -> "10:30am", "midday"; "24h" -> "10:30"
    neutral_sender: str  # used when a name would give too much away
    discreet_from_name: str  # the email's From display name in discreet messages
    outcome_names: dict[int, str]
    right_to_left: bool = False
    # Words that discreet wording never contains, in this language (English ones always apply).
    discreet_words: tuple[str, ...] = field(default=())
    # The line added to an email that carries the person's self-service link ({link}).
    manage_link: str = ""
    # Its short form, added to a text message when it still fits in two parts.
    manage_link_sms: str = ""
    # What the outcome means for the person's record, said plainly (decision 0016): added to
    # every plain email, and text, that names the outcome. A scheme may word the English itself.
    record_statement: str = ""
    record_statement_sms: str = ""
    # The last line of every email: the link that stops emails ({link}, messaging/optout.py).
    opt_out_email: str = ""


DISCREET_WORDS = (
    "police",
    "drug",
    "diversion",
    "cannabis",
    "cocaine",
    "substance",
    "offence",
    "crime",
    "arrest",
    "custody",
    "community resolution",
    "possession",
)

LANGUAGES: dict[str, LanguageTerms] = {
    ENGLISH: LanguageTerms(
        date_format="l j F",
        time_style="govuk",
        neutral_sender="the service",
        discreet_from_name="Appointments",
        outcome_names={8: "Community Resolution", 22: "drug diversion scheme"},
        manage_link="To confirm this time or choose another, use this link: {link}",
        manage_link_sms="Confirm or change: {link}",
        opt_out_email="To stop getting emails from us, use this link: {link}",
        record_statement=RECORD_STATEMENT_DEFAULT,
        record_statement_sms=(
            "Recorded by police, not a conviction, may show on an enhanced DBS check."
        ),
    ),
}


TEMPLATES: dict[str, dict[str, Translation]] = {}


def translations_needing_review() -> list[tuple[str, str]]:
    """(template, language) of every wording a fluent speaker has yet to check."""
    return sorted(
        (template, language)
        for template, translations in TEMPLATES.items()
        for language, translation in translations.items()
        if translation.needs_review
    )


def all_discreet_words() -> tuple[str, ...]:
    """The give-away words of every language: discreet wording has none of them, in any."""
    words = [*DISCREET_WORDS]
    for terms in LANGUAGES.values():
        words.extend(terms.discreet_words)
    return tuple(dict.fromkeys(word.casefold() for word in words))
