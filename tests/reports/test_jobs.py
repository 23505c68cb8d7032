"""The 任务状态 page (reports:job_list, job_detail, job_run): who sees it, red for a failed or a
missed job with a badge that says so, schedules in words and next run times, the run history,
"run now" and the schedule form for the top node's bureau administrator only, audited."""

import datetime as dt
import json

import pytest
import redis
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.choices import Role
from core import periodic
from core.models import AuditRecord, JobRun
from core.periodic import crontabs
from core.testing import assert_role_matrix

from ..accounts.factories import Jurisdiction, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("reports:job_list")


def detail(key):
    return reverse("reports:job_detail", kwargs={"key": key})


def run_url(key):
    return reverse("reports:job_run", kwargs={"key": key})


def _row(page, key) -> str:
    html = page.content.decode()
    start = html.index(f'<tr id="job-{key}"')
    return html[start : html.index("</tr>", start)]


def _all_ran_now():
    """Every job ran a moment ago; the rows date from long before (nothing fresh)."""
    now = timezone.now()
    PeriodicTask.objects.update(date_changed=now - dt.timedelta(days=30))
    for job in periodic.jobs():
        JobRun.objects.create(job=job.key, task=job.task, started_at=now, finished_at=now, outcome="succeeded")


def test_only_bureau_administrators_see_the_page(client_for):
    expected = {
        "bureau_admin": 200,
        "bureau_staff": 403,
        "bureau_viewer": 403,
        "street_officer": 403,
        "community_party": 403,
        "org_user": 403,
        "expert": 403,
        None: 302,
    }
    assert_role_matrix(client_for, "get", LIST, expected)
    assert_role_matrix(client_for, "get", detail("party-reminders"), expected)
    assert_role_matrix(client_for, "post", run_url("party-reminders"), {**expected, "bureau_admin": 302}, data={})
    assert client_for("bureau_admin").get(detail("no-such-job")).status_code == 404
    assert client_for("bureau_admin").get(run_url("party-reminders")).status_code == 405


def test_each_job_with_its_schedule_in_words_and_next_run(client_for):
    _all_ran_now()
    page = client_for("bureau_admin").get(LIST)
    for job in periodic.jobs():
        assert str(job.label) in page.content.decode()
    row = _row(page, "party-reminders")
    assert "每天 08:10" in row and "成功" in row and "正常" in row and "table-danger" not in row
    crontab = PeriodicTask.objects.get(name="party-reminders").crontab
    upcoming = timezone.localtime(crontabs.next_fire(crontab, timezone.now()))
    assert upcoming.strftime("%Y-%m-%d %H:%M") in row
    assert "每小时第 5 分" in _row(page, "core-jobs-watch")


def test_a_failed_job_shows_red_with_a_badge(client_for):
    _all_ran_now()
    JobRun.objects.create(
        job="evaluation-reminders",
        task="evaluation.tasks.send_reminders",
        started_at=timezone.now() + dt.timedelta(seconds=1),
        outcome="failed",
        error="RuntimeError: 连接失败",
    )
    page = client_for("bureau_admin").get(LIST)
    row = _row(page, "evaluation-reminders")
    assert 'class="table-danger"' in row and "badge text-bg-danger" in row and "失败" in row
    assert "table-danger" not in _row(page, "party-reminders")
    history = client_for("bureau_admin").get(detail("evaluation-reminders")).content.decode()
    assert "RuntimeError: 连接失败" in history and "运行记录" in history


def test_a_job_that_missed_its_run_shows_red(client_for, users):
    _all_ran_now()
    # Due two hours ago and not run since: a schedule two hours back, on a row from long before.
    two_hours_ago = timezone.localtime() - dt.timedelta(hours=2)
    JobRun.objects.filter(job="party-reminders").delete()
    periodic.services.job_schedule_update(
        key="party-reminders",
        by=users["bureau_admin"],
        hour=two_hours_ago.hour,
        minute=two_hours_ago.minute,
        enabled=True,
    )
    PeriodicTask.objects.filter(name="party-reminders").update(date_changed=timezone.now() - dt.timedelta(days=1))
    page = client_for("bureau_admin").get(LIST)
    row = _row(page, "party-reminders")
    assert 'class="table-danger"' in row and "未按时运行" in row
    # Switched off: no longer expected, not red.
    PeriodicTask.objects.filter(name="party-reminders").update(enabled=False)
    row = _row(client_for("bureau_admin").get(LIST), "party-reminders")
    assert "table-danger" not in row and "已停用" in row


