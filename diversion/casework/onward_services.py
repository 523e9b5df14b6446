"""Writes for the scheme's directory of services and the onward referrals made to them."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.casework.errors import CaseworkError
from diversion.casework.models import OnwardReferral, OnwardService, OnwardStatus
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme

# Where an onward referral may go next: one table.
ONWARD_TRANSITIONS: dict[str, frozenset[str]] = {
    OnwardStatus.MADE: frozenset({OnwardStatus.ACCEPTED, OnwardStatus.DECLINED}),
    OnwardStatus.ACCEPTED: frozenset({OnwardStatus.ATTENDED, OnwardStatus.DECLINED}),
    OnwardStatus.DECLINED: frozenset(),
    OnwardStatus.ATTENDED: frozenset(),
}


def onward_service_save(
    *,
    actor: Actor,
    scheme: Scheme,
    kind: str,
    name: str,
    contact: str,
    description: str = "",
    is_active: bool = True,
    service: OnwardService | None = None,
) -> OnwardService:
    with transaction.atomic():
        created = service is None
        target = service or OnwardService(scheme=scheme)
        if target.scheme_id != scheme.pk:
            raise CaseworkError("That service is in another scheme.")
        target.kind, target.name, target.contact = kind, name.strip(), contact.strip()
        target.description, target.is_active = description.strip(), is_active
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError as error:
            raise CaseworkError("There is already a service with that name.") from error
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=target,
            scheme=scheme,
            reason="directory of services",
            changes={"kind": kind, "name": target.name, "is_active": is_active},
        )
    return target


def onward_referral_make(
    *,
    actor: Actor,
    referral: Referral,
    service: OnwardService,
    consent: bool,
    follow_up_on: dt.date,
    notes: str = "",
    now: dt.datetime | None = None,
) -> OnwardReferral:
    now = now or timezone.now()
    if not consent:
        raise CaseworkError("An onward referral needs the person's consent.")
    if service.scheme_id != referral.scheme_id or not service.is_active:
        raise CaseworkError("Choose a service from this scheme's directory.")
    if follow_up_on < timezone.localdate(now):
        raise CaseworkError("The follow-up date must be today or later.")
    with transaction.atomic():
        if OnwardReferral.objects.filter(referral=referral, service=service).exists():
            raise CaseworkError("The person has already been referred to this service.")
        onward = OnwardReferral.objects.create(
            referral=referral,
            service=service,
            consent=True,
            follow_up_on=follow_up_on,
            notes=notes.strip(),
            made_by=actor.user,
            made_at=now,
            status_changed_at=now,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=onward,
            scheme=referral.scheme,
            reason="onward referral made with consent",
            changes={"referral": referral.reference, "service": service.pk},
        )
    return onward


def onward_referral_update(
    *,
    actor: Actor,
    onward: OnwardReferral,
    status: str,
    follow_up_on: dt.date | None,
    now: dt.datetime | None = None,
) -> OnwardReferral:
    """Record what happened (made, accepted, declined, attended) and the next follow-up."""
    now = now or timezone.now()
    with transaction.atomic():
        onward = (
            OnwardReferral.objects.select_for_update(of=("self",))
            .select_related("referral__scheme")
            .get(pk=onward.pk)
        )
        before = {"status": onward.status, "follow_up_on": str(onward.follow_up_on)}
        if status != onward.status:
            if status not in ONWARD_TRANSITIONS.get(onward.status, frozenset()):
                raise CaseworkError(
                    f"An onward referral that is {onward.get_status_display().lower()} "
                    f"cannot become {OnwardStatus(status).label.lower()}."
                )
            onward.status, onward.status_changed_at = status, now
        if follow_up_on is not None:
            onward.follow_up_on = follow_up_on
        onward.save(update_fields=["status", "status_changed_at", "follow_up_on"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=onward,
            scheme=onward.referral.scheme,
            reason="onward referral updated",
            changes={
                "before": before,
                "after": {"status": onward.status, "follow_up_on": str(onward.follow_up_on)},
            },
        )
    return onward
