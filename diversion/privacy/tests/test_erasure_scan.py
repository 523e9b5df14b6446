"""The plaintext scan: a person with a unique marker in every personal field, made through the
real services, then erased. Before: the scan finds the markers (so it can see them). After:
nowhere, in any table or column (the registry's every model), the cache, the sessions, the
snapshots or the files. The audit log still verifies, and the evaluation's figures for the
period are the same as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from diversion.accounts.models import ApiClient
from diversion.api.models import IdempotencyRecord
from diversion.audit.checkpoints import audit_checkpoint_write
from diversion.audit.selectors import audit_chain_verify
from diversion.audit.services import Actor, audit_read
from diversion.casework.advice_services import advice_plan_draft, advice_plan_update
from diversion.casework.tests.helpers import assessment_answered
from diversion.core.crypto import blind_index
from diversion.core.roles import Role
from diversion.engagement.models import SelfServiceLink
from diversion.evaluation import frames
from diversion.evaluation.models import FrameSnapshot, PoliceOffence, PolicePerson
from diversion.evaluation.snapshot import snapshot_build
from diversion.messaging.inbound import inbound_sms_record
from diversion.messaging.models import Message
from diversion.officer.services import referral_submit
from diversion.officer.tests.builders import person_details, stop_details
from diversion.people.models import Person, PersonMatchKey
from diversion.privacy.erasure import anonymise_person
from diversion.privacy.tests.scan import scan_everywhere

pytestmark = pytest.mark.django_db(transaction=True)

BORN = dt.date(2009, 8, 21)
MOBILE = "+447700900481"
MARKERS = {
    "given_name": "Zqxgivenmark",
    "family_name": "Zqxfamilymark",
    "email": "zqx.mailmark@example.org",
    "police_id": "ZQXPOL48151",
    "place": "Zqxplacemark Street",
    "adult": "Zqxadultmark",
    "adult_phone": "7700900482",
    "supply": "Zqxsupplymark",
    "health": "Zqxhealthmark",
    "risk": "Zqxriskmark",
    "safeguarding": "Zqxsafemark",
    "advice": "Zqxadvicemark",
    "inbound": "Zqxinboundmark",
    "idempotency": "zqxidemmark",
    "police_name_key": "zqxnamekeymark",
    "cache": "Zqxcachemark",
}
DATE_MARKERS = ["2009-08-21", "21/08/2009", "21 August 2009", "20090821"]


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    var = tmp_path / "var"
    settings.EMAIL_FILE_PATH = var / "outbox"
    settings.MESSAGING_BACKEND = "file"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.MESSAGING_SEND_INLINE = True
    settings.MESSAGING_QUIET_HOURS = None
    settings.AUDIT_CHECKPOINT_PATH = var / "audit-checkpoints.jsonl"
    return var


def _person_with_markers(scheme: Any, officer: Any, slot: Any, worker: Any) -> Person:
    submission = referral_submit(
        officer=officer,
        scheme=scheme,
        person=person_details(
            given_name=MARKERS["given_name"],
            family_name=MARKERS["family_name"],
            date_of_birth=BORN,
            mobile=MOBILE,
            email=MARKERS["email"],
            police_person_id=MARKERS["police_id"],
            safe_to_text=True,
        ),
        stop=stop_details(
            scheme,
            place=MARKERS["place"],
            appropriate_adult_name=f"Sam {MARKERS['adult']}",
            appropriate_adult_relationship="Parent",
            appropriate_adult_phone=f"+44{MARKERS['adult_phone']}",
            supply_indicators=("cash",),
            supply_suspected=False,
            supply_reason=MARKERS["supply"],
        ),
        consent_to_contact=True,
        consent_to_share=True,
        slot_id=slot.pk,
        idempotency_key="scan-1",
    )
    referral = submission.referral
    actor = Actor.of(worker)
    assessment_answered(
        referral,
        worker,
        health={"mental_health": "yes", "mental_health_notes": MARKERS["health"]},
        safeguarding={"concerns": ["none"], "youth": [], "notes": MARKERS["safeguarding"]},
        risk="high",
        risk_reason=MARKERS["risk"],
        complete=True,
    )
    plan = advice_plan_draft(actor=actor, referral=referral)
    advice_plan_update(
        actor=actor,
        referral=referral,
        version_ids=[item.version_id for item in plan.items.all()] or [],
        personal_note=MARKERS["advice"],
    )
    inbound_sms_record(
        provider_id="scan-inbound-1",
        sender=MOBILE,
        text=MARKERS["inbound"],
        received_at=timezone.now(),
    )
    client = ApiClient.objects.create(
        organisation=scheme.force, name="force system", key_id="scan", secret_hash="0" * 64
    )
    IdempotencyRecord.objects.create(
        client=client, key=MARKERS["idempotency"], fingerprint="f" * 64, referral=referral
    )
    police_person = PolicePerson.objects.create(
        scheme=scheme,
        police_id_index=blind_index(MARKERS["police_id"], purpose="police-id"),
        name_key=MARKERS["police_name_key"],
        date_of_birth=BORN,
        sex="male",
        person=referral.person,
    )
    PoliceOffence.objects.create(
        scheme=scheme,
        police_person=police_person,
        offence_date=timezone.localdate() - dt.timedelta(days=400),
        offence_code="92D",
        is_possession=True,
        row_key="scan-offence",
    )
    link = SelfServiceLink.objects.filter(referral=referral).first()
    session = SessionStore()
    session["selfservice"] = link.public_id if link else MARKERS["given_name"]
    session.save()
    cache.set(f"evaluation:report:v3:{scheme.pk}:scan", {"rows": [MARKERS["cache"]]}, 600)
    audit_read(
        actor=actor,
        reason=f"opened the record of {MARKERS['given_name']}",
        obj=referral,
        scheme=scheme,
        changes={"address": MARKERS["place"]},
    )
    snapshot_build(scheme)
    return referral.person


def _figures(scheme: Any) -> Any:
    frame = frames.referrals_frame(
        scheme_ids=[scheme.pk],
        start=timezone.localdate() - dt.timedelta(days=30),
        end=timezone.localdate() + dt.timedelta(days=1),
    )
    columns = ["referral_id", "age", "sex", "ethnic_group", "status", "engaged", "referred_on"]
    return frame[[c for c in columns if c in frame.columns]].reset_index(drop=True)


def test_erasure_leaves_no_marker_anywhere_and_the_audit_log_still_verifies(
    scheme: Any, officer: Any, slots: list[Any], make_user: Any, files: Path
) -> None:
    worker = make_user(Role.WORKER, scheme)
    person = _person_with_markers(scheme, officer, slots[0], worker)
    derived = [
        *PersonMatchKey.objects.filter(person=person).values_list("key", flat=True),
        person.police_person_id_index,
        *Message.objects.filter(person=person).values_list("recipient_index", flat=True),
        *SelfServiceLink.objects.filter(referral__person=person).values_list(
            "public_id", flat=True
        ),
    ]
    derived = [value for value in derived if value]
    markers = [*MARKERS.values(), MOBILE[3:], *DATE_MARKERS, *derived]
    before = scan_everywhere(markers, files=files)
    seen = {marker for _, marker in before}
    # The scan can see every marker it is asked to look for (else "zero hits" proves nothing).
    missing = [
        m for m in [*MARKERS.values(), MOBILE[3:], DATE_MARKERS[0], *derived] if m not in seen
    ]
    assert missing == []
    places = {where.split(" ")[0] for where, _ in before}
    # Snapshots hold ages and opaque ids, no names or birth dates: scanned, but nothing to see.
    assert places >= {"table", "model", "cache", "sessions", "file"}
    built_before = set(FrameSnapshot.objects.values_list("pk", flat=True))
    assert FrameSnapshot.objects.filter(scheme=scheme).exists()
    figures = _figures(scheme)
    assert audit_checkpoint_write() is not None

    result = anonymise_person(person, actor=make_user(Role.SCHEME_ADMIN, scheme), reason="test")

    assert scan_everywhere(markers, files=files) == set()
    assert not FrameSnapshot.objects.filter(pk__in=built_before).exists()
    assert result.removed["people.Person"] == 1
    assert audit_chain_verify() == []
    assert audit_checkpoint_write() is not None
    call_command("audit", "verify")
    after = _figures(scheme)
    assert after.equals(figures), (figures, after)
