"""Erasure: anonymising a person so that nothing identifying is left, in one transaction.

What each kind of record loses is in privacy/anonymise.py; what higher apps hold they remove on
`PersonErased` (published inside the transaction, so their failure undoes the erasure). Audit
events keep their hashes and lose their values (audit/erasure.py). Outbox files go after the
commit (files cannot roll back). The retention job calls `anonymise_person` for people at the end
of their retention period: keep its signature stable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from diversion.audit.erasure import audit_values_erase
from diversion.audit.models import AuditAction, AuditEvent
from diversion.audit.services import Actor, audit_record
from diversion.core.events import publish
from diversion.messaging.addresses import recipient_index
from diversion.messaging.models import Channel, InboundMessage
from diversion.people.models import Person
from diversion.privacy import anonymise
from diversion.privacy.events import PersonErased
from diversion.privacy.graph import model_label, person_paths, person_rows
from diversion.privacy.holds import is_held
from diversion.privacy.models import Erasure, ExtractRecall, LegalHold
from diversion.privacy.purge import outbox_purge, sessions_purge
from diversion.referrals.models import Referral

EXTRACT_OBJECT_TYPE = "evaluation.Extract"


class ErasureRefused(ValidationError):
    """The erasure was not done, and nothing was changed."""


@dataclass(frozen=True)
class ErasureResult:
    erasure: Erasure
    removed: dict[str, int] = field(default_factory=dict)
    recalls: list[ExtractRecall] = field(default_factory=list)


def anonymise_person(person: Person, *, actor: Any, reason: str) -> ErasureResult:
    """Remove everything identifying about `person` and keep the non-identifying facts.

    `actor` is a user or an audit `Actor` (the retention job passes `audit.services.SYSTEM`).
    Refuses (ErasureRefused, nothing changed) a person under a legal hold or already erased.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ErasureRefused({"reason": "Enter why the record is being erased"})
    who = actor if isinstance(actor, Actor) else Actor.of(actor)
    with transaction.atomic():
        found = Person.objects.select_for_update(of=("self",)).filter(pk=person.pk).first()
        if found is None:
            raise ErasureRefused("There is no such person: nothing was erased")
        person = found
        _refuse_if_not_allowed(person)
        referrals = list(Referral.objects.filter(person=person).values_list("pk", "reference"))
        needles = _needles(person)
        records = _records(person, referrals)
        removed = _anonymise(person, referrals=[pk for pk, _ in referrals])
        removed["inbound messages"] = _inbound_delete(person, needles)
        removed["sessions"] = sessions_purge(needles["sessions"])
        removed["audit events"] = audit_values_erase(
            records=records, actor=who, reason="erasure of a person"
        )
        erasure = Erasure.objects.create(
            person=person,
            scheme=person.scheme,
            erased_at=timezone.now(),
            erased_by=who.user,
            reason=reason[:300],
            removed=removed,
        )
        recalls = _recalls(erasure, person)
        publish(
            PersonErased(
                person_id=person.pk,
                scheme_id=person.scheme_id,
                referral_ids=tuple(pk for pk, _ in referrals),
            )
        )
        audit_record(
            actor=who,
            action=AuditAction.DELETE,
            obj=person,
            scheme=person.scheme,
            reason="personal data erased",
            changes={"removed": removed, "extracts to recall": len(recalls)},
        )
        files = needles["files"]
        transaction.on_commit(lambda: outbox_purge(files))
    return ErasureResult(erasure=erasure, removed=removed, recalls=recalls)


def _refuse_if_not_allowed(person: Person) -> None:
    done = Erasure.objects.filter(person=person).first()
    if done is not None:
        raise ErasureRefused(
            f"This person's record was already erased on {done.erased_at:%-d %B %Y}"
        )
    if is_held(person_id=person.pk):
        hold = (
            LegalHold.objects.filter(lifted_at__isnull=True)
            .filter(models.Q(person=person) | models.Q(referral__person=person))
            .first()
        )
        detail = (
            f" ({hold.get_kind_display().lower()}, review on {hold.review_on:%-d %B %Y})"
            if hold
            else ""
        )
        raise ErasureRefused(
            f"This person's record is under a legal hold{detail}: lift the hold first"
        )


