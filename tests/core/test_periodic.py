"""Periodic jobs (core.periodic): the declarations, seeding into django-celery-beat once (never
over the administrator's edits, neither by re-seeding nor by beat starting), fire times and words,
every run recorded from Celery's signals, failures told to the bureau administrators, the watchdog."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from celery import shared_task
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from accounts.choices import Role
from config.celery_app import app
from core import periodic
from core.models import AuditRecord, JobRun, Notification
from core.periodic import crontabs, registry, services
from core.periodic.runs import JOB_FAILURE
from core.periodic.watch import job_states, jobs_watch
from core.tasks import clear_expired_sessions

from ..accounts.factories import make_user

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")

EXPECTED = {
    "clear-expired-sessions": ("core.tasks.clear_expired_sessions", "3", "0"),
    "core-export-jobs-expire": ("core.tasks.export_jobs_expire", "3", "15"),
    "core-jobs-watch": ("core.tasks.jobs_watch", "*", "5"),
    "supervision-listings-daily": ("supervision.tasks.listings_daily", "1", "30"),
    "supervision-reminders": ("supervision.tasks.send_reminders", "8", "20"),
    "party-reminders": ("party.tasks.send_reminders", "8", "10"),
    "projects-due-reminders": ("projects.tasks.send_due_reminders", "8", "0"),
    "projects-rectification-reminders": ("projects.tasks.send_rectification_reminders", "8", "5"),
    "evaluation-reminders": ("evaluation.tasks.send_reminders", "8", "15"),
    "reports-rollups-refresh": ("reports.tasks.rollups_refresh", "2", "0"),
    "reports-workbooks": ("reports.tasks.workbooks_scheduled", "6", "0"),
}


@shared_task(name="tests.core.periodic_boom")
def boom():
    raise RuntimeError("台账库连接失败")


@shared_task(name="tests.core.periodic_fine")
def fine():
    return {"reminded": 3, "skipped": 0}


@pytest.fixture
def own_registry(monkeypatch):
    """A copy of the registry a test may add to without touching the project's."""
    monkeypatch.setattr(registry, "_jobs", dict(registry._jobs))
    return registry


@pytest.fixture
def test_jobs(own_registry):
    periodic.register(
        periodic.PeriodicJob(key="test-boom", task=boom.name, label="测试失败任务", schedule=periodic.Daily(4, 0))
    )
    periodic.register(
        periodic.PeriodicJob(key="test-fine", task=fine.name, label="测试正常任务", schedule=periodic.Daily(4, 5))
    )
    periodic.seed()


def test_every_job_is_declared_with_its_key_task_and_time():
    declared = {
        job.key: (job.task, job.schedule.crontab()["hour"], job.schedule.crontab()["minute"]) for job in periodic.jobs()
    }
    assert declared == EXPECTED
    assert all(str(job.label) and str(job.description) for job in periodic.jobs())


def test_migrate_seeded_every_job_in_the_project_time_zone():
    rows = {row.name: row for row in PeriodicTask.objects.select_related("crontab").filter(name__in=EXPECTED)}
    assert set(rows) == set(EXPECTED)
    for key, (task, hour, minute) in EXPECTED.items():
        row = rows[key]
        assert (row.task, row.crontab.hour, row.crontab.minute, row.enabled) == (task, hour, minute, True)
        assert str(row.crontab.timezone) == "Asia/Shanghai"
        assert (row.crontab.day_of_week, row.crontab.day_of_month, row.crontab.month_of_year) == ("*", "*", "*")


def test_seeding_twice_creates_the_same_rows_once():
    PeriodicTask.objects.filter(name__in=EXPECTED).delete()
    assert sorted(periodic.seed()) == sorted(EXPECTED)
    rows = (PeriodicTask.objects.count(), CrontabSchedule.objects.count(), AuditRecord.objects.count())
    assert periodic.seed() == []
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count(), AuditRecord.objects.count()) == rows


def test_the_seed_jobs_command(capsys):
    from django.core.management import call_command

    PeriodicTask.objects.filter(name="party-reminders").delete()
    call_command("seed_jobs")
    assert "party-reminders" in capsys.readouterr().out
    call_command("seed_jobs")
    assert "party-reminders" not in capsys.readouterr().out
    assert PeriodicTask.objects.filter(name="party-reminders").count() == 1


