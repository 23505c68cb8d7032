"""The annual-report deadline moves past weekends and public holidays (core.calendar)."""

import datetime as dt

import pytest
from django.test import override_settings

from core import calendar
from core.models import CalendarOverride
from supervision import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget()
    yield
    calendar.forget()


def test_due_on_a_working_day_stays():
    assert services.annual_report_due_on(2026) == dt.date(2027, 5, 31)  # a Monday


def test_due_on_a_sunday_moves_to_monday():
    assert services.annual_report_due_on(2025) == dt.date(2026, 6, 1)


def test_due_in_the_dragon_boat_holiday_moves_past_it():
    # 31 May – 2 June 2025 were the 端午节 holiday: the 2024 reports were due Tuesday 3 June.
    assert services.annual_report_due_on(2024) == dt.date(2025, 6, 3)


@override_settings(REGISTRY_ANNUAL_REPORT_DUE="10-01")
def test_a_configured_day_in_the_national_day_holiday_moves_to_the_first_working_day_after_it():
    assert services.annual_report_due_on(2025) == dt.date(2026, 10, 8)


def test_the_bureau_table_moves_the_deadline():
    calendar.calendar_override_save(
        override=CalendarOverride(date=dt.date(2027, 5, 31), is_working_day=False, name="试验"), by=None
    )
    assert services.annual_report_due_on(2026) == dt.date(2027, 6, 1)
