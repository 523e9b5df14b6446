"""The self-service link goes into discreet messages: a system check, registered from
MessagingConfig.ready(), that its address gives nothing away."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

from diversion.messaging.wording import all_discreet_words


def self_service_address_is_discreet(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The self-service link goes into discreet messages: its address must not give them away."""
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