@pytest.mark.django_db(transaction=True)  # beat closes a connection held in a transaction
def test_an_edited_schedule_survives_reseeding_and_beat_starting(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)  # a district without a city: the top node
    services.job_schedule_update(key="party-reminders", by=admin, hour=9, minute=45, enabled=False)
    periodic.seed()
    DatabaseScheduler(app=app, lazy=True).setup_schedule()  # what beat does when it starts
    row = PeriodicTask.objects.select_related("crontab").get(name="party-reminders")
    assert (row.crontab.hour, row.crontab.minute, row.enabled) == ("9", "45", False)


@pytest.mark.django_db(transaction=True)  # beat closes a connection held in a transaction
def test_a_settings_entry_would_undo_the_edit_at_beat_start(places):
    """Why CELERY_BEAT_SCHEDULE stays empty: beat writes each of its entries over the stored row."""
    from celery.schedules import crontab

    admin = make_user(Role.BUREAU_ADMIN, places.district)
    services.job_schedule_update(key="party-reminders", by=admin, hour=9, minute=45, enabled=True)
    saved = app.conf.beat_schedule
    app.conf.beat_schedule = {
        "party-reminders": {"task": "party.tasks.send_reminders", "schedule": crontab(hour=8, minute=10)}
    }
    try:
        DatabaseScheduler(app=app, lazy=True).setup_schedule()
    finally:
        app.conf.beat_schedule = saved
    row = PeriodicTask.objects.select_related("crontab").get(name="party-reminders")
    assert (row.crontab.hour, row.crontab.minute) == ("8", "10")


def test_registering_conflicts_is_refused_and_a_missing_task_is_tolerated(own_registry):
    job = periodic.get("party-reminders")
    periodic.register(job)  # the same declaration again: harmless
    with pytest.raises(ImproperlyConfigured):
        periodic.register(periodic.PeriodicJob(key=job.key, task="x.y", label="x", schedule=periodic.Daily(1)))
    with pytest.raises(ImproperlyConfigured):
        periodic.register(periodic.PeriodicJob(key="other", task=job.task, label="x", schedule=periodic.Daily(1)))

    missing = periodic.register(
        periodic.PeriodicJob(
            key="not-yet", task="supervision.tasks.not_written_yet", label="尚未完成", schedule=periodic.Daily(7)
        )
    )
    assert missing.task_available() is False
    assert (
        periodic.PeriodicJob(key="n", task="nowhere.tasks.x", label="n", schedule=periodic.Daily(1)).task_available()
        is False
    )
    assert "not-yet" in periodic.seed()
    state = next(s for s in job_states() if s.key == "not-yet")
    assert state.task_available is False and state.enabled


def test_fire_times_of_a_daily_an_hourly_and_a_weekly_crontab():
    daily = CrontabSchedule(minute="10", hour="8", timezone="Asia/Shanghai")
    now = dt.datetime(2026, 7, 8, 8, 9, tzinfo=SHANGHAI)  # a Wednesday
    assert crontabs.previous_fire(daily, now) == dt.datetime(2026, 7, 7, 8, 10, tzinfo=SHANGHAI)
    assert crontabs.next_fire(daily, now) == dt.datetime(2026, 7, 8, 8, 10, tzinfo=SHANGHAI)
    at_fire = dt.datetime(2026, 7, 8, 8, 10, tzinfo=SHANGHAI)
    assert crontabs.previous_fire(daily, at_fire) == at_fire
    assert crontabs.next_fire(daily, at_fire) == dt.datetime(2026, 7, 9, 8, 10, tzinfo=SHANGHAI)
    # A UTC "now" is read in the crontab's zone: 00:30 UTC is 08:30 in Shanghai.
    assert crontabs.previous_fire(daily, dt.datetime(2026, 7, 8, 0, 30, tzinfo=dt.UTC)) == at_fire

    hourly = CrontabSchedule(minute="5", hour="*", timezone="Asia/Shanghai")
    ten = dt.datetime(2026, 7, 8, 10, 4, tzinfo=SHANGHAI)
    assert crontabs.previous_fire(hourly, ten) == dt.datetime(2026, 7, 8, 9, 5, tzinfo=SHANGHAI)
    assert crontabs.next_fire(hourly, ten) == dt.datetime(2026, 7, 8, 10, 5, tzinfo=SHANGHAI)

    mondays = CrontabSchedule(minute="0", hour="6", day_of_week="1", timezone="Asia/Shanghai")
    assert crontabs.previous_fire(mondays, now) == dt.datetime(2026, 7, 6, 6, 0, tzinfo=SHANGHAI)
    assert crontabs.next_fire(mondays, now) == dt.datetime(2026, 7, 13, 6, 0, tzinfo=SHANGHAI)


