"""After the booking: the missed-appointment message (with the link to choose a new time), the
course's joining details, and the message on completion. English, with machine-made Welsh, Urdu,
Punjabi and Polish for review.

Placeholders as elsewhere, and {link} (the person's self-service link) and {joining} (the course's
meeting link or venue; email only: a meeting link is too long for a text, which gives {link},
whose page shows the joining details).
"""

# The Urdu wording ends its sentences with the Arabic full stop, as it should.
# ruff: noqa: RUF001

from __future__ import annotations

from diversion.messaging.wording.base import (
    COMPLETION,
    COURSE_JOINING,
    COURSE_REMINDER,
    ENGLISH,
    MISSED_APPOINTMENT,
    POLISH,
    PUNJABI,
    TEMPLATES,
    URDU,
    WELSH,
    Translation,
    Wording,
)

TEMPLATES[MISSED_APPOINTMENT] = {
    ENGLISH: Translation(
        plain=Wording(
            subject="We could not reach you for your drug service phone assessment",
            sms=(
                "We could not reach you on {date} at {time} for your phone assessment with "
                "{provider} (drug service). Choose a new time: {link} Ref {reference}"
            ),
            email=(
                "We phoned you on {date} at {time} for your phone assessment with {provider}, "
                "the drug service, but could not reach you.",
                "To choose a new time, use this link: {link}",
                "Or contact {provider} and give your reference, {reference}.",
                "The assessment is part of the {outcome} you agreed to with the police. If you "
                "do not take part, the police will be told.",
            ),
        ),
        discreet=Wording(
            subject="We could not reach you",
            sms=(
                "We could not reach you for your phone appointment on {date} at {time}. "
                "Choose a new time: {link} Ref {reference}"
            ),
            email=(
                "We phoned you on {date} at {time} for your appointment but could not reach you.",
                "To choose a new time, use this link: {link}",
                "Or contact {provider} and give your reference, {reference}.",
            ),
        ),
    ),
    WELSH: Translation(
        needs_review=True,
        plain=Wording(
            subject="Ni allem eich cyrraedd ar gyfer eich asesiad ffôn gyda'r gwasanaeth cyffuriau",
            sms=(
                "Ni allem eich ffonio ar {date} am {time} ar gyfer eich asesiad gyda {provider} "
                "(gwasanaeth cyffuriau). Dewiswch amser newydd: {link} Cyf {reference}"
            ),
            email=(
                "Fe wnaethom eich ffonio ar {date} am {time} ar gyfer eich asesiad ffôn gyda "
                "{provider}, y gwasanaeth cyffuriau, ond ni allem eich cyrraedd.",
                "I ddewis amser newydd, defnyddiwch y ddolen hon: {link}",
                "Neu cysylltwch â {provider} a rhowch eich cyfeirnod, {reference}.",
                "Mae'r asesiad yn rhan o'r {outcome} y cytunoch arno gyda'r heddlu. Os na "
                "fyddwch yn cymryd rhan, bydd yr heddlu'n cael gwybod.",
            ),
        ),
        discreet=Wording(
            subject="Ni allem eich cyrraedd",
            sms=(
                "Ni allem eich ffonio ar gyfer eich apwyntiad ar {date} am {time}. "
                "Dewiswch amser newydd: {link} Cyf {reference}"
            ),
            email=(
                "Fe wnaethom eich ffonio ar {date} am {time} ar gyfer eich apwyntiad, ond ni "
                "allem eich cyrraedd.",
                "I ddewis amser newydd, defnyddiwch y ddolen hon: {link}",
                "Neu cysylltwch â {provider} a rhowch eich cyfeirnod, {reference}.",
            ),
        ),
    ),
    URDU: Translation(
        needs_review=True,
        plain=Wording(
            subject="منشیات سروس کے فون اسیسمنٹ کے لیے ہم آپ سے رابطہ نہ کر سکے",
            sms="کال {date} {time} پر نہ ہو سکی۔ نیا وقت: {link}",
            email=(
                "ہم نے {date} کو {time} بجے {provider} (منشیات سروس) کے فون اسیسمنٹ کے لیے "
                "آپ کو فون کیا لیکن رابطہ نہ ہو سکا۔",
                "نیا وقت چننے کے لیے یہ لنک استعمال کریں: {link}",
                "یا {provider} سے رابطہ کریں اور اپنا حوالہ {reference} بتائیں۔",
                "یہ اسیسمنٹ اس {outcome} کا حصہ ہے جس پر آپ نے پولیس کے ساتھ اتفاق کیا۔ اگر آپ "
                "حصہ نہیں لیں گے تو پولیس کو بتایا جائے گا۔",
            ),
        ),
        discreet=Wording(
            subject="ہم آپ سے رابطہ نہ کر سکے",
            sms="کال {date} {time} پر نہ ہو سکی۔ نیا وقت: {link}",
            email=(
                "ہم نے {date} کو {time} بجے آپ کی ملاقات کے لیے فون کیا لیکن رابطہ نہ ہو سکا۔",
                "نیا وقت چننے کے لیے یہ لنک استعمال کریں: {link}",
                "یا {provider} سے رابطہ کریں اور اپنا حوالہ {reference} بتائیں۔",
            ),
        ),
    ),
    PUNJABI: Translation(
        needs_review=True,
        plain=Wording(
            subject="ਨਸ਼ੇ ਸੇਵਾ ਦੀ ਫ਼ੋਨ ਜਾਂਚ ਲਈ ਅਸੀਂ ਤੁਹਾਡੇ ਨਾਲ ਸੰਪਰਕ ਨਹੀਂ ਕਰ ਸਕੇ",
            sms="ਕਾਲ {date} {time} ਨਹੀਂ ਹੋਈ। ਨਵਾਂ ਸਮਾਂ: {link}",
            email=(
                "ਅਸੀਂ {date} ਨੂੰ {time} ਵਜੇ {provider} (ਨਸ਼ੇ ਸੇਵਾ) ਦੀ ਫ਼ੋਨ ਜਾਂਚ ਲਈ ਤੁਹਾਨੂੰ ਫ਼ੋਨ ਕੀਤਾ "
                "ਪਰ ਸੰਪਰਕ ਨਹੀਂ ਹੋ ਸਕਿਆ।",
                "ਨਵਾਂ ਸਮਾਂ ਚੁਣਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ: {link}",
                "ਜਾਂ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ ਅਤੇ ਆਪਣਾ ਹਵਾਲਾ {reference} ਦੱਸੋ।",
                "ਇਹ ਜਾਂਚ ਉਸ {outcome} ਦਾ ਹਿੱਸਾ ਹੈ ਜਿਸ ਲਈ ਤੁਸੀਂ ਪੁਲਿਸ ਨਾਲ ਸਹਿਮਤ ਹੋਏ। ਜੇ ਤੁਸੀਂ ਹਿੱਸਾ "
                "ਨਹੀਂ ਲਓਗੇ ਤਾਂ ਪੁਲਿਸ ਨੂੰ ਦੱਸਿਆ ਜਾਵੇਗਾ।",
            ),
        ),
        discreet=Wording(
            subject="ਅਸੀਂ ਤੁਹਾਡੇ ਨਾਲ ਸੰਪਰਕ ਨਹੀਂ ਕਰ ਸਕੇ",
            sms="ਕਾਲ {date} {time} ਨਹੀਂ ਹੋਈ। ਨਵਾਂ ਸਮਾਂ: {link}",
            email=(
                "ਅਸੀਂ {date} ਨੂੰ {time} ਵਜੇ ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਲਈ ਫ਼ੋਨ ਕੀਤਾ ਪਰ ਸੰਪਰਕ ਨਹੀਂ ਹੋ ਸਕਿਆ।",
                "ਨਵਾਂ ਸਮਾਂ ਚੁਣਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ: {link}",
                "ਜਾਂ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ ਅਤੇ ਆਪਣਾ ਹਵਾਲਾ {reference} ਦੱਸੋ।",
            ),
        ),
    ),
    POLISH: Translation(
        needs_review=True,
        plain=Wording(
            subject="Nie dodzwoniliśmy się w sprawie konsultacji w poradni uzależnień",
            sms="Brak kontaktu {date} {time}. Termin: {link}",
            email=(
                "Dzwoniliśmy {date} o {time} w sprawie konsultacji telefonicznej z {provider} "
                "(poradnia uzależnień), ale nie udało się z Tobą połączyć.",
                "Aby wybrać nowy termin, użyj tego linku: {link}",
                "Możesz też skontaktować się z {provider} i podać numer {reference}.",
                "Konsultacja jest częścią {outcome}, na które zgodziłeś się z policją. Jeśli nie "
                "weźmiesz w niej udziału, policja zostanie o tym poinformowana.",
            ),
        ),
        discreet=Wording(
            subject="Nie udało się z Tobą połączyć",
            sms="Brak kontaktu {date} {time}. Termin: {link}",
            email=(
                "Dzwoniliśmy {date} o {time} w sprawie Twojej wizyty, ale nie udało się z Tobą "
                "połączyć.",
                "Aby wybrać nowy termin, użyj tego linku: {link}",
                "Możesz też skontaktować się z {provider} i podać numer {reference}.",
            ),
        ),
    ),
}

