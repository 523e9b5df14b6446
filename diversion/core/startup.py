"""Refuse to serve production while anything unsafe is in place.

Core knows no other app's data: each app registers what would make starting unsafe with
`startup_check_register` from its `AppConfig.ready()` (accounts: demo accounts). The web server
(`diversion serve` and `diversion.wsgi`) runs them before it serves, in production only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

# A startup check raises django.core.exceptions.ImproperlyConfigured to refuse to start.
StartupCheck = Callable[[], None]

_CHECKS: list[StartupCheck] = []


def startup_check_register(check: StartupCheck) -> None:
    """Run `check` before production starts to serve; registering it again changes nothing."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def assert_safe_to_start() -> None:
    if not settings.PRODUCTION:
        return
    for check in _CHECKS:
        check()
