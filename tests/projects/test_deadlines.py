"""Where users see deadlines, they see the holiday-aware ones (core.calendar through projects.periods)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from core import calendar
from projects import services


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget()
    yield
    calendar.forget()


def test_the_project_page_shows_the_quarter_due_on_the_make_up_saturday(world, client_as):
    page = client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    row = re.search(r"<td>2026年第三季度</td><td>([^<]*)</td>", page)
    assert row and row.group(1) == "2026年10月10日"  # the 调休 Saturday after the National Day holiday


def test_the_timeliness_page_states_the_rule(world, client_as):
    page = client_as(world.street_officer).get(reverse("projects:timeliness")).content.decode()
    assert "季度报送截止日为季度结束后第 10 天；截止日为周末或法定节假日的，顺延至下一个工作日" in page


def test_the_major_activity_page_shows_the_working_day_it_was_due(world, client_as):
    report = services.major_activity_report_create(
        by=world.org_user,
        organization=world.org,
        title="社区邻里节",
        planned_date=dt.date(2026, 10, 15),
        place="社区广场",
        expected_participants=300,
        content="游园活动",
    )
    page = client_as(world.org_user).get(report.get_absolute_url()).content.decode()
    # Ten days before is 5 October, in the National Day holiday: due on the last working day before it.
    assert re.search(r'id="report-by">2026年9月30日<', page)
