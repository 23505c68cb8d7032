"""Large exports as background jobs: a real Celery worker writes the file for its owner, the
downloads page follows the progress, only the owner downloads, and beat removes old jobs."""

import datetime as dt
import io
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import Role
from core import services_exports, tasks
from core.models import AuditRecord, ExportJob
from core.testing import celery_worker_process
from core.xlsx import Sheet, write_workbook

from ..registry.factories import make_organization


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _street_one_and_two(places):
    for i in range(12):
        make_organization(places.community11 if i % 2 else places.community12, name=f"一街道组织{i:02d}")
    make_organization(places.community21, name="二街道的组织")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_large_export_runs_in_a_worker_and_only_its_owner_downloads_it(places, users, client_for, settings,
                                                                       monkeypatch):  # fmt: skip
    settings.EXPORT_SYNC_MAX_ROWS = 5
    _street_one_and_two(places)
    owner = client_for("street_officer")  # sees street 1 only
    url = reverse("registry:organization_list")
    with celery_worker_process() as queue:
        monkeypatch.setattr(
            tasks.export_job_run, "delay", lambda pk: tasks.export_job_run.apply_async(args=[pk], queue=queue)
        )
        response = owner.get(url, {"export": "xlsx", "sort": "-name"})
        assert response.status_code == 302 and response["Location"] == reverse("core:exportjob_list")
        job = ExportJob.objects.get()
        progress_url = reverse("core:exportjob_progress", args=[job.pk])
        deadline = time.monotonic() + 60
        while True:
            fragment = owner.get(progress_url).content.decode()
            if 'id="download-' in fragment:
                break
            assert "失败" not in fragment, fragment
            assert time.monotonic() < deadline, fragment
            time.sleep(0.3)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 12, 12)
    assert "hx-trigger" not in fragment  # polling stops once the job is done
    assert "已完成" in fragment and "12 行" in fragment

    page = owner.get(reverse("core:exportjob_list")).content.decode()
    download_url = reverse("core:exportjob_download", args=[job.pk])
    assert f'href="{download_url}"' in page

    download = owner.get(download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"] and "private" in download["Cache-Control"]
    workbook = _workbook(download)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    # The owner's scope, filter and sort: street 1 only, by name descending.
    assert [r[0] for r in rows[1:]] == [f"一街道组织{i:02d}" for i in range(11, -1, -1)]
    assert workbook.sheetnames[-1] == "说明"
    note = {r[0]: r[1] for r in workbook["说明"].iter_rows(min_row=2, values_only=True)}
    assert note["排序"] == "名称 降序" and note["记录数"] == "12"

    # Anyone else, even with a wider view of the same district, gets 404.
    for other in ("bureau_staff", "bureau_admin", "other_street_officer"):
        assert client_for(other).get(download_url).status_code == 404, other
        assert client_for(other).get(progress_url).status_code == 404, other
        assert f'id="export-job-{job.pk}"' not in client_for(other).get(reverse("core:exportjob_list")).content.decode()
    anonymous = client_for(None).get(download_url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


@pytest.mark.django_db
def test_the_job_exports_what_the_owner_may_see_now(places, users, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 5
    _street_one_and_two(places)
    officer = users["street_officer"]
    client_for("street_officer").get(reverse("registry:organization_list"), {"export": "xlsx"})
    job = ExportJob.objects.get()
    # The officer becomes an expert (who sees no organizations) before the worker gets to it.
    officer.role = Role.EXPERT
    officer.save()
    job = services_exports.export_job_run(job.pk)
    assert job.status == "failed" and not job.file
    page = client_for("street_officer").get(reverse("core:exportjob_list")).content.decode()
    assert "失败" in page and "您的角色无权查看此页面" in page
    assert AuditRecord.objects.filter(object_id=str(job.pk), action="transition").count() == 2


@pytest.mark.django_db
def test_job_file_holds_the_same_rows_as_a_direct_export(places, users, client_for, settings):
    _street_one_and_two(places)
    client = client_for("bureau_viewer")
    params = {"street": places.street1.pk, "sort": "name", "export": "xlsx"}
    direct = list(_workbook(client.get(reverse("registry:organization_list"), params)).active.values)
    settings.EXPORT_SYNC_MAX_ROWS = 1
    client.get(reverse("registry:organization_list"), params)
    job = services_exports.export_job_run(ExportJob.objects.get().pk)
    assert job.status == "done" and job.file.name.startswith("exports/") and job.filename.endswith(".xlsx")
    assert "社会组织" not in job.file.name  # a random stored name, never the title
    with job.file.open("rb") as handle:
        from_job = list(load_workbook(handle).active.values)
    assert from_job == direct and len(from_job) == 13
    # A redelivered task leaves a finished job alone.
    assert services_exports.export_job_run(job.pk).finished_at == job.finished_at


@pytest.mark.django_db
def test_beat_removes_jobs_older_than_seven_days(places, users, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    _street_one_and_two(places)
    client = client_for("bureau_viewer")
    client.get(reverse("registry:organization_list"), {"export": "xlsx", "sort": "name"})
    client.get(reverse("registry:organization_list"), {"export": "xlsx", "sort": "-name"})
    old, fresh = (services_exports.export_job_run(job.pk) for job in ExportJob.objects.order_by("pk"))
    old_file = old.file.name
    assert default_storage.exists(old_file)
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert fresh.expires_at > timezone.now() + dt.timedelta(days=6)

    assert tasks.export_jobs_expire() == 1  # the beat task, run here in-process
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert AuditRecord.objects.filter(object_id=str(old.pk), action="delete").exists()
    from core import periodic

    assert periodic.get("core-export-jobs-expire").task == "core.tasks.export_jobs_expire"


@pytest.mark.django_db(transaction=True)
def test_the_expired_file_is_deleted(places, users, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    _street_one_and_two(places)
    client_for("bureau_viewer").get(reverse("registry:organization_list"), {"export": "xlsx"})
    job = services_exports.export_job_run(ExportJob.objects.get().pk)
    assert default_storage.exists(job.file.name)
    services_exports.export_jobs_expire(now=timezone.now() + dt.timedelta(days=7, minutes=1))
    assert not ExportJob.objects.exists() and not default_storage.exists(job.file.name)


def test_writer_reports_progress_every_thousand_rows_and_at_the_end():
    seen = []
    total = write_workbook(io.BytesIO(), [Sheet("x", ["n"], ([i] for i in range(2500)))], progress=seen.append)
    assert total == 2500 and seen == [1000, 2000, 2500]
