"""What the police are told as a referral moves on: one notice per kind and referral, written by
a subscriber to `StatusChanged` inside the transaction of the change, so a change never commits
without the notice the police are owed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.events import publish
from diversion.engagement.events import PoliceNoticeCreated
from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.referrals.events import StatusChanged
from diversion.referrals.lifecycle import ReferralStatus, is_engaged


def notice_kinds(*, from_status: str, to_status: str) -> list[str]:
    """The notices a move owes the police, in order: the rule, in one place. Only a referral
    with no engagement at all gets the intelligence log; a course not completed is an
    engagement outcome, never a log (decision 0016)."""
    kinds: list[str] = []
    if to_status == ReferralStatus.NOT_ENGAGED:
        kinds.append(NoticeKind.INTELLIGENCE_LOG)
    if is_engaged(to_status) and not is_engaged(from_status):
        kinds.append(NoticeKind.ENGAGED)
    if to_status == ReferralStatus.COMPLETED:
        kinds.append(NoticeKind.COMPLETED)
    if to_status == ReferralStatus.COURSE_NOT_COMPLETED:
        kinds.append(NoticeKind.COURSE_NOT_COMPLETED)
    return kinds


def police_notices_record(event: StatusChanged) -> None:
    """Subscriber (in the transaction): write the notices the move owes, each once."""
    for kind in notice_kinds(from_status=event.from_status, to_status=event.to_status):
        notice, created = PoliceNotice.objects.get_or_create(
            referral_id=event.referral_id,
            kind=kind,
            defaults={"scheme_id": event.scheme_id, "created_at": event.occurred_at},
        )
        if created:
            publish(
                PoliceNoticeCreated(
                    notice_id=notice.pk,
                    referral_id=event.referral_id,
                    scheme_id=event.scheme_id,
                    kind=kind,
                    occurred_at=event.occurred_at,
                )
            )


def police_notice_acknowledge(
    *, notice_id: int, force: Any, acknowledged_by: Any, actor: Actor
) -> PoliceNotice | None:
    """The force's system has the notice: recorded once, with its audit row; the first
    acknowledgement's time and client stay. None if the force has no notice with this id."""
    with transaction.atomic():
        notice = (
            PoliceNotice.objects.select_for_update(of=("self",))
            .filter(pk=notice_id, scheme__force=force)
            .select_related("referral", "scheme")
            .first()
        )
        if notice is None:
            return None
        if notice.acknowledged_at is None:
            notice.acknowledged_at, notice.acknowledged_by = timezone.now(), acknowledged_by
            notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=notice,
                scheme=notice.scheme,
                reason="acknowledged by the force's system",
                changes={"acknowledged_at": notice.acknowledged_at},
            )
    return notice
