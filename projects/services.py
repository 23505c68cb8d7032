"""Every write of the projects app: atomic, validated, audited. State changes lock their row
(select_for_update) so that a double click or two reviewers at once make exactly one transition."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core import audit, bounds, notifications
from core.choices import AuditAction
from core.uploads import CheckedUpload
from core.workflows import StaleTransition

from . import periods, permissions, workflows
from .choices import (
    AdjustmentStatus,
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
from .conf import major_activity_notice_days, reminder_days_ahead
from .models import (
    AMOUNT,
    BudgetAdjustment,
    BudgetLine,
    Expenditure,
    Indicator,
    LedgerAttachment,
    LedgerEntry,
    MajorActivityReport,
    Project,
    QuarterlySubmission,
)
from .money import ZERO, format_yuan, to_amount
from .uploads import LEDGER_ATTACHMENT_UPLOADS, VOUCHER_UPLOADS

ENTRY_FIELDS = (
    "date",
    "kind",
    "title",
    "place",
    "participants",
    "beneficiaries",
    "volunteers",
    "volunteer_hours",
    "summary",
)
COUNT_FIELDS = ("participants", "beneficiaries", "volunteers")
# What an amount column (AMOUNT: 12 digits, 2 after the point) can hold.
AMOUNT_LIMIT = Decimal(10) ** (AMOUNT["max_digits"] - AMOUNT["decimal_places"])


def _require(allowed_reason: tuple[bool, str]) -> None:
    allowed, reason = allowed_reason
    if not allowed:
        raise PermissionDenied(reason)


def _fmt_date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _amount(field: str, value, *, positive: bool = False, label: str = "") -> Decimal:
    try:
        amount = to_amount(value)
    except (TypeError, ValueError, ArithmeticError) as error:
        raise ValidationError(
            {field: _("%(field)s: enter an amount in yuan, e.g. 1200.00.") % {"field": label}}
        ) from error
    if amount >= AMOUNT_LIMIT:
        raise ValidationError(
            {
                field: _("%(field)s: enter an amount below %(limit)s.")
                % {"field": label, "limit": format_yuan(AMOUNT_LIMIT)}
            }
        )
    if amount < 0 or (positive and amount == 0):
        message = _("%(field)s must be greater than zero.") if positive else _("%(field)s must not be negative.")
        raise ValidationError({field: message % {"field": label}})
    return amount


# --------------------------------------------------------------------------------------------- projects


def _project_code_prefix(organization, year: int) -> tuple[Region, str]:
    """街道-社区-年份: the street's code, the community's own three digits (000 for a street-level
    organization) and the year."""
    region = organization.region
    if region.level == RegionLevel.COMMUNITY:
        street, community_part = region.parent, region.code[-3:]
    elif region.level == RegionLevel.STREET:
        street, community_part = region, "000"
    else:
        street, community_part = region, "000000000"
    return street, f"{street.code}-{community_part}-{year}-"


def _next_project_code(organization, year: int) -> str:
    street, prefix = _project_code_prefix(organization, year)
    # The street's row serialises numbering: two projects created at once get consecutive numbers.
    Region.objects.select_for_update().filter(pk=street.pk).first()
    last = Project.objects.filter(code__startswith=prefix).aggregate(last=Max("code"))["last"]
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:03d}"


def _validate_project(
    *, organization, funder, funding_source, start_date, end_date, target_groups, service_communities, new=False
) -> None:
    errors = {}
    if new and organization.status != "active":
        errors["organization"] = _("Organization: %(name)s is not active (%(status)s); no project can be set up.") % {
            "name": organization.name,
            "status": organization.get_status_display(),
        }
    if funding_source not in FundingSource.values:
        errors["funding_source"] = _("Funding source: choose one of the listed sources.")
    district = organization.district if hasattr(organization, "district") else None
    if funder is None or funder.level == RegionLevel.COMMUNITY:
        errors["funder"] = _("Funder: choose the district bureau or a street.")
    elif district is not None and (funder.district_id or funder.pk) != district.pk:
        errors["funder"] = _("Funder: the funder must be in the organization's district.")
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("End date: the project cannot end before it starts.")
    unknown = [g for g in target_groups if g not in TargetGroup.values]
    if unknown:
        errors["target_groups"] = _("Target groups: unknown group %(group)s.") % {"group": unknown[0]}
    for community in service_communities:
        if community.level != RegionLevel.COMMUNITY or (district is not None and community.district_id != district.pk):
            errors["service_communities"] = _(
                "Service communities: %(name)s is not a community of the organization's district."
            ) % {"name": community.name}
            break
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    by,
    organization,
    title: str,
    funding_source: str,
    funder: Region,
    amount,
    start_date: dt.date,
    end_date: dt.date,
    target_groups=(),
    service_communities=(),
    objectives: str = "",
) -> Project:
    _require(permissions.may_manage_project(by, organization, funder))
    amount = _amount("amount", amount, label=_("Amount"))
    target_groups, service_communities = list(target_groups), list(service_communities)
    _validate_project(
        organization=organization,
        funder=funder,
        funding_source=funding_source,
        start_date=start_date,
        end_date=end_date,
        target_groups=target_groups,
        service_communities=service_communities,
        new=True,
    )
    if not (title or "").strip():
        raise ValidationError({"title": _("Title: please enter the project's title.")})
    project = Project(
        code=_next_project_code(organization, start_date.year),
        title=title.strip(),
        organization=organization,
        funding_source=funding_source,
        funder=funder,
        amount=amount,
        start_date=start_date,
        end_date=end_date,
        target_groups=target_groups,
        objectives=objectives,
        created_by=by if by and by.pk else None,
    )
    project.full_clean(exclude=["created_by"])
    project.save()
    project.service_communities.set(service_communities)
    audit.record(actor=by, action=AuditAction.CREATE, obj=project)
    return project


PROJECT_EDITABLE = (
    "title",
    "funding_source",
    "funder",
    "amount",
    "start_date",
    "end_date",
    "target_groups",
    "service_communities",
    "objectives",
)
# Once approved, the money and the period are fixed (budget changes go through adjustments).
PROJECT_FIXED_AFTER_APPROVAL = ("funder", "amount", "start_date", "end_date")


@transaction.atomic
def project_update(*, project: Project, by, **changes) -> Project:
    unknown = set(changes) - set(PROJECT_EDITABLE)
    if unknown:
        raise TypeError(f"project_update does not change {sorted(unknown)}")
    project = Project.objects.select_for_update().select_related("organization__region", "funder").get(pk=project.pk)
    _require(permissions.may_manage_project(by, project.organization, changes.get("funder", project.funder)))
    if project.status in (ProjectStatus.CLOSED, ProjectStatus.TERMINATED):
        raise ValidationError({"status": _("Status: a closed or terminated project cannot be changed.")})
    if project.status != ProjectStatus.APPLIED:
        for name in PROJECT_FIXED_AFTER_APPROVAL:
            if name in changes and changes[name] != getattr(project, name):
                raise ValidationError(
                    {
                        name: _("%(field)s cannot change after approval.")
                        % {"field": Project._meta.get_field(name).verbose_name}
                    }
                )
    before = audit.snapshot(project)
    communities = changes.pop("service_communities", None)
    if "amount" in changes:
        changes["amount"] = _amount("amount", changes["amount"], label=_("Amount"))
    for name, value in changes.items():
        setattr(project, name, value)
    _validate_project(
        organization=project.organization,
        funder=project.funder,
        funding_source=project.funding_source,
        start_date=project.start_date,
        end_date=project.end_date,
        target_groups=project.target_groups,
        service_communities=communities if communities is not None else [],
    )
    project.full_clean(exclude=["created_by"])
    project.save()
    if communities is not None:
        project.service_communities.set(communities)
    audit.record(actor=by, action=AuditAction.UPDATE, obj=project, before=before)
    return project


@transaction.atomic
def project_transition(*, project: Project, by, name: str, reason: str = "") -> Project:
    project = Project.objects.select_for_update().select_related("organization__region", "funder").get(pk=project.pk)
    _require(permissions.may_manage_project(by, project.organization, project.funder))
    transition = workflows.PROJECT.check(name, project.status, reason)
    if name == "approve":
        lines = list(project.budget_lines.all())
        total = sum((line.amount for line in lines), ZERO)
        if not lines or total != project.amount:
            raise ValidationError(
                {
                    "amount": _(
                        "Budget lines: the lines add up to %(total)s but the project amount is %(amount)s; "
                        "they must be equal before approval."
                    )
                    % {"total": format_yuan(total), "amount": format_yuan(project.amount)}
                }
            )
    before = audit.snapshot(project)
    project.status = transition.target
    project.status_reason = reason.strip() if transition.needs_reason else project.status_reason
    project.status_changed_at = timezone.now()
    project.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    audit.record(actor=by, action=AuditAction.TRANSITION, obj=project, before=before, message=str(transition.label))
    return project


# ------------------------------------------------------------------------------------- budget lines


def _lock_project_for_budget(project: Project, by) -> Project:
    project = Project.objects.select_for_update().select_related("organization__region", "funder").get(pk=project.pk)
    _require(permissions.may_manage_project(by, project.organization, project.funder))
    if project.status != ProjectStatus.APPLIED:
        raise ValidationError(
            {"amount": _("Budget lines: after approval the budget changes only through an approved budget adjustment.")}
        )
    return project


def _check_budget_total(project: Project, new_amount: Decimal, exclude_pk=None) -> None:
    others = project.budget_lines.exclude(pk=exclude_pk).aggregate(total=Sum("amount"))["total"] or ZERO
    if others + new_amount > project.amount:
        raise ValidationError(
            {
                "amount": _(
                    "Amount: the budget lines would exceed the project amount %(amount)s; %(left)s remains to allocate."
                )
                % {"amount": format_yuan(project.amount), "left": format_yuan(project.amount - others)}
            }
        )


@transaction.atomic
def budget_line_create(*, project: Project, by, category: str, name: str, amount) -> BudgetLine:
    project = _lock_project_for_budget(project, by)
    amount = _amount("amount", amount, label=_("Amount"))
    if category not in BudgetCategory.values:
        raise ValidationError({"category": _("Category: choose one of the listed categories.")})
    name = (name or "").strip() or str(BudgetCategory(category).label)
    if project.budget_lines.filter(name=name).exists():
        raise ValidationError(
            {"name": _("Name: the project already has a budget line named %(name)s.") % {"name": name}}
        )
    _check_budget_total(project, amount)
    line = BudgetLine.objects.create(
        project=project, category=category, name=name, amount=amount, created_by=by if by and by.pk else None
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=line)
    return line


@transaction.atomic
def budget_line_update(*, line: BudgetLine, by, **changes) -> BudgetLine:
    project = _lock_project_for_budget(line.project, by)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    before = audit.snapshot(line)
    if "amount" in changes:
        changes["amount"] = _amount("amount", changes["amount"], label=_("Amount"))
        _check_budget_total(project, changes["amount"], exclude_pk=line.pk)
    for name in ("category", "name", "amount"):
        if name in changes:
            setattr(line, name, changes[name])
    line.full_clean(exclude=["project", "created_by"])
    line.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=line, before=before)
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, by) -> None:
    _lock_project_for_budget(line.project, by)
    before = audit.snapshot(line)
    audit.record(actor=by, action=AuditAction.DELETE, obj=line, before=before, after=None)
    line.delete()


def budget_line_balance(line: BudgetLine) -> Decimal:
    spent = line.expenditures.aggregate(total=Sum("amount"))["total"] or ZERO
    return line.amount - spent


# --------------------------------------------------------------------------------------- indicators


@transaction.atomic
def indicator_create(*, project: Project, by, name: str, unit: str, target, source: str) -> Indicator:
    project = Project.objects.select_for_update().select_related("organization__region", "funder").get(pk=project.pk)
    _require(permissions.may_manage_project(by, project.organization, project.funder))
    if project.status in (ProjectStatus.CLOSED, ProjectStatus.TERMINATED):
        raise ValidationError({"status": _("Status: a closed or terminated project cannot be changed.")})
    errors = {}
    try:
        target = Decimal(str(target))
    except (InvalidOperation, ValueError):
        target = None
    if target is None or target <= 0:
        errors["target"] = _("Target: enter a number greater than zero.")
    else:
        errors.update(bounds.field_errors(Indicator, {"target": target}))
    if source not in IndicatorSource.values:
        errors["source"] = _("Progress from: choose one of the listed sources.")
    if not (name or "").strip():
        errors["name"] = _("Name: please enter the indicator's name.")
    elif project.indicators.filter(name=name.strip()).exists():
        errors["name"] = _("Name: the project already has an indicator named %(name)s.") % {"name": name}
    if errors:
        raise ValidationError(errors)
    indicator = Indicator.objects.create(
        project=project,
        name=name.strip(),
        unit=(unit or "").strip(),
        target=target,
        source=source,
        created_by=by if by and by.pk else None,
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=indicator)
    return indicator


@transaction.atomic
def indicator_enter_value(*, indicator: Indicator, by, value) -> Indicator:
    """The achieved value of an entered indicator, given by the organization or the funder."""
    indicator = Indicator.objects.select_for_update().select_related("project__funder").get(pk=indicator.pk)
    project = indicator.project
    if not (permissions.may_record(by, project)[0] or permissions.is_funder(by, project)):
        raise PermissionDenied(_("Only the organization or the funder may enter an indicator's value."))
    if indicator.source != IndicatorSource.ENTERED:
        raise ValidationError({"entered_value": _("Entered value: this indicator is counted from the ledger.")})
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or value < 0:
        raise ValidationError({"entered_value": _("Entered value: enter a number that is not negative.")})
    bounds.validate(Indicator, {"entered_value": value})
    before = audit.snapshot(indicator)
    indicator.entered_value = value
    indicator.save(update_fields=["entered_value", "updated_at"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=indicator, before=before)
    return indicator


# ----------------------------------------------------------------------------------- ledger entries


def _quarter_locked(project_id: int, day: dt.date) -> bool:
    year, quarter = periods.quarter_of(day)
    return QuarterlySubmission.objects.filter(
        project_id=project_id, year=year, quarter=quarter, status=SubmissionStatus.ACCEPTED
    ).exists()


def _check_project_running(project: Project) -> None:
    if project.status not in workflows.PROJECT_ACTIVE:
        raise ValidationError(
            {
                "project": _("Project: the project is “%(status)s”; its ledger is not open.")
                % {"status": project.get_status_display()}
            }
        )


def clean_entry_data(project: Project, data: dict, *, today: dt.date | None = None) -> tuple[dict, dict]:
    """Validate ledger entry fields; returns (cleaned, errors). Errors name the field in Chinese.

    Shared by the services, the forms and the bulk upload's dry run, so every path refuses alike.
    """
    today = today or timezone.localdate()
    cleaned, errors = {}, {}
    day = data.get("date")
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        errors["date"] = _("Date: enter the activity's date.")
    elif not project.covers(day):
        errors["date"] = _("Date: %(date)s is outside the project period %(start)s – %(end)s.") % {
            "date": _fmt_date(day),
            "start": _fmt_date(project.start_date),
            "end": _fmt_date(project.end_date),
        }
    elif day > today:
        errors["date"] = _("Date: %(date)s is in the future; record activities after they happen.") % {
            "date": _fmt_date(day)
        }
    else:
        cleaned["date"] = day
    kind = data.get("kind")
    if kind not in EntryKind.values:
        errors["kind"] = _("Kind: choose one of %(kinds)s.") % {"kinds": "、".join(str(c.label) for c in EntryKind)}
    else:
        cleaned["kind"] = kind
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Title: please enter the activity's title.")
    elif len(title) > 200:
        errors["title"] = _("Title: at most 200 characters.")
    else:
        cleaned["title"] = title
    cleaned["place"] = str(data.get("place") or "").strip()
    cleaned["summary"] = str(data.get("summary") or "").strip()
    labels = {"participants": _("Participants"), "beneficiaries": _("Beneficiaries"), "volunteers": _("Volunteers")}
    for name in COUNT_FIELDS:
        value = data.get(name, 0)
        value = 0 if value in (None, "") else value
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            errors[name] = _("%(field)s: enter a whole number.") % {"field": labels[name]}
            continue
        if isinstance(value, float) and value != int(value):
            errors[name] = _("%(field)s: enter a whole number.") % {"field": labels[name]}
        elif number < 0:
            errors[name] = _("%(field)s: the count cannot be negative.") % {"field": labels[name]}
        else:
            cleaned[name] = number
    hours = data.get("volunteer_hours", 0)
    hours = 0 if hours in (None, "") else hours
    try:
        hours = Decimal(str(hours).strip())
        if not hours.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["volunteer_hours"] = _("Volunteer hours: enter a number of hours, e.g. 12.5.")
    else:
        if hours < 0:
            errors["volunteer_hours"] = _("Volunteer hours: the count cannot be negative.")
        else:
            # Beyond the bound it is refused below; quantizing a huge number would overflow first.
            cleaned["volunteer_hours"] = hours.quantize(Decimal("0.1")) if hours <= bounds.HOURS_MAX else hours
    # The bounds declared on the model (head counts, hours, text lengths), named as the form names them.
    for name, message in bounds.field_errors(LedgerEntry, cleaned).items():
        errors.setdefault(name, message)
        cleaned.pop(name)
    if "date" in cleaned and _quarter_locked(project.pk, cleaned["date"]):
        year, quarter = periods.quarter_of(cleaned["date"])
        errors["date"] = _("Date: the quarter %(quarter)s has been accepted and is locked.") % {
            "quarter": periods.quarter_label(year, quarter)
        }
    return cleaned, errors


def _lock_entry(entry: LedgerEntry) -> LedgerEntry:
    return (
        LedgerEntry.objects.select_for_update(of=("self",))
        .select_related("project__organization", "project__funder")
        .get(pk=entry.pk)
    )


@transaction.atomic
def ledger_entry_create(
    *, project: Project, by, attachments=(), audit_action=AuditAction.CREATE, **data
) -> LedgerEntry:
    _require(permissions.may_record(by, project))
    _check_project_running(project)
    cleaned, errors = clean_entry_data(project, data)
    if errors:
        raise ValidationError(errors)
    # Every file is judged before anything is written, so a refused one leaves nothing behind.
    checked = [(kind, _check_attachment(kind, upload)) for kind, upload in attachments]
    entry = LedgerEntry.objects.create(project=project, created_by=by if by and by.pk else None, **cleaned)
    for kind, upload in checked:
        _attach(entry, kind, upload, by)
    audit.record(actor=by, action=audit_action, obj=entry)
    return entry


@transaction.atomic
def ledger_entry_update(*, entry: LedgerEntry, by, **data) -> LedgerEntry:
    entry = _lock_entry(entry)
    _require(permissions.may_record(by, entry.project))
    if entry.status not in workflows.ENTRY_EDITABLE:
        raise ValidationError(
            {
                "status": _(
                    "Status: a submitted ledger entry is never edited in place; make a correction (a new version)."
                )
            }
        )
    merged = {name: getattr(entry, name) for name in ENTRY_FIELDS} | data
    cleaned, errors = clean_entry_data(entry.project, merged)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(entry)
    for name, value in cleaned.items():
        setattr(entry, name, value)
    entry.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=entry, before=before)
    return entry


@transaction.atomic
def ledger_entry_delete(*, entry: LedgerEntry, by) -> None:
    """Only a draft may be deleted; nothing submitted is ever deleted."""
    entry = _lock_entry(entry)
    _require(permissions.may_record(by, entry.project))
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError({"status": _("Status: a submitted ledger entry cannot be deleted.")})
    audit.record(actor=by, action=AuditAction.DELETE, obj=entry, before=audit.snapshot(entry), after=None)
    entry.attachments.all().delete()
    entry.delete()


def _submit_locked_entry(entry: LedgerEntry, by) -> LedgerEntry:
    if entry.status in workflows.ENTRY_UNDER_REVIEW or entry.status == EntryStatus.ACCEPTED:
        raise ValidationError({"status": _("Status: this ledger entry has already been submitted.")})
    name = "resubmit" if entry.previous_version_id else "submit"
    transition = workflows.LEDGER_ENTRY.check(name, entry.status)
    _cleaned, errors = clean_entry_data(entry.project, {n: getattr(entry, n) for n in ENTRY_FIELDS})
    if errors:
        raise ValidationError(errors)
    previous = None
    if entry.previous_version_id:
        # Locked so that the funder cannot accept the old version while it is being replaced.
        previous = LedgerEntry.objects.select_for_update().get(pk=entry.previous_version_id)
        if previous.status == EntryStatus.ACCEPTED:
            raise ValidationError({"status": _("Status: the version this corrects has been accepted in the meantime.")})
    before = audit.snapshot(entry)
    entry.status = transition.target
    entry.submitted_at = timezone.now()
    entry.save(update_fields=["status", "submitted_at", "updated_at"])
    if previous is not None:
        # The correction replaces the old version, which stays readable as it was.
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    audit.record(actor=by, action=AuditAction.TRANSITION, obj=entry, before=before, message=str(transition.label))
    return entry


@transaction.atomic
def ledger_entry_submit(*, entry: LedgerEntry, by) -> LedgerEntry:
    entry = _lock_entry(entry)
    _require(permissions.may_record(by, entry.project))
    _check_project_running(entry.project)
    return _submit_locked_entry(entry, by)


def _review_entry(entry: LedgerEntry, by, name: str, reason: str = "") -> LedgerEntry:
    entry = _lock_entry(entry)
    _require(permissions.may_decide(by, entry))
    if entry.status in (EntryStatus.ACCEPTED, EntryStatus.RETURNED) and entry.reviewed_at:
        raise StaleTransition(entry.get_status_display(), handled_by=entry.reviewed_by, handled_at=entry.reviewed_at)
    if not entry.is_current:
        raise ValidationError({"status": _("Status: this version has been replaced by a correction.")})
    transition = workflows.LEDGER_ENTRY.check(name, entry.status, reason)
    before = audit.snapshot(entry)
    entry.status = transition.target
    entry.review_reason = reason.strip() if transition.needs_reason else ""
    entry.reviewed_at = timezone.now()
    entry.reviewed_by = by if by and by.pk else None
    entry.save(update_fields=["status", "review_reason", "reviewed_at", "reviewed_by", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        obj=entry,
        before=before,
        message=f"{transition.label}：{reason}" if reason else str(transition.label),
    )
    return entry


@transaction.atomic
def ledger_entry_accept(*, entry: LedgerEntry, by) -> LedgerEntry:
    return _review_entry(entry, by, "accept")


@transaction.atomic
def ledger_entry_return(*, entry: LedgerEntry, by, reason: str) -> LedgerEntry:
    return _review_entry(entry, by, "return", reason)


@transaction.atomic
def ledger_entry_correct(*, entry: LedgerEntry, by, **data) -> LedgerEntry:
    """A correction of a submitted or returned entry: a new draft version with the changes; the
    old version is unchanged and is replaced when the correction is submitted."""
    entry = _lock_entry(entry)
    _require(permissions.may_record(by, entry.project))
    _check_project_running(entry.project)
    if entry.status == EntryStatus.DRAFT:
        raise ValidationError({"status": _("Status: a draft is edited directly; no correction is needed.")})
    if entry.status not in workflows.ENTRY_CORRECTABLE or not entry.is_current:
        raise ValidationError({"status": _("Status: an accepted or replaced ledger entry cannot be corrected.")})
    if LedgerEntry.objects.filter(previous_version=entry).exists():
        raise ValidationError({"status": _("Status: a correction of this entry already exists.")})
    merged = {name: getattr(entry, name) for name in ENTRY_FIELDS} | data
    cleaned, errors = clean_entry_data(entry.project, merged)
    if errors:
        raise ValidationError(errors)
    correction = LedgerEntry.objects.create(
        project=entry.project,
        previous_version=entry,
        version=entry.version + 1,
        created_by=by if by and by.pk else None,
        **cleaned,
    )
    for attachment in entry.attachments.all():
        LedgerAttachment.objects.create(
            entry=correction,
            kind=attachment.kind,
            file=attachment.file.name,
            original_name=attachment.original_name,
            created_by=correction.created_by,
        )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=correction,
        message=_("Correction of version %(version)s") % {"version": entry.version},
    )
    return correction


def _check_attachment(kind: str, upload) -> CheckedUpload:
    """A photo or sign-in sheet judged by its content against its kind's policy."""
    policy = LEDGER_ATTACHMENT_UPLOADS.get(kind)
    if policy is None:
        raise ValidationError({"attachments": _("Attachments: say whether the file is a photo or a sign-in sheet.")})
    return policy.check(upload, field="attachments")


