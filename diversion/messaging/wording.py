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

# The Urdu wording ends its sentences with the Arabic full stop, as it should.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import dataclass, field

ENGLISH = "en"
WELSH = "cy"
URDU = "ur"
PUNJABI = "pa"
POLISH = "pl"
ASSESSMENT_CONFIRMATION = "assessment_confirmation"
ASSESSMENT_REMINDER_DAY_BEFORE = "assessment_reminder_day_before"
ASSESSMENT_REMINDER_TWO_HOURS = "assessment_reminder_two_hours"


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

# Welsh, Urdu, Punjabi and Polish: machine-made, awaiting review by a fluent speaker -------------

LANGUAGES.update(
    {
        WELSH: LanguageTerms(
            date_format="l j F",
            time_style="24h",
            neutral_sender="y gwasanaeth",
            discreet_from_name="Apwyntiadau",
            outcome_names={8: "Datrysiad Cymunedol", 22: "cynllun dargyfeirio cyffuriau"},
            discreet_words=(
                "heddlu",
                "cyffur",
                "canabis",
                "cocên",
                "cocen",
                "trosedd",
                "arestio",
                "dalfa",
                "dargyfeirio",
                "datrysiad cymunedol",
                "meddiant",
            ),
        ),
        URDU: LanguageTerms(
            date_format="l j F",
            time_style="24h",
            neutral_sender="سروس",
            discreet_from_name="اپائنٹمنٹس",
            outcome_names={
                8: "کمیونٹی ریزولوشن (Community Resolution)",
                22: "منشیات ڈائیورژن اسکیم",
            },
            right_to_left=True,
            discreet_words=("پولیس", "منشیات", "نشہ", "نشے", "جرم", "گرفتار", "حراست"),
        ),
        PUNJABI: LanguageTerms(
            date_format="l j F",
            time_style="24h",
            neutral_sender="ਸੇਵਾ",
            discreet_from_name="ਮੁਲਾਕਾਤਾਂ",
            outcome_names={
                8: "ਕਮਿਊਨਿਟੀ ਰੈਜ਼ੋਲਿਊਸ਼ਨ (Community Resolution)",
                22: "ਨਸ਼ਾ ਡਾਇਵਰਸ਼ਨ ਸਕੀਮ",
            },
            discreet_words=(
                "ਪੁਲਿਸ",
                "ਪੁਲੀਸ",
                "ਨਸ਼ੇ",
                "ਨਸ਼ਾ",
                "ਨਸ਼ਿਆਂ",
                "ਜੁਰਮ",
                "ਅਪਰਾਧ",
                "ਗ੍ਰਿਫ਼ਤਾਰ",
                "ਗ੍ਰਿਫਤਾਰ",
                "ਹਿਰਾਸਤ",
            ),
        ),
        POLISH: LanguageTerms(
            date_format="l j E",
            time_style="24h",
            neutral_sender="ośrodek",
            discreet_from_name="Wizyty",
            outcome_names={
                8: "Community Resolution (rozwiązanie społeczne)",
                22: "program kierowania do leczenia (drug diversion)",
            },
            discreet_words=(
                "policj",
                "narkoty",
                "marihuan",
                "kokain",
                "przestęp",
                "areszt",
                "substancj",
                "uzależni",
                "wykrocz",
                "posiadani",
            ),
        ),
    }
)

