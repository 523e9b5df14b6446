"""What the police are told as a referral moves on: one notice per kind and referral, written by
a subscriber to `StatusChanged` inside the transaction of the change, so a change never commits
without the notice the police are owed."""

from __future__ import annotations

from diversion.core.events import publish
from diversion.engagement.events import PoliceNoticeCreated
from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.referrals.events import StatusChanged
from diversion.referrals.lifecycle import ReferralStatus, is_engaged


def notice_kinds(
    *, from_status: str, to_status: str, engagement_requires_course: bool
) -> list[str]:
    """The notices a move owes the police, in order: the rule, in one place."""
    kinds = []
    if to_status == ReferralStatus.NOT_ENGAGED:
        kinds.append(NoticeKind.INTELLIGENCE_LOG)
    rule = {"engagement_requires_course": engagement_requires_course}
    if is_engaged(to_status, **rule) and not is_engaged(from_status, **rule):
        kinds.append(NoticeKind.ENGAGED)
    if to_status == ReferralStatus.COMPLETED:
        kinds.append(NoticeKind.COMPLETED)
    return kinds


def police_notices_record(event: StatusChanged) -> None:
    """Subscriber (in the transaction): write the notices the move owes, each once."""
    for kind in notice_kinds(
        from_status=event.from_status,
        to_status=event.to_status,
        engagement_requires_course=event.engagement_requires_course,
    ):
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
