"""The declared periodic jobs: key → task (by dotted name), label, description, default schedule."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

EVERY = "*"


@dataclass(frozen=True)
class Daily:
    """Once a day at hour:minute (the project's time zone)."""

    hour: int
    minute: int = 0

    def crontab(self) -> dict[str, str]:
        return {"minute": str(self.minute), "hour": str(self.hour), **_EVERY_DAY}


@dataclass(frozen=True)
class Hourly:
    """Once an hour at the given minute."""

    minute: int = 0

    def crontab(self) -> dict[str, str]:
        return {"minute": str(self.minute), "hour": EVERY, **_EVERY_DAY}


_EVERY_DAY = {"day_of_week": EVERY, "day_of_month": EVERY, "month_of_year": EVERY}


@dataclass(frozen=True)
class PeriodicJob:
    key: str
    task: str
    label: str
    schedule: Daily | Hourly
    description: str = ""

    def task_available(self) -> bool:
        """Whether the task's module imports and defines it (another app may still be writing it)."""
        module_name, _, name = self.task.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return False
        return callable(getattr(module, name, None))


_jobs: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> PeriodicJob:
    """Declare a job. Declaring the same job again (a module imported twice) is harmless; another
    job under a used key, or a second job for a task, is a configuration error."""
    known = _jobs.get(job.key)
    if known is not None:
        if known != job:
            raise ImproperlyConfigured(f"Periodic job {job.key!r} is declared twice differently.")
        return known
    if any(other.task == job.task for other in _jobs.values()):
        raise ImproperlyConfigured(f"Task {job.task!r} already belongs to another periodic job.")
    _jobs[job.key] = job
    return job


def jobs() -> list[PeriodicJob]:
    """Every declared job, in the order the apps declared them."""
    return list(_jobs.values())


def get(key: str) -> PeriodicJob | None:
    return _jobs.get(key)


def job_for_task(task_name: str, periodic_task_name: str | None = None) -> PeriodicJob | None:
    """The job a task run belongs to: beat's header names the schedule row (named by the job's key)
    when beat sent it; otherwise the job whose task it is, however it was started."""
    if periodic_task_name and (job := _jobs.get(periodic_task_name)) and job.task == task_name:
        return job
    return next((job for job in _jobs.values() if job.task == task_name), None)
