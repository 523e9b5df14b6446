"""A large scheme's evaluation frames, kept column-wise so a dashboard request does not read the
raw rows (decision 0012).

Reading a year of a scheme of a million referrals from the tables takes 7-15 s on two cores,
however the SQL is written (`benchmarks/evaluation.py`'s baseline). A *snapshot* holds the
scheme's frames whole (referrals with their history, offences, the police people a comparison
pool is drawn from, possession outcomes and stop-and-search records) as Parquet, one row per
frame in `FrameSnapshotPart`; a period is read from it in a fraction of a second.

The figures stay exactly current:
- referrals created, or changed (a status change or an enrolment), after the snapshot are read
  live and replace their rows (`_touched`), so the operational figures are as of this moment;
- police data changes only by import: once a batch, person or offence is newer than the
  snapshot, the police frames are read live (slow, but right) until the snapshot is built
  again, which `snapshots_refresh` (the background worker, hourly, and after each import) does.

Schemes smaller than `EVALUATION_SNAPSHOT_MIN_REFERRALS` are read live: they are fast anyway.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from diversion.evaluation import frames
from diversion.evaluation.columns import OUTCOMES, REFERRALS, STOP_SEARCHES
from diversion.evaluation.models import (
    FrameSnapshot,
    FrameSnapshotPart,
    ImportBatch,
    PoliceOffence,
    PolicePerson,
)

# How many changed referrals the live rows may cover before the snapshot is built again.
REBUILD_AFTER_TOUCHED = 10_000
REBUILD_AFTER = dt.timedelta(hours=24)
_ROW_GROUP = 65_536
_PEOPLE = ["police_person_id", "date_of_birth", "sex", "ethnicity", "local_authority"]
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
    from diversion.courses.models import Enrolment
    from diversion.referrals.models import Referral, StatusChange

    return {
        "referral_max_id": _max(Referral.objects.filter(scheme_id=scheme_id)),
        "status_change_max_id": _max(StatusChange.objects.all()),
        "enrolment_max_id": _max(Enrolment.objects.all()),
        **police_watermarks(scheme_id),
    }


def police_watermarks(scheme_id: int) -> dict[str, int]:
    return {
        "batch_max_id": _max(ImportBatch.objects.filter(scheme_id=scheme_id)),
        "police_person_max_id": _max(PolicePerson.objects.filter(scheme_id=scheme_id)),
        "offence_max_id": _max(PoliceOffence.objects.filter(scheme_id=scheme_id)),
    }


def _touched(snapshot: FrameSnapshot) -> set[int]:
    """Referrals created or changed since the snapshot was built."""
    from diversion.courses.models import Enrolment
    from diversion.referrals.models import Referral, StatusChange

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
        _PEOPLE,
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


def snapshot_build(scheme: Any) -> FrameSnapshot:
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


def snapshot_due(scheme: Any, *, now: dt.datetime | None = None) -> str:
    """Why the scheme's snapshot should be built now, or "" when it need not be."""
    from diversion.referrals.models import Referral

    snapshot = FrameSnapshot.objects.filter(scheme_id=scheme.pk).order_by("-built_at").first()
    if snapshot is None:
        if Referral.objects.filter(scheme_id=scheme.pk).count() >= min_referrals():
            return "no snapshot yet"
        return ""
    if police_watermarks(scheme.pk) != _police_marks_of(snapshot):
        return "police data imported since"
    if (now or timezone.now()) - snapshot.built_at >= REBUILD_AFTER:
        return "a day old"
    if len(_touched(snapshot)) > REBUILD_AFTER_TOUCHED:
        return f"more than {REBUILD_AFTER_TOUCHED:,} referrals changed since"
    return ""


def snapshots_refresh() -> dict[str, str]:
    """Build every snapshot that is due (the background worker's hourly job, and after an
    import). Returns each scheme code built and why."""
    from diversion.schemes.models import Scheme

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
        from django_q.tasks import async_task

        async_task(
            "diversion.evaluation.snapshot.snapshots_refresh", task_name="evaluation snapshots"
        )


