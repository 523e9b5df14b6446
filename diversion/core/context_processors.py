from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from diversion.core.navigation import navigation_for
from diversion.core.outage import database_unreachable


def service(request: HttpRequest) -> dict[str, Any]:
    # The error page shown while the database cannot be reached must not read the session.
    user = None if database_unreachable() else getattr(request, "user", None)
    verified = bool(user and user.is_authenticated and user.is_verified())
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": navigation_for(request) if verified else [],
        "signed_in": verified,
        "demo_mode": settings.DEMO_MODE,
    }
