"""The subject access export: everything held about a person, found from the model registry
(privacy/graph.py), with third parties redacted by rule, as JSON and as a readable PDF.

A model linked to a person is either exported or in EXCLUDED with the reason (the completeness
test fails for one in neither). Staff are third parties: they appear by role and organisation;
their names only where the scheme discloses them (settings.SAR_DISCLOSE_STAFF_NAMES_SCHEMES).
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from diversion.accounts.models import User
from diversion.audit.models import AuditAction, AuditEvent
from diversion.people.models import Person
from diversion.privacy.graph import model_label, person_paths, person_rows

logging.getLogger("weasyprint").setLevel(logging.WARNING)

# Linked to a person but not exported, and why (docs/information-rights.md repeats this list).
EXCLUDED: dict[str, str] = {
    "people.PersonMatchKey": "keyed hashes of the name for matching: meaningless to a person",
    "engagement.SelfServiceLink": "a secret link token: disclosing it would weaken its security",
    "api.IdempotencyRecord": "a police system's request key and a hash of its request body",
    "evaluation.PolicePerson": "the force's own data, imported for evaluation: the force answers",
    "evaluation.PoliceOffence": "the force's own data, imported for evaluation: the force answers",
    "privacy.ExtractRecall": "the handling of an erasure, not data about the person",
    "privacy.Erasure": "the record that an erasure was done: shown on the request instead",
}
# Fields never exported: technical keys and indexes, not information about the person.
TECHNICAL_FIELDS = frozenset(
    {
        "recipient_index",
        "police_person_id_index",
        "dedupe_key",
        "delivery_key",
        "idempotency_key",
        "stop_token",
        "public_id",
        "key",
        "fingerprint",
    }
)
# Other people named in a person's record: always redacted.
THIRD_PARTY_FIELDS: dict[str, tuple[str, ...]] = {
    "referrals.Referral": ("appropriate_adult_name", "appropriate_adult_phone"),
}
REDACTED = "[redacted: third party]"


@dataclass(frozen=True)
class Section:
    label: str
    title: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class SubjectAccessExport:
    person_id: int
    generated_at: dt.datetime
    sections: list[Section]
    views: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person_id,
            "generated_at": self.generated_at.isoformat(),
            "records": {s.label: s.rows for s in self.sections},
            "who_viewed_the_record": self.views,
            "not_included": EXCLUDED,
        }


def exported_models() -> list[type[models.Model]]:
    return sorted((m for m in person_paths() if model_label(m) not in EXCLUDED), key=model_label)


def staff_names_disclosed(scheme_code: str) -> bool:
    return scheme_code in getattr(settings, "SAR_DISCLOSE_STAFF_NAMES_SCHEMES", ())


class _Users(dict[int, User]):
    """The staff named in an export, read once each as they are met."""

    def __missing__(self, pk: int) -> User | None:  # type: ignore[override]
        user = User.objects.select_related("organisation").filter(pk=pk).first()
        if user is not None:
            self[pk] = user
        return user


def _staff(user: User | None, *, disclose: bool) -> str:
    if user is None:
        return ""
    role = user.get_role_display()
    where = f" ({user.organisation})" if getattr(user, "organisation_id", None) else ""
    name = user.get_full_name() if disclose else ""
    return f"{name}, {role}{where}" if name else f"{role}{where}"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return "[binary]"
    return value


def _row(obj: models.Model, *, disclose: bool, users: dict[int, User]) -> dict[str, Any]:
    label = model_label(type(obj))
    row: dict[str, Any] = {}
    for field in type(obj)._meta.concrete_fields:
        if field.name in TECHNICAL_FIELDS:
            continue
        if field.is_relation:
            target = getattr(obj, field.attname)
            if field.related_model is User:
                row[field.name] = _staff(users[target], disclose=disclose) if target else ""
            else:
                row[field.name] = target
            continue
        value = getattr(obj, field.attname)
        if field.name in THIRD_PARTY_FIELDS.get(label, ()) and value:
            value = REDACTED
        elif field.name == "actor_label" or (field.name == "sender_name" and not disclose):
            value = "" if not disclose else value
        row[field.name] = _plain(value)
    return row


def subject_access_export(*, person: Person) -> SubjectAccessExport:
    """Everything held about the person (the caller audits the export)."""
    disclose = staff_names_disclosed(person.scheme.code)
    users = _Users()
    sections = []
    records: list[tuple[str, str]] = [("people.Person", str(person.pk))]
    for model in exported_models():
        rows = list(person_rows(model, person.pk).order_by("pk"))
        label = model_label(model)
        records += [(label, str(row.pk)) for row in rows]
        sections.append(
            Section(
                label=label,
                title=str(model._meta.verbose_name_plural).capitalize(),
                rows=[_row(row, disclose=disclose, users=users) for row in rows],
            )
        )
    return SubjectAccessExport(
        person_id=person.pk,
        generated_at=timezone.now(),
        sections=sections,
        views=_views(records, disclose=disclose, users=users),
    )


def _views(
    records: list[tuple[str, str]], *, disclose: bool, users: dict[int, User]
) -> list[dict[str, Any]]:
    """Who read the person's records, when and why (the audit log's reads)."""
    match = models.Q()
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in records:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in by_type.items():
        match |= models.Q(object_type=object_type, object_id__in=ids)
    events = AuditEvent.objects.filter(match, action=AuditAction.READ).order_by("occurred_at")
    return [
        {
            "when": _plain(event.occurred_at),
            "who": _staff(users[event.actor_id], disclose=disclose)
            if event.actor_id
            else event.actor_label,
            "why": event.reason,
            "record": event.object_type,
        }
        for event in events
    ]


def export_html(export: SubjectAccessExport, *, request_id: int) -> str:
    return render_to_string(
        "privacy/export_pdf.html",
        {"export": export, "request_id": request_id, "excluded": EXCLUDED},
    )


def export_document(export: SubjectAccessExport, *, request_id: int) -> Any:
    """The laid-out document (a `weasyprint.Document`), imported only when a PDF is asked for."""
    import weasyprint

    return weasyprint.HTML(string=export_html(export, request_id=request_id)).render()


def export_pdf(export: SubjectAccessExport, *, request_id: int) -> bytes:
    content: bytes = export_document(export, request_id=request_id).write_pdf()
    return content
