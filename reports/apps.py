"""Dashboard, quarterly review workbook, periodic jobs, reminders, notifications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import home

        home.register()
