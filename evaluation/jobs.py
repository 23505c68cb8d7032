"""The evaluation app's periodic jobs (core.periodic)."""

from django.utils.translation import gettext_lazy as _

from core.periodic import Daily, PeriodicJob, register

register(
    PeriodicJob(
        key="evaluation-reminders",
        task="evaluation.tasks.send_reminders",
        label=_("Evaluation reminders"),
        description=_("Reminds experts of scoring due, and organizations and bureaus of grades lapsing."),
        schedule=Daily(hour=8, minute=15),
    )
)
