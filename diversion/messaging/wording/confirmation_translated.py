"""The assessment confirmation in Welsh, Urdu, Punjabi and Polish (machine-made, for review)."""

# ruff: noqa: RUF001

from __future__ import annotations

from diversion.messaging.wording.base import (
    ASSESSMENT_CONFIRMATION,
    POLISH,
    PUNJABI,
    TEMPLATES,
    URDU,
    WELSH,
    Translation,
    Wording,
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