TEMPLATES[ASSESSMENT_CONFIRMATION].update(
    {
        WELSH: Translation(
            needs_review=True,
            plain=Wording(
                subject="Asesiad ffôn gyda'r gwasanaeth cyffuriau ar {date} am {time}",
                sms=(
                    "Mae eich galwad asesu gyda {provider} (gwasanaeth cyffuriau) ar {date} am "
                    "{time}. Byddwn yn eich ffonio. Cyfeirnod {reference}. I newid yr amser, "
                    "cysylltwch gyda {provider}."
                ),
                email=(
                    "Mae eich asesiad ffôn gyda {provider}, y gwasanaeth cyffuriau, ar {date} am "
                    "{time}.",
                    "Mae'n rhan o'r {outcome} y cytunoch arno gyda'r heddlu.",
                    "Beth fydd yn digwydd: bydd gweithiwr o {provider} yn eich ffonio ar yr amser "
                    "hwnnw. Mae'r alwad yn cymryd tua {minutes} munud. Byddant yn gofyn amdanoch "
                    "chi, eich iechyd a'ch defnydd o gyffuriau ac alcohol, ac yn rhoi cyngor "
                    "i chi.",
                    "Nid yw'r hyn rydych yn ei ddweud wrth y gweithiwr yn cael ei rannu gyda'r "
                    "heddlu. Dim ond a wnaethoch gymryd rhan y caiff yr heddlu wybod.",
                    "Eich cyfeirnod yw {reference}. Cadwch ef wrth law pan fyddant yn ffonio.",
                    "I newid yr amser, cysylltwch â {provider} cyn gynted â phosibl a rhowch eich "
                    "cyfeirnod. Os na fyddwch yn cymryd rhan, bydd yr heddlu'n cael gwybod.",
                    "Mae gwahoddiad calendr wedi'i atodi.",
                ),
                invite_summary="Asesiad ffôn gyda {provider}",
                invite_description=(
                    "Bydd {provider} yn eich ffonio. Mae'r alwad yn cymryd tua {minutes} munud. "
                    "Eich cyfeirnod yw {reference}."
                ),
            ),
            discreet=Wording(
                subject="Eich apwyntiad ar {date} am {time}",
                sms=(
                    "Mae eich apwyntiad ar {date} am {time}. Byddwn yn eich ffonio bryd hynny. "
                    "Cyfeirnod {reference}. I newid yr amser, cysylltwch gyda {provider}."
                ),
                email=(
                    "Mae eich apwyntiad ffôn ar {date} am {time}.",
                    "Bydd rhywun o {provider} yn eich ffonio ar yr amser hwnnw. Mae'r alwad yn "
                    "cymryd tua {minutes} munud.",
                    "Eich cyfeirnod yw {reference}. Cadwch ef wrth law pan fyddwn yn ffonio.",
                    "I newid yr amser, cysylltwch â {provider} cyn gynted â phosibl a rhowch eich "
                    "cyfeirnod.",
                    "Mae gwahoddiad calendr wedi'i atodi.",
                ),
                invite_summary="Apwyntiad ffôn",
                invite_description="Byddwn yn eich ffonio. Eich cyfeirnod yw {reference}.",
            ),
        ),
        URDU: Translation(
            needs_review=True,
            plain=Wording(
                subject="منشیات سروس کا فون اسیسمنٹ {date} کو {time} بجے",
                sms=(
                    "{provider} (منشیات سروس) {date} کو {time} بجے فون کرے گی۔ "
                    "حوالہ {reference}۔ تبدیلی: {provider}"
                ),
                email=(
                    "آپ کا فون اسیسمنٹ {provider} (منشیات سروس) کے ساتھ {date} کو {time} بجے ہے۔",
                    "یہ اس {outcome} کا حصہ ہے جس پر آپ نے پولیس کے ساتھ اتفاق کیا۔",
                    "کیا ہوگا: {provider} کا ایک کارکن اس وقت آپ کو فون کرے گا۔ کال تقریباً "
                    "{minutes} منٹ کی ہوگی۔ وہ آپ کی صحت اور منشیات اور شراب کے استعمال کے بارے "
                    "میں پوچھیں گے اور مشورہ دیں گے۔",
                    "آپ کارکن کو جو بتاتے ہیں وہ پولیس کو نہیں بتایا جاتا۔ پولیس کو صرف یہ بتایا "
                    "جاتا ہے کہ آپ نے حصہ لیا یا نہیں۔",
                    "آپ کا حوالہ نمبر {reference} ہے۔ کال کے وقت اسے تیار رکھیں۔",
                    "وقت بدلنے کے لیے جلد از جلد {provider} سے رابطہ کریں اور اپنا حوالہ نمبر "
                    "بتائیں۔ اگر آپ حصہ نہیں لیتے تو پولیس کو بتایا جائے گا۔",
                    "کیلنڈر کا دعوت نامہ منسلک ہے۔",
                ),
                invite_summary="{provider} کے ساتھ فون اسیسمنٹ",
                invite_description=(
                    "{provider} آپ کو فون کرے گا۔ کال تقریباً {minutes} منٹ کی ہوگی۔ "
                    "حوالہ نمبر {reference}۔"
                ),
            ),
            discreet=Wording(
                subject="آپ کی ملاقات {date} کو {time} بجے",
                sms=(
                    "آپ کی فون ملاقات {date} کو {time} بجے ہے۔ ہم آپ کو فون کریں گے۔ "
                    "حوالہ {reference}۔ تبدیلی: {provider}"
                ),
                email=(
                    "آپ کی فون ملاقات {date} کو {time} بجے ہے۔",
                    "{provider} سے کوئی اس وقت آپ کو فون کرے گا۔ کال تقریباً {minutes} منٹ کی ہوگی۔",
                    "آپ کا حوالہ نمبر {reference} ہے۔ کال کے وقت اسے تیار رکھیں۔",
                    "وقت بدلنے کے لیے جلد از جلد {provider} سے رابطہ کریں اور اپنا حوالہ نمبر "
                    "بتائیں۔",
                    "کیلنڈر کا دعوت نامہ منسلک ہے۔",
                ),
                invite_summary="فون ملاقات",
                invite_description="ہم آپ کو فون کریں گے۔ حوالہ نمبر {reference}۔",
            ),
        ),
        PUNJABI: Translation(
            needs_review=True,
            plain=Wording(
                subject="ਨਸ਼ਾ ਸੇਵਾ ਨਾਲ ਫ਼ੋਨ ਮੁਲਾਂਕਣ {date} ਨੂੰ {time} ਵਜੇ",
                sms=(
                    "{provider} (ਨਸ਼ਾ ਸੇਵਾ) {date} ਨੂੰ {time} ਵਜੇ ਫ਼ੋਨ ਕਰੇਗੀ। "
                    "ਹਵਾਲਾ {reference}। ਬਦਲਣ ਲਈ: {provider}"
                ),
                email=(
                    "ਤੁਹਾਡਾ ਫ਼ੋਨ ਮੁਲਾਂਕਣ {provider} (ਨਸ਼ਾ ਸੇਵਾ) ਨਾਲ {date} ਨੂੰ {time} ਵਜੇ ਹੈ।",
                    "ਇਹ ਉਸ {outcome} ਦਾ ਹਿੱਸਾ ਹੈ ਜਿਸ ਲਈ ਤੁਸੀਂ ਪੁਲਿਸ ਨਾਲ ਸਹਿਮਤ ਹੋਏ ਸੀ।",
                    "ਕੀ ਹੋਵੇਗਾ: {provider} ਦਾ ਇੱਕ ਕਰਮਚਾਰੀ ਉਸ ਸਮੇਂ ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰੇਗਾ। ਕਾਲ ਲਗਭਗ "
                    "{minutes} ਮਿੰਟ ਦੀ ਹੋਵੇਗੀ। ਉਹ ਤੁਹਾਡੀ ਸਿਹਤ ਅਤੇ ਨਸ਼ਿਆਂ ਅਤੇ ਸ਼ਰਾਬ ਦੀ ਵਰਤੋਂ ਬਾਰੇ "
                    "ਪੁੱਛਣਗੇ ਅਤੇ ਸਲਾਹ ਦੇਣਗੇ।",
                    "ਤੁਸੀਂ ਕਰਮਚਾਰੀ ਨੂੰ ਜੋ ਦੱਸਦੇ ਹੋ ਉਹ ਪੁਲਿਸ ਨਾਲ ਸਾਂਝਾ ਨਹੀਂ ਕੀਤਾ ਜਾਂਦਾ। ਪੁਲਿਸ ਨੂੰ "
                    "ਸਿਰਫ਼ ਇਹ ਦੱਸਿਆ ਜਾਂਦਾ ਹੈ ਕਿ ਤੁਸੀਂ ਹਿੱਸਾ ਲਿਆ ਜਾਂ ਨਹੀਂ।",
                    "ਤੁਹਾਡਾ ਹਵਾਲਾ ਨੰਬਰ {reference} ਹੈ। ਕਾਲ ਵੇਲੇ ਇਸਨੂੰ ਤਿਆਰ ਰੱਖੋ।",
                    "ਸਮਾਂ ਬਦਲਣ ਲਈ ਜਲਦੀ ਤੋਂ ਜਲਦੀ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ ਅਤੇ ਆਪਣਾ ਹਵਾਲਾ ਨੰਬਰ "
                    "ਦੱਸੋ। ਜੇ ਤੁਸੀਂ ਹਿੱਸਾ ਨਹੀਂ ਲੈਂਦੇ ਤਾਂ ਪੁਲਿਸ ਨੂੰ ਦੱਸਿਆ ਜਾਵੇਗਾ।",
                    "ਕੈਲੰਡਰ ਸੱਦਾ ਨਾਲ ਨੱਥੀ ਹੈ।",
                ),
                invite_summary="{provider} ਨਾਲ ਫ਼ੋਨ ਮੁਲਾਂਕਣ",
                invite_description=(
                    "{provider} ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰੇਗਾ। ਕਾਲ ਲਗਭਗ {minutes} ਮਿੰਟ ਦੀ ਹੋਵੇਗੀ। "
                    "ਹਵਾਲਾ ਨੰਬਰ {reference}।"
                ),
            ),
            discreet=Wording(
                subject="ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ {date} ਨੂੰ {time} ਵਜੇ",
                sms=(
                    "ਤੁਹਾਡੀ ਫ਼ੋਨ ਮੁਲਾਕਾਤ {date} ਨੂੰ {time} ਵਜੇ ਹੈ। ਅਸੀਂ ਫ਼ੋਨ ਕਰਾਂਗੇ। "
                    "ਹਵਾਲਾ {reference}। ਬਦਲਣ ਲਈ: {provider}"
                ),
                email=(
                    "ਤੁਹਾਡੀ ਫ਼ੋਨ ਮੁਲਾਕਾਤ {date} ਨੂੰ {time} ਵਜੇ ਹੈ।",
                    "{provider} ਤੋਂ ਕੋਈ ਉਸ ਸਮੇਂ ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰੇਗਾ। ਕਾਲ ਲਗਭਗ {minutes} ਮਿੰਟ ਦੀ ਹੋਵੇਗੀ।",
                    "ਤੁਹਾਡਾ ਹਵਾਲਾ ਨੰਬਰ {reference} ਹੈ। ਕਾਲ ਵੇਲੇ ਇਸਨੂੰ ਤਿਆਰ ਰੱਖੋ।",
                    "ਸਮਾਂ ਬਦਲਣ ਲਈ ਜਲਦੀ ਤੋਂ ਜਲਦੀ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ ਅਤੇ ਆਪਣਾ ਹਵਾਲਾ ਨੰਬਰ ਦੱਸੋ।",
                    "ਕੈਲੰਡਰ ਸੱਦਾ ਨਾਲ ਨੱਥੀ ਹੈ।",
                ),
                invite_summary="ਫ਼ੋਨ ਮੁਲਾਕਾਤ",
                invite_description="ਅਸੀਂ ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰਾਂਗੇ। ਹਵਾਲਾ ਨੰਬਰ {reference}।",
            ),
        ),
        POLISH: Translation(
            needs_review=True,
            plain=Wording(
                subject="Rozmowa telefoniczna z poradnią narkotykową: {date}, godz. {time}",
                sms=(
                    "{provider} (poradnia narkotykowa) zadzwoni {date}, {time}. "
                    "Nr {reference}. Zmiana terminu: {provider}."
                ),
                email=(
                    "Rozmowa telefoniczna z {provider} (poradnia narkotykowa) odbędzie się "
                    "{date} o godz. {time}.",
                    "Jest to część ustaleń z policją: {outcome}.",
                    "Co się stanie: pracownik {provider} zadzwoni do Ciebie o tej godzinie. "
                    "Rozmowa trwa około {minutes} minut. Zapyta o Ciebie, Twoje zdrowie oraz "
                    "używanie narkotyków i alkoholu, i udzieli porady.",
                    "To, co powiesz pracownikowi, nie jest przekazywane policji. Policja dowie się "
                    "tylko, czy wziąłeś udział.",
                    "Twój numer to {reference}. Miej go pod ręką podczas rozmowy.",
                    "Aby zmienić termin, jak najszybciej skontaktuj się z {provider} i podaj "
                    "numer. Jeśli nie weźmiesz udziału, policja zostanie o tym poinformowana.",
                    "W załączniku jest zaproszenie do kalendarza.",
                ),
                invite_summary="Rozmowa telefoniczna z {provider}",
                invite_description=(
                    "{provider} zadzwoni do Ciebie. Rozmowa trwa około {minutes} minut. "
                    "Numer: {reference}."
                ),
            ),
            discreet=Wording(
                subject="Twoja wizyta: {date}, godz. {time}",
                sms=(
                    "Twoja rozmowa telefoniczna: {date}, godz. {time}. Zadzwonimy. "
                    "Nr {reference}. Zmiana terminu: {provider}."
                ),
                email=(
                    "Twoja rozmowa telefoniczna odbędzie się {date} o godz. {time}.",
                    "Ktoś z {provider} zadzwoni do Ciebie o tej godzinie. Rozmowa trwa około "
                    "{minutes} minut.",
                    "Twój numer to {reference}. Miej go pod ręką.",
                    "Aby zmienić termin, jak najszybciej skontaktuj się z {provider} i podaj "
                    "numer.",
                    "W załączniku jest zaproszenie do kalendarza.",
                ),
                invite_summary="Rozmowa telefoniczna",
                invite_description="Zadzwonimy do Ciebie. Numer: {reference}.",
            ),
        ),
    }
)

