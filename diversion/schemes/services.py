"""Writes for schemes. Policy changes are validated as a whole, versioned and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record, model_changes
from diversion.courses.models import CourseType
from diversion.schemes.models import FundingPeriod, Scheme
from diversion.schemes.policy import POLICY_FIELDS, validate_policy


def _policy_snapshot(
    scheme: Scheme, course_types: list[CourseType] | None = None
) -> dict[str, Any]:
    snapshot = {field: getattr(scheme, field) for field in POLICY_FIELDS}
    types = course_types if course_types is not None else list(scheme.course_types.all())
    snapshot["course_types"] = sorted(course.code for course in types)
    return snapshot


def scheme_policy_update(
    *,
    actor: Actor,
    scheme: Scheme,
    changes: dict[str, Any],
    course_types: list[CourseType] | None = None,
    reason: str = "",
) -> Scheme:
    """Apply policy changes if the whole policy stays valid; raise ValidationError otherwise."""
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError(f"Not policy fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
        before = _policy_snapshot(locked)
        proposed = {**before, **changes, "go_live": locked.go_live}
        types = course_types if course_types is not None else list(locked.course_types.all())
        validate_policy(proposed, course_type_audiences=[course.audience for course in types])
        after = _policy_snapshot(locked, types)
        after.update({field: proposed[field] for field in POLICY_FIELDS})
        difference = model_changes(before, after)
        if not difference:
            return locked
        for field in POLICY_FIELDS:
            setattr(locked, field, proposed[field])
        locked.policy_version += 1
        locked.policy_updated_at = timezone.now()
        locked.save()
        if course_types is not None:
            locked.course_types.set(course_types)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            scheme=locked,
            reason=reason or "policy changed",
            changes={"policy_version": locked.policy_version, **difference},
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
