"""Each scheme's retention schedule: the defaults of decision 0020 (the kinds' own), with the
scheme's overrides on top. The only writer of an override is `schedule_update`, audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.retention.models import RetentionSchedule
from diversion.retention.registry import Action, RetentionKind, Scope, retention_kinds
from diversion.schemes.models import Scheme

MAX_DAYS = 100 * 365


@dataclass(frozen=True)
class EffectiveSchedule:
    kind: RetentionKind
    period_days: int
    action: str
    is_default: bool

    @property
    def action_label(self) -> str:
        return str(Action(self.action).label)

    @property
    def period_words(self) -> str:
        return period_words(self.period_days)


def period_words(days: int) -> str:
    if days == 0:
        return "at once"
    years, rest = divmod(days, 365)
    if years and rest <= (years + 3) // 4:
        return f"{years} year{'s' if years > 1 else ''}"
    return f"{days:,} day{'s' if days > 1 else ''}"


def _effective(kind: RetentionKind, override: RetentionSchedule | None) -> EffectiveSchedule:
    if override is None:
        return EffectiveSchedule(kind, kind.default_days, kind.default_action, is_default=True)
    return EffectiveSchedule(kind, override.period_days, override.action, is_default=False)


def schedules_for_scheme(*, scheme_id: int) -> list[EffectiveSchedule]:
    """Every kind's schedule for the scheme, in the registry's order."""
    overrides = {row.kind: row for row in RetentionSchedule.objects.filter(scheme_id=scheme_id)}
    return [_effective(kind, overrides.get(kind.key)) for kind in retention_kinds()]


def schedule_for(*, scheme_id: int, kind: RetentionKind) -> EffectiveSchedule:
    override = RetentionSchedule.objects.filter(scheme_id=scheme_id, kind=kind.key).first()
    return _effective(kind, override)


def deployment_schedule(*, kind: RetentionKind) -> EffectiveSchedule:
    """A kind kept for the whole deployment (audit events, sessions): the longest period any
    scheme sets, so no scheme's records go sooner than its own schedule says."""
    overrides = RetentionSchedule.objects.filter(kind=kind.key).values_list(
        "period_days", flat=True
    )
    longest = max([kind.default_days, *overrides])
    return EffectiveSchedule(
        kind, longest, kind.default_action, is_default=longest == kind.default_days
    )


def _validate(kind: RetentionKind, period_days: int, action: str, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    if not 0 <= period_days <= MAX_DAYS:
        errors["period_days"] = [f"Period must be between 0 and {MAX_DAYS:,} days"]
    if action not in kind.actions:
        allowed = " or ".join(str(Action(a).label).lower() for a in kind.actions)
        errors["action"] = [f"{kind.label} can only be {allowed}d at the end of the period"]
    if kind.scope == Scope.DEPLOYMENT and period_days < kind.default_days:
        errors.setdefault("period_days", []).append(
            f"{kind.label} are kept for the whole deployment: the period cannot be shorter "
            f"than the default ({period_words(kind.default_days)})"
        )
    if not reason.strip():
        errors["reason"] = ["Enter the reason for the change"]
    if errors:
        raise ValidationError(errors)


def schedule_update(
    *,
    actor: Actor,
    scheme: Scheme,
    kind: RetentionKind,
    period_days: int,
    action: str,
    reason: str,
) -> EffectiveSchedule:
    """Set the scheme's period and action for one kind; back to the default, the override
    goes. Raises ValidationError (by field) and changes nothing if the schedule is not valid."""
    _validate(kind, period_days, action, reason)
    with transaction.atomic():
        Scheme.objects.select_for_update(of=("self",)).filter(pk=scheme.pk).first()
        current = schedule_for(scheme_id=scheme.pk, kind=kind)
        if (current.period_days, current.action) == (period_days, action):
            return current
        if (period_days, action) == (kind.default_days, kind.default_action):
            RetentionSchedule.objects.filter(scheme=scheme, kind=kind.key).delete()
        else:
            RetentionSchedule.objects.update_or_create(
                scheme=scheme,
                kind=kind.key,
                defaults={
                    "period_days": period_days,
                    "action": action,
                    "updated_at": timezone.now(),
                    "updated_by": actor.user,
                },
            )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="retention.RetentionSchedule",
            object_id=f"{scheme.code} {kind.key}",
            scheme=scheme,
            reason=reason,
            changes={
                "period_days": {"from": current.period_days, "to": period_days},
                "action": {"from": current.action, "to": action},
            },
        )
    return schedule_for(scheme_id=scheme.pk, kind=kind)
