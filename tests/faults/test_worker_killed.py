"""A Celery worker killed with SIGKILL in the middle of a quarterly workbook and of an export: Redis
delivers the unacknowledged tasks again (visibility timeout, short in the workers here), the next
worker finds each job's lock free and does it over, and each job ends once — one "ready"/"done" row,
one file, one notice, one audit record of the end."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core import audit, jobs, services_exports
from core.models import ExportJob, Notification
from reports.choices import WorkbookStatus
from reports.models import QuarterlyWorkbook
from reports.services import workbooks

from ..registry.factories import make_organization
from .conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# Redis hands an unacknowledged task out again after 2 s here (production: longer than the hard
# time limit), looked for every second.
REDELIVER = {
    "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(
        {"visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
    )
}
WORKBOOK_AT = f"{workbooks.LOCK}.sheet-3"  # after the third of the twelve sheets
EXPORT_AT = f"{services_exports.LOCK}.rows"  # rows written, file not stored yet


def _files(folder: str) -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / folder
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_jobs_killed_midway_are_done_once_by_the_next_worker(places, users, client_for, workers, tmp_path, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    for i in range(4):
        make_organization(places.community11, name=f"导出组织{i}")
    owner = client_for("street_officer")
    files_before = _files("workbooks") | _files("exports")

    # One worker with two threads takes both jobs and is held in the middle of each.
    first = workers("first", threads=2, JOBS_PAUSE_AT=f"{WORKBOOK_AT},{EXPORT_AT}", JOBS_PAUSE_DIR=str(tmp_path),
                    **REDELIVER)  # fmt: skip
    workbook = workbooks.workbook_request(places.district, 2026, 2, users["bureau_staff"])
    response = owner.get(reverse("registry:organization_list"), {"export": "xlsx"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    for checkpoint in (WORKBOOK_AT, EXPORT_AT):
        wait_for((tmp_path / f"{checkpoint}.reached").exists, what=f"the first worker at {checkpoint}")
    assert jobs.holder_alive(workbooks.LOCK, workbook.pk) and jobs.holder_alive(services_exports.LOCK, job.pk)
    first.kill()

    workbook.refresh_from_db()
    assert (workbook.status, workbook.file.name, workbook.progress > 0) == (WorkbookStatus.BUILDING, "", True)
    assert ExportJob.objects.get(pk=job.pk).status == "running"
    # PostgreSQL sees the dead worker's connections close, and their locks go with them.
    wait_for(lambda: not jobs.holder_alive(workbooks.LOCK, workbook.pk), timeout=10, what="the workbook's lock")
    wait_for(lambda: not jobs.holder_alive(services_exports.LOCK, job.pk), timeout=10, what="the export's lock")

    workers("second", **REDELIVER)
    wait_for(lambda: QuarterlyWorkbook.objects.get(pk=workbook.pk).status == WorkbookStatus.READY, what="the workbook")
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == "done", what="the export")

    rows = QuarterlyWorkbook.objects.filter(region=places.district, year=2026, quarter=2)
    assert list(rows.values_list("version", "status", "progress")) == [(1, "ready", 100)]
    workbook = rows.get()
    job = ExportJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 4, 4)
    new_files = _files("workbooks") | _files("exports")
    new_files -= files_before
    assert sorted(p.name for p in new_files) == sorted([Path(workbook.file.name).name, Path(job.file.name).name])
    assert {p.name: p.stat().st_size for p in new_files}[Path(workbook.file.name).name] == workbook.size > 0

    # Each job started twice (the killed worker, the next one) and ended once.
    workbook_history = [record.message for record in audit.history(workbook)]
    assert (workbook_history.count("开始生成"), workbook_history.count("工作簿已生成")) == (2, 1)
    export_history = [record.message for record in audit.history(job)]
    assert len([m for m in export_history if m.startswith("导出文件已生成")]) == 1
    assert Notification.objects.filter(recipient=users["street_officer"]).count() == 1
    download = owner.get(reverse("core:exportjob_download", args=[job.pk]))
    assert download.status_code == 200
