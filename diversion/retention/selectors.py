"""Reads for the retention pages, scoped to the administrator's schemes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from diversion.retention.job import DEPLOYMENT
from diversion.retention.models import RetentionRun
from diversion.retention.registry import Action, retention_kind, retention_kinds
from diversion.schemes.selectors import schemes_for_user


@dataclass(frozen=True)
class ReportLine:
    label: str
    noun: str
    action: str
    rows: int
    held: int

    @property
    def action_label(self) -> str:
        return str(Action(self.action).label)


def visible_places(*, user: Any) -> list[str]:
    """The run log's rows the user may see: their schemes' and the deployment's."""
    return [*schemes_for_user(user=user).values_list("code", flat=True), DEPLOYMENT]


def runs_recent(*, dry_run: bool | None = None) -> QuerySet[RetentionRun]:
    """The run log, newest first. Runs hold counts only; each page shows the rows of the
    viewer's places (`visible_places`)."""
    runs = RetentionRun.objects.order_by("-started_at", "-pk")
    return runs if dry_run is None else runs.filter(dry_run=dry_run)


def run_lines(run: RetentionRun, *, places: list[str]) -> list[ReportLine]:
    totals = run.totals(where=places)
    lines = []
    for kind in retention_kinds():
        for action in kind.actions:
            rows = totals.get((kind.key, action), 0)
            held = totals.get((kind.key, "held"), 0) if action == kind.actions[0] else 0
            if rows or held:
                lines.append(ReportLine(kind.label, kind.noun, action, rows, held))
    return lines


def run_sentence(run: RetentionRun, *, places: list[str]) -> str:
    """ "would delete 1,204 message logs, anonymise 311 people" (or "deleted ...")."""
    by_action: dict[str, list[str]] = {}
    for line in run_lines(run, places=places):
        if line.rows:
            by_action.setdefault(line.action, []).append(f"{line.rows:,} {line.noun}")
    if not by_action:
        return "would change nothing" if run.dry_run else "changed nothing"
    verbs = {Action.DELETE: "delete", Action.ANONYMISE: "anonymise"}
    done = {Action.DELETE: "deleted", Action.ANONYMISE: "anonymised"}
    parts = [
        f"{(verbs if run.dry_run else done)[Action(action)]} {_and(items)}"
        for action, items in by_action.items()
    ]
    return ("would " if run.dry_run else "") + ", ".join(parts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def kind_or_none(key: str) -> Any:
    try:
        return retention_kind(key)
    except LookupError:
        return None
