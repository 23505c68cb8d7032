"""Organizations, applications, annual reports, the lists, roster import, public register."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")

    def ready(self):
        # Menu entries of annual reports, the lists and roster imports (navigation.py has the rest).
        from . import navigation_lists  # noqa: F401
