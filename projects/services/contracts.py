"""Contracts of purchased services: the contract with its milestones (tranches), amendments as new
versions, and the milestones' delivery and acceptance (projects.workflows.MILESTONE).

Rules, decided here once for the pages and the API:
- one contract per project, set up by those who manage the project (permissions.may_set_up_contract);
- the contract amount may differ from the project's (negotiated down, or raised by an amendment);
  a contract above the project amount is allowed and shown as such on the contract's page;
- the period is at most five years, overlaps the project's, and the contract is signed before it
  ends and not in the future;
- milestones (1–20): shares of the amount that add up to exactly 100 %, due dates within the
  period; each tranche is its share of the amount rounded to the cent, the last taking the
  remainder, so the tranches add up to the contract amount exactly;
- an amendment is a new version with a reason; the old version stays as it was. Milestones are
  carried (`previous`) with their state; an accepted milestone keeps its deliverable, due date and
  amount (its share is recomputed against the new amount) and cannot be dropped; the new amount
  cannot fall below what has been paid, nor below the accepted tranches.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction
from core.notifications import notify, register_kind

from .. import permissions
from ..choices import PROJECT_ACTIVE, MilestoneStatus, ProcurementMethod
from ..models import Contract, Milestone, Project
from ..money import ZERO, format_yuan
from ..rules import fmt_date, parse_amount, require, user_or_none
from ..tranches import HUNDRED, allocate, paid_by_milestone, share_of
from ..uploads import CONTRACT_UPLOADS
from ..workflows import MILESTONE

MAX_MILESTONES = 20
MAX_PERIOD_YEARS = 5
CONTRACT_FIELDS = ("number", "procurement_method", "signed_on", "amount", "start_date", "end_date")
CONTRACT_KIND = "projects.contract"
register_kind(CONTRACT_KIND, Contract._meta.verbose_name)


def _date(value, field: str, label: str, errors: dict):
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        errors[field] = _("%(field)s: enter a date.") % {"field": label}
        return None
    return value


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def clean_contract(project: Project, data: dict, *, today: dt.date | None = None) -> tuple[dict, dict]:
    """The contract's own fields checked; returns (cleaned, errors by field)."""
    today = today or timezone.localdate()
    errors, cleaned = {}, {}
    number = str(data.get("number") or "").strip()
    if not number:
        errors["number"] = _("Contract number: please enter the contract's number.")
    cleaned["number"] = number
    method = data.get("procurement_method")
    if method not in ProcurementMethod.values:
        errors["procurement_method"] = _("Procurement method: choose one of the listed methods.")
    cleaned["procurement_method"] = method
    try:
        cleaned["amount"] = parse_amount("amount", data.get("amount"), positive=True, label=_("Contract amount"))
    except ValidationError as error:
        errors.update(error.message_dict)
    signed_on = _date(data.get("signed_on"), "signed_on", _("Signed on"), errors)
    start = _date(data.get("start_date"), "start_date", _("Start date"), errors)
    end = _date(data.get("end_date"), "end_date", _("End date"), errors)
    cleaned.update(signed_on=signed_on, start_date=start, end_date=end)
    for name, message in bounds.field_errors(Contract, {"number": number, "signed_on": signed_on}).items():
        errors.setdefault(name, message)
    for name, message in bounds.field_errors(Contract, {"start_date": start, "end_date": end}).items():
        errors.setdefault(name, message)
    if errors:
        return cleaned, errors
    if end < start:
        errors["end_date"] = _("End date: the contract cannot end before it starts.")
    elif end >= _years_after(start, MAX_PERIOD_YEARS):
        errors["end_date"] = _("Period: a contract runs at most %(years)d years.") % {"years": MAX_PERIOD_YEARS}
    elif end < project.start_date or start > project.end_date:
        errors["start_date"] = _("Period: %(start)s – %(end)s does not overlap the project period %(ps)s – %(pe)s.") % {
            "start": fmt_date(start),
            "end": fmt_date(end),
            "ps": fmt_date(project.start_date),
            "pe": fmt_date(project.end_date),
        }
    if signed_on > today:
        errors["signed_on"] = _("Signed on: %(date)s is in the future.") % {"date": fmt_date(signed_on)}
    elif signed_on > end:
        errors["signed_on"] = _("Signed on: the contract cannot be signed after its period ends (%(end)s).") % {
            "end": fmt_date(end)
        }
    return cleaned, errors


