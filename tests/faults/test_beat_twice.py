"""Every periodic job is idempotent: run twice the same day on the demo district, the second run
changes no row of any table — not one inserted, updated or deleted (so no notice, no audit record,
no second workbook) — and each run is recorded as a success. The tables a second run wrote to
(PostgreSQL's counters of this transaction's writes) are compared row by row, by a hash of every
row, with what they held before it (the second run is undone to a savepoint to read them). The jobs
run one after another on one copy of the demo, each seeing what the jobs before it did, as on a
real night."""

import datetime as dt

from celery import current_app
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from core import periodic
from core.models import ExportJob, JobRun, Notification

# The runs' own record (core.periodic.runs) is the one table a run writes every time.
RECORDS = {JobRun._meta.db_table}


def _writes() -> dict[str, tuple[int, int, int]]:
    """Rows inserted, updated and deleted so far by this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return {table: counts for table, *counts in cursor.fetchall() if table not in RECORDS}


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(table for table, counts in after.items() if before.get(table) != counts)


def _fingerprints(tables: list[str]) -> dict[str, tuple[int, int]]:
    """Each table's row count and the sum of its rows' hashes."""
    if not tables:
        return {}
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT %s, count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) FROM {quote(table)} t" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def _clear_rollups():
    from reports.models import Rollup

    Rollup.objects.all().delete()


def _clear_scheduled_workbooks():
    from reports.models import QuarterlyWorkbook
    from reports.services.workbooks import due_quarter

    year, quarter = due_quarter(timezone.localdate())
    QuarterlyWorkbook.objects.filter(year=year, quarter=quarter).delete()


# Jobs whose first run must write rows whatever the day, once the demo's rows they would make are
# cleared (the reminders' work depends on the date).
ACTS_ON_THE_DEMO = {
    "reports-rollups-refresh": _clear_rollups,
    "reports-workbooks": _clear_scheduled_workbooks,
    "clear-expired-sessions": lambda: None,
    "core-export-jobs-expire": lambda: None,
    "core-jobs-watch": lambda: None,
}


def _work_for_the_frame_jobs():
    """An expired session, an expired export, a job whose last run failed."""
    long_ago = timezone.now() - dt.timedelta(days=30)
    session = SessionStore()
    session.create()
    Session.objects.filter(session_key=session.session_key).update(expire_date=long_ago)
    owner = get_user_model().objects.order_by("pk").first()
    ExportJob.objects.create(owner=owner, view="v", path="/", title="旧导出", created_at=long_ago, expires_at=long_ago)
    JobRun.objects.create(job="evaluation-reminders", task="evaluation.tasks.x", outcome="failed", started_at=long_ago)


def test_a_second_run_the_same_day_changes_nothing(seeded_demo, django_capture_on_commit_callbacks):
    current_app.loader.import_default_modules()
    _work_for_the_frame_jobs()
    acted, repeated, outcomes = {}, {}, {}
    with django_capture_on_commit_callbacks(execute=False):  # nothing sent to the broker or by mail
        for job in periodic.jobs():
            task = current_app.tasks[job.task]
            if job.key in ACTS_ON_THE_DEMO:
                ACTS_ON_THE_DEMO[job.key]()
            before = _writes()
            first = task.apply()
            assert first.successful(), (job.key, first.traceback)
            after_first = _writes()
            acted[job.key] = _changed(before, after_first)

            undo = transaction.savepoint()
            second = task.apply()
            assert second.successful(), (job.key, second.traceback)
            runs = JobRun.objects.filter(job=job.key, task_id__in=[first.id, second.id]).order_by("started_at")
            outcomes[job.key] = list(runs.values_list("outcome", flat=True))
            touched = _changed(after_first, _writes())
            after_second = _fingerprints(touched)
            transaction.savepoint_rollback(undo)
            repeated[job.key] = [t for t in touched if _fingerprints([t])[t] != after_second[t]]
    assert {key: tables for key, tables in repeated.items() if tables} == {}
    for key in ACTS_ON_THE_DEMO:
        assert acted[key], f"{key} did nothing on its first run"
    assert outcomes == {job.key: ["succeeded", "succeeded"] for job in periodic.jobs()}
    # The watchdog told the administrators of the failed job once, not twice.
    reminders = Notification.objects.filter(item_key="periodic-job:evaluation-reminders")
    assert reminders.count() == reminders.values("recipient").distinct().count() > 0
