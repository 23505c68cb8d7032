"""When a stored beat schedule fires (the last time before now, the next time after) and how it
reads in words (每天 08:10)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from celery import schedules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# A crontab that matches no day within this many days has no previous/next fire time for the page.
SEARCH_DAYS = 400


def _zone(crontab) -> dt.tzinfo:
    zone = crontab.timezone
    return zone if isinstance(zone, dt.tzinfo) else ZoneInfo(str(zone))


def _parsed(crontab) -> schedules.crontab:
    return schedules.crontab(
        minute=crontab.minute,
        hour=crontab.hour,
        day_of_week=crontab.day_of_week,
        day_of_month=crontab.day_of_month,
        month_of_year=crontab.month_of_year,
    )


def _day_matches(parsed, day: dt.date) -> bool:
    # Celery counts the days of the week from Sunday = 0.
    weekday = day.isoweekday() % 7
    return day.month in parsed.month_of_year and day.day in parsed.day_of_month and weekday in parsed.day_of_week


def previous_fire(crontab, now: dt.datetime) -> dt.datetime | None:
    """The latest time at or before `now` the crontab fires (in its time zone)."""
    zone, parsed = _zone(crontab), _parsed(crontab)
    local = now.astimezone(zone)
    times = sorted(((h, m) for h in parsed.hour for m in parsed.minute), reverse=True)
    for back in range(SEARCH_DAYS):
        day = local.date() - dt.timedelta(days=back)
        if not _day_matches(parsed, day):
            continue
        for hour, minute in times:
            candidate = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
            if candidate <= local:
                return candidate
    return None


def next_fire(crontab, now: dt.datetime) -> dt.datetime | None:
    """The first time after `now` the crontab fires (in its time zone)."""
    zone, parsed = _zone(crontab), _parsed(crontab)
    local = now.astimezone(zone)
    times = sorted((h, m) for h in parsed.hour for m in parsed.minute)
    for ahead in range(SEARCH_DAYS):
        day = local.date() + dt.timedelta(days=ahead)
        if not _day_matches(parsed, day):
            continue
        for hour, minute in times:
            candidate = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
            if candidate > local:
                return candidate
    return None


def _single(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def describe_crontab(crontab) -> str:
    every_day = crontab.day_of_week == crontab.day_of_month == crontab.month_of_year == "*"
    hour, minute = _single(crontab.hour), _single(crontab.minute)
    if every_day and hour is not None and minute is not None:
        return _("Every day at %(time)s") % {"time": f"{hour:02d}:{minute:02d}"}
    if every_day and crontab.hour == "*" and minute is not None:
        return _("Every hour at minute %(minute)s") % {"minute": minute}
    expression = " ".join(
        [crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week]
    )
    return _("Cron schedule %(expression)s") % {"expression": expression}


def interval_seconds(interval) -> int:
    return int(dt.timedelta(**{interval.period: interval.every}).total_seconds())


def describe_interval(interval) -> str:
    seconds = interval_seconds(interval)
    if seconds % 86400 == 0:
        count = seconds // 86400
        return ngettext("Every day", "Every %(count)s days", count) % {"count": count}
    if seconds % 3600 == 0:
        count = seconds // 3600
        return ngettext("Every hour", "Every %(count)s hours", count) % {"count": count}
    count = max(1, seconds // 60)
    return ngettext("Every minute", "Every %(count)s minutes", count) % {"count": count}


def describe(periodic_task) -> str:
    """The stored schedule of a beat row in words; "" when it has none we can read."""
    if periodic_task is None:
        return ""
    if periodic_task.crontab_id:
        return describe_crontab(periodic_task.crontab)
    if periodic_task.interval_id:
        return describe_interval(periodic_task.interval)
    return str(periodic_task.schedule) if periodic_task.clocked_id or periodic_task.solar_id else ""
