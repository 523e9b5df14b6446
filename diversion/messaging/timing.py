"""When a message may go: quiet hours and the times of the reminders (rules in `wording.py`).

Every function takes the moment it is asked about, so tests pass a fake clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULT_QUIET_HOURS = (21, 8)
DAY_BEFORE_AT = dt.time(18, 0)
TWO_HOURS = dt.timedelta(hours=2)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def quiet_hours() -> tuple[int, int] | None:
    """(start hour, end hour) in UK time, or None when switched off."""
    configured = getattr(settings, "MESSAGING_QUIET_HOURS", DEFAULT_QUIET_HOURS)
    if not configured:
        return None
    start, end = configured
    return int(start), int(end)


def in_quiet_hours(moment: dt.datetime) -> bool:
    hours = quiet_hours()
    if hours is None:
        return False
    start, end = hours
    hour = moment.astimezone(_zone()).hour
    if start > end:  # across midnight, e.g. 21:00 to 08:00
        return hour >= start or hour < end
    return start <= hour < end


def quiet_hours_end(moment: dt.datetime) -> dt.datetime | None:
    """When a message due at `moment` may go, if `moment` is in quiet hours; otherwise None."""
    hours = quiet_hours()
    if hours is None or not in_quiet_hours(moment):
        return None
    local = moment.astimezone(_zone())
    end_day = local.date()
    if local.hour >= hours[1]:  # the evening: quiet hours end tomorrow morning
        end_day += dt.timedelta(days=1)
    return dt.datetime.combine(end_day, dt.time(hours[1]), tzinfo=_zone())


def send_time(due: dt.datetime) -> dt.datetime:
    """The first moment at or after `due` outside quiet hours."""
    return quiet_hours_end(due) or due


def day_before_due(starts_at: dt.datetime) -> dt.datetime:
    """18:00 UK time the evening before, or the hour before quiet hours begin if that is earlier."""
    local = starts_at.astimezone(_zone())
    evening = dt.datetime.combine(
        local.date() - dt.timedelta(days=1), DAY_BEFORE_AT, tzinfo=_zone()
    )
    hours = quiet_hours()
    if in_quiet_hours(evening) and hours is not None:
        evening = evening.replace(hour=max(hours[0] - 1, 0))
    return evening


def two_hours_due(starts_at: dt.datetime) -> dt.datetime:
    return starts_at - TWO_HOURS
