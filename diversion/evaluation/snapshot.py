"""A large scheme's evaluation frames, kept column-wise so a dashboard request does not read the
raw rows (decision 0012).

Reading a year of a scheme of a million referrals from the tables takes 7-15 s on two cores,
however the SQL is written (`benchmarks/evaluation.py`'s baseline). A *snapshot* holds the
scheme's frames whole (referrals with their history, offences, the police people a comparison
pool is drawn from, possession outcomes and stop-and-search records) as Parquet, one row per
frame in `FrameSnapshotPart`; a period is read from it in a fraction of a second.

The figures stay exactly current:
- referrals created, or changed (a status change or an enrolment), after the snapshot are read
  live and replace their rows (`changed_since`), so the operational figures are as of this moment;
- police data changes only by import: once a batch, person or offence is newer than the
  snapshot, the police frames are read live (slow, but right) until the snapshot is built
  again, which `snapshots_refresh` (the background worker, hourly, and after each import) does.

Schemes smaller than `EVALUATION_SNAPSHOT_MIN_REFERRALS` are read live: they are fast anyway.

pyarrow is imported where a snapshot is written or read, not when the module loads: it is heavy,
and only the background worker and large schemes' dashboards need it (decision 0013).
"""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_q.tasks import async_task

from diversion.courses.models import Enrolment
from diversion.evaluation import frames
from diversion.evaluation.columns import OUTCOMES, REFERRALS, STOP_SEARCHES
from diversion.evaluation.models import (
    FrameSnapshot,
    FrameSnapshotPart,
    ImportBatch,
    PoliceOffence,
    PolicePerson,
)
from diversion.referrals.models import Referral, StatusChange
from diversion.schemes.models import Scheme

# How many changed referrals the live rows may cover before the snapshot is built again.
REBUILD_AFTER_TOUCHED = 10_000
REBUILD_AFTER = dt.timedelta(hours=24)
_ROW_GROUP = 65_536
PEOPLE = ["police_person_id", "date_of_birth", "sex", "ethnicity", "local_authority"]
# Frames read by period are stored one part per calendar year ("referrals:2025"), so a year's
# dashboard reads two small parts, not the whole scheme: (date column, the live frame's columns).
BY_YEAR: dict[str, tuple[str, dict[str, str]]] = {
    "referrals": ("referred_on", REFERRALS),
    "outcomes": ("offence_date", OUTCOMES),
    "stop_searches": ("searched_on", STOP_SEARCHES),
}


def min_referrals() -> int:
    return int(settings.EVALUATION_SNAPSHOT_MIN_REFERRALS)


# --- What the snapshot has seen -----------------------------------------------------------------


def _max(queryset: Any) -> int:
    return int(queryset.aggregate(m=Max("pk"))["m"] or 0)


def watermarks(scheme_id: int) -> dict[str, int]:
    """The highest ids a snapshot built now has seen. Read before the frames: anything newer is
    then read live, at worst twice, never missed."""
    return {
        "referral_max_id": _max(Referral.objects.filter(scheme_id=scheme_id)),
        "status_change_max_id": _max(StatusChange.objects.all()),
        "enrolment_max_id": _max(Enrolment.objects.all()),
        **police_watermarks(scheme_id),
    }


def data_version(scheme_id: int) -> str:
    """Changes whenever referrals, their history, their course places or the police data change
    (the highest ids, one index look-up each: the same marks a snapshot records), so a cached
    report is never out of date."""
    return "-".join(str(value) for value in watermarks(scheme_id).values())


def police_watermarks(scheme_id: int) -> dict[str, int]:
    return {
        "batch_max_id": _max(ImportBatch.objects.filter(scheme_id=scheme_id)),
        "police_person_max_id": _max(PolicePerson.objects.filter(scheme_id=scheme_id)),
        "offence_max_id": _max(PoliceOffence.objects.filter(scheme_id=scheme_id)),
    }


def changed_since(snapshot: FrameSnapshot) -> set[int]:
    """Referrals created or changed since the snapshot was built."""
    scheme_id = snapshot.scheme_id
    ids = set(
        Referral.objects.filter(scheme_id=scheme_id, pk__gt=snapshot.referral_max_id).values_list(
            "pk", flat=True
        )
    )
    ids.update(
        StatusChange.objects.filter(
            pk__gt=snapshot.status_change_max_id, referral__scheme_id=scheme_id
        ).values_list("referral_id", flat=True)
    )
    ids.update(
        Enrolment.objects.filter(
            pk__gt=snapshot.enrolment_max_id, referral__scheme_id=scheme_id
        ).values_list("referral_id", flat=True)
    )
    return ids


