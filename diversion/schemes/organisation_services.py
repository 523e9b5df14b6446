"""Writes for organisations (forces, providers, commissioners' offices, evaluators) and local
authorities: checked, then saved with their audit row in one transaction.

An administrator's reach (`selectors.organisations_in_reach`) is checked here as well as by the
pages: the system actor (a command) has no reach limit."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record, model_changes
from diversion.core.roles import OrganisationKind
from diversion.schemes.models import LocalAuthority, Organisation, Scheme
from diversion.schemes.selectors import organisations_in_reach, schemes_of_organisation

# ONS (GSS) codes of local authority districts in England and Wales: E06 unitary authorities,
# E07 non-metropolitan districts, E08 metropolitan districts, E09 London boroughs (and the City
# of London), W06 Welsh unitary authorities; three characters then six digits.
ONS_CODE = re.compile(r"(E0[6-9]|W06)[0-9]{6}")
ONS_CODE_MESSAGE = (
    "Enter the local authority's ONS code: E06, E07, E08, E09 or W06 then 6 digits, like E08000025"
)


def ons_code_normalise(code: str) -> str:
    return "".join(code.split()).upper()


def _name_taken(name: str, *, but: int | None = None) -> bool:
    return Organisation.objects.filter(name__iexact=name).exclude(pk=but or 0).exists()


def _snapshot(organisation: Organisation) -> dict[str, str]:
    return {
        "kind": organisation.kind,
        # Not "name": the audit log masks a key of that name (a person's), and this is not one.
        "organisation_name": organisation.name,
        "short_name": organisation.short_name,
    }


def _organisation_check(*, kind: str, name: str, short_name: str, but: int | None = None) -> None:
    errors: dict[str, str] = {}
    if kind not in OrganisationKind.values:
        errors["kind"] = "Choose the kind of organisation"
    if not name.strip():
        errors["name"] = "Enter the organisation's name"
    elif _name_taken(name.strip(), but=but):
        errors["name"] = f"An organisation called {name.strip()} already exists"
    if len(short_name) > 40:
        errors["short_name"] = "The short name must be 40 characters or fewer"
    if errors:
        raise ValidationError(errors)


def organisation_create(
    *, actor: Actor, kind: str, name: str, short_name: str = ""
) -> Organisation:
    _organisation_check(kind=kind, name=name, short_name=short_name.strip())
    organisation = Organisation(kind=kind, name=name.strip(), short_name=short_name.strip())
    try:
        with transaction.atomic():
            organisation.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=organisation,
                reason="organisation set up",
                changes=_snapshot(organisation),
            )
    except IntegrityError as clash:  # the same name saved a moment ago by someone else
        raise ValidationError({"name": f"An organisation called {name} already exists"}) from clash
    return organisation


def organisation_update(
    *, actor: Actor, organisation: Organisation, kind: str, name: str, short_name: str = ""
) -> Organisation:
    """A new name or short name; the kind only while nothing depends on it (no users, no
    scheme, no local authorities, no sign-in provider), since roles and schemes rest on it."""
    _organisation_check(kind=kind, name=name, short_name=short_name.strip(), but=organisation.pk)
    try:
        with transaction.atomic():
            locked = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
            if kind != locked.kind and _kind_is_fixed(locked):
                raise ValidationError(
                    {
                        "kind": "The kind cannot change: people, schemes or local authorities "
                        "depend on it. Set up a new organisation instead"
                    }
                )
            before = _snapshot(locked)
            locked.kind, locked.name, locked.short_name = kind, name.strip(), short_name.strip()
            difference = model_changes(before, _snapshot(locked))
            if not difference:
                return locked
            locked.save()
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                reason="organisation changed",
                changes=difference,
            )
    except IntegrityError as clash:
        raise ValidationError({"name": f"An organisation called {name} already exists"}) from clash
    return locked


def _kind_is_fixed(organisation: Organisation) -> bool:
    depends = Organisation.objects.filter(pk=organisation.pk).filter(
        Q(users__isnull=False) | Q(identity_provider__isnull=False) | Q(api_clients__isnull=False)
    )
    return (
        depends.exists()
        or organisation.local_authorities.exists()
        or schemes_of_organisation(organisation=organisation).exists()
    )


def _authority_check(
    *, actor: Actor, ons_code: str, name: str, force: Organisation, but: int | None = None
) -> None:
    errors: dict[str, str] = {}
    if not ONS_CODE.fullmatch(ons_code):
        errors["ons_code"] = ONS_CODE_MESSAGE
    elif LocalAuthority.objects.filter(ons_code=ons_code).exclude(pk=but or 0).exists():
        errors["ons_code"] = f"A local authority with the code {ons_code} already exists"
    if not name.strip():
        errors["name"] = "Enter the local authority's name"
    if force.kind != OrganisationKind.FORCE:
        errors["force"] = "Choose a police force"
    elif (
        actor.user is not None
        and not organisations_in_reach(user=actor.user).filter(pk=force.pk).exists()
    ):
        errors["force"] = "Choose a police force of your schemes"
    if errors:
        raise ValidationError(errors)


def _authority_snapshot(authority: LocalAuthority) -> dict[str, object]:
    return {
        "ons_code": authority.ons_code,
        "authority_name": authority.name,
        "force": authority.force_id,
    }


def local_authority_create(
    *, actor: Actor, ons_code: str, name: str, force: Organisation
) -> LocalAuthority:
    ons_code = ons_code_normalise(ons_code)
    _authority_check(actor=actor, ons_code=ons_code, name=name, force=force)
    authority = LocalAuthority(ons_code=ons_code, name=name.strip(), force=force)
    try:
        with transaction.atomic():
            authority.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=authority,
                reason="local authority set up",
                changes=_authority_snapshot(authority),
            )
    except IntegrityError as clash:
        raise ValidationError(
            {"ons_code": f"A local authority with the code {ons_code} already exists"}
        ) from clash
    return authority


def local_authority_update(
    *, actor: Actor, authority: LocalAuthority, ons_code: str, name: str, force: Organisation
) -> LocalAuthority:
    """A new code, name or force; a new force only while no scheme covers the authority (a
    scheme covers only its own force's area)."""
    ons_code = ons_code_normalise(ons_code)
    _authority_check(actor=actor, ons_code=ons_code, name=name, force=force, but=authority.pk)
    try:
        with transaction.atomic():
            locked = LocalAuthority.objects.select_for_update(of=("self",)).get(pk=authority.pk)
            if force.pk != locked.force_id:
                covering = Scheme.objects.filter(local_authorities=locked).order_by("name")
                if covering.exists():
                    names = ", ".join(s.name for s in covering)
                    raise ValidationError(
                        {"force": f"Remove it from {names} before moving it to another force"}
                    )
            before = _authority_snapshot(locked)
            locked.ons_code, locked.name, locked.force = ons_code, name.strip(), force
            difference = model_changes(before, _authority_snapshot(locked))
            if not difference:
                return locked
            locked.save()
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                reason="local authority changed",
                changes=difference,
            )
    except IntegrityError as clash:
        raise ValidationError(
            {"ons_code": f"A local authority with the code {ons_code} already exists"}
        ) from clash
    return locked
