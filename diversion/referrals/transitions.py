"""The only writer of a referral's status and its history rows.

`referral_transition` locks the row, checks the move against `lifecycle.TRANSITIONS`, and writes
the change, its history row and its audit row in one transaction, then publishes
`StatusChanged`: the police notices are written by their subscriber inside the same transaction,
messages to the person after it commits. Loaders of demo and synthetic data use the bulk forms
below, which check every step against the same table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.bulk import rows_write
from diversion.core.events import publish
from diversion.referrals.events import StatusChanged
from diversion.referrals.lifecycle import TRANSITIONS, TransitionNotAllowed, check_transition
from diversion.referrals.models import Referral, StatusChange


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
    publish(
        StatusChanged(
            referral_id=referral.pk,
            scheme_id=referral.scheme_id,
            from_status=from_status,
            to_status=to_status,
            occurred_at=now,
        )
    )


# --- Bulk forms, for loaders of demo and synthetic data -----------------------------------------

# (referral id, from status, to status, when, acting user id or None)
HistoryRow = tuple[int, str, str, dt.datetime | str, int | None]


def referral_histories_write(*, rows: Iterable[HistoryRow], actor_label: str) -> int:
    """Write the whole histories of referrals a loader has just inserted (their status column
    already the last step), checking every step against the table and that each referral's
    steps follow on from each other. COPY on PostgreSQL. Publishes nothing: loaded history is
    history, not news. Returns how many rows were written; raises TransitionNotAllowed, having
    written nothing, if a step breaks the table (call inside the loader's transaction)."""
    checked: list[Sequence[object]] = []
    last: dict[int, str] = {}
    for referral_id, from_status, to_status, changed_at, actor_id in rows:
        if to_status not in TRANSITIONS.get(from_status, ()):
            raise TransitionNotAllowed(from_status, to_status)
        if last.get(referral_id, "") != from_status:
            raise TransitionNotAllowed(last.get(referral_id, ""), to_status)
        last[referral_id] = to_status
        if isinstance(changed_at, dt.datetime):
            changed_at = changed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        checked.append((referral_id, from_status, to_status, changed_at, actor_id, actor_label, ""))
    return rows_write(
        StatusChange,
        [
            "referral_id",
            "from_status",
            "to_status",
            "changed_at",
            "actor_id",
            "actor_label",
            "reason",
        ],
        checked,
    )


def referrals_bulk_transition(
    *, referral_ids: Sequence[int], to_status: str, changed_at: dt.datetime, actor_label: str
) -> int:
    """Move many existing referrals to `to_status` at once (demo data), each checked against the
    table; all or nothing. Publishes nothing, like `referral_histories_write`."""
    with transaction.atomic():
        referrals = list(
            Referral.objects.select_for_update(of=("self",))
            .filter(pk__in=referral_ids)
            .order_by("pk")
            .only("pk", "status")
        )
        for referral in referrals:
            check_transition(referral.status, to_status)
        StatusChange.objects.bulk_create(
            StatusChange(
                referral_id=referral.pk,
                from_status=referral.status,
                to_status=to_status,
                changed_at=changed_at,
                actor_label=actor_label,
            )
            for referral in referrals
        )
        Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(
            status=to_status, status_changed_at=changed_at
        )
    return len(referrals)
