"""Shared mechanism: base models, audit trail, scoped querysets, generic views, xlsx, test helpers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import signals  # noqa: F401

        # Each app may contribute menu entries (navigation.py); discovered once, in app order.
        autodiscover_modules("navigation")
        # Each app declares its workflows (workflows.py); importing them registers their kinds
        # of notice for the preferences page.
        autodiscover_modules("workflows")
