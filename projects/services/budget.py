"""Budget lines and budget adjustments."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import permissions
from ..choices import BudgetCategory, ProjectStatus
from ..models import BudgetAdjustment, BudgetLine, Project
from ..money import ZERO, format_yuan
from ..rules import budget_line_balance, check_project_running, parse_amount, require, user_or_none
from ..workflows import BUDGET_ADJUSTMENT


def _lock_project_for_budget(project: Project, by) -> Project:
    project = Project.objects.select_for_update().select_related("organization__region", "funder").get(pk=project.pk)
    require(permissions.may_manage_project(by, project.organization, project.funder))
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
    amount = parse_amount("amount", amount, label=_("Amount"))
    if category not in BudgetCategory.values:
        raise ValidationError({"category": _("Category: choose one of the listed categories.")})
    name = (name or "").strip() or str(BudgetCategory(category).label)
    if project.budget_lines.filter(name=name).exists():
        raise ValidationError(
            {"name": _("Name: the project already has a budget line named %(name)s.") % {"name": name}}
        )
    _check_budget_total(project, amount)
    line = BudgetLine.objects.create(
        project=project, category=category, name=name, amount=amount, created_by=user_or_none(by)
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=line)
    return line


@transaction.atomic
def budget_line_update(*, line: BudgetLine, by, **changes) -> BudgetLine:
    project = _lock_project_for_budget(line.project, by)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    before = audit.snapshot(line)
    if "amount" in changes:
        changes["amount"] = parse_amount("amount", changes["amount"], label=_("Amount"))
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


@transaction.atomic
def budget_adjustment_propose(
    *, project: Project, by, from_line: BudgetLine, to_line: BudgetLine, amount, reason: str
) -> BudgetAdjustment:
    if not (permissions.may_record(by, project)[0] or permissions.is_funder(by, project)):
        raise PermissionDenied(_("Only the organization or the funder may propose a budget adjustment."))
    check_project_running(project)
    amount = parse_amount("amount", amount, positive=True, label=_("Amount"))
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
        created_by=user_or_none(by),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=adjustment)
    return adjustment


def _move_budget(adjustment: BudgetAdjustment, by) -> None:
    """Approval's consequence: the amount leaves one line for the other, if the first still has it."""
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


@transaction.atomic
def budget_adjustment_approve(*, adjustment: BudgetAdjustment, by) -> BudgetAdjustment:
    return BUDGET_ADJUSTMENT.apply(
        adjustment, "approve", by=by, effect=lambda adjustment, transition: _move_budget(adjustment, by)
    )


@transaction.atomic
def budget_adjustment_reject(*, adjustment: BudgetAdjustment, by, reason: str) -> BudgetAdjustment:
    return BUDGET_ADJUSTMENT.apply(adjustment, "reject", by=by, reason=reason)