def _queued_tasks() -> list[str]:
    connection = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [json.loads(raw)["headers"]["task"] for raw in connection.lrange("celery", 0, -1)]


def _clear_queue():
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("celery")


def test_run_now_queues_the_task_and_is_audited(client_for, users, django_capture_on_commit_callbacks):
    _clear_queue()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("bureau_admin").post(run_url("party-reminders"))
        assert response.status_code == 302 and response["Location"] == detail("party-reminders")
        assert _queued_tasks() == ["party.tasks.send_reminders"]
    finally:
        _clear_queue()
    row = PeriodicTask.objects.get(name="party-reminders")
    record = AuditRecord.objects.get(
        content_type=ContentType.objects.get_for_model(PeriodicTask), object_id=str(row.pk), action="other"
    )
    assert record.actor == users["bureau_admin"] and record.message == "立即运行：党建提醒"


def test_the_schedule_form_changes_the_time_and_is_audited(client_for, users):
    client = client_for("bureau_admin")
    response = client.post(detail("party-reminders"), {"hour": "9", "minute": "30", "enabled": "on"})
    assert response.status_code == 302
    row = PeriodicTask.objects.select_related("crontab").get(name="party-reminders")
    assert (row.crontab.hour, row.crontab.minute, row.enabled) == ("9", "30", True)
    assert "每天 09:30" in client.get(detail("party-reminders")).content.decode()
    record = AuditRecord.objects.get(
        content_type=ContentType.objects.get_for_model(PeriodicTask), object_id=str(row.pk), action="update"
    )
    assert record.actor == users["bureau_admin"] and record.after["crontab_id"] == row.crontab_id

    client.post(detail("party-reminders"), {"hour": "9", "minute": "30"})  # unchecked: switched off
    assert PeriodicTask.objects.get(name="party-reminders").enabled is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hour": "24", "minute": "0", "enabled": "on"}, "小时"),
        ({"hour": "8", "minute": "77", "enabled": "on"}, "分钟"),
        ({"hour": "8", "minute": "x", "enabled": "on"}, "分钟"),
        ({"hour": "8", "enabled": "on"}, "分钟"),
    ],
)
def test_a_bad_time_is_refused_naming_the_field(client_for, data, message):
    before = PeriodicTask.objects.get(name="party-reminders").crontab_id
    response = client_for("bureau_admin").post(detail("party-reminders"), data)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert message in response.content.decode()
    assert PeriodicTask.objects.get(name="party-reminders").crontab_id == before


def test_a_district_under_a_city_reads_the_page_but_may_not_run_or_edit():
    places = Jurisdiction(city=True)
    district_admin = make_user(Role.BUREAU_ADMIN, places.district)
    city_admin = make_user(Role.BUREAU_ADMIN, places.city)
    district, city = Client(), Client()
    district.force_login(district_admin)
    city.force_login(city_admin)

    page = district.get(detail("party-reminders"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="jobs-read-only"' in html and "job-run-now" not in html and "job-save" not in html
    audits = AuditRecord.objects.count()
    assert district.post(run_url("party-reminders")).status_code == 403
    assert district.post(detail("party-reminders"), {"hour": "9", "minute": "0", "enabled": "on"}).status_code == 403
    assert AuditRecord.objects.count() == audits
    assert PeriodicTask.objects.get(name="party-reminders").crontab.hour == "8"

    html = city.get(detail("party-reminders")).content.decode()
    assert "job-run-now" in html and "job-save" in html
    assert city.post(detail("party-reminders"), {"hour": "9", "minute": "0", "enabled": "on"}).status_code == 302
    assert PeriodicTask.objects.get(name="party-reminders").crontab.hour == "9"
