"""Party building (党建): party organizations, how each organization is covered, regular contacts,
activities, joint meetings and the coverage statistics."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "party"
    verbose_name = _("Party building")

    def ready(self):
        # What the registry's organization pages show of party building (registry.extensions), and
        # the annual report's party section filled from coverage.
        from . import extensions, integration  # noqa: F401
