"""The frame's own periodic jobs (the apps declare theirs in their jobs.py)."""

from django.utils.translation import gettext_lazy as _

from .registry import Daily, Hourly, PeriodicJob, register

register(
    PeriodicJob(
        key="clear-expired-sessions",
        task="core.tasks.clear_expired_sessions",
        label=_("Clear expired sessions"),
        description=_("Deletes the sessions past their expiry (they are credentials, not records)."),
        schedule=Daily(hour=3, minute=0),
    )
)
register(
    PeriodicJob(
        key="core-export-jobs-expire",
        task="core.tasks.export_jobs_expire",
        label=_("Remove expired exports"),
        description=_("Removes export files and jobs older than the days they are kept (audited)."),
        schedule=Daily(hour=3, minute=15),
    )
)
register(
    PeriodicJob(
        key="core-jobs-watch",
        task="core.tasks.jobs_watch",
        label=_("Watch the periodic jobs"),
        description=_(
            "Reminds the bureau administrators, once a day per job, of jobs that failed or did not run when due."
        ),
        schedule=Hourly(minute=5),
    )
)
