"""Every change of a referral's status goes through `referral_transition`: it locks the row,
checks the move against the lifecycle table, and writes the change, its history row, its audit
row and any notice for the police in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.logging import get_logger
from diversion.engagement.events import NOTICE_EVENTS, event_publish
from diversion.engagement.lifecycle import check_transition, is_engaged
from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.referrals.models import Referral, ReferralStatus, StatusChange

logger = get_logger(__name__)


def referral_history_start(*, referral: Referral, actor: Actor, reason: str) -> None:
    """The first history row of a referral just created (in its creating transaction)."""
    check_transition("", referral.status)
    StatusChange.objects.create(
        referral=referral,
        from_status="",
        to_status=referral.status,
        changed_at=referral.created_at,
        actor=actor.user,
        actor_label=actor.label,
        reason=reason,
    )


def referral_transition(
    *,
    referral_id: int | None = None,
    referral: Referral | None = None,
    to_status: str,
    actor: Actor,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Referral:
    """Move the referral to `to_status`, or raise TransitionNotAllowed and change nothing.

    Pass `referral` instead of `referral_id` only from inside the transaction that created or
    locked that row, with its scheme loaded: the row is then not read and locked a second time.
    """
    now = now or timezone.now()
    if referral is not None:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("A referral passed in must be locked by the caller's transaction.")
        _transition_write(referral, to_status, actor, reason, now)
        return referral
    if referral_id is None:
        raise TypeError("Give referral_id, or the referral locked by the caller's transaction.")
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("scheme")
            .get(pk=referral_id)
        )
        _transition_write(referral, to_status, actor, reason, now)
    return referral


def _transition_write(
    referral: Referral, to_status: str, actor: Actor, reason: str, now: dt.datetime
) -> None:
    from_status = referral.status
    check_transition(from_status, to_status)
    referral.status, referral.status_changed_at = to_status, now
    referral.save(update_fields=["status", "status_changed_at"])
    StatusChange.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        changed_at=now,
        actor=actor.user,
        actor_label=actor.label,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        scheme=referral.scheme,
        reason=reason,
        changes={"status": {"from": from_status, "to": to_status}},
    )
    _notices_for(referral, from_status, now)
    referral_id = referral.pk
    transaction.on_commit(lambda: _tell_listeners(referral_id, to_status))


# Called as `listener(referral_id=..., status=...)` once a transition has committed: the messages
# to the person. Imported lazily, so engagement does not depend on who listens.
STATUS_LISTENERS: list[str] = ["diversion.referrals.followups.status_messages_queue"]


def _tell_listeners(referral_id: int, status: str) -> None:
    for path in STATUS_LISTENERS:
        try:
            import_string(path)(referral_id=referral_id, status=status)
        except Exception:
            logger.exception("status_listener_failed", listener=path, referral_id=referral_id)


def _notices_for(referral: Referral, from_status: str, now: dt.datetime) -> None:
    requires_course = referral.scheme.engagement_requires_course
    kinds = []
    if referral.status == ReferralStatus.NOT_ENGAGED:
        kinds.append(NoticeKind.INTELLIGENCE_LOG)
    if is_engaged(referral.status, engagement_requires_course=requires_course) and not is_engaged(
        from_status, engagement_requires_course=requires_course
    ):
        kinds.append(NoticeKind.ENGAGED)
    if referral.status == ReferralStatus.COMPLETED:
        kinds.append(NoticeKind.COMPLETED)
    for kind in kinds:
        _notice, created = PoliceNotice.objects.get_or_create(
            referral=referral, kind=kind, defaults={"scheme": referral.scheme, "created_at": now}
        )
        if created:
            for name in NOTICE_EVENTS[kind]:
                event_publish(name=name, referral_id=referral.pk, occurred_at=now)
