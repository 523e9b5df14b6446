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
