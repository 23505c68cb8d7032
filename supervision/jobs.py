"""Supervision's periodic jobs (core.periodic)."""

from django.utils.translation import gettext_lazy as _

from core.periodic import Daily, PeriodicJob, register

register(
    PeriodicJob(
        key="supervision-listings-daily",
        task="supervision.tasks.listings_daily",
        label=_("Abnormal and serious-violation lists"),
        description=_(
            "Lists organizations past the annual-report deadline; moves two-year listings to the serious list."
        ),
        schedule=Daily(hour=1, minute=30),
    )
)
register(
    PeriodicJob(
        key="supervision-reminders",
        task="supervision.tasks.send_reminders",
        label=_("Supervision reminders"),
        description=_("Reminds of annual reports due or overdue and of abnormal listings reaching their limits."),
        schedule=Daily(hour=8, minute=20),
    )
)
