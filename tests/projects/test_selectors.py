"""Reads: timeliness table at the quarter boundary and with a weekend deadline, org home, grid."""

import datetime as dt

import pytest
from django.utils import timezone

from projects import selectors, services
from projects.models import QuarterlySubmission

pytestmark = pytest.mark.django_db


def submit_at(world, project, user, year, quarter, when: dt.datetime):
    submission = services.quarterly_submission_submit(
        project=project, by=user, year=year, quarter=quarter, narrative="x"
    )
    # The clock of the test is today's; the submission is moved to the moment under test.
    QuarterlySubmission.objects.filter(pk=submission.pk).update(first_submitted_at=when)
    return submission


def local(year, month, day, hour=12):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def street_row(user, **kwargs):
    return {row["label"]: row for row in selectors.timeliness_rows(user, **kwargs)}["一街道"]


def test_timeliness_at_the_quarter_boundary(world, users):
    # Q1 due Friday 10 April 2026. 23:59 on the due day is on time; 00:01 the next day is late.
    submit_at(world, world.project, world.org_user, 2026, 1, local(2026, 4, 10, 23) + dt.timedelta(minutes=59))
    submit_at(world, world.district_project, world.org_user, 2026, 1, local(2026, 4, 11, 0) + dt.timedelta(minutes=1))
    row = street_row(users["bureau_staff"], year=2026, quarter=1, today=dt.date(2026, 6, 1))
    assert (row["expected"], row["on_time"], row["late"], row["missing"]) == (2, 1, 1, 0)
    assert row["on_time_rate"] == 50 and row["submission_rate"] == 100


def test_timeliness_with_the_deadline_on_a_make_up_saturday(world, users):
    # Q3 2026: +10 days is Saturday 10 October, a make-up working day (调休) after the National Day
    # holiday: due that Saturday.
    submit_at(world, world.project, world.org_user, 2026, 3, local(2026, 10, 10, 17))
    submit_at(world, world.district_project, world.org_user, 2026, 3, local(2026, 10, 11, 9))
    row = street_row(users["bureau_staff"], year=2026, quarter=3, today=dt.date(2026, 11, 1))
    assert (row["on_time"], row["late"]) == (1, 1)


def test_not_yet_due_and_missing(world, users):
    # On the deadline, Saturday 10 October (调休), nothing of Q3 is missing yet; on Sunday 11 October both are.
    row = street_row(users["bureau_staff"], year=2026, quarter=3, today=dt.date(2026, 10, 10))
    assert (row["not_due"], row["missing"], row["on_time_rate"]) == (2, 0, None)
    row = street_row(users["bureau_staff"], year=2026, quarter=3, today=dt.date(2026, 10, 11))
    assert (row["not_due"], row["missing"], row["on_time_rate"]) == (0, 2, 0)


def test_quarters_not_begun_are_not_expected(world, users):
    row = street_row(users["bureau_staff"], year=2026, today=dt.date(2026, 5, 1))
    assert row["expected"] == 4  # Q1 and Q2 of two projects


def test_timeliness_is_scoped(world, users):
    assert [r["label"] for r in selectors.timeliness_rows(users["other_street_officer"])] == ["二街道"]
    assert selectors.timeliness_rows(users["other_district_admin"]) == []


def test_org_home_next_due(world):
    rows = {
        r["project"].title: r for r in selectors.organization_projects_due(world.org_user, today=dt.date(2026, 4, 8))
    }
    assert set(rows) == {"银龄互助项目", "社区议事厅项目"}
    assert rows["银龄互助项目"]["next_due"]["label"] == "2026年第一季度"
    assert rows["银龄互助项目"]["next_due"]["days"] == 2
    services.quarterly_submission_submit(project=world.project, by=world.org_user, year=2026, quarter=1, narrative="x")
    rows = {
        r["project"].title: r for r in selectors.organization_projects_due(world.org_user, today=dt.date(2026, 4, 8))
    }
    assert rows["银龄互助项目"]["next_due"]["label"] == "2026年第二季度"


def test_quarter_grid(world):
    grid = selectors.quarter_grid(world.project, today=dt.date(2026, 4, 11))
    assert [q["label"] for q in grid] == ["2026年第一季度", "2026年第二季度", "2026年第三季度", "2026年第四季度"]
    assert grid[0]["timeliness"] == "missing" and grid[1]["timeliness"] == "not_due"
    assert grid[2]["due"] == dt.date(2026, 10, 10)  # a 调休 Saturday
