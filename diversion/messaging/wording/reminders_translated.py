"""The assessment reminders in Welsh, Urdu, Punjabi and Polish (machine-made, for review)."""

# ruff: noqa: RUF001

from __future__ import annotations

from diversion.messaging.wording.base import (
    ASSESSMENT_REMINDER_DAY_BEFORE,
    ASSESSMENT_REMINDER_TWO_HOURS,
    POLISH,
    PUNJABI,
    TEMPLATES,
    URDU,
    WELSH,
    Translation,
    Wording,
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
