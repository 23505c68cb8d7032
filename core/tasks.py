"""Periodic housekeeping tasks of the frame."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import services_exports


@shared_task(name="core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete expired sessions (they are credentials, not records); returns how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="core.tasks.export_job_run")
def export_job_run(job_id: int) -> None:
    services_exports.export_job_run(job_id)


@shared_task(name="core.tasks.export_jobs_expire")
def export_jobs_expire() -> int:
    """Remove export files and jobs past their expiry (7 days); returns how many."""
    return services_exports.export_jobs_expire()


@shared_task(name="core.tasks.jobs_watch")
def jobs_watch() -> dict:
    """Hourly: remind the bureau administrators of periodic jobs that failed or missed a run, and
    send again the background jobs still waiting for a worker (their message was lost)."""
    from . import jobs
    from .periodic.watch import jobs_watch as watch

    return {**watch(), "resent": jobs.resend_waiting()}