TEMPLATES[ASSESSMENT_REMINDER_DAY_BEFORE].update(
    {
        WELSH: Translation(
            needs_review=True,
            plain=Wording(
                subject="Nodyn atgoffa: asesiad ffôn y gwasanaeth cyffuriau ar {date} am {time}",
                sms=(
                    "Nodyn atgoffa: mae eich galwad asesu gyda {provider} (gwasanaeth cyffuriau) "
                    "ar {date} am {time}. Cyfeirnod {reference}. I newid yr amser, cysylltwch "
                    "gyda {provider}."
                ),
                email=(
                    "Nodyn atgoffa: mae eich asesiad ffôn gyda {provider}, y gwasanaeth "
                    "cyffuriau, ar {date} am {time}.",
                    "Mae'n rhan o'r {outcome} y cytunoch arno gyda'r heddlu. Bydd gweithiwr yn "
                    "eich ffonio. Mae'r alwad yn cymryd tua {minutes} munud.",
                    "Eich cyfeirnod yw {reference}.",
                    "Os na allwch wneud yr amser hwn, cysylltwch â {provider} heddiw a rhowch "
                    "eich cyfeirnod. Os na fyddwch yn cymryd rhan, bydd yr heddlu'n cael gwybod.",
                ),
            ),
            discreet=Wording(
                subject="Nodyn atgoffa: eich apwyntiad ar {date} am {time}",
                sms=(
                    "Nodyn atgoffa: mae eich apwyntiad ar {date} am {time}. Byddwn yn eich "
                    "ffonio. Cyfeirnod {reference}. I newid yr amser, cysylltwch gyda {provider}."
                ),
                email=(
                    "Nodyn atgoffa: mae eich apwyntiad ffôn ar {date} am {time}.",
                    "Bydd rhywun o {provider} yn eich ffonio. Mae'r alwad yn cymryd tua "
                    "{minutes} munud.",
                    "Eich cyfeirnod yw {reference}.",
                    "Os na allwch wneud yr amser hwn, cysylltwch â {provider} a rhowch eich "
                    "cyfeirnod.",
                ),
            ),
        ),
        URDU: Translation(
            needs_review=True,
            plain=Wording(
                subject="یاد دہانی: منشیات سروس کا فون اسیسمنٹ {date} کو {time} بجے",
                sms=(
                    "یاد دہانی: {provider} (منشیات سروس) {date} کو {time} بجے فون کرے گی۔ "
                    "حوالہ {reference}۔ تبدیلی: {provider}"
                ),
                email=(
                    "یاد دہانی: آپ کا فون اسیسمنٹ {provider} (منشیات سروس) کے ساتھ {date} کو "
                    "{time} بجے ہے۔",
                    "یہ اس {outcome} کا حصہ ہے جس پر آپ نے پولیس کے ساتھ اتفاق کیا۔ کال تقریباً "
                    "{minutes} منٹ کی ہوگی۔",
                    "آپ کا حوالہ نمبر {reference} ہے۔",
                    "اگر آپ اس وقت بات نہیں کر سکتے تو آج ہی {provider} سے رابطہ کریں۔ اگر آپ "
                    "حصہ نہیں لیتے تو پولیس کو بتایا جائے گا۔",
                ),
            ),
            discreet=Wording(
                subject="یاد دہانی: آپ کی ملاقات {date} کو {time} بجے",
                sms=(
                    "یاد دہانی: آپ کی فون ملاقات {date} کو {time} بجے ہے۔ "
                    "حوالہ {reference}۔ تبدیلی: {provider}"
                ),
                email=(
                    "یاد دہانی: آپ کی فون ملاقات {date} کو {time} بجے ہے۔",
                    "{provider} سے کوئی آپ کو فون کرے گا۔ کال تقریباً {minutes} منٹ کی ہوگی۔",
                    "آپ کا حوالہ نمبر {reference} ہے۔",
                    "اگر آپ اس وقت بات نہیں کر سکتے تو {provider} سے رابطہ کریں اور اپنا حوالہ "
                    "نمبر بتائیں۔",
                ),
            ),
        ),
        PUNJABI: Translation(
            needs_review=True,
            plain=Wording(
                subject="ਯਾਦ ਰਹੇ: ਨਸ਼ਾ ਸੇਵਾ ਨਾਲ ਫ਼ੋਨ ਮੁਲਾਂਕਣ {date} ਨੂੰ {time} ਵਜੇ",
                sms=(
                    "ਯਾਦ ਰਹੇ: {provider} (ਨਸ਼ਾ ਸੇਵਾ) {date} ਨੂੰ {time} ਵਜੇ ਫ਼ੋਨ ਕਰੇਗੀ। "
                    "ਹਵਾਲਾ {reference}। ਬਦਲਣ ਲਈ: {provider}"
                ),
                email=(
                    "ਯਾਦ ਰਹੇ: ਤੁਹਾਡਾ ਫ਼ੋਨ ਮੁਲਾਂਕਣ {provider} (ਨਸ਼ਾ ਸੇਵਾ) ਨਾਲ {date} ਨੂੰ {time} ਵਜੇ ਹੈ।",
                    "ਇਹ ਉਸ {outcome} ਦਾ ਹਿੱਸਾ ਹੈ ਜਿਸ ਲਈ ਤੁਸੀਂ ਪੁਲਿਸ ਨਾਲ ਸਹਿਮਤ ਹੋਏ ਸੀ। ਕਾਲ ਲਗਭਗ "
                    "{minutes} ਮਿੰਟ ਦੀ ਹੋਵੇਗੀ।",
                    "ਤੁਹਾਡਾ ਹਵਾਲਾ ਨੰਬਰ {reference} ਹੈ।",
                    "ਜੇ ਤੁਸੀਂ ਇਸ ਸਮੇਂ ਗੱਲ ਨਹੀਂ ਕਰ ਸਕਦੇ ਤਾਂ ਅੱਜ ਹੀ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ। ਜੇ "
                    "ਤੁਸੀਂ ਹਿੱਸਾ ਨਹੀਂ ਲੈਂਦੇ ਤਾਂ ਪੁਲਿਸ ਨੂੰ ਦੱਸਿਆ ਜਾਵੇਗਾ।",
                ),
            ),
            discreet=Wording(
                subject="ਯਾਦ ਰਹੇ: ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ {date} ਨੂੰ {time} ਵਜੇ",
                sms=(
                    "ਯਾਦ ਰਹੇ: ਤੁਹਾਡੀ ਫ਼ੋਨ ਮੁਲਾਕਾਤ {date} ਨੂੰ {time} ਵਜੇ ਹੈ। "
                    "ਹਵਾਲਾ {reference}। ਬਦਲਣ ਲਈ: {provider}"
                ),
                email=(
                    "ਯਾਦ ਰਹੇ: ਤੁਹਾਡੀ ਫ਼ੋਨ ਮੁਲਾਕਾਤ {date} ਨੂੰ {time} ਵਜੇ ਹੈ।",
                    "{provider} ਤੋਂ ਕੋਈ ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰੇਗਾ। ਕਾਲ ਲਗਭਗ {minutes} ਮਿੰਟ ਦੀ ਹੋਵੇਗੀ।",
                    "ਤੁਹਾਡਾ ਹਵਾਲਾ ਨੰਬਰ {reference} ਹੈ।",
                    "ਜੇ ਤੁਸੀਂ ਇਸ ਸਮੇਂ ਗੱਲ ਨਹੀਂ ਕਰ ਸਕਦੇ ਤਾਂ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ ਅਤੇ ਆਪਣਾ ਹਵਾਲਾ ਨੰਬਰ ਦੱਸੋ।",
                ),
            ),
        ),
        POLISH: Translation(
            needs_review=True,
            plain=Wording(
                subject="Przypomnienie: rozmowa z poradnią narkotykową {date}, godz. {time}",
                sms=(
                    "Przypomnienie: {provider} (poradnia narkotykowa) zadzwoni {date}, {time}. "
                    "Nr {reference}. Zmiana: {provider}."
                ),
                email=(
                    "Przypominamy: rozmowa telefoniczna z {provider} (poradnia narkotykowa) "
                    "odbędzie się {date} o godz. {time}.",
                    "Jest to część ustaleń z policją: {outcome}. Rozmowa trwa około {minutes} "
                    "minut.",
                    "Twój numer to {reference}.",
                    "Jeśli nie możesz o tej godzinie, skontaktuj się dziś z {provider} i podaj "
                    "numer. Jeśli nie weźmiesz udziału, policja zostanie poinformowana.",
                ),
            ),
            discreet=Wording(
                subject="Przypomnienie: wizyta {date}, godz. {time}",
                sms=(
                    "Przypomnienie: rozmowa telefoniczna {date}, godz. {time}. Zadzwonimy. "
                    "Nr {reference}. Zmiana: {provider}."
                ),
                email=(
                    "Przypominamy: Twoja rozmowa telefoniczna odbędzie się {date} o godz. {time}.",
                    "Ktoś z {provider} zadzwoni do Ciebie. Rozmowa trwa około {minutes} minut.",
                    "Twój numer to {reference}.",
                    "Jeśli nie możesz o tej godzinie, skontaktuj się z {provider} i podaj numer.",
                ),
            ),
        ),
    }
)

