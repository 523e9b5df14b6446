"""Demo accounts: one for each role in West Midlands, plus a few in the other schemes so that
scoping can be seen. Every one has an authenticator already set up, whose current code the
demo sign-in page shows."""

from __future__ import annotations

import random

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from diversion.accounts.models import User
from diversion.accounts.services import user_create
from diversion.audit.services import SYSTEM
from diversion.core.roles import Role
from diversion.schemes.models import Organisation, Scheme

DEMO_DOMAIN = "demo.diversion.invalid"

# (email local part, full name, role, scheme code, which organisation of the scheme)
ACCOUNTS = [
    ("officer", "PC Sam Whitmore", Role.OFFICER, "WM", "force"),
    ("supervisor", "Sgt Priya Kaur", Role.POLICE_SUPERVISOR, "WM", "force"),
    ("worker", "Jordan Ellis", Role.WORKER, "WM", "provider"),
    ("facilitator", "Megan O'Connor", Role.FACILITATOR, "WM", "provider"),
    ("manager", "Daniel Osei", Role.PROVIDER_MANAGER, "WM", "provider"),
    ("analyst", "Hannah Brooks", Role.ANALYST, "WM", "commissioner"),
    ("evaluator", "Dr Aisha Rahman", Role.EVALUATOR, "WM", "evaluator"),
    ("admin", "Chris Patel", Role.SCHEME_ADMIN, "WM", "commissioner"),
    ("officer.westmercia", "PC Tom Hughes", Role.OFFICER, "WMC", "force"),
    ("worker.westmercia", "Rhiannon Price", Role.WORKER, "WMC", "provider"),
    ("officer.thamesvalley", "PC Lucy Chen", Role.OFFICER, "TV", "force"),
    ("admin.thamesvalley", "Mark Fletcher", Role.SCHEME_ADMIN, "TV", "commissioner"),
]


def create_accounts(*, seed: int = 2026) -> list[User]:
    rng = random.Random(seed)
    users = []
    for local, name, role, scheme_code, organisation_kind in ACCOUNTS:
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            scheme = Scheme.objects.get(code=scheme_code)
            organisation = (
                scheme.evaluators.first()
                if organisation_kind == "evaluator"
                else getattr(scheme, organisation_kind)
            )
            assert isinstance(organisation, Organisation)
            user = user_create(
                actor=SYSTEM,
                email=email,
                full_name=name,
                role=role,
                organisation=organisation,
                password=settings.DEMO_PASSWORD,
                is_demo=True,
            )
            TOTPDevice.objects.create(
                user=user,
                name="Demo authenticator",
                confirmed=True,
                key=rng.getrandbits(160).to_bytes(20, "big").hex(),
            )
        users.append(user)
    return users
