from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from diversion.audit.checkpoints import audit_checkpoints_verify
from diversion.audit.models import AuditEvent
from diversion.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Audit log tools. `audit verify` checks the hash chains, and the chains' heads against "
        "the latest signed checkpoint, and exits non-zero if any row was edited or removed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit_chain_verify()
        checkpoints = audit_checkpoints_verify()
        problems += checkpoints.chain_problems
        count = AuditEvent.objects.count()
        for problem in problems:
            self.stderr.write(f"chain {problem.chain}, event {problem.sequence}: {problem.problem}")
        for line in checkpoints.file_problems:
            self.stderr.write(
                f"checkpoint file {checkpoints.path}, line {line.line}: {line.problem}"
            )
        total = len(problems) + len(checkpoints.file_problems)
        if total:
            raise CommandError(f"The audit log has {total} problem(s) in {count} events.")
        if checkpoints.latest is not None:
            against = (
                f"the checkpoint of {checkpoints.latest.written_at} "
                f"(line {checkpoints.latest.line} of {checkpoints.path})"
            )
        else:
            against = (
                f"no checkpoint yet at {checkpoints.path}: removal of the newest events "
                "cannot be detected until the worker writes one"
            )
        self.stdout.write(
            self.style.SUCCESS(f"The audit log is intact: {count} events checked; {against}.")
        )
