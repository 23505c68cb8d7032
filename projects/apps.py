"""Projects, budget lines, indicators, ledger entries, expenditures, quarterly submissions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")
