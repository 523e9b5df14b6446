"""Setting up a scheme and changing its details (code, name, organisations, local authorities,
go-live date). Its policy changes through `services.scheme_policy_update`, as a new version.

Each write checks everything first and reports every problem at once, then saves the scheme
and its audit row in one transaction. For an administrator the organisations must be in their
reach (`selectors.organisations_in_reach`) and their own organisation must stay the scheme's
force or commissioner, so that nobody sets up a scheme they cannot see, nor takes over another
administrator's organisations (docs/administration.md)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record, model_changes
from diversion.core.roles import OrganisationKind
from diversion.schemes.models import LocalAuthority, Organisation, Scheme
from diversion.schemes.policy import POLICY_FIELDS, validate_policy
from diversion.schemes.selectors import organisations_in_reach

SCHEME_CODE = re.compile(r"[A-Z]{2,3}")
# Which kind of organisation each of a scheme's places takes: one table.
PLACES: dict[str, str] = {
    "force": OrganisationKind.FORCE,
    "provider": OrganisationKind.PROVIDER,
    "commissioner": OrganisationKind.COMMISSIONER,
}


@dataclass(frozen=True, kw_only=True)
class SchemeDetails:
    """What the scheme pages set: everything but the code and the policy."""

    name: str
    force: Organisation
    provider: Organisation
    commissioner: Organisation
    local_authorities: Sequence[LocalAuthority]
    go_live: dt.date
    evaluators: Sequence[Organisation] = field(default_factory=tuple)


def _details_errors(
    *, actor: Actor, details: SchemeDetails, scheme_pk: int | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    name = details.name.strip()
    if not name:
        add("name", "Enter the scheme's name")
    elif Scheme.objects.filter(name__iexact=name).exclude(pk=scheme_pk or 0).exists():
        add("name", f"A scheme called {name} already exists")
    for place, kind in PLACES.items():
        organisation: Organisation = getattr(details, place)
        if organisation.kind != kind:
            add(place, f"Choose a {OrganisationKind(kind).label.lower()} as the {place}")
    if any(e.kind != OrganisationKind.EVALUATOR for e in details.evaluators):
        add("evaluators", "Choose evaluation teams only")
    if not details.local_authorities:
        add("local_authorities", "Choose at least one local authority the scheme covers")
    outside = [la.name for la in details.local_authorities if la.force_id != details.force.pk]
    if outside:
        add(
            "local_authorities",
            f"{', '.join(outside)} is not in {details.force}'s area: choose its local authorities",
        )
    if actor.user is not None:
        reach = set(organisations_in_reach(user=actor.user).values_list("pk", flat=True))
        for place in PLACES:
            if getattr(details, place).pk not in reach:
                add(place, "Choose an organisation of your schemes, or one you have just set up")
        if any(e.pk not in reach for e in details.evaluators):
            add("evaluators", "Choose evaluation teams of your schemes, or ones just set up")
        own = actor.user.organisation_id
        if own not in {details.force.pk, details.commissioner.pk}:
            add(
                "commissioner",
                "Your own organisation must be the scheme's police force or its commissioner",
            )
    return errors


def _snapshot(scheme: Scheme) -> dict[str, Any]:
    return {
        "code": scheme.code,
        # Not "name": the audit log masks a key of that name (a person's), and this is not one.
        "scheme_name": scheme.name,
        "force": scheme.force.name,
        "provider": scheme.provider.name,
        "commissioner": scheme.commissioner.name,
        "evaluators": sorted(e.name for e in scheme.evaluators.all()),
        "local_authorities": sorted(la.ons_code for la in scheme.local_authorities.all()),
        "go_live": scheme.go_live,
    }


def _apply(scheme: Scheme, details: SchemeDetails) -> None:
    scheme.name = details.name.strip()
    scheme.force, scheme.provider = details.force, details.provider
    scheme.commissioner, scheme.go_live = details.commissioner, details.go_live


def scheme_create(
    *,
    actor: Actor,
    code: str,
    details: SchemeDetails,
    outcome_code: int,
    eligible_drug_classes: list[str],
    policy_version: int = 1,
) -> Scheme:
    """A new scheme. Its policy starts from the standard values with the outcome and drug
    classes chosen, checked as a whole like every later version; the rest (deadlines,
    exclusions, course types) is changed on the policy page."""
    code = code.strip().upper()
    errors = _details_errors(actor=actor, details=details, scheme_pk=None)
    if not SCHEME_CODE.fullmatch(code):
        errors.setdefault("code", []).append("Enter 2 or 3 capital letters, like WMD")
    elif Scheme.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(f"A scheme with the code {code} already exists")
    if not isinstance(policy_version, int) or policy_version < 1:
        errors.setdefault("policy_version", []).append("Enter a whole number, 1 or more")
    scheme = Scheme(
        code=code,
        outcome_code=outcome_code,
        eligible_drug_classes=list(eligible_drug_classes),
        policy_version=policy_version,
    )
    _apply(scheme, details)
    try:
        validate_policy(
            {**{f: getattr(scheme, f) for f in POLICY_FIELDS}, "go_live": scheme.go_live}
        )
    except ValidationError as problems:
        for name, messages in problems.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            scheme.save()
            scheme.local_authorities.set(details.local_authorities)
            scheme.evaluators.set(details.evaluators)
            policy = {f: getattr(scheme, f) for f in POLICY_FIELDS}
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=scheme,
                scheme=scheme,
                reason="scheme set up",
                changes={**_snapshot(scheme), "policy_version": policy_version, **policy},
            )
    except IntegrityError as clash:  # the same code or name saved a moment ago
        raise ValidationError(
            {"code": f"A scheme with the code {code} or the name {details.name} already exists"}
        ) from clash
    return scheme


def scheme_update(*, actor: Actor, scheme: Scheme, details: SchemeDetails, reason: str) -> Scheme:
    """New details for a scheme. The code never changes: it begins every referral reference
    already given out. The go-live date is checked against the policy (outcome 22 only from
    April 2019)."""
    errors = _details_errors(actor=actor, details=details, scheme_pk=scheme.pk)
    if not reason.strip():
        errors.setdefault("reason", []).append("Enter the reason for the change")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            locked = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
            before = _snapshot(locked)
            try:
                policy = {f: getattr(locked, f) for f in POLICY_FIELDS}
                validate_policy({**policy, "go_live": details.go_live})
            except ValidationError as problems:
                raise ValidationError(
                    {"go_live": [m for ms in problems.message_dict.values() for m in ms]}
                ) from problems
            _apply(locked, details)
            locked.save()
            locked.local_authorities.set(details.local_authorities)
            locked.evaluators.set(details.evaluators)
            difference = model_changes(before, _snapshot(locked))
            if difference:
                audit_record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=locked,
                    scheme=locked,
                    reason=reason.strip(),
                    changes=difference,
                )
    except IntegrityError as clash:
        raise ValidationError({"name": f"A scheme called {details.name} already exists"}) from clash
    return locked
