"""Welsh, Urdu, Punjabi and Polish: machine-made, awaiting review by a fluent speaker."""

# The Urdu wording ends its sentences with the Arabic full stop, as it should.

from __future__ import annotations

from diversion.messaging.wording.base import (
    LANGUAGES,
    POLISH,
    PUNJABI,
    URDU,
    WELSH,
    LanguageTerms,
)

LANGUAGES.update(
    {
        WELSH: LanguageTerms(
            date_format="l j F",
            time_style="24h",
            neutral_sender="y gwasanaeth",
            manage_link_sms="Cadarnhau neu newid: {link}",
            manage_link=(
                "I gadarnhau'r amser hwn neu ddewis un arall, defnyddiwch y ddolen hon: {link}"
            ),
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
            manage_link_sms="تصدیق یا تبدیلی: {link}",
            manage_link="یہ وقت پکا کرنے یا دوسرا وقت چننے کے لیے یہ لنک استعمال کریں: {link}",
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
            manage_link_sms="ਪੁਸ਼ਟੀ ਜਾਂ ਬਦਲੋ: {link}",
            manage_link="ਇਹ ਸਮਾਂ ਪੱਕਾ ਕਰਨ ਜਾਂ ਹੋਰ ਸਮਾਂ ਚੁਣਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ: {link}",
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
            manage_link_sms="Potwierdź lub zmień: {link}",
            manage_link="Aby potwierdzić ten termin lub wybrać inny, użyj tego linku: {link}",
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
