"""Roster imports: an uploaded xlsx roster, its dry-run report and the import that follows."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import Action, Role
from core.models import ScopedModel
from core.scoping import AccessPolicy

from ..choices import RosterImportStatus
from ..uploads import ROSTER_UPLOADS


class RosterImport(ScopedModel):
    district = models.ForeignKey(
        "accounts.Region", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=ROSTER_UPLOADS.upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    all_or_nothing = models.BooleanField(
        _("all or nothing"),
        default=False,
        help_text=_("Import nothing if any row has an error; otherwise the valid rows are imported."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RosterImportStatus.choices, default=RosterImportStatus.UPLOADED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    imported_count = models.PositiveIntegerField(_("imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True, help_text=_("[row, column, message] per error"))
    header_rows = models.JSONField(_("header rows"), default=list, blank=True)
    ignored_headers = models.JSONField(_("ignored columns"), default=list, blank=True)
    # What the dry run read, for the page and the error file: {"sheet": name, "notes": [warning …],
    # "preview": [{row, name, legal_form, category, street, community, …} of the first rows],
    # "names": {row: organization name} of rows with errors}.
    dry_run = models.JSONField(_("dry run"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    access_policy = AccessPolicy(
        region="district",
        organization=None,
        role_actions={
            Role.BUREAU_ADMIN: frozenset(Action.values),
            Role.BUREAU_STAFF: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
            Role.BUREAU_VIEWER: frozenset({Action.VIEW}),
        },
    )
    audit_exclude = ("errors", "file", "dry_run")  # the file name is kept as original_name

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at", "id"], name="rosterimport_created_id"),
        ]

    def __str__(self):
        return _("Roster import %(name)s") % {"name": self.original_name}

    def get_absolute_url(self):
        return reverse("registry:rosterimport_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (
            RosterImportStatus.UPLOADED,
            RosterImportStatus.VALIDATING,
            RosterImportStatus.IMPORTING,
        )

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == RosterImportStatus.VALIDATED
            and self.valid_rows > 0
            and not (self.all_or_nothing and self.error_count)
        )