TEMPLATES[ASSESSMENT_REMINDER_TWO_HOURS].update(
    {
        WELSH: Translation(
            needs_review=True,
            plain=Wording(
                subject="Mae eich asesiad ffôn gyda'r gwasanaeth cyffuriau heddiw am {time}",
                sms=(
                    "Heddiw am {time}, bydd {provider} (gwasanaeth cyffuriau) yn eich ffonio ar "
                    "gyfer eich asesiad. Byddwch yn barod am yr alwad. Cyfeirnod {reference}."
                ),
                email=(
                    "Mae eich asesiad ffôn gyda {provider}, y gwasanaeth cyffuriau, heddiw am "
                    "{time}.",
                    "Bydd gweithiwr yn eich ffonio. Mae'r alwad yn cymryd tua {minutes} munud. "
                    "Cadwch eich ffôn gyda chi a byddwch mewn lle y gallwch siarad.",
                    "Eich cyfeirnod yw {reference}.",
                    "Os na allwch gymryd yr alwad, cysylltwch â {provider} nawr a rhowch eich "
                    "cyfeirnod.",
                ),
            ),
            discreet=Wording(
                subject="Eich apwyntiad heddiw am {time}",
                sms=(
                    "Mae eich apwyntiad heddiw am {time}. Byddwn yn eich ffonio bryd hynny. "
                    "Byddwch yn barod am yr alwad. Cyfeirnod {reference}."
                ),
                email=(
                    "Mae eich apwyntiad ffôn heddiw am {time}.",
                    "Bydd rhywun o {provider} yn eich ffonio. Mae'r alwad yn cymryd tua "
                    "{minutes} munud. Byddwch mewn lle y gallwch siarad.",
                    "Eich cyfeirnod yw {reference}.",
                    "Os na allwch gymryd yr alwad, cysylltwch â {provider} nawr a rhowch eich "
                    "cyfeirnod.",
                ),
            ),
        ),
        URDU: Translation(
            needs_review=True,
            plain=Wording(
                subject="آج {time} بجے منشیات سروس کا فون اسیسمنٹ",
                sms=(
                    "آج {time} بجے {provider} (منشیات سروس) آپ کو فون کرے گی۔ فون پاس رکھیں۔ "
                    "حوالہ {reference}۔"
                ),
                email=(
                    "آج {time} بجے {provider} (منشیات سروس) آپ کو فون کرے گی۔",
                    "کال تقریباً {minutes} منٹ کی ہوگی۔ اپنا فون پاس رکھیں اور ایسی جگہ رہیں جہاں "
                    "آپ بات کر سکیں۔",
                    "آپ کا حوالہ نمبر {reference} ہے۔",
                    "اگر آپ بات نہیں کر سکتے تو ابھی {provider} سے رابطہ کریں۔",
                ),
            ),
            discreet=Wording(
                subject="آپ کی ملاقات آج {time} بجے",
                sms=(
                    "آپ کی فون ملاقات آج {time} بجے ہے۔ ہم آپ کو فون کریں گے۔ فون پاس رکھیں۔ "
                    "حوالہ {reference}۔"
                ),
                email=(
                    "آپ کی فون ملاقات آج {time} بجے ہے۔",
                    "{provider} سے کوئی آپ کو فون کرے گا۔ کال تقریباً {minutes} منٹ کی ہوگی۔ ایسی "
                    "جگہ رہیں جہاں آپ بات کر سکیں۔",
                    "آپ کا حوالہ نمبر {reference} ہے۔",
                    "اگر آپ بات نہیں کر سکتے تو ابھی {provider} سے رابطہ کریں۔",
                ),
            ),
        ),
        PUNJABI: Translation(
            needs_review=True,
            plain=Wording(
                subject="ਅੱਜ {time} ਵਜੇ ਨਸ਼ਾ ਸੇਵਾ ਨਾਲ ਫ਼ੋਨ ਮੁਲਾਂਕਣ",
                sms=(
                    "ਅੱਜ {time} ਵਜੇ {provider} (ਨਸ਼ਾ ਸੇਵਾ) ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰੇਗੀ। ਫ਼ੋਨ ਕੋਲ ਰੱਖੋ। ਹਵਾਲਾ {reference}।"
                ),
                email=(
                    "ਅੱਜ {time} ਵਜੇ {provider} (ਨਸ਼ਾ ਸੇਵਾ) ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰੇਗੀ।",
                    "ਕਾਲ ਲਗਭਗ {minutes} ਮਿੰਟ ਦੀ ਹੋਵੇਗੀ। ਆਪਣਾ ਫ਼ੋਨ ਕੋਲ ਰੱਖੋ ਅਤੇ ਅਜਿਹੀ ਥਾਂ ਰਹੋ "
                    "ਜਿੱਥੇ ਤੁਸੀਂ ਗੱਲ ਕਰ ਸਕੋ।",
                    "ਤੁਹਾਡਾ ਹਵਾਲਾ ਨੰਬਰ {reference} ਹੈ।",
                    "ਜੇ ਤੁਸੀਂ ਗੱਲ ਨਹੀਂ ਕਰ ਸਕਦੇ ਤਾਂ ਹੁਣੇ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ।",
                ),
            ),
            discreet=Wording(
                subject="ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਅੱਜ {time} ਵਜੇ",
                sms="ਤੁਹਾਡੀ ਫ਼ੋਨ ਮੁਲਾਕਾਤ ਅੱਜ {time} ਵਜੇ ਹੈ। ਫ਼ੋਨ ਕੋਲ ਰੱਖੋ। ਹਵਾਲਾ {reference}।",
                email=(
                    "ਤੁਹਾਡੀ ਫ਼ੋਨ ਮੁਲਾਕਾਤ ਅੱਜ {time} ਵਜੇ ਹੈ।",
                    "{provider} ਤੋਂ ਕੋਈ ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕਰੇਗਾ। ਕਾਲ ਲਗਭਗ {minutes} ਮਿੰਟ ਦੀ ਹੋਵੇਗੀ। "
                    "ਅਜਿਹੀ ਥਾਂ ਰਹੋ ਜਿੱਥੇ ਤੁਸੀਂ ਗੱਲ ਕਰ ਸਕੋ।",
                    "ਤੁਹਾਡਾ ਹਵਾਲਾ ਨੰਬਰ {reference} ਹੈ।",
                    "ਜੇ ਤੁਸੀਂ ਗੱਲ ਨਹੀਂ ਕਰ ਸਕਦੇ ਤਾਂ ਹੁਣੇ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ।",
                ),
            ),
        ),
        POLISH: Translation(
            needs_review=True,
            plain=Wording(
                subject="Dziś o {time}: rozmowa z poradnią narkotykową",
                sms=(
                    "Dziś o {time} zadzwoni {provider} (poradnia narkotykowa). Miej telefon przy "
                    "sobie. Nr {reference}."
                ),
                email=(
                    "Dziś o godz. {time} zadzwoni do Ciebie {provider} (poradnia narkotykowa).",
                    "Rozmowa trwa około {minutes} minut. Miej telefon przy sobie i bądź w "
                    "miejscu, gdzie możesz rozmawiać.",
                    "Twój numer to {reference}.",
                    "Jeśli nie możesz rozmawiać, skontaktuj się teraz z {provider} i podaj numer.",
                ),
            ),
            discreet=Wording(
                subject="Twoja wizyta dziś o {time}",
                sms=(
                    "Dziś o {time} zadzwonimy w sprawie Twojej wizyty. Miej telefon przy sobie. "
                    "Nr {reference}."
                ),
                email=(
                    "Twoja rozmowa telefoniczna jest dziś o godz. {time}.",
                    "Ktoś z {provider} zadzwoni do Ciebie. Rozmowa trwa około {minutes} minut. "
                    "Bądź w miejscu, gdzie możesz rozmawiać.",
                    "Twój numer to {reference}.",
                    "Jeśli nie możesz rozmawiać, skontaktuj się teraz z {provider} i podaj numer.",
                ),
            ),
        ),
    }
)


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
