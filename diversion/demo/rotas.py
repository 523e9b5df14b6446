"""Demo rotas: each provider's workers take telephone assessments on weekdays (and one evening),
which gives the officers' booking page real slots for the next four weeks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from diversion.accounts.models import User
from diversion.accounts.services import user_create
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.scheduling.models import Availability
from diversion.scheduling.services import slots_generate
from diversion.schemes.models import Scheme

# Extra workers so that each scheme has a team; (scheme, name).
TEAM = [
    ("WM", "Aaron Mitchell"),
    ("WM", "Fatima Hussain"),
    ("WM", "Grace Adeyemi"),
    ("WMC", "Owen Davies"),
    ("TV", "Sophie Turner"),
    ("TV", "Imran Akhtar"),
]

WEEKDAY_HOURS = [(dt.time(9, 0), dt.time(12, 45)), (dt.time(13, 30), dt.time(17, 15))]
EVENING = (dt.time(17, 30), dt.time(20, 30))


def create_rotas(*, days: int = 28) -> int:
    for index, (code, name) in enumerate(TEAM):
        email = f"worker{index + 1}.{code.lower()}@demo.diversion.invalid"
        if not User.objects.filter(email=email).exists():
            scheme = Scheme.objects.get(code=code)
            user_create(
                actor=SYSTEM,
                email=email,
                full_name=name,
                role=Role.WORKER,
                organisation=scheme.provider,
                password=settings.DEMO_PASSWORD,
                is_demo=True,
            )
    created = 0
    for scheme in Scheme.objects.all():
        workers = User.objects.filter(organisation=scheme.provider, role=Role.WORKER).order_by("pk")
        for position, worker in enumerate(workers):
            if Availability.objects.filter(worker=worker).exists():
                continue
            for weekday in range(5):
                for starts, ends in WEEKDAY_HOURS:
                    Availability.objects.create(
                        worker=worker,
                        scheme=scheme,
                        weekday=weekday,
                        starts_at=starts,
                        ends_at=ends,
                    )
            # One late shift a week each, on different days, for people who work in the day.
            Availability.objects.create(
                worker=worker,
                scheme=scheme,
                weekday=position % 5,
                starts_at=EVENING[0],
                ends_at=EVENING[1],
            )
        created += slots_generate(scheme_id=scheme.pk, start=timezone.localdate(), days=days)
    return created
