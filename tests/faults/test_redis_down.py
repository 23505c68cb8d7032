"""Redis down (cache, broker and result store): the pages that do not need it still work — log-in,
a list, a detail page, the home page; /healthz says 503 naming Redis; work asked for meanwhile (an
export, a workbook) waits in its row, and once Redis is back the watchdog sends it again and a real
worker does it."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import ExportJob
from core.tasks import jobs_watch
from reports.models import QuarterlyWorkbook
from reports.services import workbooks

from ..accounts.factories import PASSWORD
from ..registry.factories import make_organization
from .conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_redis_down_pages_work_healthz_names_it_and_queued_work_resumes(places, users, workers, site_on, settings,
                                                                         caplog):  # fmt: skip
    settings.EXPORT_SYNC_MAX_ROWS = 2
    organizations = [make_organization(places.community11, name=f"红枫志愿服务队{i}") for i in range(3)]
    staff = users["bureau_staff"]
    site_on.kill()

    # Log-in (sessions and lockouts are in PostgreSQL), then the pages a user reads.
    browser = Client()
    assert browser.get(reverse("accounts:login")).status_code == 200
    response = browser.post(reverse("accounts:login"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    home = browser.get("/")
    assert home.status_code == 200 and staff.username in home.content.decode()
    listing = browser.get(reverse("registry:organization_list"))
    assert listing.status_code == 200 and "红枫志愿服务队1" in listing.content.decode()
    detail = browser.get(reverse("registry:organization_detail", args=[organizations[0].pk]))
    assert detail.status_code == 200 and "红枫志愿服务队0" in detail.content.decode()

    health = browser.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"database": "ok", "redis": "error"}

    # Work asked for while the broker is down: the request succeeds, the row waits.
    exported = browser.get(reverse("registry:organization_list"), {"export": "xlsx"})
    assert exported.status_code == 302 and exported["Location"] == reverse("core:exportjob_list")
    workbook = workbooks.workbook_request(places.district, 2026, 2, staff)
    job = ExportJob.objects.get()
    assert (job.status, QuarterlyWorkbook.objects.get(pk=workbook.pk).status) == ("queued", "queued")
    assert "sent again later" in caplog.text

    # Redis is back (empty: nothing of the lost messages survived), a worker runs, the hourly
    # watchdog sends the waiting rows again, the worker does them.
    site_on.start()
    assert browser.get("/healthz").status_code == 200
    workers("after")
    settings.JOBS_RESEND_AFTER_MINUTES = 0
    assert jobs_watch.apply().get()["resent"] == 2
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == "done", what="the export")
    wait_for(lambda: QuarterlyWorkbook.objects.get(pk=workbook.pk).status == "ready", what="the workbook")
    assert ExportJob.objects.get(pk=job.pk).rows_done == 3
