"""The rules a record must meet, without writing: shared by the services, the forms, the API and
the workbook uploads' dry runs, so every path refuses alike (the services call them again under
their locks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import bounds

from . import periods
from .choices import PROJECT_ACTIVE, EntryKind, SubmissionStatus
from .models import AMOUNT, BudgetLine, Expenditure, LedgerEntry, Project, QuarterlySubmission
from .money import ZERO, format_yuan, to_amount

ENTRY_FIELDS = (
    "date",
    "kind",
    "title",
    "place",
    "participants",
    "beneficiaries",
    "volunteers",
    "volunteer_hours",
    "foreign_involvement",
    "summary",
)
COUNT_FIELDS = ("participants", "beneficiaries", "volunteers")
# What an amount column (AMOUNT: 12 digits, 2 after the point) can hold.
AMOUNT_LIMIT = Decimal(10) ** (AMOUNT["max_digits"] - AMOUNT["decimal_places"])


def require(allowed_reason: tuple[bool, str]) -> None:
    allowed, reason = allowed_reason
    if not allowed:
        raise PermissionDenied(reason)


def fmt_date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def parse_amount(field: str, value, *, positive: bool = False, label: str = "") -> Decimal:
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


def user_or_none(by):
    """The user to record as author: none for a system call."""
    return by if by is not None and getattr(by, "pk", None) else None


def budget_line_balance(line: BudgetLine) -> Decimal:
    spent = line.expenditures.aggregate(total=Sum("amount"))["total"] or ZERO
    return line.amount - spent


def quarter_locked(project_id: int, day: dt.date) -> bool:
    year, quarter = periods.quarter_of(day)
    return QuarterlySubmission.objects.filter(
        project_id=project_id, year=year, quarter=quarter, status=SubmissionStatus.ACCEPTED
    ).exists()


def check_project_running(project: Project) -> None:
    if project.status not in PROJECT_ACTIVE:
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
            "date": fmt_date(day),
            "start": fmt_date(project.start_date),
            "end": fmt_date(project.end_date),
        }
    elif day > today:
        errors["date"] = _("Date: %(date)s is in the future; record activities after they happen.") % {
            "date": fmt_date(day)
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
    # Foreign involvement makes an activity a major one, to be reported in advance (projects.selectors).
    involvement = data.get("foreign_involvement")
    if involvement in (None, ""):
        cleaned["foreign_involvement"] = False
    elif isinstance(involvement, bool):
        cleaned["foreign_involvement"] = involvement
    else:
        errors["foreign_involvement"] = _("Foreign involvement: answer 是 (yes) or 否 (no).")
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
    if "date" in cleaned and quarter_locked(project.pk, cleaned["date"]):
        year, quarter = periods.quarter_of(cleaned["date"])
        errors["date"] = _("Date: the quarter %(quarter)s has been accepted and is locked.") % {
            "quarter": periods.quarter_label(year, quarter)
        }
    return cleaned, errors


def check_record_day(project: Project, day: dt.date, field: str = "date") -> None:
    if not isinstance(day, dt.date):
        raise ValidationError({field: _("Date: enter the date.")})
    if not project.covers(day):
        raise ValidationError(
            {
                field: _("Date: %(date)s is outside the project period %(start)s – %(end)s.")
                % {"date": fmt_date(day), "start": fmt_date(project.start_date), "end": fmt_date(project.end_date)}
            }
        )
    if day > timezone.localdate():
        raise ValidationError({field: _("Date: %(date)s is in the future.") % {"date": fmt_date(day)}})
    if quarter_locked(project.pk, day):
        year, quarter = periods.quarter_of(day)
        raise ValidationError(
            {
                field: _("Date: the quarter %(quarter)s has been accepted and is locked.")
                % {"quarter": periods.quarter_label(year, quarter)}
            }
        )


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
        check_record_day(project, date)
    except ValidationError as error:
        errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    else:
        cleaned["date"] = date
    try:
        cleaned["amount"] = parse_amount("amount", amount, positive=True, label=_("Amount"))
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