def test_schedules_in_words():
    with translation.override("zh-hans"):
        assert crontabs.describe_crontab(CrontabSchedule(minute="10", hour="8")) == "每天 08:10"
        assert crontabs.describe_crontab(CrontabSchedule(minute="5", hour="*")) == "每小时第 5 分"
        assert crontabs.describe_crontab(CrontabSchedule(minute="0", hour="6", day_of_week="1")) == "定时规则 0 6 * * 1"


# ---------------------------------------------------------------- runs recorded from the signals


def test_a_successful_run_is_recorded_with_its_duration_and_summary(test_jobs):
    result = fine.apply()
    assert result.get() == {"reminded": 3, "skipped": 0}
    run = JobRun.objects.get(job="test-fine")
    assert run.outcome == "succeeded" and run.task == "tests.core.periodic_fine" and run.task_id == result.id
    assert run.summary == "reminded: 3, skipped: 0" and run.error == ""
    assert run.finished_at >= run.started_at and run.duration_ms is not None


def test_a_task_of_no_job_is_not_recorded(test_jobs):
    from core.tasks import export_job_run

    assert JobRun.objects.count() == 0
    export_job_run.apply(args=[0])  # not a periodic job (and it fails: no such export)
    assert JobRun.objects.count() == 0


def test_a_failed_run_is_recorded_and_every_active_bureau_admin_is_told(
    test_jobs, places, django_capture_on_commit_callbacks
):
    from django.core import mail

    admins = [
        make_user(Role.BUREAU_ADMIN, places.district, email="a@example.cn"),
        make_user(Role.BUREAU_ADMIN, places.other_district),
    ]
    gone = make_user(Role.BUREAU_ADMIN, places.district)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    staff = make_user(Role.BUREAU_STAFF, places.district)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = boom.apply()
    assert result.failed()
    run = JobRun.objects.get(job="test-boom")
    assert run.outcome == "failed" and "RuntimeError: 台账库连接失败" in run.error and run.summary == ""
    notices = Notification.objects.filter(kind=JOB_FAILURE)
    assert sorted(n.recipient_id for n in notices) == sorted(a.pk for a in admins)
    assert not notices.filter(recipient=staff).exists()
    assert notices.first().title == "定期任务“测试失败任务”运行失败"
    assert notices.first().url == "/reports/jobs/test-boom/"
    assert [m.to for m in mail.outbox] == [["a@example.cn"]]


# ---------------------------------------------------------------- the watchdog

NOW = dt.datetime(2026, 7, 8, 12, 0, tzinfo=SHANGHAI)


def _ran_all_but(*keys, outcome="succeeded", at=NOW - dt.timedelta(minutes=10)):
    PeriodicTask.objects.update(date_changed=dt.datetime(2026, 1, 1, tzinfo=SHANGHAI))
    for job in periodic.jobs():
        if job.key not in keys:
            JobRun.objects.create(job=job.key, task=job.task, started_at=at, outcome=outcome)