# --- Building ------------------------------------------------------------------------------------


def _parquet(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, buffer, row_group_size=_ROW_GROUP, compression="zstd")
    return buffer.getvalue()


def _whole_frames(scheme_id: int) -> dict[str, pd.DataFrame]:
    ids = [scheme_id]
    offences = frames.offence_rows(PoliceOffence.objects.filter(scheme_id=scheme_id))
    offences["offence_date"] = frames.as_dates(offences["offence_date"])
    offences["disposal_date"] = frames.as_dates(offences["disposal_date"])
    offences["person_id"] = offences["person_id"].astype("Int64")
    offences["is_possession"] = offences["is_possession"].astype(bool)
    offences["disposal"] = offences["disposal"].fillna("")
    people = frames.query_frame(
        PolicePerson.objects.filter(scheme_id=scheme_id, person__isnull=True)
        .order_by()
        .values_list("pk", "date_of_birth", "sex", "ethnicity", "local_authority"),
        PEOPLE,
    )
    people["date_of_birth"] = frames.as_dates(people["date_of_birth"])
    return {
        "referrals": frames.referrals_frame(scheme_ids=ids).sort_values(
            ["referred_on", "referral_id"]
        ),
        "offences": offences.sort_values(["offence_date", "police_person_id"]),
        "police_people": people.sort_values("police_person_id"),
        "outcomes": frames.outcomes_frame(scheme_ids=ids).sort_values("offence_date"),
        "stop_searches": frames.stop_searches_frame(scheme_ids=ids).sort_values("searched_on"),
    }


def snapshot_build(scheme: Scheme) -> FrameSnapshot:
    """Build the scheme's snapshot and replace the one before (a background job: about a
    minute for a million referrals and five million police records)."""
    started = time.perf_counter()
    marks = watermarks(scheme.pk)
    whole = _whole_frames(scheme.pk)
    payloads = {}
    for name, frame in whole.items():
        if name in BY_YEAR and not frame.empty:
            years = frame[BY_YEAR[name][0]].dt.year
            for year, part in frame.groupby(years):
                payloads[f"{name}:{year}"] = _parquet(part)
        elif name not in BY_YEAR:
            payloads[name] = _parquet(frame)
    with transaction.atomic():
        snapshot = FrameSnapshot.objects.create(
            scheme_id=scheme.pk,
            built_at=timezone.now(),
            build_seconds=round(time.perf_counter() - started, 2),
            rows={name: len(frame) for name, frame in whole.items()},
            **marks,
        )
        FrameSnapshotPart.objects.bulk_create(
            FrameSnapshotPart(snapshot=snapshot, name=name, payload=payload)
            for name, payload in payloads.items()
        )
        FrameSnapshot.objects.filter(scheme_id=scheme.pk).exclude(pk=snapshot.pk).delete()
    return snapshot


def snapshot_due(scheme: Scheme, *, now: dt.datetime | None = None) -> str:
    """Why the scheme's snapshot should be built now, or "" when it need not be."""
    snapshot = FrameSnapshot.objects.filter(scheme_id=scheme.pk).order_by("-built_at").first()
    if snapshot is None:
        if Referral.objects.filter(scheme_id=scheme.pk).count() >= min_referrals():
            return "no snapshot yet"
        return ""
    if police_watermarks(scheme.pk) != police_marks_of(snapshot):
        return "police data imported since"
    if (now or timezone.now()) - snapshot.built_at >= REBUILD_AFTER:
        return "a day old"
    if len(changed_since(snapshot)) > REBUILD_AFTER_TOUCHED:
        return f"more than {REBUILD_AFTER_TOUCHED:,} referrals changed since"
    return ""


def snapshots_refresh() -> dict[str, str]:
    """Build every snapshot that is due (the background worker's hourly job, and after an
    import). Returns each scheme code built and why."""
    built: dict[str, str] = {}
    for scheme in Scheme.objects.order_by("pk"):
        reason = snapshot_due(scheme)
        if reason:
            snapshot_build(scheme)
            built[scheme.code] = reason
    return built


def snapshot_refresh_queue(scheme_id: int) -> None:
    """After an import: if the scheme keeps a snapshot, have the background worker build it
    again now rather than within the hour (until then the police frames are read live)."""
    if FrameSnapshot.objects.filter(scheme_id=scheme_id).exists():
        async_task(snapshots_refresh, task_name="evaluation snapshots")


def police_marks_of(snapshot: FrameSnapshot) -> dict[str, int]:
    return {
        "batch_max_id": snapshot.batch_max_id,
        "police_person_max_id": snapshot.police_person_max_id,
        "offence_max_id": snapshot.offence_max_id,
    }
