from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from diversion.demo.accounts import create_accounts
from diversion.demo.casework import create_casework
from diversion.demo.courses import create_course_sessions
from diversion.demo.evaluation import create_evaluation_data, warm_evaluation_cache
from diversion.demo.referrals import create_referrals
from diversion.demo.refusals import create_refusals
from diversion.demo.rotas import create_rotas
from diversion.demo.schemes import create_schemes
from diversion.demo.workday import create_workday
from diversion.scheduling.services import slots_generate_all
from diversion.schemes.models import Scheme


class Command(BaseCommand):
    help = "Load the demo data (schemes, organisations, accounts). Does nothing if already loaded."

    def handle(self, *args: Any, **options: Any) -> None:
        if Scheme.objects.filter(code="WM").exists():
            # Top up the slots so a demo restarted weeks later still has times to book.
            slots = slots_generate_all()
            self.stdout.write(f"Demo data already loaded ({slots} new assessment slots).")
            self._warm()
            return
        with transaction.atomic():
            schemes = create_schemes()
            users = create_accounts()
            slots = create_rotas()
            referrals = create_referrals()
            create_refusals()
            create_casework()
            create_course_sessions()
            create_workday()
            create_evaluation_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {len(schemes)} schemes, {len(users)} accounts, "
                f"{slots} assessment slots, {referrals} referrals."
            )
        )
        self._warm()

    def _warm(self) -> None:
        """The dashboards a newcomer opens first, built now rather than on their first load
        (kept while the data and the day are unchanged: a restart the same day finds them)."""
        took = warm_evaluation_cache()
        self.stdout.write(
            f"Figures for the dashboards built in {sum(took.values()):.0f} s "
            f"({len(took)} reports, cached)."
        )
