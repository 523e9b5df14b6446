"""Demo accounts never reach production: a deployment check (`check --deploy`) and a startup
check, both registered from AccountsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from diversion.accounts.models import User


def demo_accounts_exist() -> bool:
    try:
        return User.objects.filter(is_demo=True).exists()
    except DatabaseError:
        return False  # tables not created yet: nothing to refuse


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


def refuse_to_start_with_demo_accounts() -> None:
    """A startup check (core.startup): production does not serve while demo accounts exist."""
    if demo_accounts_exist():
        raise ImproperlyConfigured(
            "Demo accounts exist in this database; production will not start. "
            "Remove them with `diversion remove_demo_accounts`."
        )
