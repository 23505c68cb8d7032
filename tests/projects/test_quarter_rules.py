"""A quarter is submitted when it is (nearly) over, and an entry recorded into a quarter under
review says so (issue 8, item 6)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from projects import periods, services
from projects.models import QuarterlySubmission

from .factories import entry_data, make_entry, make_project


def _current_quarter():
    today = timezone.localdate()
    return today, *periods.quarter_of(today)


@pytest.fixture
def running_now(world):
    """A project whose period is the current quarter and the one before."""
    _today, year, quarter = _current_quarter()
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return make_project(
        world.org, world.places.street1, start=periods.quarter_start(*previous), end=periods.quarter_end(year, quarter)
    )


def test_the_running_quarter_cannot_be_submitted_before_its_last_day(world, running_now):
    today, year, quarter = _current_quarter()
    if today == periods.quarter_end(year, quarter):
        pytest.skip("today is the quarter's last day, when submitting is allowed")
    make_entry(running_now, world.org_user, date=today)
    with pytest.raises(ValidationError) as error:
        services.quarterly_submission_submit(
            project=running_now, by=world.org_user, year=year, quarter=quarter, narrative="本季度工作"
        )
    message = error.value.message_dict["quarter"][0]
    last_day = periods.quarter_end(year, quarter)
    assert f"{last_day.year}年{last_day.month}月{last_day.day}日" in message
    assert not QuarterlySubmission.objects.filter(project=running_now).exists()


def test_the_project_page_offers_submission_only_for_quarters_that_are_over(world, running_now, client_as):
    today, year, quarter = _current_quarter()
    page = client_as(world.org_user).get(running_now.get_absolute_url()).content.decode()
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    assert reverse("projects:quarterlysubmission_submit", args=[running_now.pk, *previous]) in page
    current = reverse("projects:quarterlysubmission_submit", args=[running_now.pk, year, quarter])
    assert (current in page) == (today == periods.quarter_end(year, quarter))


@override_settings(PROJECTS_QUARTER_SUBMIT_LEAD_DAYS=100)
def test_lead_days_are_configurable(world, running_now):
    _today, year, quarter = _current_quarter()
    submission = services.quarterly_submission_submit(
        project=running_now, by=world.org_user, year=year, quarter=quarter, narrative="提前报送"
    )
    assert submission.status == "submitted"


def test_submittable_from_is_the_last_day_less_the_lead_days():
    assert periods.submittable_from(2026, 4, lead_days=0) == dt.date(2026, 12, 31)
    assert periods.submittable_from(2026, 1, lead_days=5) == dt.date(2026, 3, 26)


def test_an_entry_recorded_into_a_quarter_under_review_warns(world, client_as):
    services.quarterly_submission_submit(project=world.project, by=world.org_user, year=2026, quarter=1, narrative="x")
    client = client_as(world.org_user)
    data = {**entry_data(date="2026-03-20", title="补录活动"), "photos": [], "sign_in_sheets": []}
    response = client.post(reverse("projects:ledgerentry_add", args=[world.project.pk]), data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "补录活动" in text
    assert "已提交，正在审核" in text
    # An entry in a quarter nobody is reviewing says nothing of the kind.
    data = {**entry_data(date="2026-05-20", title="二季度活动"), "photos": [], "sign_in_sheets": []}
    response = client.post(reverse("projects:ledgerentry_add", args=[world.project.pk]), data, follow=True)
    assert "已提交，正在审核" not in response.content.decode()