def _attach(entry: LedgerEntry, kind: str, checked: CheckedUpload, by) -> LedgerAttachment:
    return LedgerAttachment.objects.create(
        entry=entry,
        kind=kind,
        file=checked.file,
        original_name=checked.name[-200:],
        created_by=by if by and by.pk else None,
    )


@transaction.atomic
def ledger_attachment_add(*, entry: LedgerEntry, by, kind: str, upload) -> LedgerAttachment:
    entry = _lock_entry(entry)
    _require(permissions.may_record(by, entry.project))
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError(
            {
                "attachments": _(
                    "Attachments: a submitted ledger entry is never edited in place; make a correction (a new version)."
                )
            }
        )
    attachment = _attach(entry, kind, _check_attachment(kind, upload), by)
    audit.record(actor=by, action=AuditAction.CREATE, obj=attachment)
    return attachment


# ------------------------------------------------------------------------ expenditures and budgets


def _check_record_day(project: Project, day: dt.date, field: str = "date") -> None:
    if not isinstance(day, dt.date):
        raise ValidationError({field: _("Date: enter the date.")})
    if not project.covers(day):
        raise ValidationError(
            {
                field: _("Date: %(date)s is outside the project period %(start)s – %(end)s.")
                % {"date": _fmt_date(day), "start": _fmt_date(project.start_date), "end": _fmt_date(project.end_date)}
            }
        )
    if day > timezone.localdate():
        raise ValidationError({field: _("Date: %(date)s is in the future.") % {"date": _fmt_date(day)}})
    if _quarter_locked(project.pk, day):
        year, quarter = periods.quarter_of(day)
        raise ValidationError(
            {
                field: _("Date: the quarter %(quarter)s has been accepted and is locked.")
                % {"quarter": periods.quarter_label(year, quarter)}
            }
        )


