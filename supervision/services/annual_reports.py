"""Every write to annual reports: create and edit (here), submit, return and conclude (through the
workflow, supervision.workflows) — atomic and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds, calendar
from core.choices import AuditAction
from registry.choices import PartyForm
from registry.models import Organization

from .. import permissions as rules
from ..choices import AnnualReportConclusion, AnnualReportStatus, ReportKind
from ..models import AnnualReport
from ..selectors import party_facts_for
from ..workflows import ANNUAL_REPORT
from .listings import propose_removal_for_report, withdraw_removal_for_report

# The particulars an organization fills in.
REPORT_FIELDS = (
    "activities", "activity_count", "beneficiaries", "income", "expenditure", "net_assets",
    "staff_count", "volunteer_count", "party_status", "party_member_count",
)  # fmt: skip
AMOUNT_FIELDS = ("income", "expenditure", "net_assets")
# The lighter status report of a filed community organization asks only these.
STATUS_REPORT_FIELDS = (
    "activities", "activity_count", "beneficiaries", "volunteer_count", "income", "expenditure",
    "party_status", "party_member_count",
)  # fmt: skip
# Required before a report of each kind can be submitted.
SUBMIT_REQUIRED = {
    ReportKind.WORK_REPORT: ("activities", "income", "expenditure", "net_assets", "party_status"),
    ReportKind.STATUS_REPORT: ("activities",),
}


def report_kind_for(organization: Organization) -> str:
    """A filed community organization reports its status to the street, a registered one its work
    to the bureau."""
    return ReportKind.STATUS_REPORT if organization.is_filed else ReportKind.WORK_REPORT


def fields_for(kind: str) -> tuple[str, ...]:
    """The particulars a report of `kind` asks for."""
    return STATUS_REPORT_FIELDS if kind == ReportKind.STATUS_REPORT else REPORT_FIELDS


def annual_report_due_on(year: int) -> dt.date:
    """The report on `year` is due on a day of the following year (REGISTRY_ANNUAL_REPORT_DUE, "MM-DD"),
    moved to the next working day when that day is a weekend or public holiday (core.calendar: 31 May
    2026 is a Sunday, so the 2025 reports are due Monday 1 June)."""
    month, day = (int(part) for part in getattr(settings, "REGISTRY_ANNUAL_REPORT_DUE", "05-31").split("-"))
    return calendar.next_working_day(dt.date(year + 1, month, day))


def overdue_year(today: dt.date | None = None) -> int | None:
    """The year whose reports are overdue today: last year's once its due date has passed; before
    that none (the year before was reminded and listed a year ago)."""
    today = today or timezone.localdate()
    year = today.year - 1
    return year if today > annual_report_due_on(year) else None


def party_prefill(organization: Organization, year: int, fields: dict | None = None) -> dict:
    """The party section of a new report on `year` pre-filled from party building's coverage in force
    at the year's end: `fields` with party_status (when absent or blank) and party_member_count (when
    absent, or zero with the party status left blank) taken from it. Unchanged when none is recorded."""
    fields = dict(fields or {})
    facts = party_facts_for(organization, year)
    if not facts:
        return fields
    status_given = bool(fields.get("party_status"))
    if not status_given:
        fields["party_status"] = facts["party_status"]
    if "party_member_count" not in fields or (not status_given and not fields["party_member_count"]):
        fields["party_member_count"] = facts["party_member_count"]
    return fields


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _field_label(name: str) -> str:
    return str(AnnualReport._meta.get_field(name).verbose_name)


def _apply(report: AnnualReport, fields: dict) -> None:
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Annual report fields not settable: {sorted(unknown)}")
    errors = {}
    asked = fields_for(report.kind)
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name not in asked:
            # A status report does not ask it: an empty value (a full form's blank) is left out.
            if value not in (None, "", 0):
                errors[name] = _("%(field)s: an annual status report does not ask for it.") % {
                    "field": _field_label(name)
                }
            continue
        if name in AMOUNT_FIELDS and value not in (None, ""):
            try:
                value = Decimal(str(value)).quantize(Decimal("0.01"))
            except ArithmeticError:
                errors[name] = _("%(field)s must be an amount.") % {"field": _field_label(name)}
                continue
            if name != "net_assets" and value < 0:
                errors[name] = _("%(field)s cannot be negative.") % {"field": _field_label(name)}
        if name in AMOUNT_FIELDS and value == "":
            value = None
        if name == "party_status" and value and value not in PartyForm.values:
            errors[name] = _("Choose the party organization status.")
        setattr(report, name, value)
    if errors:
        raise ValidationError(errors)


def _full_clean(report: AnnualReport) -> None:
    report.full_clean(exclude=["organization", "due_on"], validate_unique=False, validate_constraints=False)


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update(of=("self",)).select_related("organization__region").get(pk=report.pk)


@transaction.atomic
def annual_report_create(*, organization: Organization, year: int, by, **fields) -> AnnualReport:
    """Start the organization's report on `year` as a draft."""
    _require(rules.can_create_report(by, organization))
    today = timezone.localdate()
    if not isinstance(year, int) or year < 2000 or year > today.year:
        raise ValidationError({"year": _("The report year must be between 2000 and %(year)d.") % {"year": today.year}})
    if organization.established_on and year < organization.established_on.year:
        raise ValidationError(
            {
                "year": _("The organization was established in %(year)d; there is no report for an earlier year.")
                % {"year": organization.established_on.year}
            }
        )
    if AnnualReport.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(organization)s already has an annual report for %(year)d.")
                % {"organization": organization.name, "year": year}
            }
        )
    report = AnnualReport(
        organization=organization,
        year=year,
        kind=report_kind_for(organization),
        due_on=annual_report_due_on(year),
        created_by=by if by is not None and by.pk else None,
    )
    _apply(report, party_prefill(organization, year, fields))
    _full_clean(report)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            {
                "year": _("%(organization)s already has an annual report for %(year)d.")
                % {"organization": organization.name, "year": year}
            }
        ) from None
    audit.record(actor=by, action=AuditAction.CREATE, obj=report)
    return report


