from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from diversion.demo.accounts import create_accounts
from diversion.demo.schemes import create_schemes
from diversion.schemes.models import Scheme


class Command(BaseCommand):
    help = "Load the demo data (schemes, organisations, accounts). Does nothing if already loaded."

    def handle(self, *args: Any, **options: Any) -> None:
        if Scheme.objects.filter(code="WM").exists():
            self.stdout.write("Demo data already loaded.")
            return
        with transaction.atomic():
            schemes = create_schemes()
            users = create_accounts()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded: {len(schemes)} schemes, {len(users)} accounts.")
        )
