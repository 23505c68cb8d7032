"""Choices shared by every app: the roles of DESIGN.md §1 and the actions on rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    BUREAU_STAFF = "bureau_staff", _("Bureau clerk")
    BUREAU_VIEWER = "bureau_viewer", _("Bureau viewer")
    STREET_OFFICER = "street_officer", _("Street officer")
    COMMUNITY_PARTY = "community_party", _("Community party secretary")
    ORG_USER = "org_user", _("Organization account")
    FUNDER_USER = "funder_user", _("Funder account")
    EXPERT = "expert", _("Expert")


BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.BUREAU_VIEWER})


class Action(models.TextChoices):
    VIEW = "view", _("View")
    ADD = "add", _("Add")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("State changed")
    IMPORT = "import", _("Imported")
    LOGIN = "login", _("Logged in")
    OTHER = "other", _("Other")


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export job", "Queued")
    RUNNING = "running", pgettext_lazy("export job", "Running")
    DONE = "done", pgettext_lazy("export job", "Done")
    FAILED = "failed", pgettext_lazy("export job", "Failed")


class JobOutcome(models.TextChoices):
    RUNNING = "running", pgettext_lazy("job run", "Running")
    SUCCEEDED = "succeeded", pgettext_lazy("job run", "Succeeded")
    FAILED = "failed", pgettext_lazy("job run", "Failed")