@transaction.atomic
def expenditure_create(
    *,
    project: Project,
    by,
    budget_line: BudgetLine,
    date: dt.date,
    amount,
    payee: str,
    voucher_number: str,
    purpose: str = "",
    voucher=None,
    audit_action=AuditAction.CREATE,
) -> Expenditure:
    _require(permissions.may_record(by, project))
    _check_project_running(project)
    amount = _amount("amount", amount, positive=True, label=_("Amount"))
    if budget_line is None or budget_line.project_id != project.pk:
        raise ValidationError({"budget_line": _("Budget line: choose a budget line of this project.")})
    _check_record_day(project, date)
    errors = {}
    if not (payee or "").strip():
        errors["payee"] = _("Payee: please enter who was paid.")
    if not (voucher_number or "").strip():
        errors["voucher_number"] = _("Voucher number: please enter the voucher's number.")
    checked_voucher = None
    if voucher:
        try:
            checked_voucher = VOUCHER_UPLOADS.check(voucher, field="voucher")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    # The line's row lock makes the balance check and the insert one step for concurrent spenders.
    line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
    balance = budget_line_balance(line)
    if amount > balance:
        raise ValidationError(
            {
                "amount": _(
                    "Amount: %(amount)s exceeds the balance of budget line “%(line)s”, which is %(balance)s. "
                    "Ask the funder to approve a budget adjustment first."
                )
                % {"amount": format_yuan(amount), "line": line.name, "balance": format_yuan(balance)}
            }
        )
    expenditure = Expenditure(
        project=project,
        budget_line=line,
        date=date,
        amount=amount,
        payee=payee.strip(),
        purpose=(purpose or "").strip(),
        voucher_number=voucher_number.strip(),
        created_by=by if by and by.pk else None,
    )
    if checked_voucher is not None:
        expenditure.voucher, expenditure.voucher_name = checked_voucher.file, checked_voucher.name
    expenditure.save()
    audit.record(actor=by, action=audit_action, obj=expenditure)
    return expenditure


