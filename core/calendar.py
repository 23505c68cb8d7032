"""Working days in mainland China, the one calendar every deadline is counted on.

A day is a working day unless it is a Saturday, a Sunday or a public holiday; a weekend day the State
Council's notice makes a make-up working day (调休) is a working day. Three sources, in order:

1. the bureau's own table, `CalendarOverride` (admin: 节假日日历), which wins for the days it lists —
   a year the package does not cover yet, or a correction;
2. the `chinese-calendar` package (import `chinese_calendar`), maintained from the State Council's
   yearly notices, for the years it covers;
3. otherwise plain weekends: Saturday and Sunday off. The admin says which years fall back to this.

The override table is small; each process keeps a copy, dropped at once when this process writes it
(`calendar_override_save`) and re-read within `RECHECK_SECONDS` when another process has (a
generation number in the cache), so counting deadlines in a loop costs no query.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import chinese_calendar
from django.core.cache import cache
from django.db import transaction

SATURDAY = 5
RECHECK_SECONDS = 30
_GENERATION_KEY = "core:calendar:generation"
# A run of days off longer than any holiday plus its weekends: a guard against a table that marks
# every day off, not a rule.
_LONGEST_RUN = 400

_lock = threading.Lock()
_memo: dict = {"generation": None, "checked": 0.0, "days": None}


def _package_years() -> tuple[int, int]:
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR = _package_years()


def _generation():
    return cache.get(_GENERATION_KEY, 0)


def _overrides() -> dict[dt.date, tuple[bool, str]]:
    """{date: (is_working_day, name)} from the override table, as this process last read it."""
    now = time.monotonic()
    with _lock:
        if _memo["days"] is not None and now - _memo["checked"] < RECHECK_SECONDS:
            return _memo["days"]
    generation = _generation()
    with _lock:
        if _memo["days"] is not None and _memo["generation"] == generation:
            _memo["checked"] = now
            return _memo["days"]
    from .models import CalendarOverride

    days = {
        row["date"]: (row["is_working_day"], row["name"])
        for row in CalendarOverride.objects.values("date", "is_working_day", "name")
    }
    with _lock:
        _memo.update(generation=generation, checked=now, days=days)
    return days


def forget() -> None:
    """Drop every process's copy of the override table (this one at once, the others within
    RECHECK_SECONDS)."""
    with _lock:
        _memo.update(generation=None, checked=0.0, days=None)
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, timeout=None)


def package_covers(year: int) -> bool:
    return PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR


def coverage(year: int) -> str:
    """Where the year's holidays come from: "package", "table" (the override table has days of a
    year the package does not cover) or "weekends" (neither: only Saturdays and Sundays are off)."""
    if package_covers(year):
        return "package"
    if any(day.year == year for day in _overrides()):
        return "table"
    return "weekends"


def is_working_day(day: dt.date) -> bool:
    override = _overrides().get(day)
    if override is not None:
        return override[0]
    if package_covers(day.year):
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            pass
    return day.weekday() < SATURDAY


def _step(day: dt.date, direction: int) -> dt.date:
    for _ in range(_LONGEST_RUN):
        if is_working_day(day):
            return day
        day += dt.timedelta(days=direction)
    raise ValueError(f"No working day within {_LONGEST_RUN} days of {day}: check the holiday calendar.")


def next_working_day(day: dt.date) -> dt.date:
    """The day itself when it is a working day, else the first working day after it (顺延)."""
    return _step(day, 1)


def previous_working_day(day: dt.date) -> dt.date:
    """The day itself when it is a working day, else the last working day before it (提前)."""
    return _step(day, -1)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (before it when n is negative), `day` itself not counted;
    n = 0 gives `next_working_day(day)`."""
    if n == 0:
        return next_working_day(day)
    direction = 1 if n > 0 else -1
    for _ in range(abs(n)):
        day = _step(day + dt.timedelta(days=direction), direction)
    return day


@transaction.atomic
def calendar_override_save(*, override, by):
    """Create or change one day of the override table, audited; every process sees it from then on."""
    from . import audit
    from .choices import AuditAction
    from .models import CalendarOverride

    before = None
    if override.pk:
        before = audit.snapshot(CalendarOverride.objects.select_for_update().get(pk=override.pk))
    override.name = (override.name or "").strip()
    override.full_clean()
    if override.pk is None and getattr(by, "pk", None) is not None:
        override.created_by = by
    override.save()
    audit.record(actor=by, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=override, before=before)
    forget()
    transaction.on_commit(forget)
    return override
