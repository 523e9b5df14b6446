"""The kinds of record retention knows, as data: what each is, what starts its clock, the
actions it allows, its default period, and how the job finds and treats its rows.

Kinds whose models live in apps below retention are declared in `kinds.py`; an app above
(the API's idempotency records, the evaluation's police data and snapshots) registers its own
from its `AppConfig.ready()` with `retention_kind_register`, so retention never imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet


class Clock(models.TextChoices):
    REFERRAL_CLOSED = "referral_closed", "the referral closed"
    LAST_REFERRAL_CLOSED = "last_referral_closed", "the person's last referral closed"
    CREATED = "created", "the record was made"
    IMPORTED = "imported", "the police data was imported"
    USED_OR_EXPIRED = "used_or_expired", "the link was used or expired"
    SESSION_EXPIRED = "session_expired", "the session expired"


class Action(models.TextChoices):
    DELETE = "delete", "Delete"
    ANONYMISE = "anonymise", "Anonymise"


class Scope(models.TextChoices):
    SCHEME = "scheme", "Each scheme's records"
    DEPLOYMENT = "deployment", "The whole deployment (the longest period any scheme sets)"


# due(scheme_id, cutoff): the rows whose clock started at or before `cutoff`, whatever their
# legal hold (the job excludes held rows through `person_field` / `referral_field`). A kind kept
# for the whole deployment is given NO_SCHEME and ignores it.
Due = Callable[[int, dt.datetime], QuerySet[Any]]
NO_SCHEME = 0
# apply(rows, action, now): treats exactly these rows, inside the job's short transaction.
Apply = Callable[[QuerySet[Any], str, dt.datetime], int]
# remove_before(cutoff, batch_size): a kind whose owner removes its rows itself, in its own
# short transactions (audit events, behind a signed prune point).
RemoveBefore = Callable[[dt.datetime, int], int]


@dataclass(frozen=True)
class RetentionKind:
    key: str
    label: str
    records: str  # the records, in words, for the schedule and the data protection officer
    noun: str  # what the dry run counts, plural: "message logs", "people"
    clock: str
    actions: tuple[str, ...]
    default_action: str
    default_days: int
    due: Due
    apply: Apply | None = None
    remove_before: RemoveBefore | None = None
    scope: str = Scope.SCHEME
    person_field: str | None = None  # lookup from a row to its person's id, for legal hold
    referral_field: str | None = None  # lookup from a row to its referral's id
    order: int = 100
    marks: bool = True  # anonymised rows marked by the job (False: the owner marks them)
    batch_size: int | None = None  # smaller batches where one row is much work (a person)

    def __post_init__(self) -> None:
        if self.default_action not in self.actions:
            raise ValueError(f"{self.key}: the default action must be one it allows")
        if not set(self.actions) <= set(Action.values):
            raise ValueError(f"{self.key}: unknown action in {self.actions}")
        if self.clock not in Clock.values or self.scope not in Scope.values:
            raise ValueError(f"{self.key}: unknown clock or scope")
        if (self.apply is None) == (self.remove_before is None):
            raise ValueError(f"{self.key}: give either apply or remove_before")
        if self.remove_before is not None and (self.person_field or self.referral_field):
            raise ValueError(f"{self.key}: rows removed by their owner cannot honour legal hold")
        if self.default_days < 0:
            raise ValueError(f"{self.key}: a period cannot be negative")

    @property
    def clock_label(self) -> str:
        return str(Clock(self.clock).label)

    @property
    def honours_legal_hold(self) -> bool:
        return bool(self.person_field or self.referral_field)


_KINDS: dict[str, RetentionKind] = {}


def retention_kind_register(kind: RetentionKind) -> None:
    """Add a kind (registering the same key again replaces it)."""
    _KINDS[kind.key] = kind


def retention_kinds() -> list[RetentionKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def retention_kind(key: str) -> RetentionKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"No retention kind {key!r}") from None
