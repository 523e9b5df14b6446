"""The scheduled job that hands messages stuck in the queue to the worker again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from diversion.messaging.models import Channel, Message, MessageStatus
from diversion.messaging.services import messages_retry_stale
from diversion.people.models import Person


@pytest.mark.django_db
def test_only_messages_queued_for_more_than_ten_minutes_are_handed_over_again(
    settings: Any, tmp_path: Path, scheme: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_FILE_PATH = tmp_path
    settings.MESSAGING_BACKEND = "file"
    settings.MESSAGING_SEND_INLINE = True
    settings.MESSAGING_QUIET_HOURS = None  # sends at the real time of day
    person = Person.objects.create(
        scheme=scheme,
        given_name="Sam",
        family_name="Jones",
        date_of_birth=dt.date(2000, 1, 1),
        sex="female",
        self_defined_ethnicity_id="W1",
        observed_ethnicity_id="IC1",
        mobile="+447700900123",
        safe_to_text=True,
    )
    now = timezone.now()

    def queued(key: str, minutes_ago: int) -> Message:
        return Message.objects.create(
            person=person,
            template="assessment_confirmation",
            language="en",
            discreet=True,
            channel=Channel.SMS,
            recipient="+447700900123",
            body="Hello",
            dedupe_key=key,
            queued_at=now - dt.timedelta(minutes=minutes_ago),
        )

    stale, fresh = queued("stale", 11), queued("fresh", 9)
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_retry_stale() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == MessageStatus.SENT
    assert fresh.status == MessageStatus.QUEUED
