"""Expenditures, each checked against its budget line's balance."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction

from .. import permissions
from ..models import BudgetLine, Expenditure, Project
from ..money import format_yuan
from ..rules import budget_line_balance, check_project_running, check_record_day, parse_amount, require, user_or_none
from ..uploads import VOUCHER_UPLOADS


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
    require(permissions.may_record(by, project))
    check_project_running(project)
    amount = parse_amount("amount", amount, positive=True, label=_("Amount"))
    if budget_line is None or budget_line.project_id != project.pk:
        raise ValidationError({"budget_line": _("Budget line: choose a budget line of this project.")})
    check_record_day(project, date)
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
        created_by=user_or_none(by),
    )
    if checked_voucher is not None:
        expenditure.voucher, expenditure.voucher_name = checked_voucher.file, checked_voucher.name
    expenditure.save()
    audit.record(actor=by, action=audit_action, obj=expenditure)
    return expenditure
