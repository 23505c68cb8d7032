"""Projects, their budgets, indicators, ledger entries, expenditures, quarterly submissions and
major-activity reports. Written only by projects.services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.choices import Action, Role
from core.models import Reviewed, ScopedModel
from core.scoping import AccessPolicy, RestrictedManager
from core.search import bigram_index

from .. import periods, uploads
from ..choices import (
    QUARTERS,
    AdjustmentStatus,
    AttachmentKind,
    BudgetCategory,
    EntryKind,
    EntryStatus,
    FundingSource,
    IndicatorSource,
    MajorActivityStatus,
    ProjectStatus,
    SubmissionStatus,
    TargetGroup,
)

_ALL = frozenset(Action.values)
_READ = frozenset({Action.VIEW})
_WRITE = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})

# Funders (bureau, streets) set projects up; organizations read them.
PROJECT_ROLE_ACTIONS = {
    Role.BUREAU_ADMIN: _ALL,
    Role.BUREAU_STAFF: _WRITE,
    Role.BUREAU_VIEWER: _READ,
    Role.STREET_OFFICER: _WRITE,
    Role.COMMUNITY_PARTY: _READ,
    Role.ORG_USER: _READ,
    Role.FUNDER_USER: _READ,
}
# Organizations record; funders read and review (reviews are transitions checked by services).
RECORD_ROLE_ACTIONS = {
    Role.BUREAU_ADMIN: _ALL,
    Role.BUREAU_STAFF: _READ,
    Role.BUREAU_VIEWER: _READ,
    Role.STREET_OFFICER: _READ,
    Role.COMMUNITY_PARTY: _READ,
    Role.ORG_USER: _WRITE,
    Role.FUNDER_USER: _READ,
}
# Budget adjustments: organizations propose, funders propose too and decide.
ADJUSTMENT_ROLE_ACTIONS = {**RECORD_ROLE_ACTIONS, Role.BUREAU_STAFF: _WRITE, Role.STREET_OFFICER: _WRITE}

AMOUNT = {"max_digits": 12, "decimal_places": 2}


def _project_policy(role_actions, prefix="project__"):
    return AccessPolicy(
        region=f"{prefix}organization__region",
        organization=f"{prefix}organization",
        funder=f"{prefix}funder",
        role_actions=role_actions,
    )


class Project(ScopedModel):
    code = models.CharField(_("project code"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    organization = models.ForeignKey(
        "registry.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="projects"
    )
    funding_source = models.CharField(_("funding source"), max_length=32, choices=FundingSource.choices)
    funder = models.ForeignKey(
        "projects.Funder",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("The body that pays for the project and accepts its ledger."),
    )
    amount = models.DecimalField(_("amount (yuan)"), validators=bounds.NOT_NEGATIVE, **AMOUNT)
    start_date = models.DateField(_("start date"), validators=bounds.PLAUSIBLE_DATE)
    end_date = models.DateField(_("end date"), validators=bounds.PLAUSIBLE_DATE)
    target_groups = ArrayField(
        models.CharField(max_length=32, choices=TargetGroup.choices),
        verbose_name=_("target groups"),
        default=list,
        blank=True,
    )
    service_communities = models.ManyToManyField(
        "accounts.Region", verbose_name=_("service communities"), related_name="served_projects", blank=True
    )
    objectives = models.TextField(_("objectives"), blank=True, validators=bounds.LONG_TEXT)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.APPLIED)
    status_reason = models.TextField(_("reason"), blank=True, validators=bounds.SHORT_TEXT)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    access_policy = _project_policy(PROJECT_ROLE_ACTIONS, prefix="")
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="project_period_ordered"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_amount_not_negative"),
            bounds.check_between("start_date", bounds.DATE_MIN, bounds.DATE_MAX, name="project_start_plausible"),
            bounds.check_between("end_date", bounds.DATE_MIN, bounds.DATE_MAX, name="project_end_plausible"),
        ]
        indexes = [
            models.Index(fields=["title", "id"], name="project_title_id"),
            models.Index(fields=["amount", "id"], name="project_amount_id"),
            models.Index(fields=["start_date", "id"], name="project_start_id"),
            models.Index(fields=["end_date", "id"], name="project_end_id"),
            models.Index(fields=["-start_date", "code", "id"], name="project_default_order"),
            bigram_index("title", name="project_title_bigrams"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def covers(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def quarters(self) -> list[tuple[int, int]]:
        return periods.quarters_between(self.start_date, self.end_date)

    def get_target_groups_display(self) -> str:
        labels = dict(TargetGroup.choices)
        return "、".join(str(labels.get(g, g)) for g in self.target_groups)


class BudgetLine(ScopedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    name = models.CharField(_("name"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), validators=bounds.NOT_NEGATIVE, **AMOUNT)

    access_policy = _project_policy(PROJECT_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project_id", "category", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="budget_line_name_per_project"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["amount", "id"], name="budgetline_amount_id"),
            models.Index(fields=["project", "category", "id"], name="budgetline_default_order"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.name}"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#budget"


class Indicator(ScopedModel):
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField(_("progress from"), max_length=20, choices=IndicatorSource.choices)
    entered_value = models.DecimalField(
        _("entered value"), max_digits=12, decimal_places=2, null=True, blank=True, validators=bounds.NOT_NEGATIVE
    )

    access_policy = _project_policy(PROJECT_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="indicator_name_per_project"),
            models.CheckConstraint(condition=Q(target__gt=0), name="indicator_target_positive"),
        ]

    def __str__(self):
        return f"{self.name}（{self.target.normalize():f}{self.unit}）"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#indicators"


class LedgerEntry(Reviewed, ScopedModel):
    """One activity in a project's ledger. Drafts are edited in place; a submitted entry is
    corrected by a new version (`previous_version`), and the old version stays as it was."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    date = models.DateField(_("date"), validators=bounds.PLAUSIBLE_DATE)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0, validators=bounds.HEAD_COUNT)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0, validators=bounds.HEAD_COUNT)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0, validators=bounds.HEAD_COUNT)
    volunteer_hours = models.DecimalField(
        _("volunteer hours"), max_digits=8, decimal_places=1, default=Decimal("0"), validators=bounds.HOURS
    )
    foreign_involvement = models.BooleanField(_("foreign involvement"), default=False)
    summary = models.TextField(_("summary"), blank=True, validators=bounds.LONG_TEXT)
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        editable=False,
    )
    is_current = models.BooleanField(_("current version"), default=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)

    access_policy = _project_policy(RECORD_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(volunteer_hours__gte=0), name="ledger_entry_hours_not_negative"),
            models.CheckConstraint(condition=Q(version__gte=1), name="ledger_entry_version_positive"),
            *(
                bounds.check_between(name, 0, bounds.HEAD_COUNT_MAX, name=f"ledger_entry_{name}_plausible")
                for name in ("participants", "beneficiaries", "volunteers")
            ),
        ]
        indexes = [
            models.Index(fields=["project", "is_current", "date"], name="ledger_entry_project_date"),
            models.Index(fields=["-date", "-id"], condition=Q(is_current=True), name="ledger_entry_current_date_id"),
            bigram_index("title", name="ledger_entry_title_bigrams"),
        ]

    def __str__(self):
        suffix = f" v{self.version}" if self.version > 1 else ""
        return f"{self.date:%Y-%m-%d} {self.title}{suffix}"

    def get_absolute_url(self):
        return reverse("projects:ledgerentry_detail", args=[self.pk])

    @property
    def quarter(self) -> tuple[int, int]:
        return periods.quarter_of(self.date)


