"""What the messages say, per template and language, as data.

A translator adds a language by adding its `LanguageTerms` and one `Translation` per template;
nothing else changes. Placeholders are `str.format` fields: {date}, {time}, {reference},
{provider}, {minutes} and, in the plain wording only, {outcome}. Discreet wording must not say
anything a glance at a lock screen or an inbox could give away (see `DISCREET_WORDS` and each
language's `discreet_words`); the tests check every template in every language against the words
of every language, and SMS against the two-part limit (160/153 characters a part in the GSM
alphabet, 70/67 UTF-16 units a part otherwise, so Welsh keeps its texts to the GSM alphabet).

The Welsh, Urdu, Punjabi and Polish wording is machine-made: `needs_review=True` until a fluent
speaker has checked it. The flag is for us (`translations_needing_review`), never shown to the
person.

When messages go (`timing.py`, `referrals/notifications.py`):

- Confirmation: as soon as the assessment is booked.
- Reminders of a booked assessment: the day before, at 18:00 UK time the evening before (or, if
  quiet hours began before 18:00, the hour before they begin), and two hours before it starts.
  None for a booking that is cancelled or over, none made after the reminder's time had passed
  (the confirmation has just told them), no day-before reminder once the two-hour one is due,
  and never two of the same.
- Quiet hours: no text or email between 21:00 and 08:00 UK time (MESSAGING_QUIET_HOURS). A
  message due then, a confirmation from a stop at night included, is held: it stays queued with
  `not_before` at 08:00 and goes out with the next run of the queue job after that. So the
  two-hours-before reminder of an appointment after 08:00 and up to 10:00 goes at 08:00; an
  appointment at 08:00 itself gets no two-hour reminder (it would arrive as the call starts).
- Not sent at all, but logged as "suppressed" with the reason: the person opted out of the
  channel, the channel or address is no longer usable, or the appointment was cancelled or has
  started before the message could go.
"""

from diversion.messaging.wording import (  # noqa: F401  (each registers its wording)
    assessment_en,
    confirmation_translated,
    followups,
    languages,
    reminders_translated,
)
from diversion.messaging.wording.base import (
    ASSESSMENT_CONFIRMATION,
    ASSESSMENT_REMINDER_DAY_BEFORE,
    ASSESSMENT_REMINDER_TWO_HOURS,
    COMPLETION,
    COURSE_JOINING,
    COURSE_REMINDER,
    DISCREET_WORDS,
    ENGLISH,
    LANGUAGES,
    MISSED_APPOINTMENT,
    POLISH,
    PUNJABI,
    TEMPLATES,
    URDU,
    WELSH,
    LanguageTerms,
    Translation,
    Wording,
    all_discreet_words,
    translations_needing_review,
)

__all__ = [
    "ASSESSMENT_CONFIRMATION",
    "ASSESSMENT_REMINDER_DAY_BEFORE",
    "ASSESSMENT_REMINDER_TWO_HOURS",
    "COMPLETION",
    "COURSE_JOINING",
    "COURSE_REMINDER",
    "DISCREET_WORDS",
    "ENGLISH",
    "LANGUAGES",
    "MISSED_APPOINTMENT",
    "POLISH",
    "PUNJABI",
    "TEMPLATES",
    "URDU",
    "WELSH",
    "LanguageTerms",
    "Translation",
    "Wording",
    "all_discreet_words",
    "translations_needing_review",
]
