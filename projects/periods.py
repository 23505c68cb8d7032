"""Quarters, the timeliness of quarterly submissions, and the other deadlines the projects app counts.

A quarter's submission is due `quarter_due_days()` (default 10) calendar days after the quarter ends.
When that day is not a working day — a weekend or a public holiday — the deadline moves to the next
working day (顺延至下一个工作日); a make-up working day (调休) on a weekend is a working day and can be
the deadline. Working days are core.calendar's (the holiday package and the bureau's own table). E.g.
Q3 2026 ends on 30 September: +10 days is Saturday 10 October, a 调休 working day after the National Day
holiday, so that Saturday is the deadline. A quarter is judged by its first
submission: on or before the deadline → on time, after it → late, none by the end of the deadline
day → missing; before then → not yet due. A return and resubmission do not change the judgement.

A major activity must be reported `major_activity_notice_days()` (default 10) calendar days ahead
(`major_activity_report_by`). That deadline counts backwards, so it moves the other way: when the day
N days before the activity is not a working day, the report is due on the last working day before it
(提前至前一个工作日), so that the bureau has it in hand on a working day with at least N days to go.
Moving it later would shorten the notice the rule exists to give. E.g. an activity on Thursday 15
October 2026: 5 October is in the National Day holiday, so the report is due Wednesday 30 September.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import pgettext_lazy

from core.calendar import next_working_day, previous_working_day

from .choices import Timeliness
from .conf import major_activity_notice_days, quarter_due_days, quarter_submit_lead_days


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


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarters_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """Every quarter that overlaps [start, end], in order."""
    result = []
    current, last = quarter_of(start), quarter_of(end)
    while current <= last:
        result.append(current)
        current = next_quarter(*current)
    return result


def due_date(year: int, quarter: int, days: int | None = None) -> dt.date:
    days = quarter_due_days() if days is None else days
    return next_working_day(quarter_end(year, quarter) + dt.timedelta(days=days))


def major_activity_report_by(planned_date: dt.date, days: int | None = None) -> dt.date:
    """The last day a major activity on `planned_date` may be reported without being late."""
    days = major_activity_notice_days() if days is None else days
    return previous_working_day(planned_date - dt.timedelta(days=days))


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
