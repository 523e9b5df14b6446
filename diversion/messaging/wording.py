"""What the messages say, per template and language, as data.

A translator adds a language by adding its `LanguageTerms` and one `Translation` per template;
nothing else changes. Placeholders are `str.format` fields: {date}, {time}, {reference},
{provider}, {minutes} and, in the plain wording only, {outcome}. Discreet wording must not say
anything a glance at a lock screen or an inbox could give away (see `DISCREET_WORDS`); the tests
check every template in every language against it, and SMS against the two-segment limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENGLISH = "en"
ASSESSMENT_CONFIRMATION = "assessment_confirmation"


@dataclass(frozen=True)
class Wording:
    subject: str
    sms: str
    # Paragraphs of the email; the first is what an inbox shows as the preview.
    email: tuple[str, ...]
    invite_summary: str
    invite_description: str


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
    ),
}

TEMPLATES: dict[str, dict[str, Translation]] = {
    ASSESSMENT_CONFIRMATION: {
        ENGLISH: Translation(
            plain=Wording(
                subject="Drug service phone assessment on {date} at {time}",
                sms=(
                    "Your phone assessment with {provider} (drug service) is on {date} at {time}. "
                    "It is part of the {outcome} from the police. We will call you. "
                    "Reference {reference}. To change the time, contact {provider}."
                ),
                email=(
                    "Your phone assessment with {provider}, the drug service, is on {date} "
                    "at {time}.",
                    "It is part of the {outcome} you agreed to with the police.",
                    "What will happen: a worker from {provider} will phone you at that time. "
                    "The call takes about {minutes} minutes. They will ask about you, your "
                    "health and your use of drugs and alcohol, and give you advice. They may "
                    "then book you on a short course.",
                    "What you tell the worker is not shared with the police. The police are "
                    "only told whether you took part.",
                    "Your reference is {reference}. Have it ready when they call.",
                    "To change the time, contact {provider} as soon as you can and give your "
                    "reference. If you do not take part, the police will be told.",
                    "A calendar invitation is attached.",
                ),
                invite_summary="Phone assessment with {provider}",
                invite_description=(
                    "{provider} will phone you. The call takes about {minutes} minutes. "
                    "Your reference is {reference}."
                ),
            ),
            discreet=Wording(
                subject="Your appointment on {date} at {time}",
                sms=(
                    "Your phone appointment is on {date} at {time}. We will call you then. "
                    "Your reference is {reference}. To change the time, contact {provider} "
                    "and give your reference."
                ),
                email=(
                    "Your phone appointment is on {date} at {time}.",
                    "Someone from {provider} will phone you at that time. The call takes "
                    "about {minutes} minutes.",
                    "Your reference is {reference}. Have it ready when we call.",
                    "To change the time, contact {provider} as soon as you can and give your "
                    "reference.",
                    "A calendar invitation is attached.",
                ),
                invite_summary="Phone appointment",
                invite_description="We will phone you. Your reference is {reference}.",
            ),
        ),
    },
}
