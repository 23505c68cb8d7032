"""Periodic jobs: each app declares its jobs in its own `jobs.py` (autodiscovered by core), e.g.

    periodic.register(PeriodicJob(key="party-reminders", task="party.tasks.send_reminders",
                                  label=_("..."), description=_("..."), schedule=Daily(hour=8, minute=10)))

A job names its Celery task by its dotted name, so a task that is not importable yet (another app
still writing it) is declared all the same: the status page shows it as missing and its missed runs
turn red, nothing breaks.

The jobs are seeded once into django-celery-beat's tables (`seed`, run after `migrate` and by
`manage.py seed_jobs`): a missing row is created, a row that exists is never overwritten, so the
bureau administrator's edits stand. Nothing sits in `CELERY_BEAT_SCHEDULE`: the DatabaseScheduler
writes every settings entry over its row each time beat starts.

Every run of a job's task is recorded in `core.models.JobRun` by Celery signal handlers (`runs`);
a failure notifies every active bureau administrator. `core.tasks.jobs_watch` (hourly) reminds them,
once a day per job, of jobs that failed last or missed a run (`watch`). The 任务状态 page (reports)
reads `job_states()` and writes through `job_run_now` and `job_schedule_update` (`services`).

Modules: `registry` (the declarations), `crontabs` (fire times and schedules in words), `seeding`,
`runs` (signal handlers), `watch` (states and the watchdog), `services` (the page's writes).
"""

from .registry import Daily, Hourly, PeriodicJob, get, job_for_task, jobs, register
from .seeding import seed

__all__ = ["Daily", "Hourly", "PeriodicJob", "get", "job_for_task", "jobs", "register", "seed"]