def _share(value) -> Decimal | None:
    try:
        share = Decimal(str(value).strip().rstrip("%").strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not share.is_finite() or share != share.quantize(Decimal("0.01")):
        return None
    return share.quantize(Decimal("0.01"))


def clean_milestones(
    specs, *, amount: Decimal, start: dt.date, end: dt.date, carried=None, carried_amount=None
) -> tuple[list, list]:
    """The milestones checked and their tranches computed; returns (rows, messages). Each spec is a
    dict of deliverable, due_date, share and, in an amendment, `previous` (a milestone of the
    version amended, in `carried`, id → milestone, whose contract amount was `carried_amount`)."""
    carried = carried or {}
    messages, rows = [], []
    specs = list(specs or [])
    if not specs:
        return [], [_("Milestones: enter at least one milestone.")]
    if len(specs) > MAX_MILESTONES:
        return [], [_("Milestones: at most %(n)d milestones.") % {"n": MAX_MILESTONES}]
    seen = set()
    for number, spec in enumerate(specs, start=1):
        previous = spec.get("previous")
        previous_id = getattr(previous, "pk", previous)
        if previous_id is not None and (previous_id not in carried or previous_id in seen):
            messages.append(_("Milestone %(n)d: not a milestone of the version amended.") % {"n": number})
            continue
        seen.add(previous_id)
        old = carried.get(previous_id)
        row = {"previous": old, "number": number}
        if old is not None and old.status == MilestoneStatus.ACCEPTED:
            # Accepted: delivered as agreed; the amendment carries it as it is.
            for field in ("deliverable", "due_date"):
                if field in spec and spec[field] not in (None, "") and spec[field] != getattr(old, field):
                    messages.append(
                        _("Milestone %(n)d “%(name)s” has been accepted; its %(field)s cannot change.")
                        % {"n": number, "name": old.deliverable, "field": Milestone._meta.get_field(field).verbose_name}
                    )
            row.update(deliverable=old.deliverable, due_date=old.due_date, share=old.share, fixed=old.amount)
        else:
            deliverable = str(spec.get("deliverable") or "").strip()
            if not deliverable:
                messages.append(_("Milestone %(n)d: please enter the deliverable.") % {"n": number})
            elif len(deliverable) > 200:
                messages.append(_("Milestone %(n)d: the deliverable has at most 200 characters.") % {"n": number})
            due = spec.get("due_date")
            if isinstance(due, dt.datetime):
                due = due.date()
            if not isinstance(due, dt.date):
                messages.append(_("Milestone %(n)d: enter the due date.") % {"n": number})
                due = None
            share = _share(spec.get("share"))
            if share is None or share <= 0 or share > HUNDRED:
                messages.append(
                    _("Milestone %(n)d: the share is a percentage above 0 and at most 100, with two decimals.")
                    % {"n": number}
                )
            row.update(deliverable=deliverable, due_date=due, share=share, fixed=None)
        due = row["due_date"]
        if due is not None and not start <= due <= end:
            messages.append(
                _("Milestone %(n)d: the due date %(date)s is outside the contract period %(start)s – %(end)s.")
                % {"n": number, "date": fmt_date(due), "start": fmt_date(start), "end": fmt_date(end)}
            )
        rows.append(row)
    for old in carried.values():
        if old.status == MilestoneStatus.ACCEPTED and old.pk not in seen:
            messages.append(
                _("Milestone “%(name)s” has been accepted; an amendment cannot drop it.") % {"name": old.deliverable}
            )
    if messages:
        return rows, messages
    fixed = {i: row["fixed"] for i, row in enumerate(rows) if row["fixed"] is not None}
    accepted = sum(fixed.values(), ZERO)
    if accepted > amount:
        return rows, [
            _("Contract amount: %(amount)s is below the accepted tranches (%(accepted)s).")
            % {"amount": format_yuan(amount), "accepted": format_yuan(accepted)}
        ]
    if amount != carried_amount:
        for row in rows:
            if row["fixed"] is not None:
                row["share"] = share_of(row["fixed"], amount)
    total = sum((row["share"] for row in rows), ZERO)
    if total != HUNDRED:
        message = _("Milestones: the shares add up to %(total)s%%; they must add up to 100%%.")
        return rows, [message % {"total": f"{total.normalize():f}"}]
    if len(fixed) == len(rows) and accepted != amount:
        return rows, [
            _("Milestones: the accepted tranches add up to %(accepted)s; add a milestone for the other %(rest)s.")
            % {"accepted": format_yuan(accepted), "rest": format_yuan(amount - accepted)}
        ]
    for row, tranche in zip(rows, allocate(amount, [r["share"] for r in rows], fixed), strict=True):
        row["amount"] = tranche
        if tranche < 0:
            messages.append(_("Milestone %(n)d: the share is too small for the tranche.") % {"n": row["number"]})
    return rows, messages


def _check_file(file, errors: dict):
    if not file:
        return None
    try:
        return CONTRACT_UPLOADS.check(file, field="file")
    except ValidationError as error:
        errors.update(error.message_dict)
        return None


def _raise(errors: dict, messages: list) -> None:
    if messages:
        errors["milestones"] = messages
    if errors:
        raise ValidationError(errors)


def _save_milestones(contract: Contract, rows: list, by) -> list[Milestone]:
    milestones = []
    for sequence, row in enumerate(rows, start=1):
        old = row["previous"]
        milestone = Milestone(
            contract=contract,
            project_id=contract.project_id,
            sequence=sequence,
            deliverable=row["deliverable"],
            due_date=row["due_date"],
            share=row["share"],
            amount=row["amount"],
            previous=old,
            created_by=user_or_none(by),
        )
        if old is not None:  # carried with its state, delivery and review
            for field in ("status", "delivery_note", "submitted_at", "submitted_by_id", "reviewed_at"):
                setattr(milestone, field, getattr(old, field))
            milestone.reviewed_by_id, milestone.review_reason = old.reviewed_by_id, old.review_reason
        milestone.full_clean(exclude=["contract", "project", "previous", "created_by"])
        milestone.save()
        milestones.append(milestone)
    audit.record_many(actor=by, action=AuditAction.CREATE, objs=milestones)
    return milestones


def _lock_project(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("organization__region", "funder")
        .get(pk=project.pk)
    )


@transaction.atomic
def contract_create(*, project: Project, by, milestones, file=None, **data) -> Contract:
    """The project's contract (version 1) with its milestones. The project's row lock makes a
    second, identical request find the first's contract and be refused."""
    project = _lock_project(project)
    require(permissions.may_set_up_contract(by, project))
    if Contract.objects.filter(project=project).exists():
        raise ValidationError({"number": _("Contract: this project already has a contract; amend it instead.")})
    cleaned, errors = clean_contract(project, data)
    rows, messages = ([], [])
    if not errors:
        rows, messages = clean_milestones(
            milestones, amount=cleaned["amount"], start=cleaned["start_date"], end=cleaned["end_date"]
        )
    checked = _check_file(file, errors)
    _raise(errors, messages)
    contract = Contract(project=project, created_by=user_or_none(by), **cleaned)
    if checked is not None:
        contract.file, contract.file_name = checked.file, checked.name
    contract.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=contract)
    _save_milestones(contract, rows, by)
    return contract


