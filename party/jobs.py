"""The party app's periodic jobs (core.periodic)."""

from django.utils.translation import gettext_lazy as _

from core.periodic import Daily, PeriodicJob, register

register(
    PeriodicJob(
        key="party-reminders",
        task="party.tasks.send_reminders",
        label=_("Party building reminders"),
        description=_("Tells party secretaries of organizations overdue for a contact and of terms ending."),
        schedule=Daily(hour=8, minute=10),
    )
)
