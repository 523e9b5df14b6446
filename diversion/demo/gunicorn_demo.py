"""gunicorn settings for the demo's web server (`diversion run` passes them through
GUNICORN_CMD_ARGS; `diversion serve` in production never reads them).

The evaluation's libraries (pandas, statsmodels, lifelines, altair) are imported by the views
that use them, not at start-up; on a busy machine that import took 8 to 14 s on the first
dashboard load in each server process, after the demo load had already built the figures into
the cache. The demo imports them once, in gunicorn's master before it forks its workers, so the
first dashboard load is as fast as the next.
"""

from __future__ import annotations

from typing import Any

preload_app = True


def when_ready(server: Any) -> None:
    """After the application is loaded in the master, before any worker is forked."""
    from django.db import connections

    import diversion.evaluation.pdf
    import diversion.evaluation.selectors  # noqa: F401

    connections.close_all()  # never share a database connection with the forked workers
