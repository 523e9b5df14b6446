from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from diversion.core.startup import demo_accounts_exist


@register(Tags.security, deploy=True)
def no_demo_accounts_in_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.PRODUCTION and kwargs.get("databases") and demo_accounts_exist():
        return [
            Error(
                "Demo accounts exist in a production database.",
                hint="Run `diversion remove_demo_accounts` before starting.",
                id="diversion.E001",
            )
        ]
    return []


@register(Tags.security)
def self_service_address_is_discreet(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The self-service link goes into discreet messages: its address must not give them away."""
    from diversion.messaging.wording import all_discreet_words

    address = str(settings.SELF_SERVICE_BASE_URL).casefold()
    words = [word for word in all_discreet_words() if word in address]
    if words:
        return [
            Error(
                f"SELF_SERVICE_BASE_URL contains {', '.join(repr(w) for w in words)}, which "
                "discreet messages must never show.",
                hint="Serve the self-service pages under a neutral address, such as "
                "https://appointments.example.org.uk.",
                id="diversion.E002",
            )
        ]
    return []
