"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkbookStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("workbook", "Queued")
    BUILDING = "building", pgettext_lazy("workbook", "Building")
    READY = "ready", pgettext_lazy("workbook", "Ready")
    FAILED = "failed", pgettext_lazy("workbook", "Failed")


class WorkbookTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Scheduled (after the submission deadline)")
    REQUEST = "request", _("Requested by staff")
