"""The bureau administrator keeps the Celery beat schedules in the admin (issue 8, item 8)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.models import AuditRecord
from core.testing import assert_role_matrix

LIST = "/admin/django_celery_beat/periodictask/"


@pytest.fixture
def job(db):
    schedule = CrontabSchedule.objects.create(minute="30", hour="1")
    return PeriodicTask.objects.create(name="夜间名录任务", task="supervision.tasks.listings_daily", crontab=schedule)


def test_bureau_admin_sees_schedules_others_do_not(client_for, job):
    assert_role_matrix(
        client_for,
        "get",
        LIST,
        {
            "bureau_admin": 200,
            "bureau_staff": 302,
            "bureau_viewer": 302,
            "street_officer": 302,
            "org_user": 302,
            None: 302,
        },
    )
    page = client_for("bureau_admin").get(LIST)
    assert "夜间名录任务" in page.content.decode()


def test_bureau_admin_switches_a_job_off_with_an_audit_record(client_for, job):
    client = client_for("bureau_admin")
    url = f"/admin/django_celery_beat/periodictask/{job.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "name": job.name,
        "regtask": job.task,
        "task": "",
        "crontab": job.crontab_id,
        "args": "[]",
        "kwargs": "{}",
        "expire_seconds": "",
        "queue": "",
        "exchange": "",
        "routing_key": "",
        "headers": "{}",
        "priority": "",
        "description": "",
        "start_time_0": "",
        "start_time_1": "",
        "expires_0": "",
        "expires_1": "",
        "enabled": "",  # unchecked: switched off
        "_save": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    job.refresh_from_db()
    assert job.enabled is False
    record = AuditRecord.objects.get(
        content_type=ContentType.objects.get_for_model(PeriodicTask), object_id=str(job.pk)
    )
    assert record.before["enabled"] is True and record.after["enabled"] is False


def test_bureau_admin_may_not_add_or_delete_jobs(client_for, job):
    client = client_for("bureau_admin")
    assert client.get("/admin/django_celery_beat/periodictask/add/").status_code == 403
    assert client.post(f"/admin/django_celery_beat/periodictask/{job.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PeriodicTask.objects.filter(pk=job.pk).exists()
    # A new time for a job is a schedule, which the administrator may add.
    assert client.get("/admin/django_celery_beat/crontabschedule/add/").status_code == 200
