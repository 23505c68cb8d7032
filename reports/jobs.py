"""The reports app's periodic jobs (core.periodic)."""

from django.utils.translation import gettext_lazy as _

from core import jobs
from core.periodic import Daily, PeriodicJob, register

# A workbook version queued while the broker was down is sent again by the watchdog.
jobs.resend_when_waiting("reports.tasks.workbook_build", "reports.services.workbooks.waiting_builds")

register(
    PeriodicJob(
        key="reports-rollups-refresh",
        task="reports.tasks.rollups_refresh",
        label=_("Refresh the dashboard rollups"),
        description=_("Refreshes every district's and city's figures for the current and the previous quarter."),
        schedule=Daily(hour=2, minute=0),
    )
)
register(
    PeriodicJob(
        key="reports-workbooks",
        task="reports.tasks.workbooks_scheduled",
        label=_("Quarterly review workbooks"),
        description=_("Builds each district's and city's workbook the day after the quarter's submission deadline."),
        schedule=Daily(hour=6, minute=0),
    )
)
