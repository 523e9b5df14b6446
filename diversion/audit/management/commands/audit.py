from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from diversion.audit.models import AuditEvent
from diversion.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Audit log tools. `audit verify` checks the hash chain and exits non-zero "
        "if any row was edited or removed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit_chain_verify()
        count = AuditEvent.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(
                    f"chain {problem.chain}, event {problem.sequence}: {problem.problem}"
                )
            raise CommandError(f"The audit log has {len(problems)} problem(s) in {count} events.")
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact: {count} events checked."))