TEMPLATES[COURSE_JOINING] = {
    ENGLISH: Translation(
        plain=Wording(
            subject="Your drug awareness course on {date} at {time}",
            sms=(
                "Your drug awareness course with {provider} is on {date} at {time} "
                "({minutes} minutes). How to join, or change the date: {link}"
            ),
            email=(
                "Your drug awareness course with {provider} is on {date} at {time}. It lasts "
                "about {minutes} minutes.",
                "How to join: {joining}",
                "To confirm you will come, or to choose another date, use this link: {link}",
                "The course is part of the {outcome} you agreed to with the police. Your "
                "reference is {reference}. If you do not take part, the police will be told.",
            ),
        ),
        discreet=Wording(
            subject="Your session on {date} at {time}",
            sms=(
                "Your group session is on {date} at {time} ({minutes} minutes). "
                "How to join, or change the date: {link}"
            ),
            email=(
                "Your group session with {provider} is on {date} at {time}. It lasts about "
                "{minutes} minutes.",
                "How to join: {joining}",
                "To confirm you will come, or to choose another date, use this link: {link}",
                "Your reference is {reference}.",
            ),
        ),
    ),
    WELSH: Translation(
        needs_review=True,
        plain=Wording(
            subject="Eich cwrs ymwybyddiaeth cyffuriau ar {date} am {time}",
            sms=(
                "Mae eich cwrs ymwybyddiaeth cyffuriau gyda {provider} ar {date} am {time} "
                "({minutes} munud). Sut i ymuno, neu newid y dyddiad: {link}"
            ),
            email=(
                "Mae eich cwrs ymwybyddiaeth cyffuriau gyda {provider} ar {date} am {time}. Mae'n "
                "para tua {minutes} munud.",
                "Sut i ymuno: {joining}",
                "I gadarnhau y byddwch yn dod, neu i ddewis dyddiad arall, defnyddiwch y ddolen "
                "hon: {link}",
                "Mae'r cwrs yn rhan o'r {outcome} y cytunoch arno gyda'r heddlu. Eich cyfeirnod "
                "yw {reference}. Os na fyddwch yn cymryd rhan, bydd yr heddlu'n cael gwybod.",
            ),
        ),
        discreet=Wording(
            subject="Eich sesiwn ar {date} am {time}",
            sms=(
                "Mae eich sesiwn grwp ar {date} am {time} ({minutes} munud). "
                "Sut i ymuno, neu newid y dyddiad: {link}"
            ),
            email=(
                "Mae eich sesiwn grŵp gyda {provider} ar {date} am {time}. Mae'n para tua "
                "{minutes} munud.",
                "Sut i ymuno: {joining}",
                "I gadarnhau y byddwch yn dod, neu i ddewis dyddiad arall, defnyddiwch y ddolen "
                "hon: {link}",
                "Eich cyfeirnod yw {reference}.",
            ),
        ),
    ),
    URDU: Translation(
        needs_review=True,
        plain=Wording(
            subject="منشیات سے آگاہی کا کورس {date} کو {time} بجے",
            sms="کورس {date} {time}۔ تفصیل یا تبدیلی: {link}",
            email=(
                "{provider} کے ساتھ آپ کا منشیات سے آگاہی کا کورس {date} کو {time} بجے ہے۔ یہ "
                "تقریباً {minutes} منٹ کا ہے۔",
                "کیسے شامل ہوں: {joining}",
                "آنے کی تصدیق یا دوسری تاریخ چننے کے لیے یہ لنک استعمال کریں: {link}",
                "یہ کورس اس {outcome} کا حصہ ہے جس پر آپ نے پولیس کے ساتھ اتفاق کیا۔ آپ کا حوالہ "
                "{reference} ہے۔ اگر آپ حصہ نہیں لیں گے تو پولیس کو بتایا جائے گا۔",
            ),
        ),
        discreet=Wording(
            subject="آپ کا سیشن {date} کو {time} بجے",
            sms="سیشن {date} {time}۔ تفصیل یا تبدیلی: {link}",
            email=(
                "{provider} کے ساتھ آپ کا گروپ سیشن {date} کو {time} بجے ہے۔ یہ تقریباً "
                "{minutes} منٹ کا ہے۔",
                "کیسے شامل ہوں: {joining}",
                "آنے کی تصدیق یا دوسری تاریخ چننے کے لیے یہ لنک استعمال کریں: {link}",
                "آپ کا حوالہ {reference} ہے۔",
            ),
        ),
    ),
    PUNJABI: Translation(
        needs_review=True,
        plain=Wording(
            subject="ਨਸ਼ੇ ਬਾਰੇ ਜਾਗਰੂਕਤਾ ਕੋਰਸ {date} ਨੂੰ {time} ਵਜੇ",
            sms="ਕੋਰਸ {date} {time}। ਵੇਰਵੇ ਜਾਂ ਬਦਲਣ ਲਈ: {link}",
            email=(
                "{provider} ਨਾਲ ਤੁਹਾਡਾ ਨਸ਼ੇ ਬਾਰੇ ਜਾਗਰੂਕਤਾ ਕੋਰਸ {date} ਨੂੰ {time} ਵਜੇ ਹੈ। ਇਹ ਲਗਭਗ "
                "{minutes} ਮਿੰਟ ਦਾ ਹੈ।",
                "ਕਿਵੇਂ ਜੁੜਨਾ ਹੈ: {joining}",
                "ਆਉਣ ਦੀ ਪੁਸ਼ਟੀ ਕਰਨ ਜਾਂ ਹੋਰ ਤਾਰੀਖ ਚੁਣਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ: {link}",
                "ਇਹ ਕੋਰਸ ਉਸ {outcome} ਦਾ ਹਿੱਸਾ ਹੈ ਜਿਸ ਲਈ ਤੁਸੀਂ ਪੁਲਿਸ ਨਾਲ ਸਹਿਮਤ ਹੋਏ। ਤੁਹਾਡਾ ਹਵਾਲਾ "
                "{reference} ਹੈ। ਜੇ ਤੁਸੀਂ ਹਿੱਸਾ ਨਹੀਂ ਲਓਗੇ ਤਾਂ ਪੁਲਿਸ ਨੂੰ ਦੱਸਿਆ ਜਾਵੇਗਾ।",
            ),
        ),
        discreet=Wording(
            subject="ਤੁਹਾਡਾ ਸੈਸ਼ਨ {date} ਨੂੰ {time} ਵਜੇ",
            sms="ਸੈਸ਼ਨ {date} {time}। ਵੇਰਵੇ ਜਾਂ ਬਦਲਣ ਲਈ: {link}",
            email=(
                "{provider} ਨਾਲ ਤੁਹਾਡਾ ਗਰੁੱਪ ਸੈਸ਼ਨ {date} ਨੂੰ {time} ਵਜੇ ਹੈ। ਇਹ ਲਗਭਗ {minutes} ਮਿੰਟ ਦਾ ਹੈ।",
                "ਕਿਵੇਂ ਜੁੜਨਾ ਹੈ: {joining}",
                "ਆਉਣ ਦੀ ਪੁਸ਼ਟੀ ਕਰਨ ਜਾਂ ਹੋਰ ਤਾਰੀਖ ਚੁਣਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ: {link}",
                "ਤੁਹਾਡਾ ਹਵਾਲਾ {reference} ਹੈ।",
            ),
        ),
    ),
    POLISH: Translation(
        needs_review=True,
        plain=Wording(
            subject="Twój kurs o narkotykach {date} o {time}",
            sms="Kurs {date} {time}. Szczegóły: {link}",
            email=(
                "Twój kurs o narkotykach z {provider} odbędzie się {date} o {time}. Trwa około "
                "{minutes} minut.",
                "Jak dołączyć: {joining}",
                "Aby potwierdzić udział lub wybrać inny termin, użyj tego linku: {link}",
                "Kurs jest częścią {outcome}, na które zgodziłeś się z policją. Twój numer to "
                "{reference}. Jeśli nie weźmiesz udziału, policja zostanie o tym poinformowana.",
            ),
        ),
        discreet=Wording(
            subject="Twoje spotkanie {date} o {time}",
            sms="Spotkanie {date} {time}. Szczegóły: {link}",
            email=(
                "Twoje spotkanie grupowe z {provider} odbędzie się {date} o {time}. Trwa około "
                "{minutes} minut.",
                "Jak dołączyć: {joining}",
                "Aby potwierdzić udział lub wybrać inny termin, użyj tego linku: {link}",
                "Twój numer to {reference}.",
            ),
        ),
    ),
}

