"""The 任务状态 page's writes: run a job now, change when it runs. Only a bureau administrator at
the deployment's top node (a city, or a district without a city) may; both are audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction, Role
from core.jobs import enqueue

from .registry import PeriodicJob, get
from .seeding import crontab_for, seed
from .watch import rows_by_key


def may_view(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.BUREAU_ADMIN))


def may_manage(user) -> tuple[bool, str]:
    """(allowed, reason) for running a job or editing its schedule: the schedules serve the whole
    deployment, so they are kept at its top node."""
    if not may_view(user):
        return False, _("Only a bureau administrator manages the periodic jobs.")
    if user.is_superuser:
        return True, ""
    region = user.region
    if region is None or region.parent_id is not None:
        return False, _("The periodic jobs serve the whole deployment; the bureau at its top node manages them.")
    return True, ""


def _require(user) -> None:
    allowed, reason = may_manage(user)
    if not allowed:
        raise PermissionDenied(reason)


def _job(key: str) -> PeriodicJob:
    job = get(key)
    if job is None:
        raise ValidationError({"job": _("Periodic job: unknown %(key)s.") % {"key": key}})
    return job


def schedule_row(job: PeriodicJob, *, lock: bool = False):
    """The job's beat row, seeded first if it has none."""
    from django_celery_beat.models import PeriodicTask

    row = rows_by_key([job])[job.key]
    if row is None:
        seed()
        row = rows_by_key([job])[job.key]
    return PeriodicTask.objects.select_for_update().get(pk=row.pk) if lock else row


@transaction.atomic
def job_run_now(*, key: str, by) -> None:
    """Queue the job's task at once (after the commit); the run is recorded like beat's."""
    _require(by)
    job = _job(key)
    if not job.task_available():
        raise ValidationError({"job": _("Periodic job: its task is not installed yet.")})
    row = schedule_row(job)
    audit.record(
        actor=by, action=AuditAction.OTHER, obj=row, after=None, message=_("Run now: %(job)s") % {"job": job.label}
    )
    enqueue(job.task)


def _clock_value(value, field: str, maximum: int, message: str, *, blank_ok: bool) -> str:
    if value in (None, "") and blank_ok:
        return "*"
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= maximum:
        raise ValidationError({field: message})
    return str(number)


@transaction.atomic
def job_schedule_update(*, key: str, by, hour, minute, enabled: bool):
    """Run the job daily at hour:minute (hour None: every hour at that minute), or switch it off.
    The days it runs on, if the administrator restricted them in the admin, are kept."""
    _require(by)
    job = _job(key)
    hour_error = _("Hour: a whole number from 0 to 23, or blank for every hour.")
    hour = _clock_value(hour, "hour", 23, hour_error, blank_ok=True)
    minute = _clock_value(minute, "minute", 59, _("Minute: a whole number from 0 to 59."), blank_ok=False)
    row = schedule_row(job, lock=True)
    before = audit.snapshot(row)
    days = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
    if row.crontab_id:
        days = {name: getattr(row.crontab, name) for name in days}
    row.crontab = crontab_for({"minute": minute, "hour": hour, **days})
    row.interval = row.solar = row.clocked = None
    row.enabled = bool(enabled)
    row.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=row, before=before)
    return row
