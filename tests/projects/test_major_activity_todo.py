"""A ledger entry above the major-activity thresholds (participants, foreign involvement) without a
prior major-activity report of its organization raises a to-do for the street officer and a flag on
the entry's page (projects.selectors.unreported_major_activity)."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from projects import services

from .factories import make_entry, make_project

LIST = reverse("projects:ledgerentry_list")
TODO_LINK = f"{LIST}?unreported_major=true"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def project(world, places, today):
    """A project of street 1's organization running around today, so entries may be dated today."""
    return make_project(
        world.org, places.street1, start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60)
    )


def entry(project, by, day, **overrides):
    return make_entry(project, by, submit=True, date=day, title=overrides.pop("title", "社区邻里节"), **overrides)


def report(world, planned_date, **overrides):
    data = {
        "by": world.org_user,
        "organization": world.org,
        "title": "社区邻里节",
        "place": "社区广场",
        "planned_date": planned_date,
        "expected_participants": 300,
        "content": "游园活动",
    }
    data.update(overrides)
    return services.major_activity_report_create(**data)


def todo_count(client) -> int:
    """The number beside the to-do on the home page (0 when the to-do is not shown)."""
    page = client.get("/").content.decode()
    found = re.search(re.escape(TODO_LINK) + r'">[^<]*<span class="badge[^"]*">(\d+)<', page)
    return int(found.group(1)) if found else 0


def listed(client, query="true") -> set[str]:
    return {row.title for row in client.get(LIST, {"unreported_major": query}).context["table"].data}


def test_an_activity_above_the_participants_threshold_without_a_report(world, project, today, client_as):
    big = entry(project, world.org_user, today, title="千人广场舞", participants=201)
    entry(project, world.org_user, today, title="两百人讲座", participants=200)  # not more than 200
    officer = client_as(world.street_officer)
    assert todo_count(officer) == 1
    assert listed(officer) == {"千人广场舞"}
    assert listed(officer, "1") == {"千人广场舞"}  # the to-do's filter, also as unreported_major=1
    assert "两百人讲座" in {row.title for row in officer.get(LIST, {"unreported_major": "false"}).context["table"].data}
    page = officer.get(big.get_absolute_url()).content.decode()
    assert 'id="unreported-major"' in page and "参加人数超过 200 人" in page
    # The organization sees the flag on its entry too.
    assert 'id="unreported-major"' in client_as(world.org_user).get(big.get_absolute_url()).content.decode()
    small = project.ledger_entries.get(title="两百人讲座")
    assert 'id="unreported-major"' not in officer.get(small.get_absolute_url()).content.decode()


def test_a_prior_report_near_the_date_clears_it(world, project, today, client_as):
    report(world, today + dt.timedelta(days=3))  # planned within 3 days, reported today
    entry(project, world.org_user, today, participants=500)
    officer = client_as(world.street_officer)
    assert todo_count(officer) == 0
    assert listed(officer) == set()


def test_an_objected_report_still_counts_as_reported(world, project, today, users, client_as):
    services.major_activity_object(report=report(world, today), by=users["bureau_staff"], reason="场地不安全")
    entry(project, world.org_user, today, participants=500)
    assert listed(client_as(world.street_officer)) == set()


def test_a_report_planned_too_far_away_or_made_afterwards_does_not(world, project, today, client_as):
    report(world, today + dt.timedelta(days=4))  # outside the ±3-day window
    entry(project, world.org_user, today, title="当天活动", participants=500)
    # Reported today, after an activity held six days ago: not a prior report.
    report(world, today - dt.timedelta(days=6), title="补报")
    entry(project, world.org_user, today - dt.timedelta(days=6), title="上周活动", participants=500)
    assert listed(client_as(world.street_officer)) == {"当天活动", "上周活动"}


def test_another_organizations_report_does_not_clear_it(world, project, today, client_as):
    report(world, today, by=world.other_org_user, organization=world.other_org)
    entry(project, world.org_user, today, participants=500)
    assert todo_count(client_as(world.street_officer)) == 1


def test_a_draft_is_not_flagged(world, project, today, client_as):
    make_entry(project, world.org_user, date=today, participants=500)
    assert listed(client_as(world.street_officer)) == set()


def test_only_the_street_officer_of_the_organizations_street_has_the_to_do(world, project, today, users, client_as):
    entry(project, world.org_user, today, participants=500)
    assert todo_count(client_as(world.street_officer)) == 1
    other = client_as(users["other_street_officer"])
    assert todo_count(other) == 0
    assert listed(other) == set()
    assert todo_count(client_as(users["other_district_admin"])) == 0
    assert listed(client_as(users["other_district_staff"])) == set()
    # The bureau can filter for them but has no to-do of its own; the organization sees the flag.
    assert todo_count(client_as(users["bureau_staff"])) == 0
    assert len(listed(client_as(users["bureau_staff"]))) == 1


@override_settings(PROJECTS_MAJOR_ACTIVITY_PARTICIPANTS=50, PROJECTS_MAJOR_ACTIVITY_WINDOW_DAYS=0)
def test_the_thresholds_are_settings(world, project, today, client_as):
    report(world, today + dt.timedelta(days=1))  # a day off: outside a window of 0 days
    entry(project, world.org_user, today, title="六十人活动", participants=60)
    entry(project, world.org_user, today, title="五十人活动", participants=50)
    assert listed(client_as(world.street_officer)) == {"六十人活动"}
