from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from diversion.reference.loader import load_reference_data


class Command(BaseCommand):
    help = "Load (or refresh) the public code lists: outcomes, offences, ethnicity, AUDIT-C."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_reference_data()
        for name, count in counts.items():
            self.stdout.write(f"{count:>4} {name}")
