"""The retention job: applies every kind's schedule, in batches of short transactions.

Each batch takes the next primary keys due (in key order, after the last batch's), treats
exactly those rows and commits, so no lock is held for longer than one batch. The rows due are
found again from the data on every run, so the job is idempotent (deleted rows are gone,
anonymised ones are marked) and resumable (a run that stops leaves its committed batches done
and the next run does the rest). A dry run counts the same rows without changing them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, audit_record
from diversion.core.logging import get_logger
from diversion.retention.holds import Holds, holds_now
from diversion.retention.models import RetentionMark, RetentionRun, RunStatus
from diversion.retention.registry import (
    NO_SCHEME,
    Action,
    RetentionKind,
    Scope,
    retention_kinds,
)
from diversion.retention.schedules import (
    EffectiveSchedule,
    deployment_schedule,
    schedules_for_scheme,
)
from diversion.schemes.models import Scheme

logger = get_logger(__name__)

BATCH_SIZE = 1000
NIGHTLY_MAX_SECONDS = 4 * 3600


DEPLOYMENT = "deployment"


@dataclass
class _Tally:
    """{scheme code, or "deployment": {kind: {"delete" | "anonymise" | "held": rows}}}"""

    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    longest_ms: int = 0
    stop_at: float | None = None  # time.monotonic() past which no new batch starts

    @property
    def out_of_time(self) -> bool:
        return self.stop_at is not None and time.monotonic() >= self.stop_at

    def add(self, where: str, kind: str, what: str, number: int) -> None:
        per_kind = self.counts.setdefault(where, {}).setdefault(kind, {})
        per_kind[what] = per_kind.get(what, 0) + number


Schedules = dict[tuple[int, str], dict[str, EffectiveSchedule]]


def _targets(
    kind: RetentionKind, schedules: Schedules
) -> Iterable[tuple[int, str, EffectiveSchedule]]:
    if kind.scope == Scope.DEPLOYMENT:
        yield NO_SCHEME, DEPLOYMENT, deployment_schedule(kind=kind)
        return
    for (scheme_id, code), per_kind in schedules.items():
        yield scheme_id, code, per_kind[kind.key]


def rows_due(
    kind: RetentionKind, scheme_id: int, cutoff: dt.datetime, holds: Holds
) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """(every row due, the rows due and not held): what the job treats is the second."""
    due = kind.due(scheme_id, cutoff)
    if Action.ANONYMISE in kind.actions and kind.marks:
        marked = RetentionMark.objects.filter(kind=kind.key).values("object_id")
        due = due.exclude(pk__in=marked)
    free = due
    if kind.person_field and holds.person_ids:
        free = free.exclude(**{f"{kind.person_field}__in": sorted(holds.person_ids)})
    if kind.referral_field and holds.referral_ids:
        free = free.exclude(**{f"{kind.referral_field}__in": sorted(holds.referral_ids)})
    return due, free


def _treat_in_batches(
    kind: RetentionKind,
    rows: QuerySet[Any],
    action: str,
    now: dt.datetime,
    run: RetentionRun,
    tally: _Tally,
    batch_size: int,
) -> int:
    assert kind.apply is not None
    size = min(batch_size, kind.batch_size or batch_size)
    done, last = 0, None
    while not tally.out_of_time:
        started = time.perf_counter()
        with transaction.atomic():
            page = rows if last is None else rows.filter(pk__gt=last)
            keys = list(page.order_by("pk").values_list("pk", flat=True)[:size])
            if not keys:
                return done
            done += kind.apply(rows.filter(pk__in=keys), action, now)
            if action == Action.ANONYMISE and kind.marks:
                RetentionMark.objects.bulk_create(
                    [
                        RetentionMark(kind=kind.key, object_id=key, applied_at=now, run=run)
                        for key in keys
                    ],
                    ignore_conflicts=True,
                )
        tally.longest_ms = max(tally.longest_ms, round((time.perf_counter() - started) * 1000))
        last = keys[-1]
    return done


def _kind_run(
    kind: RetentionKind,
    *,
    now: dt.datetime,
    schedules: Schedules,
    holds: Holds,
    dry_run: bool,
    run: RetentionRun,
    tally: _Tally,
    batch_size: int,
) -> None:
    for scheme_id, where, schedule in _targets(kind, schedules):
        if tally.out_of_time:
            return
        cutoff = now - dt.timedelta(days=schedule.period_days)
        due, free = rows_due(kind, scheme_id, cutoff, holds)
        if kind.honours_legal_hold:
            held = due.count() - free.count() if holds.person_ids or holds.referral_ids else 0
            if held:
                tally.add(where, kind.key, "held", held)
        if dry_run:
            tally.add(where, kind.key, schedule.action, free.count())
        elif kind.remove_before is not None:
            number = kind.remove_before(cutoff, batch_size)
            tally.add(where, kind.key, schedule.action, number)
        else:
            number = _treat_in_batches(kind, free, schedule.action, now, run, tally, batch_size)
            tally.add(where, kind.key, schedule.action, number)


def retention_run(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    started_by: str = "system",
    max_seconds: float | None = None,
    kinds: Collection[str] | None = None,
) -> RetentionRun:
    """Apply (or, dry, count) every schedule as of `now`; the run log row says what it did.

    With `max_seconds`, no batch starts after that long: a backlog (a first run on years of
    data) is worked off over several nights, each run going on where the last stopped. With
    `kinds`, only those kinds (by key) run."""
    now = now or timezone.now()
    RetentionRun.objects.filter(status=RunStatus.RUNNING, dry_run=dry_run).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), errors=["Stopped before it finished"]
    )
    run = RetentionRun.objects.create(
        started_at=timezone.now(), as_of=now, dry_run=dry_run, started_by=started_by[:200]
    )
    tally, errors = _Tally(), []
    if max_seconds is not None:
        tally.stop_at = time.monotonic() + max_seconds
    schedules = {
        (scheme_id, code): {s.kind.key: s for s in schedules_for_scheme(scheme_id=scheme_id)}
        for scheme_id, code in Scheme.objects.order_by("pk").values_list("pk", "code")
    }
    holds = holds_now()
    for kind in retention_kinds():
        if kinds is not None and kind.key not in kinds:
            continue
        started = time.monotonic()
        try:
            _kind_run(
                kind,
                now=now,
                schedules=schedules,
                holds=holds,
                dry_run=dry_run,
                run=run,
                tally=tally,
                batch_size=batch_size,
            )
        except (DatabaseError, ValidationError) as error:
            # Recorded, logged by name, and the other kinds still run; the next run retries.
            logger.exception("retention_kind_failed", kind=kind.key)
            errors.append(f"{kind.label}: {type(error).__name__}: {error}"[:500])
        tally.seconds[kind.key] = round(time.monotonic() - started, 3)
        RetentionRun.objects.filter(pk=run.pk).update(counts=tally.counts, seconds=tally.seconds)
    run.counts = tally.counts
    run.errors = errors
    run.longest_transaction_ms = tally.longest_ms
    run.seconds = tally.seconds
    run.stopped_early = tally.out_of_time
    run.status = RunStatus.FAILED if errors else RunStatus.FINISHED
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
        if not dry_run and run.total:
            audit_record(
                actor=SYSTEM,
                action=AuditAction.DELETE,
                object_type="retention.RetentionRun",
                object_id=str(run.pk),
                reason="retention schedule applied",
                changes={"counts": tally.counts, "errors": len(errors)},
            )
    logger.info("retention_run", dry_run=dry_run, counts=tally.counts, errors=len(errors))
    return run


def retention_nightly() -> int:
    """The worker's nightly job: at most RETENTION_MAX_SECONDS (4 hours unless set), so a
    backlog is worked off over several nights without running into the day."""
    limit = float(getattr(settings, "RETENTION_MAX_SECONDS", NIGHTLY_MAX_SECONDS))
    return retention_run(max_seconds=limit).total