def expenditure_check(
    project: Project,
    *,
    budget_line: BudgetLine | None,
    date,
    amount,
    payee: str,
    voucher_number: str,
    purpose: str = "",
    balance: Decimal | None = None,
) -> tuple[dict, dict]:
    """The rules expenditure_create applies, without writing: (cleaned values, message by field).
    For a dry run of many expenditures: `balance` is what the budget line has left for this one
    (after the rows before it; by default its balance as recorded)."""
    cleaned, errors = {}, {}
    if budget_line is None or budget_line.project_id != project.pk:
        errors["budget_line"] = _("Budget line: choose a budget line of this project.")
    else:
        cleaned["budget_line"] = budget_line
    try:
        _check_record_day(project, date)
    except ValidationError as error:
        errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    else:
        cleaned["date"] = date
    try:
        cleaned["amount"] = _amount("amount", amount, positive=True, label=_("Amount"))
    except ValidationError as error:
        errors["amount"] = error.message_dict["amount"][0]
    if not (payee or "").strip():
        errors["payee"] = _("Payee: please enter who was paid.")
    if not (voucher_number or "").strip():
        errors["voucher_number"] = _("Voucher number: please enter the voucher's number.")
    texts = {"payee": (payee or "").strip(), "purpose": (purpose or "").strip()}
    texts["voucher_number"] = (voucher_number or "").strip()
    for name, message in bounds.field_errors(Expenditure, texts).items():
        errors.setdefault(name, message)
    cleaned.update({name: text for name, text in texts.items() if name not in errors})
    if "budget_line" in cleaned and "amount" in cleaned:
        balance = budget_line_balance(budget_line) if balance is None else balance
        if cleaned["amount"] > balance:
            errors["amount"] = _(
                "Amount: %(amount)s exceeds the balance of budget line “%(line)s”, which is %(balance)s. "
                "Ask the funder to approve a budget adjustment first."
            ) % {"amount": format_yuan(cleaned["amount"]), "line": budget_line.name, "balance": format_yuan(balance)}
    return cleaned, errors


