from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError

from diversion.people.phones import DRAMA_REFUSED, uk_mobile, uk_phone


@pytest.mark.parametrize("typed", ["07911 123456", "+44 7911 123456", "0044 7911 123456"])
def test_a_uk_mobile_is_stored_in_international_form(typed: str) -> None:
    assert uk_mobile(typed) == "+447911123456"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "Enter a UK mobile number, like 07700 900 982"),
        ("not a number", "Enter a UK mobile number, like 07700 900 982"),
        ("+33 6 12 34 56 78", "Enter a UK mobile number, like 07700 900 982"),
        ("0121 496 0000", "Enter a mobile number, not a landline, so the person can get texts"),
    ],
)
def test_a_number_that_is_not_a_uk_mobile_says_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        uk_mobile(typed)
    assert refused.value.messages == [message]


def test_an_appropriate_adults_landline_will_do() -> None:
    assert uk_phone("0121 496 0000") == "+441214960000"
    with pytest.raises(ValidationError, match="Enter a UK phone number"):
        uk_phone("12345")


@pytest.mark.parametrize(
    "typed", ["07700 900123", "07700 900 982", "+44 7700 900000", "07700900999"]
)
def test_ofcoms_drama_mobiles_are_accepted_where_the_settings_allow(
    typed: str, settings: Any
) -> None:
    settings.PHONE_DRAMA_NUMBERS = True
    digits = typed.replace(" ", "").removeprefix("+44").removeprefix("0")
    assert uk_mobile(typed) == f"+44{digits}"


@pytest.mark.parametrize("typed", ["07700 900123", "07700 900 982"])
def test_drama_mobiles_are_refused_where_real_people_are_texted(typed: str, settings: Any) -> None:
    settings.PHONE_DRAMA_NUMBERS = False
    with pytest.raises(ValidationError) as refused:
        uk_mobile(typed)
    assert refused.value.messages == [DRAMA_REFUSED]


@pytest.mark.parametrize("typed", ["07700 901123", "07700 9001234", "07700 900"])
def test_only_the_drama_range_itself_is_let_through(typed: str, settings: Any) -> None:
    settings.PHONE_DRAMA_NUMBERS = True
    with pytest.raises(ValidationError):
        uk_mobile(typed)


def test_the_drama_range_is_refused_in_production_whatever_the_environment_says(
    tmp_path: Path,
) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "diversion.settings",
        "DIVERSION_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "AUDIT_CHECKPOINT_PATH": str(tmp_path / "checkpoints.jsonl"),
        "PHONE_DRAMA_NUMBERS": "1",
    }
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.PHONE_DRAMA_NUMBERS)"
    shown = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )
    assert shown.stdout.strip() == "False", shown.stderr[-2000:]
