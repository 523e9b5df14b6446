"""Refuse to serve production while anything unsafe is in place."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def demo_accounts_exist() -> bool:
    from diversion.accounts.models import User

    try:
        return User.objects.filter(is_demo=True).exists()
    except DatabaseError:
        return False  # tables not created yet: nothing to refuse


def assert_safe_to_start() -> None:
    if settings.PRODUCTION and demo_accounts_exist():
        raise ImproperlyConfigured(
            "Demo accounts exist in this database; production will not start. "
            "Remove them with `diversion remove_demo_accounts`."
        )