def _needles(person: Person) -> dict[str, list[str]]:
    """What identifies the person outside the tables: for outbox files and sessions."""
    rows = person_rows(person_paths_model("messaging.Message"), person.pk)
    recipients = [str(r) for r in rows.values_list("recipient", flat=True) if r]
    references = []
    for reference in rows.values_list("provider_reference", flat=True):
        if reference:
            references += [reference, reference.rpartition(":")[2]]
    links = person_rows(person_paths_model("engagement.SelfServiceLink"), person.pk)
    return {
        "files": [person.mobile, person.email, *recipients, *references],
        "sessions": [str(p) for p in links.values_list("public_id", flat=True)],
        "phones": [p for p in [person.mobile, *recipients] if p and "@" not in p],
    }


def person_paths_model(label: str) -> type[models.Model]:
    for model in person_paths():
        if model_label(model) == label:
            return model
    raise LookupError(label)


def _records(person: Person, referrals: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """Every (object type, object id) audit events may name for this person's records."""
    records = [("people.Person", str(person.pk))]
    for model in person_paths():
        label = model_label(model)
        records += [
            (label, str(pk)) for pk in person_rows(model, person.pk).values_list("pk", flat=True)
        ]
    records += [("referrals.Referral", reference) for _, reference in referrals]
    return records


def _anonymise(person: Person, *, referrals: list[int]) -> dict[str, int]:
    removed: dict[str, int] = {}
    for model in sorted(person_paths(), key=model_label):
        label = model_label(model)
        rows = model._default_manager.filter(
            pk__in=person_rows(model, person.pk).values_list("pk", flat=True)
        )
        if label == "people.Person":
            continue
        if label in anonymise.DELETE:
            removed[label] = rows.delete()[0]
        elif label in anonymise.BLANK or label in anonymise.JSON_SCRUBBED:
            removed[label] = _blank(model, rows)
        elif label not in anonymise.KEEP and label not in anonymise.BY_EVENT:
            raise ErasureRefused(
                f"Records of type {label} have no erasure rule: nothing was erased. "
                "Add one to privacy/anonymise.py"
            )
    stopped = Referral.objects.filter(pk__in=referrals).values_list("stopped_at", flat=True)
    on_dates = [timezone.localtime(at).date() for at in stopped]
    person.date_of_birth = anonymise.coarse_birth_date(person.date_of_birth, on_dates)
    for name in anonymise.BLANK["people.Person"]:
        setattr(person, name, "")
    person.safe_to_text = person.safe_to_leave_voicemail = False
    person.save()
    removed["people.Person"] = 1
    return removed


def _blank(model: type[models.Model], rows: models.QuerySet[Any]) -> int:
    label = model_label(model)
    fields = [model._meta.get_field(name) for name in anonymise.BLANK.get(label, ())]
    blanks = {f.name: anonymise.blank_value(f) for f in fields}
    count = rows.update(**blanks) if blanks else rows.count()
    for name in anonymise.JSON_SCRUBBED.get(label, ()):
        for row in rows.only("pk", name):
            model._default_manager.filter(pk=row.pk).update(
                **{name: anonymise.scrub_json(getattr(row, name))}
            )
    return count


def _inbound_delete(person: Person, needles: dict[str, list[str]]) -> int:
    indexes = {recipient_index(phone, channel=Channel.SMS) for phone in needles["phones"]}
    indexes.discard("")
    if not indexes:
        return 0
    return InboundMessage.objects.filter(sender_index__in=indexes).delete()[0]


def _recalls(erasure: Erasure, person: Person) -> list[ExtractRecall]:
    """Pseudonymised extracts already produced whose period held one of the person's referrals:
    recorded for recall (the evaluation audits each extract with its period)."""
    dates = [
        timezone.localtime(at).date()
        for at in Referral.objects.filter(person=person).values_list("stopped_at", flat=True)
    ]
    if not dates:
        return []
    recalls = []
    exports = AuditEvent.objects.filter(
        object_type=EXTRACT_OBJECT_TYPE, scheme_id=person.scheme_id, action=AuditAction.EXPORT
    ).order_by("occurred_at")
    for event in exports:
        start, end = _period(event.changes)
        if start is None or end is None or not any(start <= day <= end for day in dates):
            continue
        recalls.append(
            ExtractRecall.objects.create(
                erasure=erasure,
                extract=event.object_id[:200],
                produced_at=event.occurred_at,
                recipient=event.actor_label[:200],
            )
        )
    return recalls


def _period(changes: Any) -> tuple[dt.date | None, dt.date | None]:
    try:
        return (
            dt.date.fromisoformat(str(changes["from"])),
            dt.date.fromisoformat(str(changes["to"])),
        )
    except (KeyError, TypeError, ValueError):
        return None, None