@transaction.atomic
def annual_report_update(*, report: AnnualReport, by, **fields) -> AnnualReport:
    report = _locked(report)
    _require(rules.can_edit_report(by, report))
    before = audit.snapshot(report)
    _apply(report, fields)
    _full_clean(report)
    report.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=report, before=before)
    return report


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, by) -> AnnualReport:
    """Draft or returned → submitted; a second submission of the same report is refused."""
    report = ANNUAL_REPORT.lock(report)
    if report.status in (AnnualReportStatus.SUBMITTED, AnnualReportStatus.CONCLUDED):
        raise ValidationError({"status": _("This annual report has already been submitted.")})

    def complete(report, transition):
        missing = {
            name: _("%(field)s is required before the report is submitted.") % {"field": _field_label(name)}
            for name in SUBMIT_REQUIRED[report.kind]
            if getattr(report, name) in (None, "")
        }
        if missing:
            raise ValidationError(missing)
        report.submitted_at = timezone.now()
        report.submitted_by = by if by is not None and by.pk else None
        report.review_reason = ""
        # Filed at last: the listing for missing it is proposed for removal (the bureau's to-do).
        propose_removal_for_report(report, by=by)

    return ANNUAL_REPORT.apply(report, "submit", by=by, effect=complete, locked=True, message=_("Submitted"))


@transaction.atomic
def annual_report_return(*, report: AnnualReport, by, reason: str) -> AnnualReport:
    """Submitted → returned for correction, with the reason the organization will read."""
    message = _("Returned for correction: %(reason)s") % {"reason": (reason or "").strip()}

    def withdraw(report, transition):
        withdraw_removal_for_report(report, by=by)

    return ANNUAL_REPORT.apply(
        report, "return", by=by, reason=reason, effect=withdraw, message=message, notice=f"{report}：{message}"
    )


@transaction.atomic
def annual_report_conclude(*, report: AnnualReport, by, conclusion: str, remarks: str = "") -> AnnualReport:
    """Submitted → concluded 合格 / 基本合格 / 不合格; anything but a pass needs remarks."""
    remarks = (remarks or "").strip()

    def record(report, transition):
        if conclusion not in AnnualReportConclusion.values:
            raise ValidationError({"conclusion": _("Choose a conclusion: pass, basic pass or fail.")})
        if conclusion != AnnualReportConclusion.PASS and not remarks:
            raise ValidationError({"conclusion_remarks": _("Remarks are required when the conclusion is not a pass.")})
        bounds.validate(AnnualReport, {"conclusion_remarks": remarks})
        report.conclusion = conclusion
        report.conclusion_remarks = remarks

    label = dict(AnnualReportConclusion.choices).get(conclusion, conclusion)
    message = _("Concluded: %(conclusion)s") % {"conclusion": label}
    return ANNUAL_REPORT.apply(report, "conclude", by=by, effect=record, message=message, notice=f"{report}：{message}")
