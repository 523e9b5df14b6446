"""The privacy notice's retention section says what the schedules' defaults are: changing a
default without the notice (or the notice without the default) fails here."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diversion.retention.registry import retention_kind
from diversion.retention.schedules import period_words

pytestmark = pytest.mark.django_db

# kind -> the words of the notice that state its default (with the period in words).
NOTICE = {
    "referral_person": "made anonymous {period} after your last referral closed",
    "assessment_advice": "removed {period} after the referral closed",
    "messages": "deleted {period} after they were sent",
    "inbound_messages": "text messages you sent us {period} after they arrived",
    "self_service_links": "deleted once used or expired",
    "police_notices": "{period} after it was sent",
    "police_data": "removed {period} after they were given to us",
    "audit_events": "deleted after {period}",
}


def test_the_notice_states_each_default_period(reference_data: Any) -> None:
    page = Client().get(reverse("core:privacy")).content.decode()
    section = page[page.index('id="retention"') : page.index('id="your-rights"')]
    for key, words in NOTICE.items():
        kind = retention_kind(key)
        expected = words.format(period=period_words(kind.default_days))
        assert expected in section, f"the notice does not say {expected!r} ({key})"
    assert "legal hold" in section