TEMPLATES[COMPLETION] = {
    ENGLISH: Translation(
        plain=Wording(
            subject="You have completed the drug diversion scheme",
            sms=(
                "You have completed the {outcome} with {provider} (drug service). Thank you. "
                "The police have been told. Ref {reference}"
            ),
            email=(
                "You have completed the {outcome} with {provider}, the drug service. Thank you "
                "for taking part.",
                "The police have been told that you took part. Nothing you told {provider} "
                "about your health or your use of drugs and alcohol was shared with them.",
                "If you want more support at any time, contact {provider} and give your "
                "reference, {reference}.",
            ),
        ),
        discreet=Wording(
            subject="Thank you for taking part",
            sms="You have finished your sessions with {provider}. Thank you. Ref {reference}",
            email=(
                "You have finished your sessions with {provider}. Thank you for taking part.",
                "If you want more support at any time, contact {provider} and give your "
                "reference, {reference}.",
            ),
        ),
    ),
    WELSH: Translation(
        needs_review=True,
        plain=Wording(
            subject="Rydych wedi cwblhau'r cynllun dargyfeirio cyffuriau",
            sms=(
                "Rydych wedi cwblhau'r {outcome} gyda {provider} (gwasanaeth cyffuriau). Diolch. "
                "Mae'r heddlu wedi cael gwybod. Cyf {reference}"
            ),
            email=(
                "Rydych wedi cwblhau'r {outcome} gyda {provider}, y gwasanaeth cyffuriau. Diolch "
                "am gymryd rhan.",
                "Mae'r heddlu wedi cael gwybod eich bod wedi cymryd rhan. Ni rannwyd dim a "
                "ddywedoch wrth {provider} am eich iechyd na'ch defnydd o gyffuriau ac alcohol.",
                "Os hoffech ragor o gymorth ar unrhyw adeg, cysylltwch â {provider} a rhowch "
                "eich cyfeirnod, {reference}.",
            ),
        ),
        discreet=Wording(
            subject="Diolch am gymryd rhan",
            sms="Rydych wedi gorffen eich sesiynau gyda {provider}. Diolch. Cyf {reference}",
            email=(
                "Rydych wedi gorffen eich sesiynau gyda {provider}. Diolch am gymryd rhan.",
                "Os hoffech ragor o gymorth ar unrhyw adeg, cysylltwch â {provider} a rhowch "
                "eich cyfeirnod, {reference}.",
            ),
        ),
    ),
    URDU: Translation(
        needs_review=True,
        plain=Wording(
            subject="آپ نے منشیات سے ہٹانے کی اسکیم مکمل کر لی",
            sms=(
                "آپ نے {provider} (منشیات سروس) کے ساتھ اسکیم مکمل کر لی۔ شکریہ۔ "
                "پولیس کو بتا دیا گیا۔"
            ),
            email=(
                "آپ نے {provider} (منشیات سروس) کے ساتھ {outcome} مکمل کر لیا۔ حصہ لینے کا شکریہ۔",
                "پولیس کو بتا دیا گیا ہے کہ آپ نے حصہ لیا۔ آپ نے اپنی صحت یا منشیات اور شراب کے "
                "استعمال کے بارے میں جو کچھ بتایا وہ ان کے ساتھ شیئر نہیں کیا گیا۔",
                "مزید مدد کے لیے کسی بھی وقت {provider} سے رابطہ کریں اور اپنا حوالہ {reference} "
                "بتائیں۔",
            ),
        ),
        discreet=Wording(
            subject="حصہ لینے کا شکریہ",
            sms="آپ نے {provider} کے ساتھ اپنے سیشن مکمل کر لیے۔ شکریہ۔",
            email=(
                "آپ نے {provider} کے ساتھ اپنے سیشن مکمل کر لیے۔ حصہ لینے کا شکریہ۔",
                "مزید مدد کے لیے کسی بھی وقت {provider} سے رابطہ کریں اور اپنا حوالہ {reference} "
                "بتائیں۔",
            ),
        ),
    ),
    PUNJABI: Translation(
        needs_review=True,
        plain=Wording(
            subject="ਤੁਸੀਂ ਨਸ਼ਾ ਡਾਇਵਰਸ਼ਨ ਸਕੀਮ ਪੂਰੀ ਕਰ ਲਈ ਹੈ",
            sms="ਤੁਸੀਂ {provider} (ਨਸ਼ੇ ਸੇਵਾ) ਨਾਲ ਸਕੀਮ ਪੂਰੀ ਕਰ ਲਈ। ਧੰਨਵਾਦ। ਪੁਲਿਸ ਨੂੰ ਦੱਸ ਦਿੱਤਾ ਗਿਆ।",
            email=(
                "ਤੁਸੀਂ {provider} (ਨਸ਼ੇ ਸੇਵਾ) ਨਾਲ {outcome} ਪੂਰਾ ਕਰ ਲਿਆ ਹੈ। ਹਿੱਸਾ ਲੈਣ ਲਈ ਧੰਨਵਾਦ।",
                "ਪੁਲਿਸ ਨੂੰ ਦੱਸਿਆ ਗਿਆ ਹੈ ਕਿ ਤੁਸੀਂ ਹਿੱਸਾ ਲਿਆ। ਤੁਸੀਂ ਆਪਣੀ ਸਿਹਤ ਜਾਂ ਨਸ਼ਿਆਂ ਅਤੇ ਸ਼ਰਾਬ ਦੀ "
                "ਵਰਤੋਂ ਬਾਰੇ ਜੋ ਦੱਸਿਆ ਉਹ ਉਨ੍ਹਾਂ ਨਾਲ ਸਾਂਝਾ ਨਹੀਂ ਕੀਤਾ ਗਿਆ।",
                "ਹੋਰ ਮਦਦ ਲਈ ਕਿਸੇ ਵੀ ਸਮੇਂ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ ਅਤੇ ਆਪਣਾ ਹਵਾਲਾ {reference} ਦੱਸੋ।",
            ),
        ),
        discreet=Wording(
            subject="ਹਿੱਸਾ ਲੈਣ ਲਈ ਧੰਨਵਾਦ",
            sms="ਤੁਸੀਂ {provider} ਨਾਲ ਆਪਣੇ ਸੈਸ਼ਨ ਪੂਰੇ ਕਰ ਲਏ ਹਨ। ਧੰਨਵਾਦ।",
            email=(
                "ਤੁਸੀਂ {provider} ਨਾਲ ਆਪਣੇ ਸੈਸ਼ਨ ਪੂਰੇ ਕਰ ਲਏ ਹਨ। ਹਿੱਸਾ ਲੈਣ ਲਈ ਧੰਨਵਾਦ।",
                "ਹੋਰ ਮਦਦ ਲਈ ਕਿਸੇ ਵੀ ਸਮੇਂ {provider} ਨਾਲ ਸੰਪਰਕ ਕਰੋ ਅਤੇ ਆਪਣਾ ਹਵਾਲਾ {reference} ਦੱਸੋ।",
            ),
        ),
    ),
    POLISH: Translation(
        needs_review=True,
        plain=Wording(
            subject="Program dla osób zatrzymanych z narkotykami ukończony",
            sms="Ukończyłeś program z {provider} (poradnia uzależnień). Dziękujemy. Policja wie.",
            email=(
                "Ukończyłeś {outcome} z {provider} (poradnia uzależnień). Dziękujemy za udział.",
                "Policja została poinformowana, że wziąłeś udział. Nic, co powiedziałeś "
                "{provider} o swoim zdrowiu lub używaniu narkotyków i alkoholu, nie zostało "
                "jej przekazane.",
                "Jeśli potrzebujesz wsparcia, skontaktuj się z {provider} i podaj numer "
                "{reference}.",
            ),
        ),
        discreet=Wording(
            subject="Dziękujemy za udział",
            sms="Twoje spotkania z {provider} zakończyły się. Dziękujemy.",
            email=(
                "Twoje spotkania z {provider} zakończyły się. Dziękujemy za udział.",
                "Jeśli potrzebujesz wsparcia, skontaktuj się z {provider} i podaj numer "
                "{reference}.",
            ),
        ),
    ),
}

# The reminders of a course session (the day before, two hours before) repeat its joining details.
TEMPLATES[COURSE_REMINDER] = TEMPLATES[COURSE_JOINING]