def _police_marks_of(snapshot: FrameSnapshot) -> dict[str, int]:
    return {
        "batch_max_id": snapshot.batch_max_id,
        "police_person_max_id": snapshot.police_person_max_id,
        "offence_max_id": snapshot.offence_max_id,
    }


# --- Reading -------------------------------------------------------------------------------------

_memory: dict[tuple[int, int, str], Any] = {}
_memory_lock = threading.Lock()


def forget() -> None:
    """Drop the tables this process keeps (tests; the benchmark's cold runs)."""
    with _memory_lock:
        _memory.clear()


def _table(snapshot: FrameSnapshot, name: str) -> Any:
    """The frame as an Arrow table, kept in this process while the snapshot is the scheme's
    latest (a server process reads each part of a snapshot once)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    key = (snapshot.scheme_id, snapshot.pk, name)
    with _memory_lock:
        found = _memory.get(key)
    if found is not None:
        return found
    payload = (
        FrameSnapshotPart.objects.filter(snapshot_id=snapshot.pk, name=name)
        .values_list("payload", flat=True)
        .first()
    )
    if payload is None:
        raise FrameSnapshot.DoesNotExist(f"snapshot {snapshot.pk} has no {name}")
    # One thread (threaded decoding spins against the other processes on a busy server), and
    # strings kept as dictionaries until a period is chosen (`_pandas`): 3x faster to decode.
    data = bytes(payload)
    strings = [f.name for f in pq.read_schema(io.BytesIO(data)) if pa.types.is_string(f.type)]
    table = pq.read_table(io.BytesIO(data), use_threads=False, read_dictionary=strings)
    if getattr(settings, "EVALUATION_SNAPSHOT_MEMORY", True):
        with _memory_lock:
            for old in [k for k in _memory if k[0] == snapshot.scheme_id and k[1] != snapshot.pk]:
                del _memory[old]  # the scheme's older snapshot: memory stays bounded
            _memory[key] = table
    return table


def _pandas(table: Any) -> pd.DataFrame:
    """The Arrow table as the frame it was stored from (dictionaries back to strings)."""
    import pyarrow as pa

    columns = [
        column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
        for column in table.columns
    ]
    plain = pa.table(columns, names=table.column_names, metadata=table.schema.metadata)
    return plain.to_pandas().reset_index(drop=True)


def _period(snapshot: FrameSnapshot, name: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The rows of a frame stored by year (`BY_YEAR`) from `start` to `end` inclusive."""
    import pyarrow as pa

    column, columns = BY_YEAR[name]
    stored = set(
        FrameSnapshotPart.objects.filter(
            snapshot_id=snapshot.pk, name__startswith=f"{name}:"
        ).values_list("name", flat=True)
    )
    wanted = [f"{name}:{year}" for year in range(start.year, end.year + 1)]
    tables = [_table(snapshot, part) for part in wanted if part in stored]
    if not tables:
        return frames.empty(columns)
    table = _between(pa.concat_tables(tables), column, start, end)
    return _pandas(table) if table.num_rows else frames.empty(columns)


def _between(table: Any, column: str, start: dt.date | None, end: dt.date | None) -> Any:
    import pyarrow.compute as pc

    mask = None
    if start is not None:
        mask = pc.greater_equal(table[column], pd.Timestamp(start))
    if end is not None:
        upper = pc.less_equal(table[column], pd.Timestamp(end))
        mask = upper if mask is None else pc.and_(mask, upper)
    return table if mask is None else table.filter(mask)


