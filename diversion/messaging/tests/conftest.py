from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from diversion.core.roles import Role
from diversion.messaging.tests.helpers import LONDON, Mailbox, free_port, person_details
from diversion.officer.services import referral_submit
from diversion.referrals.details import DrugDetails, StopDetails
from diversion.referrals.models import Referral
from diversion.scheduling.models import Slot


@pytest.fixture
def outbox(settings: Any, tmp_path: Path) -> Path:
    """The file back ends write here, never to var/outbox."""
    folder = tmp_path / "outbox"
    settings.EMAIL_FILE_PATH = folder
    settings.MESSAGING_BACKEND = "file"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.MESSAGING_SEND_INLINE = True
    # These tests send at the real time of day; the quiet-hours tests use a fake clock instead.
    settings.MESSAGING_QUIET_HOURS = None
    return folder


@pytest.fixture
def mailbox(settings: Any, outbox: Path) -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    settings.MESSAGING_BACKEND = "smtp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = box.host, box.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def slot(scheme: Any, make_user: Any) -> Slot:
    """A 45-minute telephone assessment at 10:30 UK time, three days ahead."""
    worker = make_user(Role.WORKER, scheme)
    day = timezone.localdate() + dt.timedelta(days=3)
    starts = dt.datetime.combine(day, dt.time(10, 30), tzinfo=LONDON)
    return Slot.objects.create(
        scheme=scheme, worker=worker, starts_at=starts, ends_at=starts + dt.timedelta(minutes=45)
    )


@pytest.fixture
def refer(
    officer: Any, scheme: Any, slot: Slot, django_capture_on_commit_callbacks: Any
) -> Callable[..., Referral]:
    """Make a referral as the officer's flow does, and run what happens after commit."""

    def make(**person: Any) -> Referral:
        stop = StopDetails(
            stopped_at=timezone.now() - dt.timedelta(minutes=10),
            local_authority_id=scheme.local_authorities.first().pk,
            how_found="stop_and_search",
            drugs=(DrugDetails(code="cannabis", name="Cannabis", drug_class="B", quantity="2g"),),
        )
        with django_capture_on_commit_callbacks(execute=True):
            result = referral_submit(
                officer=officer,
                scheme=scheme,
                person=person_details(**person),
                stop=stop,
                consent_to_contact=True,
                consent_to_share=True,
                slot_id=slot.pk,
                idempotency_key="messaging-test",
            )
        return result.referral

    return make
