"""A bureau clerk imports a roster in the browser: the dry run lists every row's errors, the
progress bar follows the Celery worker, and confirming imports the valid rows."""

import os

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from core.testing import celery_worker_process
from registry import tasks
from registry.models import Organization

from ..accounts.factories import PASSWORD, make_user
from ..registry.rosters import generated_roster, messy_roster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def test_clerk_dry_runs_and_imports_a_messy_roster(page, login, places, tmp_path):
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(messy_roster())
    login(page, "clerk", PASSWORD)
    page.click("text=名册导入")
    page.click('a[href="/registry/roster-imports/new/"]')
    page.set_input_files("input[name=file]", str(roster))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#import-errors")
    assert page.locator("#valid-rows").inner_text() == "3"
    errors = page.locator("#import-errors tbody tr").all_inner_texts()
    assert errors[0].split("\t")[:2] == ["7", "统一社会信用代码"]
    assert any("不存在街道" in row for row in errors)
    assert Organization.objects.count() == 0
    _shot(page, tmp_path, "roster-dry-run.png")
    page.click("#confirm-import")
    page.wait_for_selector(".alert-success")
    assert "已导入 3 个组织" in page.locator(".alert-success").inner_text()
    assert Organization.objects.count() == 3


@pytest.mark.celery_worker
def test_large_roster_shows_progress_from_celery(page, login, places, tmp_path, settings, monkeypatch):
    settings.REGISTRY_ROSTER_IMPORT_SYNC_MAX_BYTES = 0
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    roster = tmp_path / "大名册.xlsx"
    roster.write_bytes(generated_roster(2000, ["一街道", "二街道"]))
    with celery_worker_process() as queue:
        for task in (tasks.roster_import_validate, tasks.roster_import_run):
            monkeypatch.setattr(task, "delay", lambda pk, task=task: task.apply_async(args=[pk], queue=queue))
        login(page, "clerk", PASSWORD)
        page.goto("/registry/roster-imports/new/")
        page.set_input_files("input[name=file]", str(roster))
        page.click("main form button[type=submit]")
        # The page polls the progress and reloads itself when the check is done.
        page.wait_for_selector("#confirm-import", timeout=60_000)
        assert page.locator("#valid-rows").inner_text() == "2000"
        page.click("#confirm-import")
        # A locator assertion, not wait_for_function: the site's CSP forbids the eval that a string
        # function needs.
        expect(page.locator("#import-status")).to_contain_text("已导入", timeout=60_000)
        _shot(page, tmp_path, "roster-imported.png")
    assert Organization.objects.count() == 2000
