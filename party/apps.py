"""Party organizations, coverage, instructors, regular contact, joint meetings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "party"
    verbose_name = _("Party")
