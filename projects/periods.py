"""Quarters and the timeliness of quarterly submissions.

A quarter's submission is due `quarter_due_days()` (default 10) days after the quarter ends. When
that day is a Saturday or Sunday the deadline moves to the following Monday (顺延至下一个工作日);
public holidays and make-up working days (调休) are not modelled. A quarter is judged by its first
submission: on or before the deadline → on time, after it → late, none by the end of the deadline
day → missing; before then → not yet due. A return and resubmission do not change the judgement.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import pgettext_lazy

from .choices import Timeliness
from .conf import quarter_due_days, quarter_submit_lead_days

SATURDAY = 5


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return quarter_start(year, quarter + 1) - dt.timedelta(days=1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarters_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """Every quarter that overlaps [start, end], in order."""
    result = []
    current, last = quarter_of(start), quarter_of(end)
    while current <= last:
        result.append(current)
        current = next_quarter(*current)
    return result


def next_working_day(day: dt.date) -> dt.date:
    """The day itself on Monday–Friday; the following Monday on a weekend."""
    while day.weekday() >= SATURDAY:
        day += dt.timedelta(days=1)
    return day


def due_date(year: int, quarter: int, days: int | None = None) -> dt.date:
    days = quarter_due_days() if days is None else days
    return next_working_day(quarter_end(year, quarter) + dt.timedelta(days=days))


def timeliness(due: dt.date, submitted_on: dt.date | None, today: dt.date) -> str:
    if submitted_on is not None:
        return Timeliness.ON_TIME if submitted_on <= due else Timeliness.LATE
    return Timeliness.MISSING if today > due else Timeliness.NOT_DUE


def submittable_from(year: int, quarter: int, lead_days: int | None = None) -> dt.date:
    """The first day a quarter may be submitted: its last day, less the configured lead days."""
    lead_days = quarter_submit_lead_days() if lead_days is None else lead_days
    return quarter_end(year, quarter) - dt.timedelta(days=max(0, lead_days))


_QUARTER_LABELS = {
    1: pgettext_lazy("quarter of a year", "Q1 %(year)d"),
    2: pgettext_lazy("quarter of a year", "Q2 %(year)d"),
    3: pgettext_lazy("quarter of a year", "Q3 %(year)d"),
    4: pgettext_lazy("quarter of a year", "Q4 %(year)d"),
}


def quarter_label(year: int, quarter: int) -> str:
    """The quarter as people write it: 2026年第四季度 (Q4 2026 in English)."""
    return str(_QUARTER_LABELS[quarter]) % {"year": year}


def quarter_key(year: int, quarter: int) -> str:
    """The quarter in keys and file names, the same in every language: 2026Q4."""
    return f"{year}Q{quarter}"
