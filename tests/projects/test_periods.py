"""Quarters, deadlines and timeliness: the rule at the quarter boundary, on weekends, over public
holidays and on make-up working days (调休), counted on core.calendar."""

import datetime as dt

import pytest
from django.test import override_settings

from core import calendar
from core.models import CalendarOverride
from projects import periods
from projects.choices import Timeliness

D = dt.date

# The deadlines read the bureau's holiday table.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget()
    yield
    calendar.forget()


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


def test_deadline_on_a_make_up_saturday_stays_there():
    # Q3 2026 ends Wednesday 30 September; +10 days is Saturday 10 October, a make-up working day
    # (调休) after the National Day holiday: the deadline stays on that Saturday.
    assert D(2026, 10, 10).weekday() == 5
    assert periods.due_date(2026, 3) == D(2026, 10, 10)


def test_deadline_on_an_ordinary_saturday_moves_to_monday():
    # Q2 2026 ends Tuesday 30 June; +11 days is Saturday 11 July → Monday 13 July.
    assert D(2026, 7, 11).weekday() == 5
    assert periods.due_date(2026, 2, days=11) == D(2026, 7, 13)


@pytest.mark.parametrize("days", [1, 3, 5, 7])
def test_deadline_in_the_2026_national_day_holiday_moves_to_the_first_working_day_after_it(days):
    # 1–7 October 2026 are off (国庆节); Thursday 8 October is the first working day.
    assert periods.due_date(2026, 3, days=days) == D(2026, 10, 8)


@override_settings(PROJECTS_QUARTER_DUE_DAYS=3)
def test_the_configured_deadline_moves_past_the_holiday():
    assert periods.due_date(2026, 3) == D(2026, 10, 8)


def test_the_bureau_table_moves_a_deadline_the_package_does_not_know():
    # A day the bureau marks off (say, a local holiday) moves the deadline on.
    calendar.calendar_override_save(
        override=CalendarOverride(date=D(2026, 4, 10), is_working_day=False, name="试验"), by=None
    )
    assert periods.due_date(2026, 1) == D(2026, 4, 13)


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
    due = periods.due_date(2026, 4)  # moved from Sunday 10 January 2027 to Monday 11 January
    assert periods.timeliness(due, D(2027, 1, 10), D(2027, 2, 1)) == Timeliness.ON_TIME  # Sunday
    assert periods.timeliness(due, D(2027, 1, 11), D(2027, 2, 1)) == Timeliness.ON_TIME  # Monday
    assert periods.timeliness(due, D(2027, 1, 12), D(2027, 2, 1)) == Timeliness.LATE
    # Nothing submitted: missing only once the moved deadline has passed.
    assert periods.timeliness(due, None, D(2027, 1, 10)) == Timeliness.NOT_DUE
    assert periods.timeliness(due, None, D(2027, 1, 11)) == Timeliness.NOT_DUE
    assert periods.timeliness(due, None, D(2027, 1, 12)) == Timeliness.MISSING


def test_timeliness_on_the_make_up_saturday():
    due = periods.due_date(2026, 3)  # Saturday 10 October 2026, a 调休 working day
    assert periods.timeliness(due, D(2026, 10, 10), D(2026, 11, 1)) == Timeliness.ON_TIME
    assert periods.timeliness(due, D(2026, 10, 11), D(2026, 11, 1)) == Timeliness.LATE
    assert periods.timeliness(due, None, D(2026, 10, 11)) == Timeliness.MISSING


def test_submitting_on_the_last_day_of_the_quarter_is_on_time():
    due = periods.due_date(2026, 1)
    assert periods.timeliness(due, D(2026, 3, 31), D(2026, 4, 1)) == Timeliness.ON_TIME


# ---------------------------------------------------------------- major-activity notice


@pytest.mark.parametrize(
    ("planned", "report_by"),
    [
        (D(2026, 7, 20), D(2026, 7, 10)),  # Monday: ten days before is a Friday
        (D(2026, 7, 22), D(2026, 7, 10)),  # ten days before is Sunday 12 July → Friday 10 July
        (D(2026, 10, 15), D(2026, 9, 30)),  # 5 October is in the National Day holiday → 30 September
        (D(2026, 10, 18), D(2026, 10, 8)),  # 8 October, the first working day after the holiday
        (D(2026, 10, 20), D(2026, 10, 10)),  # 10 October is a 调休 Saturday: a working day
    ],
)
def test_major_activity_notice_deadline_is_the_last_working_day_on_or_before(planned, report_by):
    assert periods.major_activity_report_by(planned) == report_by


def test_major_activity_reported_on_the_deadline_is_on_time_and_the_day_after_late():
    from projects.services import major_activity_is_late

    planned = D(2026, 10, 15)
    assert not major_activity_is_late(planned, D(2026, 9, 30))
    assert major_activity_is_late(planned, D(2026, 10, 1))  # within the holiday: too late
    assert not major_activity_is_late(D(2026, 10, 20), D(2026, 10, 10))  # on the 调休 Saturday


@override_settings(PROJECTS_MAJOR_ACTIVITY_NOTICE_DAYS=3)
def test_major_activity_notice_days_are_configurable():
    assert periods.major_activity_report_by(D(2026, 10, 9)) == D(2026, 9, 30)
