"""Reads, always scoped to what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from diversion.core.roles import OrganisationKind
from diversion.schemes.models import (
    LocalAuthority,
    Organisation,
    Scheme,
    schemes_of_organisation_q,
)


def schemes_for_user(*, user: Any) -> QuerySet[Scheme]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scheme.objects.none()
    return (
        Scheme.objects.filter(schemes_of_organisation_q(user.organisation))
        .distinct()
        .select_related("force", "provider", "commissioner")
    )


def scheme_for_user(*, user: Any, code: str) -> Scheme:
    """The scheme with this code, if the user may see it; 404 otherwise (never 403: no leak)."""
    scheme = schemes_for_user(user=user).filter(code=code).first()
    if scheme is None:
        raise Http404("No such scheme.")
    return scheme


def scheme_for_officer(*, user: Any) -> Scheme:
    """The active scheme of the officer's (or police system's) force: the one their referrals
    go to."""
    scheme = (
        Scheme.objects.filter(force_id=user.organisation_id, is_active=True)
        .select_related("force", "provider", "commissioner")
        .order_by("pk")
        .first()
    )
    if scheme is None:
        raise Http404("Your force has no active diversion scheme.")
    return scheme


def _organisation_ids_of(schemes: QuerySet[Scheme]) -> set[int]:
    ids: set[int] = set()
    for scheme in schemes.prefetch_related("evaluators"):
        ids.update({scheme.force_id, scheme.provider_id, scheme.commissioner_id})
        ids.update(evaluator.pk for evaluator in scheme.evaluators.all())
    return ids


def organisations_in_reach(*, user: Any) -> QuerySet[Organisation]:
    """The organisations a scheme administrator may change and put in a scheme: their own, those
    of their schemes, and those just set up (in no scheme, with nobody working there and no
    sign-in provider yet). An organisation of someone else's scheme is out of reach: putting it
    in a scheme would hand over its users and its sign-in (docs/administration.md)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    mine = _organisation_ids_of(schemes_for_user(user=user)) | {user.organisation_id}
    in_a_scheme = _organisation_ids_of(Scheme.objects.all())
    unclaimed = (
        Organisation.objects.exclude(pk__in=in_a_scheme)
        .filter(users__isnull=True, identity_provider__isnull=True)
        .values_list("pk", flat=True)
    )
    return Organisation.objects.filter(pk__in=mine | set(unclaimed)).order_by("name")


def organisation_in_reach(*, user: Any, pk: int) -> Organisation:
    """404 for an organisation out of the administrator's reach (never 403: no leak)."""
    organisation = organisations_in_reach(user=user).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def local_authorities_in_reach(*, user: Any) -> QuerySet[LocalAuthority]:
    """The local authorities of the forces in the administrator's reach."""
    forces = organisations_in_reach(user=user).filter(kind=OrganisationKind.FORCE)
    return (
        LocalAuthority.objects.filter(force__in=forces)
        .select_related("force")
        .order_by("force__name", "name")
    )


def local_authority_in_reach(*, user: Any, pk: int) -> LocalAuthority:
    authority = local_authorities_in_reach(user=user).filter(pk=pk).first()
    if authority is None:
        raise Http404("No such local authority.")
    return authority


def schemes_of_organisation(*, organisation: Organisation) -> QuerySet[Scheme]:
    return Scheme.objects.filter(schemes_of_organisation_q(organisation)).distinct()