@transaction.atomic
def contract_amend(*, contract: Contract, by, reason: str, milestones, file=None, **data) -> Contract:
    """A new version of the contract (see the module's rules); returns it. The old version, its
    milestones and its file stay as they were."""
    project = _lock_project(contract.project)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require(permissions.may_set_up_contract(by, project))
    if not contract.is_current:
        raise ValidationError(
            {"number": _("Contract: version %(version)d has been replaced; amend the current version.")
             % {"version": contract.version}}
        )  # fmt: skip
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["amendment_reason"] = _("Amendment reason: please say why the contract is amended.")
    elif len(reason) > bounds.SHORT_TEXT_MAX:
        errors["amendment_reason"] = _("Amendment reason: at most %(n)d characters.") % {"n": bounds.SHORT_TEXT_MAX}
    values = {name: data.get(name, getattr(contract, name)) for name in CONTRACT_FIELDS}
    cleaned, contract_errors = clean_contract(project, values)
    errors.update(contract_errors)
    rows, messages = [], []
    if not contract_errors:
        paid = sum(paid_by_milestone(project).values(), ZERO)
        if cleaned["amount"] < paid:
            errors["amount"] = _("Contract amount: %(amount)s is below what has already been paid (%(paid)s).") % {
                "amount": format_yuan(cleaned["amount"]),
                "paid": format_yuan(paid),
            }
        else:
            carried = {m.pk: m for m in contract.milestones.select_for_update().order_by("sequence")}
            rows, messages = clean_milestones(
                milestones,
                amount=cleaned["amount"],
                start=cleaned["start_date"],
                end=cleaned["end_date"],
                carried=carried,
                carried_amount=contract.amount,
            )
    checked = _check_file(file, errors)
    _raise(errors, messages)
    before = audit.snapshot(contract)
    contract.is_current = False
    contract.save(update_fields=["is_current", "updated_at"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=contract, before=before, message=reason)
    amended = Contract(
        project=project,
        version=contract.version + 1,
        previous_version=contract,
        amendment_reason=reason,
        file=contract.file.name if contract.file else "",
        file_name=contract.file_name,
        created_by=user_or_none(by),
        **cleaned,
    )
    if checked is not None:
        amended.file, amended.file_name = checked.file, checked.name
    amended.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=amended, message=reason)
    _save_milestones(amended, rows, by)
    notify(
        project.organization.accounts(),
        CONTRACT_KIND,
        amended,
        _("%(project)s: the contract was amended (version %(version)d): %(reason)s")
        % {"project": project.code, "version": amended.version, "reason": reason},
        exclude=by,
    )
    return amended


