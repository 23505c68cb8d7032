"""The working-day calendar (core.calendar): the package's holidays and 调休, the bureau's override
table winning over it, plain weekends for a year neither knows, and the admin page that keeps it."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import calendar
from core.models import AuditRecord, CalendarOverride

D = dt.date
LIST = "/admin/core/calendaroverride/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the table anew; a rolled-back test's days are not kept in this process."""
    calendar.forget()
    yield
    calendar.forget()


def override(day, working, name="", by=None):
    return calendar.calendar_override_save(
        override=CalendarOverride(date=day, is_working_day=working, name=name), by=by
    )


# ---------------------------------------------------------------- 2026: 中秋节 and 国庆节


def test_2026_national_day_week_is_off_and_the_make_up_days_are_working_days():
    # 国办发明电〔2025〕7号: 中秋节 25–27 September, 国庆节 1–7 October; 20 September (Sunday) and
    # 10 October (Saturday) are make-up working days.
    for day in [D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27), *(D(2026, 10, d) for d in range(1, 8))]:
        assert not calendar.is_working_day(day), day
    assert D(2026, 10, 1).weekday() == 3  # a Thursday, off
    assert D(2026, 10, 10).weekday() == 5 and calendar.is_working_day(D(2026, 10, 10))  # 调休 Saturday
    assert D(2026, 9, 20).weekday() == 6 and calendar.is_working_day(D(2026, 9, 20))  # 调休 Sunday
    assert calendar.is_working_day(D(2026, 10, 8)) and calendar.is_working_day(D(2026, 9, 30))
    assert not calendar.is_working_day(D(2026, 10, 11))  # an ordinary Sunday


def test_moving_past_the_holiday_and_counting_working_days():
    assert calendar.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)
    assert calendar.next_working_day(D(2026, 10, 8)) == D(2026, 10, 8)  # a working day stays
    assert calendar.next_working_day(D(2026, 10, 10)) == D(2026, 10, 10)  # 调休 Saturday counts
    assert calendar.previous_working_day(D(2026, 10, 5)) == D(2026, 9, 30)
    assert calendar.previous_working_day(D(2026, 9, 27)) == D(2026, 9, 24)
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert calendar.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert calendar.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    # 24 Sep Thu, 28–30 Sep, 8–10 Oct: seven working days.
    assert calendar.add_working_days(D(2026, 9, 23), 7) == D(2026, 10, 10)


def test_the_package_counts_these_years():
    assert calendar.package_covers(2026)
    assert calendar.coverage(2026) == "package"


# ---------------------------------------------------------------- the override table


def test_a_day_in_the_table_wins_over_the_package():
    override(D(2026, 10, 8), working=False, name="延长假期")
    override(D(2026, 10, 11), working=True, name="调休")
    assert not calendar.is_working_day(D(2026, 10, 8))
    assert calendar.next_working_day(D(2026, 10, 1)) == D(2026, 10, 9)
    assert calendar.is_working_day(D(2026, 10, 11))


def test_a_changed_day_is_seen_at_once_and_audited(users):
    admin = users["bureau_admin"]
    day = override(D(2026, 10, 9), working=False, name="补假", by=admin)
    assert not calendar.is_working_day(D(2026, 10, 9))
    day.is_working_day = True
    calendar.calendar_override_save(override=day, by=admin)
    assert calendar.is_working_day(D(2026, 10, 9))
    records = AuditRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(CalendarOverride), object_id=str(day.pk)
    ).order_by("timestamp", "pk")
    assert [r.action for r in records] == ["create", "update"]
    assert records[1].before["is_working_day"] is False and records[1].after["is_working_day"] is True


def test_a_year_neither_knows_falls_back_to_weekends():
    # 2031 is beyond the package: New Year's Day (a Wednesday) counts as a working day, no error.
    assert not calendar.package_covers(2031)
    assert calendar.coverage(2031) == "weekends"
    assert calendar.is_working_day(D(2031, 1, 1))
    assert not calendar.is_working_day(D(2031, 1, 4))  # Saturday
    assert calendar.next_working_day(D(2031, 1, 4)) == D(2031, 1, 6)
    assert calendar.add_working_days(D(2031, 1, 3), 1) == D(2031, 1, 6)


def test_the_table_carries_a_year_the_package_does_not_cover():
    override(D(2031, 1, 1), working=False, name="元旦")
    override(D(2031, 1, 4), working=True, name="元旦调休")
    assert calendar.coverage(2031) == "table"
    assert not calendar.is_working_day(D(2031, 1, 1))
    assert calendar.next_working_day(D(2031, 1, 1)) == D(2031, 1, 2)
    assert calendar.is_working_day(D(2031, 1, 4))


def test_a_date_outside_the_bounds_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as error:
        override(D(1999, 10, 1), working=False, name="国庆节")
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        override(D(2101, 1, 1), working=False)
    assert "date" in error.value.message_dict
    assert not CalendarOverride.objects.exists()


def test_the_same_day_twice_is_refused():
    override(D(2031, 1, 1), working=False)
    with pytest.raises(ValidationError) as error, transaction.atomic():
        override(D(2031, 1, 1), working=True)
    assert "date" in error.value.message_dict


# ---------------------------------------------------------------- the admin page


def test_only_the_bureau_administrator_keeps_the_calendar(client_for):
    from core.testing import assert_role_matrix

    assert_role_matrix(
        client_for,
        "get",
        LIST,
        {
            "bureau_admin": 200,
            "bureau_staff": 302,
            "bureau_viewer": 302,
            "street_officer": 302,
            "org_user": 302,
            None: 302,
        },
    )


def test_the_administrator_adds_a_day_through_the_admin_with_an_audit_record(client_for, users):
    client = client_for("bureau_admin")
    response = client.post(f"{LIST}add/", {"date": "2031-10-01", "is_working_day": "", "name": "国庆节", "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarOverride.objects.get(date=D(2031, 10, 1))
    assert day.created_by == users["bureau_admin"]
    assert not calendar.is_working_day(D(2031, 10, 1))
    assert AuditRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(CalendarOverride), object_id=str(day.pk), action="create"
    ).exists()
    # Malformed and out-of-bounds dates are refused on the form, nothing saved.
    for bad in ("2031-13-01", "1999-10-01", "国庆"):
        page = client.post(f"{LIST}add/", {"date": bad, "name": "x", "_save": "1"})
        assert page.status_code == 200
    assert CalendarOverride.objects.count() == 1
    # Nobody but a superuser deletes a day; a wrong day is changed.
    assert client.post(f"{LIST}{day.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_admin_says_which_years_fall_back_to_weekends(client_for, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2030, 3, 1))
    page = client_for("bureau_admin").get(LIST).content.decode()
    assert "2030：节假日数据包和本表都没有该年的节假日" in page
    assert "2031：节假日数据包和本表都没有该年的节假日" in page
    override(D(2031, 1, 1), working=False, name="元旦")
    page = client_for("bureau_admin").get(LIST).content.decode()
    assert "2030：节假日数据包和本表都没有该年的节假日" in page
    assert "2031：节假日取自本表" in page


def test_the_admin_names_the_package_years(client_for, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 5, 1))
    page = client_for("bureau_admin").get(LIST).content.decode()
    assert f"{calendar.PACKAGE_FIRST_YEAR}–{calendar.PACKAGE_LAST_YEAR}" in page
    assert "2026：节假日数据包和本表都没有" not in page