@dataclass
class LiveFrames:
    """The frames read from the tables (every scheme below the snapshot size, and tests)."""

    scheme_id: int
    kind: str = "live"

    def referrals(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        return frames.referrals_frame(scheme_ids=[self.scheme_id], start=start, end=end)

    def offences(
        self, start: dt.date, end: dt.date, referred: Collection[int] = ()
    ) -> pd.DataFrame:
        return frames.offences_frame(scheme_ids=[self.scheme_id], people_of=(start, end))

    def pool(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        return frames.pool_frame(scheme_ids=[self.scheme_id], start=start, end=end)

    def outcomes(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        return frames.outcomes_frame(scheme_ids=[self.scheme_id], start=start, end=end)

    def stop_searches(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        return frames.stop_searches_frame(scheme_ids=[self.scheme_id], start=start, end=end)


@dataclass
class SnapshotFrames:
    """The frames from a snapshot, with referrals changed since read live, and the police
    frames read live when police data was imported since (`police_current` False)."""

    snapshot: FrameSnapshot
    police_current: bool
    kind: str = "snapshot"

    @property
    def live(self) -> LiveFrames:
        return LiveFrames(self.snapshot.scheme_id)

    def referrals(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        frame = _period(self.snapshot, "referrals", start, end)
        touched = _touched(self.snapshot)
        if touched:
            frame = frame[~frame["referral_id"].isin(touched)]
            fresh = frames.referrals_frame(
                scheme_ids=[self.snapshot.scheme_id], start=start, end=end, ids=touched
            )
            if not fresh.empty:
                frame = pd.concat([frame, fresh], ignore_index=True) if len(frame) else fresh
        return frame.sort_values("referral_id").reset_index(drop=True)

    def offences(
        self, start: dt.date, end: dt.date, referred: Collection[int] = ()
    ) -> pd.DataFrame:
        """The offences of the people referred in the period (`referred`: their person ids)
        and of the comparison pool, of any date."""
        if not self.police_current:
            return self.live.offences(start, end)
        import pyarrow as pa
        import pyarrow.compute as pc

        table = _table(self.snapshot, "offences")
        pool_ids = self._pool_ids(start, end)
        mask = pc.or_(
            pc.is_in(table["person_id"], value_set=pa.array(list(referred), pa.int64())),
            pc.is_in(table["police_person_id"], value_set=pa.array(pool_ids, pa.int64())),
        )
        rows = _pandas(table.filter(pc.fill_null(mask, False)))
        return frames.offences_finish(rows)

    def _pool_ids(self, start: dt.date, end: dt.date) -> list[int]:
        return [int(i) for i in self._pool_index_dates(start, end)["police_person_id"]]

    def _pool_index_dates(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        import pyarrow.compute as pc

        table = _between(_table(self.snapshot, "offences"), "offence_date", start, end)
        table = table.filter(pc.and_(table["is_possession"], pc.is_null(table["person_id"])))
        grouped = table.group_by("police_person_id").aggregate([("offence_date", "min")])
        return _pandas(grouped.rename_columns(["police_person_id", "index_date"]))

    def pool(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        if not self.police_current:
            return self.live.pool(start, end)
        import pyarrow as pa
        import pyarrow.compute as pc

        index_dates = self._pool_index_dates(start, end)
        people = _table(self.snapshot, "police_people")
        ids = pa.array(index_dates["police_person_id"].to_numpy(), pa.int64())
        people = _pandas(people.filter(pc.is_in(people["police_person_id"], value_set=ids)))
        rows = index_dates.merge(people, on="police_person_id")
        return frames.pool_finish(rows[["police_person_id", "index_date", *_PEOPLE[1:]]])

    def outcomes(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        if not self.police_current:
            return self.live.outcomes(start, end)
        return _period(self.snapshot, "outcomes", start, end)

    def stop_searches(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        if not self.police_current:
            return self.live.stop_searches(start, end)
        return _period(self.snapshot, "stop_searches", start, end)


def frames_source(scheme: Any, *, snapshot: bool | None = None) -> LiveFrames | SnapshotFrames:
    """Where the report reads its frames: the scheme's snapshot when it has one (`snapshot`
    True or False forces the choice; True builds one when there is none)."""
    if snapshot is False:
        return LiveFrames(scheme.pk)
    found = FrameSnapshot.objects.filter(scheme_id=scheme.pk).order_by("-built_at").first()
    if found is None:
        if not snapshot:
            return LiveFrames(scheme.pk)
        found = snapshot_build(scheme)
    current = police_watermarks(scheme.pk) == _police_marks_of(found)
    return SnapshotFrames(found, police_current=current)
