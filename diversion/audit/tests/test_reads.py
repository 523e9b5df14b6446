from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from diversion.audit.models import AuditAction, AuditEvent
from diversion.audit.selectors import audit_chain_verify
from diversion.audit.services import Actor, audit_read
from diversion.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_read_is_recorded_as_a_read_by_its_reader_with_the_reason_and_scheme(
    scheme: Any, make_user: Any
) -> None:
    reader = make_user(Role.WORKER, scheme)

    event = audit_read(
        actor=Actor.of(reader),
        obj=scheme,
        scheme=scheme,
        reason="worker's case page",
        changes={"references": ["ABC"]},
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.actor, stored.scheme) == (AuditAction.READ, reader, scheme)
    assert (stored.object_type, stored.object_id) == ("schemes.Scheme", str(scheme.pk))
    assert (stored.reason, stored.changes) == ("worker's case page", {"references": ["ABC"]})
    assert audit_chain_verify() == []


def test_a_read_of_many_records_names_them_without_an_object(scheme: Any) -> None:
    event = audit_read(
        actor=Actor(),
        object_type="referrals.Referral",
        object_id="page 2",
        reason="list of cases",
    )

    assert (event.object_type, event.object_id, event.action) == (
        "referrals.Referral",
        "page 2",
        AuditAction.READ,
    )


def test_a_read_inside_a_change_that_is_undone_is_undone_with_it(scheme: Any) -> None:
    before = AuditEvent.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_read(actor=Actor(), obj=scheme, reason="shown")
        raise RuntimeError("the change failed")

    assert AuditEvent.objects.count() == before