# ------------------------------------------------------------------------------------ milestones


def _current_version_only(milestone: Milestone, transition) -> None:
    if not milestone.contract.is_current:
        message = _("Milestone: this milestone belongs to a replaced version of the contract; act on the current one.")
        raise ValidationError({"status": message})


@transaction.atomic
def milestone_submit(*, milestone: Milestone, by, note: str) -> Milestone:
    """The organization reports the milestone delivered (again, after a return); the funder's
    people are told. The note says what was delivered."""

    def deliver(current, transition):
        _current_version_only(current, transition)
        if not (note or "").strip():
            raise ValidationError({"reason": _("Delivery note: please describe what was delivered.")})
        if current.project.status not in PROJECT_ACTIVE:
            raise ValidationError(
                {"status": _("Project: the project is “%(status)s”; milestones are delivered while it runs.")
                 % {"status": current.project.get_status_display()}}
            )  # fmt: skip
        current.delivery_note = (note or "").strip()
        current.submitted_at = timezone.now()
        current.submitted_by = user_or_none(by)

    return MILESTONE.apply(milestone, "submit", by=by, reason=note, effect=deliver)


@transaction.atomic
def milestone_accept(*, milestone: Milestone, by) -> Milestone:
    return MILESTONE.apply(milestone, "accept", by=by, effect=_current_version_only)


@transaction.atomic
def milestone_return(*, milestone: Milestone, by, reason: str) -> Milestone:
    return MILESTONE.apply(milestone, "return", by=by, reason=reason, effect=_current_version_only)


def milestone_transition(*, milestone: Milestone, by, name: str, reason: str = "") -> Milestone:
    """The milestone's step `name` (the API's and the page's one entry)."""
    if name == "submit":
        return milestone_submit(milestone=milestone, by=by, note=reason)
    if name == "accept":
        return milestone_accept(milestone=milestone, by=by)
    if name == "return":
        return milestone_return(milestone=milestone, by=by, reason=reason)
    return MILESTONE.apply(milestone, name, by=by, reason=reason)  # unknown: the engine names the choices
