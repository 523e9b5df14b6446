"""A closed case with one record of every kind retention knows, each clock stamped at `t0`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.models import Session
from django.utils import timezone

from diversion.accounts.models import ApiClient
from diversion.api.models import IdempotencyRecord
from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM, audit_record
from diversion.casework.models import Assessment
from diversion.core.roles import Role
from diversion.engagement.models import NoticeKind, PoliceNotice, SelfServiceLink
from diversion.evaluation.models import (
    FrameSnapshot,
    ImportBatch,
    ImportKind,
    PoliceOffence,
    PolicePerson,
)
from diversion.messaging.models import InboundAction, InboundMessage, Message
from diversion.officer.tests.builders import referral_made
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition


@dataclass
class Case:
    referral: Referral
    t0: dt.datetime
    ids: dict[str, int | str] = field(default_factory=dict)


def referral_with_messages(
    *, officer: Any, scheme: Any, slot: Any, key: str, settings: Any, capture: Any
) -> Referral:
    """A referral made through the service: person, booking, confirmation messages, link."""
    settings.MESSAGING_SEND_INLINE = True  # the confirmation written at once, not by the worker
    with capture(execute=True):
        made = referral_made(officer, scheme, slot, key=key)
    return made.referral


def closed_case(*, referral: Referral, scheme: Any, make_user: Any, key: str) -> Case:
    """The referral assessed and withdrawn, plus every other kind's record; then every clock
    is set to one instant."""
    worker = make_user(Role.WORKER, scheme)
    now = timezone.now()
    assessment = Assessment.objects.create(
        referral=referral,
        worker=worker,
        answers={"drugs": {"frequency": "daily", "note": "MARKER-ANSWER"}},
        risk_change_reason="MARKER-REASON",
        audit_c_score=4,
        started_at=now,
        updated_at=now,
        completed_at=now,
    )
    referral_transition(referral=referral, to_status=ReferralStatus.WITHDRAWN, actor=SYSTEM)
    notice = PoliceNotice.objects.create(
        referral=referral, scheme=scheme, kind=NoticeKind.INTELLIGENCE_LOG
    )
    client = ApiClient.objects.create(
        organisation=scheme.force, name=f"RMS {key}", key_id=f"k-{key}"[:24], secret_hash="x"
    )
    idempotency = IdempotencyRecord.objects.create(
        client=client, key=key, fingerprint="f" * 64, referral=referral
    )
    inbound = InboundMessage.objects.create(
        provider_id=f"in-{key}",
        sender_index="s" * 64,
        body="STOP",
        received_at=now,
        action=InboundAction.NO_ACTION,
    )
    session = Session.objects.create(
        session_key=f"session{key}".ljust(32, "x")[:40], session_data="e30=", expire_date=now
    )
    batch = ImportBatch.objects.create(
        scheme=scheme,
        kind=ImportKind.OFFENCES,
        file_name=f"{key}.csv",
        file_sha256="0" * 64,
        imported_by_label="test",
        imported_at=now,
        report=[{"row": 3, "reason": "bad date", "text": "MARKER-IMPORT"}],
    )
    police_person = PolicePerson.objects.create(
        scheme=scheme,
        police_id_index="i" * 64,
        name_key="n" * 64,
        date_of_birth=dt.date(1998, 6, 14),
        sex="male",
        ethnicity="W1",
        person=referral.person,
    )
    PoliceOffence.objects.create(
        scheme=scheme,
        police_person=police_person,
        offence_date=dt.date(2020, 1, 1),
        offence_code="92D",
        is_possession=True,
        batch=batch,
        row_key=f"row-{key}",
    )
    snapshot = FrameSnapshot.objects.create(scheme=scheme, built_at=now)
    event = audit_record(actor=SYSTEM, action="read", obj=referral, scheme=scheme)
    # Every clock at one instant, a moment after everything above was written.
    t0 = timezone.now().replace(microsecond=0) + dt.timedelta(seconds=1)
    Referral.objects.filter(pk=referral.pk).update(status_changed_at=t0)
    Message.objects.filter(person=referral.person).update(created_at=t0)
    SelfServiceLink.objects.filter(referral=referral).update(
        expires_at=t0, created_at=t0 - dt.timedelta(days=1)
    )
    PoliceNotice.objects.filter(pk=notice.pk).update(created_at=t0)
    IdempotencyRecord.objects.filter(pk=idempotency.pk).update(created_at=t0)
    InboundMessage.objects.filter(pk=inbound.pk).update(received_at=t0)
    Session.objects.filter(pk=session.pk).update(expire_date=t0)
    ImportBatch.objects.filter(pk=batch.pk).update(imported_at=t0)
    FrameSnapshot.objects.filter(pk=snapshot.pk).update(built_at=t0)
    referral.refresh_from_db()
    return Case(
        referral=referral,
        t0=t0,
        ids={
            "person": referral.person_id,
            "assessment": assessment.pk,
            "notice": notice.pk,
            "idempotency": idempotency.pk,
            "inbound": inbound.pk,
            "session": session.pk,
            "batch": batch.pk,
            "police_person": police_person.pk,
            "snapshot": snapshot.pk,
            "event": event.pk,
        },
    )


def audit_event_exists(pk: int) -> bool:
    return AuditEvent.objects.filter(pk=pk).exists()
