"""A large export in the browser: the export link opens 我的下载 with the job, its progress bar
moves as the job writes rows, and the download link appears, all without reloading the page."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from core import services_exports, tasks
from core.models import ExportJob

from ..accounts.factories import make_user
from ..registry.factories import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_progress_moves_and_the_file_arrives_without_a_reload(page, login, places, password, settings, monkeypatch):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    for n in range(4):
        make_organization(places.community11, name=f"导出测试组织{n}")
    staff = make_user(Role.BUREAU_STAFF, places.district, full_name="导出测试员")
    # No worker in this test: the job is run below, step by step, by the test itself.
    monkeypatch.setattr(tasks.export_job_run, "delay", lambda pk: None)

    login(page, staff.username, password)
    page.goto("/registry/organizations/")
    page.click("#export-xlsx")
    page.wait_for_url("**/core/downloads/")
    expect(page.get_by_text("导出任务已创建，完成后可在“我的下载”中下载")).to_be_visible()
    job = ExportJob.objects.get()
    row = page.locator(f"#export-job-{job.pk}")
    bar = row.get_by_role("progressbar", name="社会组织导出进度")
    expect(bar).to_be_visible()
    page.evaluate("window.notReloaded = true")

    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_done=1, rows_total=4)
    expect(bar).to_have_attribute("aria-valuenow", "25", timeout=10000)
    expect(bar.locator(".progress-bar")).to_have_attribute("style", re.compile(r"width: 25%"))

    services_exports.export_job_run(job.pk)
    download_link = page.locator(f"#download-{job.pk}")
    expect(download_link).to_be_visible(timeout=10000)
    expect(row).to_contain_text("已完成")
    assert page.evaluate("window.notReloaded") is True

    with page.expect_download() as download_info:
        download_link.click()
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    names = [row[0] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == [f"导出测试组织{n}" for n in range(4)]
    assert workbook.sheetnames[-1] == "说明"
