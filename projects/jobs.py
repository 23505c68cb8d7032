"""The projects app's periodic jobs (core.periodic)."""

from django.utils.translation import gettext_lazy as _

from core.periodic import Daily, PeriodicJob, register

register(
    PeriodicJob(
        key="projects-due-reminders",
        task="projects.tasks.send_due_reminders",
        label=_("Ledger submission reminders"),
        description=_(
            "Reminds organizations of quarterly ledgers and contract milestones due or overdue, and the bureau of"
            " major-activity reports awaiting its decision."
        ),
        schedule=Daily(hour=8, minute=0),
    )
)
register(
    PeriodicJob(
        key="projects-rectification-reminders",
        task="projects.tasks.send_rectification_reminders",
        label=_("Rectification reminders"),
        description=_("Reminds the organization and the supervisor of rectifications due within 3 days or overdue."),
        schedule=Daily(hour=8, minute=5),
    )
)
