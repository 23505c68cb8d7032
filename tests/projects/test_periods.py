"""Quarters, deadlines and timeliness: the rule at the quarter boundary and on weekends."""

import datetime as dt

import pytest
from django.test import override_settings

from projects import periods
from projects.choices import Timeliness

D = dt.date


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (D(2026, 1, 1), (2026, 1)),
        (D(2026, 3, 31), (2026, 1)),
        (D(2026, 4, 1), (2026, 2)),
        (D(2026, 9, 30), (2026, 3)),
        (D(2026, 10, 1), (2026, 4)),
        (D(2026, 12, 31), (2026, 4)),
    ],
)
def test_quarter_of_at_the_boundaries(day, quarter):
    assert periods.quarter_of(day) == quarter


def test_quarter_start_and_end():
    assert periods.quarter_start(2026, 2) == D(2026, 4, 1)
    assert periods.quarter_end(2026, 1) == D(2026, 3, 31)
    assert periods.quarter_end(2028, 1) == D(2028, 3, 31)
    assert periods.quarter_end(2026, 4) == D(2026, 12, 31)


def test_quarters_between_spans_years():
    assert periods.quarters_between(D(2025, 11, 15), D(2026, 4, 1)) == [(2025, 4), (2026, 1), (2026, 2)]


def test_due_ten_days_after_quarter_end_on_a_weekday():
    # Q1 2026 ends Tuesday 31 March; +10 days is Friday 10 April.
    assert periods.due_date(2026, 1) == D(2026, 4, 10)


def test_deadline_on_saturday_moves_to_monday():
    # Q3 2026 ends Wednesday 30 September; +10 days is Saturday 10 October → Monday 12 October.
    assert D(2026, 10, 10).weekday() == 5
    assert periods.due_date(2026, 3) == D(2026, 10, 12)


def test_deadline_on_sunday_moves_to_monday():
    # Q4 2026 ends Thursday 31 December; +10 days is Sunday 10 January 2027 → Monday 11 January.
    assert periods.due_date(2026, 4) == D(2027, 1, 11)


@override_settings(PROJECTS_QUARTER_DUE_DAYS=15)
def test_due_days_are_configurable():
    assert periods.due_date(2026, 1) == D(2026, 4, 15)


def test_timeliness_on_the_deadline_day_is_on_time_and_the_day_after_is_late():
    due = periods.due_date(2026, 1)
    assert periods.timeliness(due, due, D(2026, 5, 1)) == Timeliness.ON_TIME
    assert periods.timeliness(due, due + dt.timedelta(days=1), D(2026, 5, 1)) == Timeliness.LATE


def test_timeliness_with_the_deadline_on_a_weekend():
    due = periods.due_date(2026, 3)  # moved from Saturday 10 October to Monday 12 October
    assert periods.timeliness(due, D(2026, 10, 11), D(2026, 11, 1)) == Timeliness.ON_TIME  # Sunday
    assert periods.timeliness(due, D(2026, 10, 12), D(2026, 11, 1)) == Timeliness.ON_TIME  # Monday
    assert periods.timeliness(due, D(2026, 10, 13), D(2026, 11, 1)) == Timeliness.LATE
    # Nothing submitted: missing only once the moved deadline has passed.
    assert periods.timeliness(due, None, D(2026, 10, 10)) == Timeliness.NOT_DUE
    assert periods.timeliness(due, None, D(2026, 10, 12)) == Timeliness.NOT_DUE
    assert periods.timeliness(due, None, D(2026, 10, 13)) == Timeliness.MISSING


def test_submitting_on_the_last_day_of_the_quarter_is_on_time():
    due = periods.due_date(2026, 1)
    assert periods.timeliness(due, D(2026, 3, 31), D(2026, 4, 1)) == Timeliness.ON_TIME
