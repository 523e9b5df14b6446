"""Requests from a person about their data: recording them, the deadline, the subject access
export's preparation and a second person's sign-off, and the decision on a rectification or an
erasure (with reasons, especially when refused). Every step audited."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record, model_changes
from diversion.people.models import Person, PersonMatchKey
from diversion.people.services import person_save
from diversion.privacy.erasure import anonymise_person
from diversion.privacy.models import RequestKind, RequestStatus, RightsRequest

FINISHED = {RequestStatus.COMPLETED, RequestStatus.REFUSED}


def one_calendar_month_after(day: dt.date) -> dt.date:
    """The deadline for answering: the same day of the next month, or its last day if it has
    no such day (31 January -> 28 or 29 February), as the ICO counts a calendar month."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_overdue(request: RightsRequest, *, today: dt.date | None = None) -> bool:
    return request.status not in FINISHED and (today or timezone.localdate()) > request.due_on


def _audit(actor: Any, request: RightsRequest, reason: str, changes: dict[str, Any]) -> None:
    audit_record(
        actor=Actor.of(actor),
        action=AuditAction.UPDATE if changes.get("step") != "recorded" else AuditAction.CREATE,
        obj=request,
        scheme=request.scheme,
        reason=reason,
        changes=changes,
    )


def rights_request_record(
    *,
    actor: Any,
    person: Person,
    kind: str,
    received_on: dt.date,
    identity_checked: bool,
    identity_evidence: str,
    details: str = "",
) -> RightsRequest:
    errors: dict[str, str] = {}
    if kind not in RequestKind.values:
        errors["kind"] = "Choose the kind of request"
    if received_on is None:
        errors["received_on"] = "Enter the date the request was received"
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past"
    if not identity_checked:
        errors["identity_checked"] = "Check the person's identity before recording the request"
    if not (identity_evidence or "").strip():
        errors["identity_evidence"] = "Enter how the person's identity was checked"
    if kind == RequestKind.RECTIFICATION and not (details or "").strip():
        errors["details"] = "Enter what the person says is wrong and what it should say"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = RightsRequest.objects.create(
            kind=kind,
            scheme=person.scheme,
            person=person,
            received_on=received_on,
            due_on=one_calendar_month_after(received_on),
            identity_checked=True,
            identity_evidence=identity_evidence.strip()[:200],
            details=(details or "").strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        _audit(actor, request, "information rights request recorded", {"step": "recorded"})
    return request


def _locked(request_id: int) -> RightsRequest:
    request = RightsRequest.objects.select_for_update(of=("self",)).get(pk=request_id)
    if request.status in FINISHED:
        raise ValidationError(f"This request was already {request.get_status_display().lower()}")
    return request


def subject_access_prepare(*, actor: Any, request_id: int) -> RightsRequest:
    """The export is ready for a second person to check (privacy/export.py builds it)."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.kind != RequestKind.ACCESS:
            raise ValidationError("Only a subject access request has an export")
        request.status, request.prepared_by = RequestStatus.AWAITING_REVIEW, actor
        request.save(update_fields=["status", "prepared_by"])
        _audit(actor, request, "subject access export prepared", {"step": "prepared"})
    return request


def subject_access_sign_off(*, actor: Any, request_id: int, person_told: str) -> RightsRequest:
    """A reviewer other than the preparer releases the export to the person."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.status != RequestStatus.AWAITING_REVIEW:
            raise ValidationError("Prepare the export before it is signed off")
        if request.prepared_by_id == actor.pk:
            raise ValidationError(
                "Someone other than the person who prepared the export must sign it off"
            )
        if not (person_told or "").strip():
            raise ValidationError({"person_told": "Enter how the export is sent to the person"})
        request.status, request.reviewed_by = RequestStatus.COMPLETED, actor
        request.decided_at, request.person_told = timezone.now(), person_told.strip()[:200]
        request.save(update_fields=["status", "reviewed_by", "decided_at", "person_told"])
        audit_record(
            actor=Actor.of(actor),
            action=AuditAction.EXPORT,
            obj=request.person,
            scheme=request.scheme,
            reason=f"subject access export released (request {request.pk})",
        )
    return request


def rights_request_decide(
    *,
    actor: Any,
    request_id: int,
    agree: bool,
    reasons: str,
    person_told: str,
    corrections: dict[str, Any] | None = None,
) -> RightsRequest:
    """Decide a rectification or erasure request. Agreeing to an erasure erases the person in
    the same transaction (or nothing happens: a hold, an earlier erasure). A rectification
    agreed is recorded here and made through the record's own page and service, with its
    history and audit; the request names what was changed."""
    errors: dict[str, str] = {}
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the reasons for the decision"
    if not (person_told or "").strip():
        errors["person_told"] = "Enter how the person was told of the decision"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = _locked(request_id)
        if request.kind == RequestKind.ACCESS:
            raise ValidationError("A subject access request is answered with its export")
        if agree and request.kind == RequestKind.ERASURE:
            anonymise_person(request.person, actor=actor, reason=f"erasure request {request.pk}")
        elif agree and request.kind == RequestKind.RECTIFICATION:
            rectification_apply(actor=actor, person=request.person, corrections=corrections or {})
        request.status = RequestStatus.COMPLETED if agree else RequestStatus.REFUSED
        request.reviewed_by, request.decided_at = actor, timezone.now()
        request.decision_reasons, request.person_told = reasons.strip(), person_told.strip()[:200]
        request.save(
            update_fields=["status", "reviewed_by", "decided_at", "decision_reasons", "person_told"]
        )
        _audit(
            actor,
            request,
            "information rights request decided",
            {"step": "decided", "agreed": agree},
        )
    return request


CORRECTABLE = ("given_name", "family_name", "date_of_birth", "mobile", "email")


def rectification_apply(*, actor: Any, person: Person, corrections: dict[str, Any]) -> Person:
    """Correct the person's details through people's own service (which keeps the match keys),
    audited with the names of the fields changed (their values are masked in the log)."""
    wanted = {k: v for k, v in corrections.items() if k in CORRECTABLE and v not in ("", None)}
    if not wanted:
        raise ValidationError(
            "Enter the corrected details, or change the record on its own page and say so "
            "in the reasons"
        )
    person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    before = {name: getattr(person, name) for name in CORRECTABLE}
    after = {**before, **wanted}
    if (
        after["given_name"] != before["given_name"]
        or after["family_name"] != before["family_name"]
        or after["date_of_birth"] != before["date_of_birth"]
    ):
        # The wrong name or birth date must no longer find the person.
        PersonMatchKey.objects.filter(person=person).delete()
    person = person_save(
        scheme=person.scheme,
        person_id=person.pk,
        given_name=after["given_name"],
        family_name=after["family_name"],
        date_of_birth=after["date_of_birth"],
        sex=person.sex,
        self_defined_ethnicity=person.self_defined_ethnicity_id,
        observed_ethnicity=person.observed_ethnicity_id,
        mobile=after["mobile"],
        email=after["email"],
        preferred_language=person.preferred_language,
        safe_to_text=person.safe_to_text,
        safe_to_leave_voicemail=person.safe_to_leave_voicemail,
        discreet_messages=person.discreet_messages,
    )
    audit_record(
        actor=Actor.of(actor),
        action=AuditAction.UPDATE,
        obj=person,
        scheme=person.scheme,
        reason="rectification request agreed",
        changes=model_changes(before, after),
        sensitive=CORRECTABLE,
    )
    return person
