"""Where the report reads its frames: the tables (`LiveFrames`) or a scheme's snapshot
(`SnapshotFrames`: the snapshot's rows, with referrals changed since read live, and the police
frames read live when police data was imported since). `frames_source` chooses; see
`snapshot.py` and decision 0012.

pyarrow is imported by the functions that read a snapshot, not when the module loads: it is
heavy, and only large schemes are read from snapshots (decision 0013).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.conf import settings

from diversion.evaluation import frames
from diversion.evaluation.models import FrameSnapshot, FrameSnapshotPart
from diversion.evaluation.snapshot import (
    BY_YEAR,
    PEOPLE,
    changed_since,
    police_marks_of,
    police_watermarks,
    snapshot_build,
)
from diversion.schemes.models import Scheme

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
        touched = changed_since(self.snapshot)
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
        return frames.pool_finish(rows[["police_person_id", "index_date", *PEOPLE[1:]]])

    def outcomes(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        if not self.police_current:
            return self.live.outcomes(start, end)
        return _period(self.snapshot, "outcomes", start, end)

    def stop_searches(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        if not self.police_current:
            return self.live.stop_searches(start, end)
        return _period(self.snapshot, "stop_searches", start, end)


def frames_source(scheme: Scheme, *, snapshot: bool | None = None) -> LiveFrames | SnapshotFrames:
    """Where the report reads its frames: the scheme's snapshot when it has one (`snapshot`
    True or False forces the choice; True builds one when there is none)."""
    if snapshot is False:
        return LiveFrames(scheme.pk)
    found = FrameSnapshot.objects.filter(scheme_id=scheme.pk).order_by("-built_at").first()
    if found is None:
        if not snapshot:
            return LiveFrames(scheme.pk)
        found = snapshot_build(scheme)
    current = police_watermarks(scheme.pk) == police_marks_of(found)
    return SnapshotFrames(found, police_current=current)