@transaction.atomic
def budget_adjustment_propose(
    *, project: Project, by, from_line: BudgetLine, to_line: BudgetLine, amount, reason: str
) -> BudgetAdjustment:
    if not (permissions.may_record(by, project)[0] or permissions.is_funder(by, project)):
        raise PermissionDenied(_("Only the organization or the funder may propose a budget adjustment."))
    _check_project_running(project)
    amount = _amount("amount", amount, positive=True, label=_("Amount"))
    if from_line is None or to_line is None or from_line.project_id != project.pk or to_line.project_id != project.pk:
        raise ValidationError({"to_line": _("Budget lines: choose two budget lines of this project.")})
    if from_line.pk == to_line.pk:
        raise ValidationError({"to_line": _("To line: choose a line other than the one the money comes from.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Reason: please explain the adjustment.")})
    bounds.validate(BudgetAdjustment, {"reason": reason.strip()})
    balance = budget_line_balance(from_line)
    if amount > balance:
        raise ValidationError(
            {
                "amount": _("Amount: %(amount)s exceeds the balance of “%(line)s”, which is %(balance)s.")
                % {"amount": format_yuan(amount), "line": from_line.name, "balance": format_yuan(balance)}
            }
        )
    adjustment = BudgetAdjustment.objects.create(
        project=project,
        from_line=from_line,
        to_line=to_line,
        amount=amount,
        reason=reason.strip(),
        created_by=by if by and by.pk else None,
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=adjustment)
    return adjustment


