"""An append-only, hash-chained audit log of who read or changed which personal record.

Each event carries the hash of the one before it in its chain, so editing or removing any row
breaks the chain (`diversion audit verify`). Each chain's head is one locked row: events are
numbered and chained inside the transaction that makes the change they record. There are several
chains (AUDIT_CHAINS), so that concurrent transactions do not all queue behind one row lock
(docs/decisions/0010-striped-audit-chains.md); one transaction always appends to one chain.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out"
    SECOND_FACTOR_SET_UP = "second_factor_set_up", "Set up two-factor authentication"


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    chain = models.PositiveSmallIntegerField(default=1)
    sequence = models.BigIntegerField()
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "schemes.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # How the hash is computed (audit/chain.py): 1 over the values, 2 over their salted digest.
    version = models.PositiveSmallIntegerField(default=2)
    values_salt = models.CharField(max_length=32, blank=True)
    values_digest = models.CharField(max_length=64, blank=True)
    # Set when the person the event is about was erased: `changes`, `reason` and the salt are gone.
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_event_chain_sequence")
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["scheme", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.chain}.{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditPrunePoint(models.Model):
    """Where a chain now starts: its events up to `sequence` were removed at the end of their
    retention period (audit/pruning.py). Signed with the checkpoint key, which the database does
    not hold, so rows removed by anyone else cannot be passed off as pruned."""

    chain = models.PositiveSmallIntegerField(primary_key=True)
    sequence = models.BigIntegerField()
    hash = models.CharField(max_length=64)  # the hash of event `sequence`, the next one's link
    cutoff = models.DateTimeField()
    pruned_at = models.DateTimeField()
    signature = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain {self.chain} starts after #{self.sequence}"


class AuditChainHead(models.Model):
    """A chain's last event number and hash; locked while an event is appended to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)  # the chain's number
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at #{self.sequence}"
