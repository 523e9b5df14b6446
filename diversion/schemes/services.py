"""Writes for schemes. Policy changes are validated as a whole, versioned and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record, model_changes
from diversion.schemes.models import FundingPeriod, Scheme
from diversion.schemes.policy import POLICY_FIELDS, validate_policy
from diversion.schemes.policy_parts import PolicyPart, policy_parts


def _policy_snapshot(scheme: Scheme, part_values: Mapping[str, Any]) -> dict[str, Any]:
    snapshot = {field: getattr(scheme, field) for field in POLICY_FIELDS}
    for part in policy_parts():
        snapshot[part.name] = part.snapshot(part_values[part.name])
    return snapshot


def _policy_validate(proposed: Mapping[str, Any], part_values: Mapping[str, Any]) -> None:
    """The scheme's own rules and every part's, reported together."""
    errors: dict[str, list[str]] = {}
    try:
        validate_policy(proposed)
    except ValidationError as error:
        errors.update(error.message_dict)
    for part in policy_parts():
        problems = part.check(proposed, part_values[part.name])
        if problems:
            errors.setdefault(part.name, []).extend(problems)
    if errors:
        raise ValidationError(errors)


def scheme_policy_update(
    *,
    actor: Actor,
    scheme: Scheme,
    changes: dict[str, Any],
    parts: Mapping[str, Any] | None = None,
    reason: str = "",
) -> Scheme:
    """Apply policy changes if the whole policy stays valid; raise ValidationError otherwise.

    `changes` holds the scheme's own policy fields; `parts` the new values of parts that other
    apps own (policy_parts.py), by name. A part left out keeps its value."""
    parts = dict(parts or {})
    registered: dict[str, PolicyPart] = {part.name: part for part in policy_parts()}
    unknown = (set(changes) - set(POLICY_FIELDS)) | (set(parts) - set(registered))
    if unknown:
        raise ValidationError(f"Not policy fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
        current = {name: part.current(locked) for name, part in registered.items()}
        values = {**current, **parts}
        before = _policy_snapshot(locked, current)
        proposed = {**before, **changes, "go_live": locked.go_live}
        _policy_validate(proposed, values)
        after = _policy_snapshot(locked, values)
        after.update({field: proposed[field] for field in POLICY_FIELDS})
        difference = model_changes(before, after)
        if not difference:
            return locked
        for field in POLICY_FIELDS:
            setattr(locked, field, proposed[field])
        locked.policy_version += 1
        locked.policy_updated_at = timezone.now()
        locked.save()
        for name, value in parts.items():
            registered[name].save(locked, value)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            scheme=locked,
            reason=reason or "policy changed",
            changes={"policy_version": locked.policy_version, **difference},
        )
    return locked


def schemes_to_share_with(*, scheme: Scheme) -> list[Scheme]:
    """The other schemes on the deployment this one may share the engagement fact with."""
    return list(Scheme.objects.exclude(pk=scheme.pk).filter(is_active=True).order_by("name"))


def scheme_sharing_update(
    *, actor: Actor, scheme: Scheme, share_with_ids: list[int], reason: str
) -> Scheme:
    """Set the schemes `scheme` shares "engaged / did not engage" with. Each scheme added or
    withdrawn from gets its own audit row as well, so both sides see the change."""
    wanted = set(share_with_ids)
    if scheme.pk in wanted:
        raise ValidationError({"share_with": "A scheme cannot share with itself"})
    known = set(Scheme.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    if wanted - known:
        raise ValidationError({"share_with": "A chosen scheme no longer exists or is closed"})
    with transaction.atomic():
        locked = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
        before = set(locked.shares_engagement_with.values_list("pk", flat=True))
        added, withdrawn = sorted(wanted - before), sorted(before - wanted)
        if not added and not withdrawn:
            return locked
        locked.shares_engagement_with.set(sorted(wanted))
        affected = Scheme.objects.in_bulk([*added, *withdrawn])
        names = {pk: other.code for pk, other in affected.items()}
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            scheme=locked,
            reason=reason or "data sharing changed",
            changes={
                "shares_engagement_with": {
                    "added": [names[pk] for pk in added],
                    "withdrawn": [names[pk] for pk in withdrawn],
                }
            },
        )
        for pk in [*added, *withdrawn]:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=affected[pk],
                scheme=affected[pk],
                reason=(
                    f"{locked.code} {'now shares' if pk in added else 'no longer shares'} "
                    "engagement facts with this scheme"
                ),
                changes={"receives_engagement_from": {"scheme": locked.code}},
            )
    return locked


def funding_period_add(
    *,
    actor: Actor,
    scheme: Scheme,
    funder: str,
    source: str,
    starts_on: dt.date,
    ends_on: dt.date,
    amount_pounds: Decimal,
) -> FundingPeriod:
    period = FundingPeriod(
        scheme=scheme,
        funder=funder,
        source=source,
        starts_on=starts_on,
        ends_on=ends_on,
        amount_pounds=amount_pounds,
    )
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date"})
    period.full_clean()
    with transaction.atomic():
        period.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=period,
            scheme=scheme,
            changes={
                "funder": funder,
                "source": source,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "amount_pounds": amount_pounds,
            },
        )
    return period
