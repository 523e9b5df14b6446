"""The English wording of the assessment confirmation and reminders."""

from __future__ import annotations

from diversion.messaging.wording.base import (
    ASSESSMENT_CONFIRMATION,
    ASSESSMENT_REMINDER_DAY_BEFORE,
    ASSESSMENT_REMINDER_TWO_HOURS,
    ENGLISH,
    TEMPLATES,
    Translation,
    Wording,
)

TEMPLATES[ASSESSMENT_CONFIRMATION] = {
    ENGLISH: Translation(
        plain=Wording(
            subject="Drug service phone assessment on {date} at {time}",
            sms=(
                "Your phone assessment with {provider} (drug service) is on {date} at {time}, "
                "part of the {outcome} from the police. Reference {reference}. "
                "To change the time, contact {provider}."
            ),
            email=(
                "Your phone assessment with {provider}, the drug service, is on {date} at {time}.",
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
}

# Reminders, in English -------------------------------------------------------------------------

TEMPLATES[ASSESSMENT_REMINDER_DAY_BEFORE] = {
    ENGLISH: Translation(
        plain=Wording(
            subject="Reminder: drug service phone assessment on {date} at {time}",
            sms=(
                "Reminder: your phone assessment with {provider} (drug service) is on {date} at "
                "{time}. We will call you. Reference {reference}. To change the time, contact "
                "{provider}."
            ),
            email=(
                "This is a reminder that your phone assessment with {provider}, the drug "
                "service, is on {date} at {time}.",
                "It is part of the {outcome} you agreed to with the police. A worker will phone "
                "you. The call takes about {minutes} minutes.",
                "Your reference is {reference}. Have it ready when they call.",
                "If you cannot make this time, contact {provider} today and give your "
                "reference. If you do not take part, the police will be told.",
            ),
        ),
        discreet=Wording(
            subject="Reminder: your appointment on {date} at {time}",
            sms=(
                "Reminder: your phone appointment is on {date} at {time}. We will call you then. "
                "Reference {reference}. To change the time, contact {provider}."
            ),
            email=(
                "This is a reminder that your phone appointment is on {date} at {time}.",
                "Someone from {provider} will phone you at that time. The call takes about "
                "{minutes} minutes.",
                "Your reference is {reference}. Have it ready when we call.",
                "If you cannot make this time, contact {provider} as soon as you can and give "
                "your reference.",
            ),
        ),
    ),
}

TEMPLATES[ASSESSMENT_REMINDER_TWO_HOURS] = {
    ENGLISH: Translation(
        plain=Wording(
            subject="Your drug service phone assessment is today at {time}",
            sms=(
                "Today at {time}, {provider} (drug service) will phone you for your assessment. "
                "Please keep your phone with you. Reference {reference}."
            ),
            email=(
                "Your phone assessment with {provider}, the drug service, is today at {time}.",
                "A worker will phone you. The call takes about {minutes} minutes. Please keep "
                "your phone with you and be somewhere you can talk.",
                "Your reference is {reference}.",
                "If you cannot take the call, contact {provider} now and give your reference.",
            ),
        ),
        discreet=Wording(
            subject="Your appointment today at {time}",
            sms=(
                "Your phone appointment is today at {time}. We will call you then. Please keep "
                "your phone with you. Reference {reference}."
            ),
            email=(
                "Your phone appointment is today at {time}.",
                "Someone from {provider} will phone you. The call takes about {minutes} "
                "minutes. Please be somewhere you can talk.",
                "Your reference is {reference}.",
                "If you cannot take the call, contact {provider} now and give your reference.",
            ),
        ),
    ),
}
