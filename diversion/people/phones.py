"""UK phone numbers as the person's contact details need them: checked, and stored in E.164 form
(+447700900123). Shared by the officer's pages and the API, so both say the same thing."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError

NOT_A_MOBILE = "Enter a UK mobile number, like 07700 900 982"
NOT_A_PHONE = "Enter a UK phone number, like 0121 496 0000 or 07700 900 982"
DRAMA_REFUSED = (
    "Numbers from 07700 900 000 to 07700 900 999 are reserved for drama and examples: "
    "enter the person's own mobile number"
)
# Ofcom's mobile numbers for drama (07700 900000 to 07700 900999): never anyone's phone.
DRAMA_PREFIX = "+447700900"


def is_drama_mobile(number: phonenumbers.PhoneNumber) -> bool:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164.startswith(DRAMA_PREFIX) and len(e164) == len(DRAMA_PREFIX) + 3


def uk_mobile(value: str) -> str:
    """+447700900123 form, or a ValidationError saying what is wrong.

    Ofcom's drama range is accepted where PHONE_DRAMA_NUMBERS allows (development, tests and the
    demo, so the README's examples work) and refused in production, where a text to it would
    never reach the person (docs/messages.md).
    """
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(NOT_A_MOBILE) from error
    if is_drama_mobile(number):
        if not settings.PHONE_DRAMA_NUMBERS:
            raise ValidationError(DRAMA_REFUSED)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number) or number.country_code != 44:
        raise ValidationError(NOT_A_MOBILE)
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError("Enter a mobile number, not a landline, so the person can get texts")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def uk_phone(value: str) -> str:
    """Any valid UK number (an appropriate adult's landline will do), in E.164 form."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(NOT_A_PHONE) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(NOT_A_PHONE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