def _lock_adjustment(adjustment: BudgetAdjustment, by) -> BudgetAdjustment:
    adjustment = (
        BudgetAdjustment.objects.select_for_update(of=("self",))
        .select_related("project__funder", "from_line", "to_line")
        .get(pk=adjustment.pk)
    )
    _require(permissions.may_decide(by, adjustment))
    if adjustment.status != AdjustmentStatus.PROPOSED:
        raise StaleTransition(
            adjustment.get_status_display(), handled_by=adjustment.reviewed_by, handled_at=adjustment.reviewed_at
        )
    return adjustment


@transaction.atomic
def budget_adjustment_approve(*, adjustment: BudgetAdjustment, by) -> BudgetAdjustment:
    adjustment = _lock_adjustment(adjustment, by)
    transition = workflows.BUDGET_ADJUSTMENT.check("approve", adjustment.status)
    lines = {
        line.pk: line
        for line in BudgetLine.objects.select_for_update()
        .filter(pk__in=[adjustment.from_line_id, adjustment.to_line_id])
        .order_by("pk")
    }
    source, target = lines[adjustment.from_line_id], lines[adjustment.to_line_id]
    balance = budget_line_balance(source)
    if adjustment.amount > balance:
        raise ValidationError(
            {
                "amount": _("Amount: %(amount)s exceeds the balance of “%(line)s”, which is %(balance)s.")
                % {"amount": format_yuan(adjustment.amount), "line": source.name, "balance": format_yuan(balance)}
            }
        )
    for line, delta in ((source, -adjustment.amount), (target, adjustment.amount)):
        before = audit.snapshot(line)
        line.amount += delta
        line.save(update_fields=["amount", "updated_at"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=line,
            before=before,
            message=_("Budget adjustment %(id)s") % {"id": adjustment.pk},
        )
    before = audit.snapshot(adjustment)
    adjustment.status = transition.target
    adjustment.reviewed_at, adjustment.reviewed_by = timezone.now(), by if by and by.pk else None
    adjustment.save()
    audit.record(actor=by, action=AuditAction.TRANSITION, obj=adjustment, before=before, message=str(transition.label))
    return adjustment


@transaction.atomic
def budget_adjustment_reject(*, adjustment: BudgetAdjustment, by, reason: str) -> BudgetAdjustment:
    adjustment = _lock_adjustment(adjustment, by)
    transition = workflows.BUDGET_ADJUSTMENT.check("reject", adjustment.status, reason)
    before = audit.snapshot(adjustment)
    adjustment.status = transition.target
    adjustment.review_reason = reason.strip()
    adjustment.reviewed_at, adjustment.reviewed_by = timezone.now(), by if by and by.pk else None
    adjustment.save()
    audit.record(
        actor=by, action=AuditAction.TRANSITION, obj=adjustment, before=before, message=f"{transition.label}：{reason}"
    )
    return adjustment


# ---------------------------------------------------------------------------- quarterly submissions


def quarter_entries(project_id: int, year: int, quarter: int):
    return LedgerEntry.objects.filter(
        project_id=project_id,
        is_current=True,
        date__gte=periods.quarter_start(year, quarter),
        date__lte=periods.quarter_end(year, quarter),
    )


@transaction.atomic
def quarterly_submission_submit(
    *, project: Project, by, year: int, quarter: int, narrative: str
) -> QuarterlySubmission:
    """Submit a quarter: its draft entries are submitted with it. Submitting twice (double click,
    two tabs) makes one submission; the second is refused."""
    # The project's row serialises submissions of the same project.
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("organization", "funder").get(pk=project.pk)
    )
    _require(permissions.may_record(by, project))
    _check_project_running(project)
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError) as error:
        raise ValidationError({"quarter": _("Quarter: choose a quarter of the project period.")}) from error
    if (year, quarter) not in project.quarters:
        raise ValidationError(
            {
                "quarter": _("Quarter: %(quarter)s is outside the project period.")
                % {"quarter": periods.quarter_label(year, quarter)}
            }
        )
    opens = periods.submittable_from(year, quarter)
    if opens > timezone.localdate():
        # Submitted early, an accepted quarter would lock the rest of it against new entries.
        raise ValidationError(
            {
                "quarter": _("Quarter: %(quarter)s can be submitted from %(date)s on, when it is nearly over.")
                % {"quarter": periods.quarter_label(year, quarter), "date": date_format(opens, "DATE_FORMAT")}
            }
        )
    if not (narrative or "").strip():
        raise ValidationError({"narrative": _("Narrative: please describe the quarter's work.")})
    bounds.validate(QuarterlySubmission, {"narrative": narrative.strip()})
    submission = (
        QuarterlySubmission.objects.select_for_update().filter(project=project, year=year, quarter=quarter).first()
    )
    now = timezone.now()
    if submission is None:
        submission = QuarterlySubmission.objects.create(
            project=project,
            year=year,
            quarter=quarter,
            narrative=narrative.strip(),
            status=SubmissionStatus.SUBMITTED,
            first_submitted_at=now,
            submitted_at=now,
            submitted_by=by if by and by.pk else None,
            created_by=by if by and by.pk else None,
        )
        before, action, message = None, AuditAction.CREATE, str(SubmissionStatus.SUBMITTED.label)
    else:
        if submission.status != SubmissionStatus.RETURNED:
            raise ValidationError(
                {
                    "quarter": _(
                        "Quarter: %(quarter)s has already been submitted (%(status)s); it cannot be submitted twice."
                    )
                    % {"quarter": submission.quarter_label, "status": submission.get_status_display()}
                }
            )
        transition = workflows.QUARTERLY_SUBMISSION.check("resubmit", submission.status)
        before, action, message = audit.snapshot(submission), AuditAction.TRANSITION, str(transition.label)
        submission.status = transition.target
        submission.narrative = narrative.strip()
        submission.submitted_at, submission.submitted_by = now, by if by and by.pk else None
        submission.save()
    for entry in (
        quarter_entries(project.pk, year, quarter)
        .filter(status=EntryStatus.DRAFT)
        .select_for_update(of=("self",))
        .select_related("project")
        .order_by("pk")
    ):
        _submit_locked_entry(entry, by)
    audit.record(actor=by, action=action, obj=submission, before=before, message=message)
    return submission


