"""An organization records ledger entries and submits its quarter; the street officer accepts the
quarter; the project's progress bars move."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from accounts.choices import Role
from projects import periods
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user
from tests.projects.factories import make_project
from tests.registry.factories import make_org_user, make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def _progress(page, indicator):
    return int(page.get_attribute(f'.indicator-row[data-indicator="{indicator}"] .progress', "aria-valuenow"))


def test_org_submits_quarter_street_officer_accepts_progress_moves(page, login, logout, tmp_path):
    places = Jurisdiction()
    organization = make_organization(places.community11, name="一社区银龄互助会")
    org_user = make_org_user(organization, username="yinling", full_name="钱桂英")
    make_user(Role.STREET_OFFICER, places.street1, username="street1", full_name="陈街道")
    # The last quarter that has ended, inside a year-long project.
    year, quarter = periods.quarter_of(timezone.localdate())
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    start = periods.quarter_start(year, quarter)
    project = make_project(
        organization, places.street1, title="银龄邻里守望", start=start, end=start + dt.timedelta(days=364)
    )
    label = periods.quarter_label(year, quarter)

    login(page, org_user.username, PASSWORD)
    page.goto("/")
    assert "银龄邻里守望" in page.inner_text("#org-projects")
    page.goto(project.get_absolute_url())
    assert _progress(page, "服务活动场次") == 0

    # Two activities: one submitted at once, one saved as a draft (submitted with the quarter).
    for day, title, participants, button in (
        (3, "重阳敬老义诊", "150", "#save-submit"),
        (10, "邻里理发服务", "90", "#save-draft"),
    ):
        page.click("#add-entry")
        page.fill("#id_date", (start + dt.timedelta(days=day)).isoformat())
        page.select_option("#id_kind", "service_activity")
        page.fill("#id_title", title)
        page.fill("#id_place", "社区活动室")
        page.fill("#id_participants", participants)
        page.fill("#id_beneficiaries", participants)
        page.fill("#id_volunteers", "6")
        page.fill("#id_volunteer_hours", "24")
        page.click(button)
        page.wait_for_selector("#entry-status")
        assert ("已提交" if button == "#save-submit" else "草稿") in page.inner_text("#entry-status")
        page.goto(project.get_absolute_url())

    page.click(f'tr[data-quarter="{label}"] .submit-quarter')
    page.fill("#id_narrative", "本季度开展敬老义诊和理发服务两场，服务老人240人次。")
    page.click("#submit-quarter")
    page.wait_for_selector(f'tr[data-quarter="{label}"] .submission-status')
    assert "已提交" in page.inner_text(f'tr[data-quarter="{label}"]')
    _shot(page, tmp_path, "projects-quarter-submitted.png")
    logout(page)

    # The street officer (the funder) accepts the quarter.
    login(page, "street1", PASSWORD)
    page.goto(project.get_absolute_url())
    assert _progress(page, "服务活动场次") == 0
    page.click(f'tr[data-quarter="{label}"] .submission-status')
    page.click("#transition-accept")
    page.wait_for_selector("#submission-status >> text=已受理")
    page.goto(project.get_absolute_url())
    # 2 of 24 activities, 240 of 600 participants: the bars have moved.
    assert _progress(page, "服务活动场次") == 8
    assert _progress(page, "服务人次") == 40
    assert "240" in page.inner_text('.indicator-row[data-indicator="服务人次"]')
    _shot(page, tmp_path, "projects-progress.png")
    logout(page)

    # The organization now sees its accepted entries, and the quarter is locked.
    login(page, org_user.username, PASSWORD)
    page.goto(project.get_absolute_url())
    assert "已受理" in page.inner_text(f'tr[data-quarter="{label}"]')
    assert page.locator(f'tr[data-quarter="{label}"] .submit-quarter').count() == 0
