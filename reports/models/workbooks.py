"""The quarterly review workbook archive (季度评审工作簿): one row per build. Each build of a
district's (or a city's) quarter is a new version; the archive offers the newest ready one first and
keeps the others. A build that fails or is killed stays as it is (failed, or building with a stale
heartbeat) and never touches an earlier ready version's file."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import Action, Role
from core.scoping import AccessPolicy, RestrictedQuerySet
from core.uploads import UploadPolicy

from ..choices import WorkbookStatus, WorkbookTrigger

WORKBOOK_FILES = UploadPolicy(allowed=("xlsx",), prefix="workbooks")

READ = frozenset({Action.VIEW})
BUILD = frozenset({Action.VIEW, Action.ADD})

WORKBOOK_POLICY = AccessPolicy(
    region="region",
    role_actions={Role.BUREAU_ADMIN: BUILD, Role.BUREAU_STAFF: BUILD, Role.BUREAU_VIEWER: READ},
    # A city bureau builds the city's workbook (and reads its districts').
    city_actions=frozenset({Action.ADD}),
)


class QuarterlyWorkbook(models.Model):
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="workbooks"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    version = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=16, choices=WorkbookStatus.choices, default=WorkbookStatus.QUEUED, db_index=True
    )
    trigger = models.CharField(_("started by"), max_length=16, choices=WorkbookTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=WORKBOOK_FILES.upload_to, blank=True, max_length=255)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    access_policy = WORKBOOK_POLICY
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarterly review workbook")
        verbose_name_plural = _("quarterly review workbooks")
        ordering = ["region__path", "-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter", "version"], name="reports_workbook_version"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="reports_workbook_quarter"),
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="reports_workbook_year"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="reports_workbook_progress"),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "id"], name="workbook_quarter_id"),
            models.Index(fields=["created_at", "id"], name="workbook_created_id"),
        ]

    def __str__(self):
        return f"{self.region} {self.year}Q{self.quarter} v{self.version}"

    def get_absolute_url(self):
        return reverse("reports:workbook_detail", args=[self.pk])
