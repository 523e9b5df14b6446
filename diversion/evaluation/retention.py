"""The evaluation's own records in the retention schedule (registered from `apps.py`): the
police data it imported, the bad-row reports of those imports, and its snapshots.

Police people are anonymised, never deleted, so that the re-offending and comparison figures of
past periods stay as they were: their police identifier and name keys (the only way back to an
identity, by linking) are cleared; their offences, dates and pseudonymous key stay.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from diversion.evaluation.models import FrameSnapshot, ImportBatch, PoliceOffence, PolicePerson
from diversion.retention.registry import Action, Clock, RetentionKind, retention_kind_register

YEAR = 365
SIX_YEARS = 6 * YEAR + 2


def _police_people_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[PolicePerson]:
    """People whose every offence came in a batch imported at or before the cutoff."""
    offences = PoliceOffence.objects.filter(police_person=OuterRef("pk"))
    return PolicePerson.objects.filter(scheme_id=scheme_id).filter(
        Exists(offences.filter(batch__imported_at__lte=cutoff)),
        ~Exists(offences.filter(batch__imported_at__gt=cutoff)),
        ~Exists(offences.filter(batch__isnull=True)),
    )


def _police_people_anonymise(rows: QuerySet[PolicePerson], action: str, now: dt.datetime) -> int:
    return rows.update(police_id_index="", name_key="")


def _reports_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(scheme_id=scheme_id, imported_at__lte=cutoff)


def _reports_anonymise(rows: QuerySet[ImportBatch], action: str, now: dt.datetime) -> int:
    """The bad rows (which quote the file) go; the batch's counts and checksum stay."""
    return rows.update(report=[])


def _snapshots_due(scheme_id: int, cutoff: dt.datetime) -> QuerySet[FrameSnapshot]:
    return FrameSnapshot.objects.filter(scheme_id=scheme_id, built_at__lte=cutoff)


def _snapshots_delete(rows: QuerySet[FrameSnapshot], action: str, now: dt.datetime) -> int:
    number = rows.count()
    rows.delete()
    return number


def retention_kinds_register() -> None:
    retention_kind_register(
        RetentionKind(
            key="police_data",
            label="Imported police data",
            records="police-recorded offences and the pseudonymous people they belong to",
            noun="police people",
            clock=Clock.IMPORTED,
            actions=(Action.ANONYMISE,),
            default_action=Action.ANONYMISE,
            default_days=SIX_YEARS,
            due=_police_people_due,
            apply=_police_people_anonymise,
            person_field="person_id",
            order=70,
        )
    )
    retention_kind_register(
        RetentionKind(
            key="police_import_reports",
            label="Police data import reports",
            records="the rows an import refused and why, quoting the file",
            noun="import reports",
            clock=Clock.IMPORTED,
            actions=(Action.ANONYMISE,),
            default_action=Action.ANONYMISE,
            default_days=YEAR,
            due=_reports_due,
            apply=_reports_anonymise,
            order=71,
        )
    )
    retention_kind_register(
        RetentionKind(
            key="evaluation_snapshots",
            label="Evaluation snapshots",
            records=(
                "the evaluation's column-wise copies of its frames (record-level extracts are "
                "made on request, downloaded and never stored)"
            ),
            noun="evaluation snapshots",
            clock=Clock.CREATED,
            actions=(Action.DELETE,),
            default_action=Action.DELETE,
            default_days=30,
            due=_snapshots_due,
            apply=_snapshots_delete,
            order=75,
        )
    )