class LedgerAttachment(ScopedModel):
    entry = models.ForeignKey(
        LedgerEntry, verbose_name=_("ledger entry"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    file = models.FileField(_("file"), upload_to=uploads.LEDGER_ATTACHMENT_STORAGE)
    original_name = models.CharField(_("file name"), max_length=200)

    access_policy = _project_policy(RECORD_ROLE_ACTIONS, prefix="entry__project__")
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("ledger attachment")
        verbose_name_plural = _("ledger attachments")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("projects:attachment_download", args=[self.pk])


class Expenditure(ScopedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="expenditures"
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="expenditures"
    )
    date = models.DateField(_("date"), validators=bounds.PLAUSIBLE_DATE)
    # Negative only in a reversal (红冲), which names the expenditure it cancels.
    amount = models.DecimalField(_("amount (yuan)"), **AMOUNT)
    payee = models.CharField(_("payee"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    voucher_number = models.CharField(_("voucher number"), max_length=50)
    voucher = models.FileField(_("voucher"), upload_to=uploads.VOUCHER_UPLOADS.upload_to, blank=True)
    voucher_name = models.CharField(_("voucher file name"), max_length=255, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        editable=False,
        help_text=_("A reversal (红冲) cancels a wrong expenditure by the negative of its amount."),
    )
    reversal_reason = models.TextField(_("reversal reason"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = _project_policy(RECORD_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="expenditure_amount_sign_matches_reversal",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="expenditure_date_id"),
            models.Index(fields=["amount", "id"], name="expenditure_amount_id"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.payee} {self.amount} 元"

    def get_absolute_url(self):
        return reverse("projects:expenditure_detail", args=[self.pk])


class BudgetAdjustment(Reviewed, ScopedModel):
    """Moves money from one budget line to another of the same project; the total is unchanged."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="budget_adjustments"
    )
    from_line = models.ForeignKey(BudgetLine, verbose_name=_("from line"), on_delete=models.PROTECT, related_name="+")
    to_line = models.ForeignKey(BudgetLine, verbose_name=_("to line"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), validators=bounds.NOT_NEGATIVE, **AMOUNT)
    reason = models.TextField(_("reason"), validators=bounds.SHORT_TEXT)
    status = models.CharField(
        _("status"), max_length=20, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PROPOSED
    )

    access_policy = _project_policy(ADJUSTMENT_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_adjustment_amount_positive"),
            models.CheckConstraint(condition=~Q(from_line=models.F("to_line")), name="budget_adjustment_lines_differ"),
        ]

    def __str__(self):
        return f"{self.from_line.name} → {self.to_line.name} {self.amount} 元"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#budget"


class QuarterlySubmission(Reviewed, ScopedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="quarterly_submissions"
    )
    year = models.PositiveIntegerField(_("year"), validators=bounds.YEAR)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=QUARTERS, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    narrative = models.TextField(_("narrative"), validators=bounds.LONG_TEXT)
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    access_policy = _project_policy(RECORD_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("quarterly submission")
        verbose_name_plural = _("quarterly submissions")
        ordering = ["-year", "-quarter", "-project_id", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "quarter"], name="quarterly_submission_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarterly_submission_quarter_1_4"
            ),
            bounds.check_between("year", bounds.YEAR_MIN, bounds.YEAR_MAX, name="quarterly_submission_year_plausible"),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "project", "id"], name="quarterly_quarter_project_id"),
            models.Index(fields=["first_submitted_at", "id"], name="quarterly_first_submitted_id"),
        ]

    def __str__(self):
        return f"{self.project.code} {periods.quarter_label(self.year, self.quarter)}"

    def get_absolute_url(self):
        return reverse("projects:quarterlysubmission_detail", args=[self.pk])

    @property
    def quarter_label(self) -> str:
        return periods.quarter_label(self.year, self.quarter)

    @property
    def due_date(self) -> dt.date:
        return periods.due_date(self.year, self.quarter)

    @property
    def timeliness(self) -> str:
        return periods.timeliness(self.due_date, timezone.localdate(self.first_submitted_at), timezone.localdate())

    def get_timeliness_display(self) -> str:
        from ..choices import Timeliness

        return Timeliness(self.timeliness).label

    @property
    def is_locked(self) -> bool:
        return self.status == SubmissionStatus.ACCEPTED


class MajorActivityReport(Reviewed, ScopedModel):
    """Advance report of an activity with many participants or foreign involvement."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="major_activity_reports",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="major_activity_reports",
    )
    title = models.CharField(_("title"), max_length=200)
    planned_date = models.DateField(_("planned date"), validators=bounds.PLAUSIBLE_DATE)
    place = models.CharField(_("place"), max_length=200)
    expected_participants = models.PositiveIntegerField(_("expected participants"), validators=bounds.HEAD_COUNT)
    foreign_involvement = models.BooleanField(_("foreign involvement"), default=False)
    foreign_details = models.TextField(_("foreign involvement details"), blank=True, validators=bounds.SHORT_TEXT)
    content = models.TextField(_("content"), validators=bounds.LONG_TEXT)
    reported_on = models.DateField(_("reported on"), default=timezone.localdate, editable=False)
    is_late = models.BooleanField(_("reported late"), default=False, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=MajorActivityStatus.choices, default=MajorActivityStatus.SUBMITTED
    )

    access_policy = AccessPolicy(
        region="organization__region", organization="organization", role_actions=RECORD_ROLE_ACTIONS
    )
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("major-activity report")
        verbose_name_plural = _("major-activity reports")
        ordering = ["-planned_date", "-pk"]
        constraints = [
            bounds.check_between(
                "planned_date", bounds.DATE_MIN, bounds.DATE_MAX, name="major_activity_planned_date_plausible"
            ),
            bounds.check_between(
                "expected_participants", 0, bounds.HEAD_COUNT_MAX, name="major_activity_participants_plausible"
            ),
        ]
        indexes = [
            models.Index(fields=["planned_date", "id"], name="majoractivity_planned_id"),
            models.Index(fields=["reported_on", "id"], name="majoractivity_reported_id"),
            bigram_index("title", name="majoractivity_title_bigrams"),
        ]

    def __str__(self):
        return f"{self.planned_date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("projects:majoractivity_detail", args=[self.pk])
