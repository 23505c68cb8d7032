"""Annual work reports (年度工作报告): one per organization per year, filed by the organization,
concluded (or returned) by the bureau: who decided, when and why are the review fields of
`core.models.Reviewed`, set by the workflow (supervision.workflows)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import bounds
from core.choices import Action, Role
from core.models import Reviewed, ScopedModel
from core.scoping import AccessPolicy
from registry.choices import PartyForm

from ..choices import AnnualReportConclusion, AnnualReportStatus, ReportKind

_ALL = frozenset(Action.values)
_VIEW = frozenset({Action.VIEW})
_WRITE = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})


def _street_officer_reports(user, action):
    """A street officer reads the reports of its area and reviews (changes) the annual status
    reports of the filed organizations there; the bureau reviews the work reports."""
    if user.region_id is None:
        return None
    area = Q(organization__region__path__startswith=user.region.path)
    return area if action == Action.VIEW else area & Q(kind=ReportKind.STATUS_REPORT)


class AnnualReport(Reviewed, ScopedModel):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=bounds.YEAR)
    # Set from the organization when the report is started: registered → work report to the bureau,
    # filed → status report to the street.
    kind = models.CharField(
        _("kind of report"), max_length=16, choices=ReportKind.choices, default=ReportKind.WORK_REPORT, editable=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AnnualReportStatus.choices, default=AnnualReportStatus.DRAFT
    )
    due_on = models.DateField(_("due on"))
    activities = models.TextField(_("main activities"), blank=True, validators=bounds.LONG_TEXT)
    activity_count = models.PositiveIntegerField(_("activities held"), default=0, validators=bounds.HEAD_COUNT)
    beneficiaries = models.PositiveIntegerField(_("people served"), default=0, validators=bounds.HEAD_COUNT)
    income = models.DecimalField(
        _("income (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=bounds.NOT_NEGATIVE
    )
    expenditure = models.DecimalField(
        _("expenditure (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=bounds.NOT_NEGATIVE
    )
    net_assets = models.DecimalField(_("net assets (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), default=0, validators=bounds.HEAD_COUNT)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), default=0, validators=bounds.HEAD_COUNT)
    party_status = models.CharField(
        pgettext_lazy("annual report", "party organization"), max_length=16, choices=PartyForm.choices, blank=True
    )
    party_member_count = models.PositiveIntegerField(
        _("party members among staff"), default=0, validators=bounds.HEAD_COUNT
    )
    submitted_at = models.DateTimeField(pgettext_lazy("annual report", "submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=AnnualReportConclusion.choices, blank=True)
    conclusion_remarks = models.TextField(
        pgettext_lazy("annual report", "remarks"), blank=True, validators=bounds.SHORT_TEXT
    )

    # Organizations write their own reports; the bureau reviews work reports, the street status
    # reports; others read within their area.
    access_policy = AccessPolicy(
        region="organization__region",
        organization="organization",
        role_actions={
            Role.BUREAU_ADMIN: _ALL,
            Role.BUREAU_STAFF: _WRITE,
            Role.BUREAU_VIEWER: _VIEW,
            Role.STREET_OFFICER: frozenset({Action.VIEW, Action.CHANGE}),
            Role.COMMUNITY_PARTY: _VIEW,
            Role.ORG_USER: _WRITE,
        },
        extra={Role.STREET_OFFICER: _street_officer_reports},
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "organization_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="annual_report_one_per_year"),
            models.CheckConstraint(
                condition=Q(status=AnnualReportStatus.CONCLUDED, conclusion__gt="")
                | Q(~Q(status=AnnualReportStatus.CONCLUDED), conclusion=""),
                name="annual_report_conclusion_when_concluded",
            ),
            bounds.check_between("year", bounds.YEAR_MIN, bounds.YEAR_MAX, name="annual_report_year_plausible"),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="annual_report_year_status"),
            models.Index(fields=["year", "id"], name="annualreport_year_id"),
            models.Index(fields=["due_on", "id"], name="annualreport_due_id"),
            models.Index(fields=["submitted_at", "id"], name="annualreport_submitted_id"),
            models.Index(fields=["-year", "organization", "id"], name="annualreport_year_org_id"),
        ]

    def __str__(self):
        if self.kind == ReportKind.STATUS_REPORT:
            return _("%(organization)s — annual status report %(year)s") % {
                "organization": self.organization,
                "year": self.year,
            }
        return _("%(organization)s — annual report %(year)s") % {
            "organization": self.organization,
            "year": self.year,
        }

    def get_absolute_url(self):
        return reverse("supervision:annualreport_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (AnnualReportStatus.DRAFT, AnnualReportStatus.RETURNED)

    @property
    def is_status_report(self) -> bool:
        return self.kind == ReportKind.STATUS_REPORT

    @property
    def is_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at.date() > self.due_on
