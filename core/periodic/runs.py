"""Recording every run of a declared job's task (core.models.JobRun) from Celery's signals, for a
worker's run, beat's, "run now" and `apply()` alike; a failure tells the bureau administrators."""

from __future__ import annotations

import logging
import time
import traceback

from celery import states
from celery.signals import task_failure, task_postrun, task_prerun
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import notifications
from core.choices import JobOutcome, Role
from core.models import JobRun

from .registry import PeriodicJob, job_for_task

logger = logging.getLogger(__name__)

JOB_FAILURE = "job-failure"
notifications.register_kind(JOB_FAILURE, gettext_lazy("Periodic job failures"))

# The job's page on the 任务状态 screen (reports): named, not imported, as menus name their pages.
STATUS_URL_NAME = "reports:job_detail"
SUMMARY_LENGTH = 500
ERROR_LENGTH = 4000

_open: dict[str, tuple[int, float]] = {}  # task id → (JobRun id, monotonic start)
_errors: dict[str, str] = {}


def status_url(key: str) -> str:
    try:
        return reverse(STATUS_URL_NAME, args=[key])
    except NoReverseMatch:
        return ""


def bureau_admins():
    return get_user_model().objects.filter(role=Role.BUREAU_ADMIN, is_active=True).order_by("pk")


def summarize(value) -> str:
    """A short line for a task's return value: {"listed": 2} → "listed: 2"."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())[:SUMMARY_LENGTH]
    return str(value)[:SUMMARY_LENGTH]


def notify_failure(job: PeriodicJob, run: JobRun) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Periodic job “%(job)s” failed") % {"job": job.label}
        body = f"{message}\n{run.error[:1000]}"
        return notifications.notify(bureau_admins(), JOB_FAILURE, run, message, body=body, url=status_url(job.key))


@task_prerun.connect
def _job_started(sender=None, task_id=None, task=None, **kwargs):
    task = task or sender
    job = job_for_task(getattr(task, "name", ""), getattr(task.request, "periodic_task_name", None))
    if job is None or task_id is None:
        return
    try:
        run = JobRun.objects.create(job=job.key, task=job.task, task_id=task_id[:64], started_at=timezone.now())
    except DatabaseError:  # the run goes on; only its record is lost
        logger.exception("Could not record the start of %s", job.key)
        return
    _open[task_id] = (run.pk, time.monotonic())


@task_failure.connect
def _job_failed(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    if task_id in _open:
        text = str(einfo) if einfo is not None else "".join(traceback.format_exception_only(exception))
        _errors[task_id] = (f"{type(exception).__name__}: {exception}\n\n{text}")[:ERROR_LENGTH]


@task_postrun.connect
def _job_finished(sender=None, task_id=None, task=None, retval=None, state=None, **kwargs):
    opened = _open.pop(task_id, None)
    if opened is None:
        return
    run_id, began = opened
    error = _errors.pop(task_id, "")
    failed = bool(error) or state in (states.FAILURE, states.RETRY)
    try:
        with transaction.atomic():
            run = JobRun.objects.select_for_update().get(pk=run_id)
            run.finished_at = timezone.now()
            run.duration_ms = max(0, round((time.monotonic() - began) * 1000))
            run.outcome = JobOutcome.FAILED if failed else JobOutcome.SUCCEEDED
            run.summary = "" if failed else summarize(retval)
            run.error = (error or str(retval))[:ERROR_LENGTH] if failed else ""
            run.save(update_fields=["finished_at", "duration_ms", "outcome", "summary", "error"])
            job = job_for_task(run.task)
            if failed and job is not None:
                notify_failure(job, run)
    except DatabaseError:
        logger.exception("Could not record the end of run %s", run_id)
