"""Writes for courses: course types, the scheme's course settings and sessions.

Enrolment, the waitlist and the register are in `enrolment.py` and `attendance.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.roles import Role
from diversion.courses.enrolment import waitlist_offer
from diversion.courses.models import (
    CourseModule,
    CourseSettings,
    CourseType,
    Delivery,
    Session,
)
from diversion.schemes.models import Scheme

MAX_REPEAT_WEEKS = 12


def course_settings_update(
    *, actor: Actor, scheme: Scheme, course_wait_target_days: int, offers_in_person: bool
) -> CourseSettings:
    with transaction.atomic():
        current, _ = CourseSettings.objects.select_for_update(of=("self",)).get_or_create(
            scheme=scheme
        )
        before = {
            "course_wait_target_days": current.course_wait_target_days,
            "offers_in_person": current.offers_in_person,
        }
        current.course_wait_target_days = course_wait_target_days
        current.offers_in_person = offers_in_person
        current.full_clean()
        current.save()
        after = {
            "course_wait_target_days": course_wait_target_days,
            "offers_in_person": offers_in_person,
        }
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=current,
            scheme=scheme,
            changes={k: {"from": before[k], "to": v} for k, v in after.items() if before[k] != v},
        )
    return current


def course_type_save(
    *,
    actor: Actor,
    provider: Any,
    course_type: CourseType | None = None,
    code: str,
    name: str,
    audience: str,
    substance: str,
    duration_minutes: int,
    description: str,
    modules: list[str],
) -> CourseType:
    """Create or change a course type and its modules (titles in order; a module keeps its
    summary while its title is unchanged)."""
    if not modules:
        raise ValidationError({"modules": "Enter at least one module"})
    if len(set(modules)) != len(modules):
        raise ValidationError({"modules": "Each module must have a different title"})
    creating = course_type is None
    with transaction.atomic():
        item = course_type or CourseType(provider=provider)
        item.code, item.name, item.audience = code, name, audience
        item.substance, item.duration_minutes, item.description = (
            substance,
            duration_minutes,
            description,
        )
        item.full_clean(validate_constraints=True)
        item.save()
        summaries = {m.title: m.summary for m in item.modules.all()}
        before = [m.title for m in item.modules.all()]
        item.modules.all().delete()
        CourseModule.objects.bulk_create(
            CourseModule(
                course_type=item, position=position, title=title, summary=summaries.get(title, "")
            )
            for position, title in enumerate(modules, start=1)
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            obj=item,
            changes={
                "code": code,
                "title": name,
                "audience": audience,
                "duration_minutes": duration_minutes,
                "modules": {"from": before, "to": modules},
            },
        )
    return item


def session_create(
    *,
    actor: Actor,
    scheme: Scheme,
    course_type: CourseType,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    delivery: str,
    meeting_link: str,
    venue: str,
    capacity: int,
    facilitators: list[Any],
    repeat_weeks: int = 1,
    now: dt.datetime | None = None,
) -> list[Session]:
    """Schedule a session, or the same session on the same weekday for `repeat_weeks` weeks;
    then offer the new seats to the waitlist."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if not scheme.course_types.filter(pk=course_type.pk).exists():
        errors["course_type"] = "Choose a course type this scheme offers"
    if starts_at <= now:
        errors["starts_at"] = "The session must start in the future"
    if ends_at <= starts_at:
        errors["ends_at"] = "The session must end after it starts"
    if delivery == Delivery.IN_PERSON:
        settings_row = CourseSettings.objects.filter(scheme=scheme).first()
        if not (settings_row and settings_row.offers_in_person):
            errors["delivery"] = "This scheme runs online sessions only"
        elif not venue.strip():
            errors["venue"] = "Enter the venue for an in-person session"
    elif not meeting_link.strip():
        errors["meeting_link"] = "Enter the meeting link for an online session"
    if not 1 <= repeat_weeks <= MAX_REPEAT_WEEKS:
        errors["repeat_weeks"] = f"Repeat for 1 to {MAX_REPEAT_WEEKS} weeks"
    strangers = [
        f
        for f in facilitators
        if f.role != Role.FACILITATOR or f.organisation_id != scheme.provider_id or not f.is_active
    ]
    if strangers:
        errors["facilitators"] = "Choose facilitators who work for this scheme's provider"
    if errors:
        raise ValidationError(errors)
    created: list[Session] = []
    with transaction.atomic():
        for week in range(repeat_weeks):
            shift = dt.timedelta(weeks=week)
            session = Session(
                scheme=scheme,
                course_type=course_type,
                starts_at=_same_local_time(starts_at, shift),
                ends_at=_same_local_time(ends_at, shift),
                delivery=delivery,
                meeting_link=meeting_link.strip() if delivery == Delivery.ONLINE else "",
                venue=venue.strip() if delivery == Delivery.IN_PERSON else "",
                capacity=capacity,
                created_at=now,
            )
            session.full_clean()
            session.save()
            session.facilitators.set(facilitators)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=session,
                scheme=scheme,
                changes={
                    "course_type": course_type.code,
                    "starts_at": session.starts_at,
                    "capacity": capacity,
                    "delivery": delivery,
                    "facilitators": [f.pk for f in facilitators],
                },
            )
            created.append(session)
    for session in created:
        waitlist_offer(session_id=session.pk, actor=actor, now=now)
    return created


def _same_local_time(moment: dt.datetime, shift: dt.timedelta) -> dt.datetime:
    """The same wall-clock time `shift` later, across a change to or from summer time."""
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) + shift
    return timezone.make_aware(naive, timezone.get_current_timezone())
