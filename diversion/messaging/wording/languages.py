"""Welsh, Urdu, Punjabi and Polish: machine-made, awaiting review by a fluent speaker."""

# The Urdu wording ends its sentences with the Arabic full stop, as it should.
# ruff: noqa: RUF001

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
            opt_out_email=(
                "I beidio â chael negeseuon e-bost gennym, defnyddiwch y ddolen hon: {link}"
            ),
            manage_link=(
                "I gadarnhau'r amser hwn neu ddewis un arall, defnyddiwch y ddolen hon: {link}"
            ),
            discreet_from_name="Apwyntiadau",
            record_statement=(
                "Mae Datrysiad Cymunedol yn cael ei gofnodi gan yr heddlu. Nid yw'n euogfarn ac "
                "nid yw'n rhoi cofnod troseddol i chi, ond gall gael ei ddatgelu ar wiriad DBS "
                "manwl (enhanced DBS check) ar gyfer rhai swyddi. Nid yw cymryd rhan yn y "
                "gwasanaeth cyffuriau, neu beidio, yn newid hynny."
            ),
            record_statement_sms=(
                "Caiff ei gofnodi gan yr heddlu, nid yw'n euogfarn, a gall ymddangos ar wiriad "
                "DBS manwl."
            ),
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
            opt_out_email="ہم سے ای میلز آنا بند کرنے کے لیے یہ لنک استعمال کریں: {link}",
            manage_link="یہ وقت پکا کرنے یا دوسرا وقت چننے کے لیے یہ لنک استعمال کریں: {link}",
            discreet_from_name="اپائنٹمنٹس",
            record_statement=(
                "کمیونٹی ریزولوشن پولیس ریکارڈ کرتی ہے۔ یہ سزا (conviction) نہیں ہے اور اس سے "
                "آپ کا مجرمانہ ریکارڈ نہیں بنتا، لیکن کچھ ملازمتوں کے لیے اینہانسڈ DBS چیک "
                "(enhanced DBS check) پر اسے ظاہر کیا جا سکتا ہے۔ منشیات سروس میں حصہ لینے یا "
                "نہ لینے سے اس میں کوئی فرق نہیں پڑتا۔"
            ),
            record_statement_sms="پولیس اسے ریکارڈ کرتی ہے، یہ سزا نہیں، مگر DBS چیک پر آ سکتا ہے۔",
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
            opt_out_email="ਸਾਡੇ ਵੱਲੋਂ ਈਮੇਲਾਂ ਆਉਣੀਆਂ ਬੰਦ ਕਰਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ: {link}",
            manage_link="ਇਹ ਸਮਾਂ ਪੱਕਾ ਕਰਨ ਜਾਂ ਹੋਰ ਸਮਾਂ ਚੁਣਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ: {link}",
            discreet_from_name="ਮੁਲਾਕਾਤਾਂ",
            record_statement=(
                "ਕਮਿਊਨਿਟੀ ਰੈਜ਼ੋਲਿਊਸ਼ਨ ਪੁਲਿਸ ਵੱਲੋਂ ਦਰਜ ਕੀਤਾ ਜਾਂਦਾ ਹੈ। ਇਹ ਸਜ਼ਾ (conviction) ਨਹੀਂ ਹੈ "
                "ਅਤੇ ਇਸ ਨਾਲ ਤੁਹਾਡਾ ਅਪਰਾਧਿਕ ਰਿਕਾਰਡ ਨਹੀਂ ਬਣਦਾ, ਪਰ ਕੁਝ ਨੌਕਰੀਆਂ ਲਈ ਇਨਹਾਂਸਡ DBS "
                "ਜਾਂਚ (enhanced DBS check) 'ਤੇ ਇਸਦਾ ਖੁਲਾਸਾ ਹੋ ਸਕਦਾ ਹੈ। ਨਸ਼ਾ ਸੇਵਾ ਵਿੱਚ ਹਿੱਸਾ ਲੈਣ "
                "ਜਾਂ ਨਾ ਲੈਣ ਨਾਲ ਇਸ ਵਿੱਚ ਕੋਈ ਫ਼ਰਕ ਨਹੀਂ ਪੈਂਦਾ।"
            ),
            record_statement_sms="ਪੁਲਿਸ ਇਸਨੂੰ ਦਰਜ ਕਰਦੀ ਹੈ, ਇਹ ਸਜ਼ਾ ਨਹੀਂ, ਪਰ DBS ਜਾਂਚ 'ਤੇ ਆ ਸਕਦਾ ਹੈ।",
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
            opt_out_email="Aby nie dostawać od nas więcej e-maili, użyj tego linku: {link}",
            manage_link="Aby potwierdzić ten termin lub wybrać inny, użyj tego linku: {link}",
            discreet_from_name="Wizyty",
            record_statement=(
                "Community Resolution jest odnotowywane przez policję. Nie jest to wyrok "
                "skazujący i nie oznacza karalności, ale może zostać ujawnione w rozszerzonym "
                "zaświadczeniu DBS (enhanced DBS check) przy niektórych pracach. Udział w "
                "programie lub jego brak tego nie zmienia."
            ),
            record_statement_sms=(
                "Policja to odnotowuje; to nie wyrok, ale może być ujawnione w zaświadczeniu DBS."
            ),
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
