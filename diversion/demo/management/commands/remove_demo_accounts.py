from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from diversion.accounts.models import User
from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, audit_record


class Command(BaseCommand):
    help = (
        "Deactivate and anonymise every demo account (their audit history stays). "
        "Production refuses to start until this has been done."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for user in User.objects.select_for_update(of=("self",)).filter(is_demo=True):
                user.is_active = False
                user.is_demo = False
                user.email = f"removed-demo-{user.pk}@removed.invalid"
                user.set_unusable_password()
                user.save()
                audit_record(
                    actor=SYSTEM, action=AuditAction.UPDATE, obj=user, reason="demo account removed"
                )
                count += 1
        self.stdout.write(self.style.SUCCESS(f"Removed {count} demo accounts."))
