from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from diversion.core.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    verified = bool(user and user.is_authenticated and user.is_verified())
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": navigation_for(request) if verified else [],
        "signed_in": verified,
        "demo_mode": settings.DEMO_MODE,
    }