def _lock_submission(submission: QuarterlySubmission, by) -> QuarterlySubmission:
    submission = (
        QuarterlySubmission.objects.select_for_update(of=("self",))
        .select_related("project__funder", "project__organization", "reviewed_by")
        .get(pk=submission.pk)
    )
    _require(permissions.may_decide(by, submission))
    if submission.status in (SubmissionStatus.ACCEPTED, SubmissionStatus.RETURNED):
        raise StaleTransition(
            submission.get_status_display(), handled_by=submission.reviewed_by, handled_at=submission.reviewed_at
        )
    return submission


@transaction.atomic
def quarterly_submission_accept(*, submission: QuarterlySubmission, by) -> QuarterlySubmission:
    """Accept a quarter: its entries under review are accepted, and the quarter locks."""
    submission = _lock_submission(submission, by)
    transition = workflows.QUARTERLY_SUBMISSION.check("accept", submission.status)
    before = audit.snapshot(submission)
    now = timezone.now()
    submission.status = transition.target
    submission.reviewed_at, submission.reviewed_by = now, by if by and by.pk else None
    submission.review_reason = ""
    submission.save()
    entries = (
        quarter_entries(submission.project_id, submission.year, submission.quarter)
        .filter(status__in=workflows.ENTRY_UNDER_REVIEW)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for entry in entries:
        entry_before = audit.snapshot(entry)
        entry.status, entry.reviewed_at, entry.reviewed_by = EntryStatus.ACCEPTED, now, submission.reviewed_by
        entry.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            obj=entry,
            before=entry_before,
            message=_("Accepted with quarter %(quarter)s") % {"quarter": submission.quarter_label},
        )
    audit.record(actor=by, action=AuditAction.TRANSITION, obj=submission, before=before, message=str(transition.label))
    return submission


@transaction.atomic
def quarterly_submission_return(*, submission: QuarterlySubmission, by, reason: str) -> QuarterlySubmission:
    submission = _lock_submission(submission, by)
    transition = workflows.QUARTERLY_SUBMISSION.check("return", submission.status, reason)
    before = audit.snapshot(submission)
    submission.status = transition.target
    submission.review_reason = reason.strip()
    submission.reviewed_at, submission.reviewed_by = timezone.now(), by if by and by.pk else None
    submission.save()
    audit.record(
        actor=by, action=AuditAction.TRANSITION, obj=submission, before=before, message=f"{transition.label}：{reason}"
    )
    return submission


# ------------------------------------------------------------------------- major-activity reports


def major_activity_is_late(planned_date: dt.date, reported_on: dt.date) -> bool:
    return (planned_date - reported_on).days < major_activity_notice_days()


@transaction.atomic
def major_activity_report_create(
    *,
    by,
    organization,
    title: str,
    planned_date: dt.date,
    place: str,
    expected_participants: int,
    content: str,
    foreign_involvement: bool = False,
    foreign_details: str = "",
    project: Project | None = None,
) -> MajorActivityReport:
    _require(permissions.may_report_major_activity(by, organization))
    errors = {}
    if not isinstance(planned_date, dt.date):
        errors["planned_date"] = _("Planned date: enter the activity's date.")
    if project is not None and project.organization_id != organization.pk:
        errors["project"] = _("Project: choose one of your organization's projects.")
    try:
        expected_participants = int(expected_participants)
    except (TypeError, ValueError):
        expected_participants = -1
    if expected_participants < 0:
        errors["expected_participants"] = _("Expected participants: enter a number that is not negative.")
    if foreign_involvement and not (foreign_details or "").strip():
        errors["foreign_details"] = _("Foreign involvement details: describe who from abroad takes part.")
    for name, value, label in (
        ("title", title, _("Title")),
        ("place", place, _("Place")),
        ("content", content, _("Content")),
    ):
        if not (value or "").strip():
            errors[name] = _("%(field)s: this field is required.") % {"field": label}
    values = {
        "planned_date": planned_date,
        "expected_participants": expected_participants,
        "title": (title or "").strip(),
        "place": (place or "").strip(),
        "foreign_details": (foreign_details or "").strip(),
        "content": (content or "").strip(),
    }
    for name, message in bounds.field_errors(MajorActivityReport, values).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    report = MajorActivityReport.objects.create(
        organization=organization,
        project=project,
        title=title.strip(),
        planned_date=planned_date,
        place=place.strip(),
        expected_participants=expected_participants,
        foreign_involvement=bool(foreign_involvement),
        foreign_details=(foreign_details or "").strip(),
        content=content.strip(),
        reported_on=today,
        is_late=major_activity_is_late(planned_date, today),
        created_by=by if by and by.pk else None,
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=report)
    return report


