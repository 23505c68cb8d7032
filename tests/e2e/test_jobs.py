"""The 任务状态 page in Chromium: the bureau administrator sees a failed job in red, opens it, reads
the error, mistypes a minute and is told which field, then moves the job; axe finds no serious or
critical violation on the list, the job's page and the form with its error."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from playwright.sync_api import expect

from accounts.choices import Role
from core.models import JobRun
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(axe, page) -> list[str]:
    violations = axe.run(page).response["violations"]
    return [
        f"{v['id']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_the_administrator_finds_the_failed_job_and_moves_it(page, login):
    places = Jurisdiction()
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    JobRun.objects.create(
        job="party-reminders",
        task="party.tasks.send_reminders",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        duration_ms=1234,
        outcome="failed",
        error="RuntimeError: 数据库连接中断",
    )
    axe = Axe()
    login(page, admin.username, PASSWORD)
    page.goto("/reports/jobs/")
    row = page.locator("#job-party-reminders")
    expect(row).to_have_class("table-danger")
    expect(row.locator(".badge.text-bg-danger")).to_have_text("失败")
    assert _serious(axe, page) == []

    row.get_by_role("link", name="党建提醒").click()
    expect(page.locator("h1")).to_have_text("党建提醒")
    page.get_by_text("错误", exact=True).click()  # the <details> of the failed run
    expect(page.get_by_text("RuntimeError: 数据库连接中断")).to_be_visible()
    assert _serious(axe, page) == []

    page.get_by_label("分钟").fill("75")
    page.locator("#job-save").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("59")
    assert _serious(axe, page) == []

    page.get_by_label("小时", exact=True).fill("9")
    page.get_by_label("分钟").fill("40")
    page.locator("#job-save").click()
    expect(page.locator("#job-schedule")).to_contain_text("每天 09:40")
    crontab = PeriodicTask.objects.get(name="party-reminders").crontab
    assert (crontab.hour, crontab.minute) == ("9", "40")
