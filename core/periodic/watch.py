"""Each job's state (its stored schedule, last run, previous and next fire time, failed or missed)
and the watchdog reminding the bureau administrators of those that failed or missed a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import notifications
from core.choices import JobOutcome
from core.models import JobRun

from . import crontabs
from .registry import PeriodicJob, jobs
from .runs import JOB_FAILURE, bureau_admins, status_url


def grace() -> dt.timedelta:
    """How long after its fire time a run may start before the job counts as missed."""
    return dt.timedelta(minutes=getattr(settings, "PERIODIC_JOB_GRACE_MINUTES", 30))


def _stuck_after() -> dt.timedelta:
    # A run still "running" past the task's hard time limit was killed with its worker.
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + grace()


@dataclass
class JobState:
    job: PeriodicJob
    row: object | None  # django_celery_beat PeriodicTask, None when not seeded
    last_run: JobRun | None
    previous_fire: dt.datetime | None
    next_fire: dt.datetime | None
    failed: bool
    missed: bool
    task_available: bool

    @property
    def key(self) -> str:
        return self.job.key

    @property
    def enabled(self) -> bool:
        return bool(self.row is not None and self.row.enabled)

    @property
    def schedule_text(self) -> str:
        return crontabs.describe(self.row)

    @property
    def alarm(self) -> bool:
        return self.failed or self.missed


def rows_by_key(declared: list[PeriodicJob]) -> dict[str, object]:
    """Each job's beat row: the one named by its key, else one running its task."""
    from django_celery_beat.models import PeriodicTask

    rows = PeriodicTask.objects.filter(
        Q(name__in=[j.key for j in declared]) | Q(task__in=[j.task for j in declared])
    ).select_related("crontab", "interval", "clocked", "solar")
    by_name = {row.name: row for row in rows}
    by_task = {}
    for row in sorted(rows, key=lambda r: r.pk):
        by_task.setdefault(row.task, row)
    return {j.key: by_name.get(j.key) or by_task.get(j.task) for j in declared}


def last_runs(keys: list[str]) -> dict[str, JobRun]:
    latest = JobRun.objects.filter(job__in=keys).order_by("job", "-started_at", "-pk").distinct("job")
    return {run.job: run for run in latest}


def _fires(row, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    if row is None:
        return None, None
    if row.crontab_id:
        return crontabs.previous_fire(row.crontab, now), crontabs.next_fire(row.crontab, now)
    if row.interval_id:
        every = dt.timedelta(seconds=crontabs.interval_seconds(row.interval))
        last = row.last_run_at
        return last, (last + every if last else now)
    return None, None


def _missed(row, last_run: JobRun | None, previous: dt.datetime | None, now: dt.datetime) -> bool:
    if row is None or not row.enabled:
        return False
    if row.interval_id:  # no fixed fire time: missed when no run came within a period and the grace
        every = dt.timedelta(seconds=crontabs.interval_seconds(row.interval))
        since = last_run.started_at if last_run else row.date_changed
        return since is not None and since + every + grace() < now
    if previous is None or previous > now - grace():
        return False
    if last_run is not None and last_run.started_at >= previous:
        return False
    # A row created or edited after that fire time (a fresh install) had nothing due yet; beat
    # having sent it (last_run_at) means it was due and no worker ran it.
    sent = row.last_run_at is not None and row.last_run_at >= previous
    return sent or row.date_changed < previous


def _failed(last_run: JobRun | None, now: dt.datetime) -> bool:
    if last_run is None:
        return False
    if last_run.outcome == JobOutcome.FAILED:
        return True
    return last_run.outcome == JobOutcome.RUNNING and last_run.started_at < now - _stuck_after()


def job_states(now: dt.datetime | None = None) -> list[JobState]:
    """Every declared job's state, in declaration order: two queries whatever the number of jobs."""
    now = now or timezone.now()
    declared = jobs()
    rows = rows_by_key(declared)
    runs = last_runs([j.key for j in declared])
    states = []
    for job in declared:
        row, last_run = rows[job.key], runs.get(job.key)
        previous, upcoming = _fires(row, now)
        states.append(
            JobState(
                job=job,
                row=row,
                last_run=last_run,
                previous_fire=previous,
                next_fire=upcoming if row is not None and row.enabled else None,
                failed=_failed(last_run, now),
                missed=_missed(row, last_run, previous, now),
                task_available=job.task_available(),
            )
        )
    return states


def jobs_watch(now: dt.datetime | None = None) -> dict:
    """Remind every active bureau administrator of each job that failed last or missed its run,
    once a day per job (core.notifications.remind). Returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    admins = list(bureau_admins())
    result = {"failed": 0, "missed": 0, "reminded": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for state in job_states(now):
            if not state.alarm:
                continue
            result["failed" if state.failed else "missed"] += 1
            if state.failed:
                title = _("Periodic job “%(job)s” failed on its last run") % {"job": state.job.label}
            else:
                title = _("Periodic job “%(job)s” did not run when due") % {"job": state.job.label}
            result["reminded"] += notifications.remind(
                admins,
                item_key=f"periodic-job:{state.key}",
                title=title,
                url=status_url(state.key),
                today=today,
                kind=JOB_FAILURE,
            )
    return result
