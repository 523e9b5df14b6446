from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from diversion.engagement.deadlines import deadlines_apply


class Command(BaseCommand):
    help = "Apply every scheme's deadlines now (the worker also runs this every 15 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = deadlines_apply()
        self.stdout.write(str(report))