def test_a_job_that_did_not_run_when_due_is_missed_and_reminded_once_a_day(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    _ran_all_but("party-reminders")
    states = {s.key: s for s in job_states(NOW)}
    assert [k for k, s in states.items() if s.alarm] == ["party-reminders"]
    assert states["party-reminders"].missed and not states["party-reminders"].failed
    assert states["party-reminders"].previous_fire == dt.datetime(2026, 7, 8, 8, 10, tzinfo=SHANGHAI)
    assert states["party-reminders"].next_fire == dt.datetime(2026, 7, 9, 8, 10, tzinfo=SHANGHAI)

    assert jobs_watch(NOW) == {"failed": 0, "missed": 1, "reminded": 1}
    notice = Notification.objects.get(recipient=admin, kind=JOB_FAILURE)
    assert notice.title == "定期任务“党建提醒”未按时运行"
    assert jobs_watch(NOW + dt.timedelta(minutes=20)) == {"failed": 0, "missed": 1, "reminded": 0}  # once a day
    party = Notification.objects.filter(recipient=admin, kind=JOB_FAILURE, item_key="periodic-job:party-reminders")
    assert party.count() == 1
    jobs_watch(NOW + dt.timedelta(days=1))
    assert party.count() == 2  # the next day, again


def test_missed_means_past_the_grace_and_not_before_the_job_existed(places, settings):
    _ran_all_but("party-reminders")
    just_after = dt.datetime(2026, 7, 8, 8, 30, tzinfo=SHANGHAI)  # 20 minutes after 08:10
    assert not next(s for s in job_states(just_after) if s.key == "party-reminders").missed
    settings.PERIODIC_JOB_GRACE_MINUTES = 10
    assert next(s for s in job_states(just_after) if s.key == "party-reminders").missed
    # Seeded (or edited) after this morning's fire time: nothing was due yet.
    PeriodicTask.objects.filter(name="party-reminders").update(date_changed=NOW - dt.timedelta(hours=1))
    assert not next(s for s in job_states(NOW) if s.key == "party-reminders").missed
    # ... unless beat sent it since and no worker ran it.
    PeriodicTask.objects.filter(name="party-reminders").update(
        last_run_at=dt.datetime(2026, 7, 8, 8, 10, tzinfo=SHANGHAI)
    )
    assert next(s for s in job_states(NOW) if s.key == "party-reminders").missed
    # A switched-off job is never missed.
    PeriodicTask.objects.filter(name="party-reminders").update(enabled=False)
    state = next(s for s in job_states(NOW) if s.key == "party-reminders")
    assert not state.missed and state.next_fire is None


def test_a_job_whose_last_run_failed_or_never_finished_is_failed(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    _ran_all_but("core-export-jobs-expire")
    JobRun.objects.create(
        job="evaluation-reminders",
        task="evaluation.tasks.send_reminders",
        started_at=NOW - dt.timedelta(minutes=5),
        outcome="failed",
        error="x",
    )
    JobRun.objects.create(
        job="core-export-jobs-expire",
        task="core.tasks.export_jobs_expire",
        started_at=NOW - dt.timedelta(hours=2),
        outcome="running",
    )
    alarms = {s.key: (s.failed, s.missed) for s in job_states(NOW) if s.alarm}
    assert alarms == {"evaluation-reminders": (True, False), "core-export-jobs-expire": (True, False)}
    assert jobs_watch(NOW) == {"failed": 2, "missed": 0, "reminded": 2}
    assert Notification.objects.filter(recipient=admin, kind=JOB_FAILURE).count() == 2
    # A later good run clears it.
    JobRun.objects.create(
        job="evaluation-reminders",
        task="evaluation.tasks.send_reminders",
        started_at=NOW - dt.timedelta(minutes=1),
        outcome="succeeded",
    )
    assert not next(s for s in job_states(NOW) if s.key == "evaluation-reminders").alarm


def test_job_states_take_three_queries_whatever_the_number_of_jobs(django_assert_num_queries):
    with django_assert_num_queries(2):  # the beat rows with their schedules, the latest run per job
        states = job_states(NOW)
    assert len(states) == len(EXPECTED)


def test_the_watchdog_task_is_recorded_and_idempotent(places):
    make_user(Role.BUREAU_ADMIN, places.district)
    from core.tasks import jobs_watch as watch_task

    first = watch_task.apply().get()
    second = watch_task.apply().get()
    assert second["reminded"] == 0 and first["failed"] + first["missed"] == second["failed"] + second["missed"]
    assert JobRun.objects.filter(job="core-jobs-watch", outcome="succeeded").count() == 2


def test_clear_expired_sessions_is_recorded():
    clear_expired_sessions.apply()
    assert JobRun.objects.get(job="clear-expired-sessions").summary == "0"


def test_run_now_needs_a_known_installed_job(places, own_registry):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    with pytest.raises(ValidationError) as error:
        services.job_run_now(key="no-such-job", by=admin)
    assert "job" in error.value.error_dict
    periodic.register(
        periodic.PeriodicJob(
            key="not-yet", task="supervision.tasks.not_written_yet", label="尚未完成", schedule=periodic.Daily(7)
        )
    )
    with pytest.raises(ValidationError):
        services.job_run_now(key="not-yet", by=admin)


def test_schedule_update_validates_hour_and_minute(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    for hour, minute, field in [(24, 0, "hour"), ("x", 0, "hour"), (8, 60, "minute"), (8, None, "minute")]:
        with pytest.raises(ValidationError) as error:
            services.job_schedule_update(key="party-reminders", by=admin, hour=hour, minute=minute, enabled=True)
        assert field in error.value.error_dict
    row = services.job_schedule_update(key="core-jobs-watch", by=admin, hour=None, minute=20, enabled=True)
    assert (row.crontab.hour, row.crontab.minute) == ("*", "20")
    record = AuditRecord.objects.filter(object_id=str(row.pk), action="update", object_repr=str(row)).get()
    assert record.actor == admin and record.before["crontab_id"] != record.after["crontab_id"]
