from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from diversion.people.phones import uk_mobile, uk_phone


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
