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
        # Periodic jobs: the frame's own, then each app's jobs.py; their runs are recorded from
        # Celery's signals, and the beat rows are seeded after every migrate (core.periodic).
        from django.db.models.signals import post_migrate

        from .periodic import housekeeping, runs  # noqa: F401
        from .periodic.seeding import seed_after_migrate

        autodiscover_modules("jobs")
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="core.periodic.seed")
