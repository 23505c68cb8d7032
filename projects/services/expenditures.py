"""Expenditures, each checked against its budget line's balance, and their reversals (红冲).

An expenditure is never edited or deleted: a wrong one is cancelled by a reversal, a counter-entry
of the negative amount on the same budget line that names the original (`reverses`), so every
balance and total (sums of the amounts) counts both. A reversal cannot itself be reversed, and an
expenditure is reversed at most once (a one-to-one column, and the original's row lock).

The reversal's date: the day it is recorded (once the project period is over, its last day), or a
day the organization gives — within the project period, not in the future, not before the
original. It is never dated in a quarter the funder has accepted: an accepted quarter stays as
accepted, so a wrong expenditure of a locked quarter is reversed in an open quarter, where the
correction shows (like 红字冲销 booked in the current period rather than reopening a closed one)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import permissions
from ..models import BudgetLine, Expenditure, Project
from ..money import format_yuan
from ..rules import (
    budget_line_balance,
    check_project_running,
    check_record_day,
    fmt_date,
    parse_amount,
    require,
    user_or_none,
)
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


REVERSAL_VOUCHER_PREFIX = "红冲-"
VOUCHER_NUMBER_MAX = Expenditure._meta.get_field("voucher_number").max_length


def reversal_refusal(original: Expenditure) -> str:
    """Why `original` cannot be reversed ("" when it can)."""
    if original.reverses_id is not None:
        return _("Expenditure: this is a reversal (红冲) of another expenditure; a reversal cannot be reversed.")
    reversal = Expenditure.objects.filter(reverses=original).only("date", "voucher_number").first()
    if reversal is not None:
        return _("Expenditure: %(voucher)s was already reversed on %(date)s (%(reversal)s).") % {
            "voucher": original.voucher_number,
            "date": fmt_date(reversal.date),
            "reversal": reversal.voucher_number,
        }
    return ""


@transaction.atomic
def expenditure_reverse(*, by, expenditure: Expenditure, reason: str, date: dt.date | None = None) -> Expenditure:
    """Cancel a wrong expenditure by its reversal (红冲): same project and budget line, the negative
    amount, voucher number 红冲-<original>, the reason. See the module's note on the date."""
    original = (
        Expenditure.objects.select_for_update(of=("self",))
        .select_related("project__organization", "project__funder", "budget_line")
        .get(pk=expenditure.pk)
    )
    project = original.project
    require(permissions.may_record(by, project))
    check_project_running(project)
    if refusal := reversal_refusal(original):
        raise ValidationError({"expenditure": refusal})
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Reversal reason: please say why the expenditure is reversed.")
    elif message := bounds.field_errors(Expenditure, {"reversal_reason": reason}).get("reversal_reason"):
        errors["reason"] = message
    if date in (None, ""):
        date = min(timezone.localdate(), project.end_date)
    if not isinstance(date, dt.date):
        errors["date"] = _("Date: enter the date.")
    elif date < original.date:
        errors["date"] = _("Date: %(date)s is before the expenditure it reverses (%(original)s).") % {
            "date": fmt_date(date),
            "original": fmt_date(original.date),
        }
    else:
        try:
            check_record_day(project, date)
        except ValidationError as error:
            errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    reversal = Expenditure(
        project=project,
        budget_line=original.budget_line,
        date=date,
        amount=-original.amount,
        payee=original.payee,
        purpose=original.purpose,
        voucher_number=f"{REVERSAL_VOUCHER_PREFIX}{original.voucher_number}"[:VOUCHER_NUMBER_MAX],
        reverses=original,
        reversal_reason=reason,
        created_by=user_or_none(by),
    )
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as error:  # the one-to-one column: reversed meanwhile, past the row lock
        raise ValidationError({"expenditure": reversal_refusal(original) or str(error)}) from error
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=reversal,
        message=_("Reversal (红冲) of %(original)s: %(reason)s") % {"original": original, "reason": reason},
    )
    return reversal