def _review_major_activity(report: MajorActivityReport, by, name: str, reason: str = "") -> MajorActivityReport:
    report = (
        MajorActivityReport.objects.select_for_update(of=("self",))
        .select_related("organization__region", "reviewed_by")
        .get(pk=report.pk)
    )
    _require(permissions.may_review_major_activity(by, report))
    if report.status != MajorActivityStatus.SUBMITTED:
        raise StaleTransition(report.get_status_display(), handled_by=report.reviewed_by, handled_at=report.reviewed_at)
    transition = workflows.MAJOR_ACTIVITY.check(name, report.status, reason)
    before = audit.snapshot(report)
    report.status = transition.target
    report.review_reason = reason.strip() if transition.needs_reason else ""
    report.reviewed_at, report.reviewed_by = timezone.now(), by if by and by.pk else None
    report.save()
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        obj=report,
        before=before,
        message=f"{transition.label}：{reason}" if reason else str(transition.label),
    )
    return report


@transaction.atomic
def major_activity_acknowledge(*, report: MajorActivityReport, by) -> MajorActivityReport:
    return _review_major_activity(report, by, "acknowledge")


@transaction.atomic
def major_activity_object(*, report: MajorActivityReport, by, reason: str) -> MajorActivityReport:
    return _review_major_activity(report, by, "object", reason)


# ------------------------------------------------------------------------------------- reminders


def due_quarters(project: Project, today: dt.date, submitted: set[tuple[int, int]]) -> list[tuple[int, int, dt.date]]:
    """Quarters of the project due within the reminder window, or overdue, and not submitted.
    (A quarter due within the window has ended: the deadline is days after the quarter's end.)"""
    horizon = today + dt.timedelta(days=reminder_days_ahead())
    result = []
    for year, quarter in project.quarters:
        due = periods.due_date(year, quarter)
        if due <= horizon and (year, quarter) not in submitted:
            result.append((year, quarter, due))
    return result


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind organizations of quarterly submissions due within a few days or overdue: one in-app
    notification and one e-mail per person, quarter and day at most. Returns notifications made."""
    from registry.models import OrganizationMember

    today = today or timezone.localdate()
    projects = Project.objects.filter(status__in=workflows.PROJECT_ACTIVE).prefetch_related("quarterly_submissions")
    sent = 0
    for project in projects:
        submitted = {
            (s.year, s.quarter) for s in project.quarterly_submissions.all() if s.status != SubmissionStatus.RETURNED
        }
        due = due_quarters(project, today, submitted)
        if not due:
            continue
        members = list(
            OrganizationMember.objects.filter(
                organization_id=project.organization_id, user__is_active=True
            ).select_related("user")
        )
        for year, quarter, due_on in due:
            label = periods.quarter_label(year, quarter)
            overdue = due_on < today
            if overdue:
                title = _("Overdue: the %(quarter)s ledger of %(project)s was due on %(due)s") % {
                    "quarter": label,
                    "project": project.title,
                    "due": _fmt_date(due_on),
                }
            else:
                title = _("Due soon: the %(quarter)s ledger of %(project)s is due on %(due)s") % {
                    "quarter": label,
                    "project": project.title,
                    "due": _fmt_date(due_on),
                }
            body = _("Project %(code)s: please submit the ledger entries and narrative of %(quarter)s.") % {
                "code": project.code,
                "quarter": label,
            }
            sent += notifications.remind(
                [member.user for member in members],
                item_key=f"quarter:{project.pk}:{periods.quarter_key(year, quarter)}",
                title=title,
                body=body,
                url=project.get_absolute_url(),
                today=today,
            )
    return sent


# ------------------------------------------------------------------------------ bulk ledger upload


@transaction.atomic
def ledger_upload_apply(*, project: Project, by, rows: list[tuple[int, dict]]) -> dict:
    """Apply an uploaded ledger workbook in one transaction: every row valid, or nothing written.
    New rows become drafts, changed drafts are updated, changed submitted entries are corrected."""
    from .ledger_xlsx import plan_ledger_upload

    project = (
        Project.objects.select_for_update(of=("self",)).select_related("organization", "funder").get(pk=project.pk)
    )
    _require(permissions.may_record(by, project))
    _check_project_running(project)
    plan = plan_ledger_upload(project, rows)
    failed = [row for row in plan if row.action == "error"]
    if failed:
        raise ValidationError(
            {"file": [_("Row %(row)d: %(errors)s") % {"row": row.number, "errors": row.error_text} for row in failed]}
        )
    counts = {"create": 0, "update": 0, "correct": 0, "unchanged": 0}
    for row in plan:
        if row.action == "create":
            ledger_entry_create(project=project, by=by, audit_action=AuditAction.IMPORT, **row.data)
        elif row.action == "update":
            ledger_entry_update(entry=row.entry, by=by, **row.data)
        elif row.action == "correct":
            ledger_entry_correct(entry=row.entry, by=by, **row.data)
        counts[row.action] += 1
    return counts


@transaction.atomic
def expenditure_upload_apply(*, project: Project, by, rows: list[tuple[int, dict]]) -> int:
    """Record an uploaded expenditure workbook in one transaction: every row valid, or nothing
    written. Each row goes through expenditure_create (budget line locked, balance checked), so
    spending recorded by someone else since the dry run is refused here as it would be by hand."""
    from .expenditure_xlsx import plan_expenditure_upload

    project = (
        Project.objects.select_for_update(of=("self",)).select_related("organization", "funder").get(pk=project.pk)
    )
    _require(permissions.may_record(by, project))
    _check_project_running(project)
    plan = plan_expenditure_upload(project, rows)
    failed = [row for row in plan if row.errors]
    if not plan:
        raise ValidationError({"file": _("File: the workbook has no expenditures.")})
    if failed:
        raise ValidationError(
            {"file": [_("Row %(row)d: %(errors)s") % {"row": row.number, "errors": row.error_text} for row in failed]}
        )
    for row in plan:
        try:
            expenditure_create(project=project, by=by, audit_action=AuditAction.IMPORT, **row.data)
        except ValidationError as error:
            messages = "；".join(m for ms in error.message_dict.values() for m in ms)
            raise ValidationError(
                {"file": [_("Row %(row)d: %(errors)s") % {"row": row.number, "errors": messages}]}
            ) from error
    return len(plan)
