"""Payments to the organization (拨付), recorded by the funder's people against accepted milestones
("费随事转"), and their reversals (红冲): a wrong payment is never edited or deleted, it is reversed
by a negative counter-entry that names it, once."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import permissions
from ..choices import MilestoneStatus
from ..models import Contract, Milestone, Payment
from ..money import format_yuan
from ..rules import fmt_date, parse_amount, require, user_or_none
from ..tranches import paid_on as paid_on_milestone


def _check_day(paid_on_day, contract: Contract, errors: dict) -> None:
    if isinstance(paid_on_day, dt.datetime):
        paid_on_day = paid_on_day.date()
    if not isinstance(paid_on_day, dt.date):
        errors["paid_on"] = _("Paid on: enter the date of the payment.")
        return
    for name, message in bounds.field_errors(Payment, {"paid_on": paid_on_day}).items():
        errors[name] = message
        return
    if paid_on_day > timezone.localdate():
        errors["paid_on"] = _("Paid on: %(date)s is in the future; record a payment once it is made.") % {
            "date": fmt_date(paid_on_day)
        }
    else:
        # The first version's signing: an amendment signed later does not move earlier payments.
        signed = Contract.objects.filter(project_id=contract.project_id).aggregate(first=Min("signed_on"))["first"]
        if paid_on_day < signed:
            errors["paid_on"] = _("Paid on: %(date)s is before the contract was signed (%(signed)s).") % {
                "date": fmt_date(paid_on_day),
                "signed": fmt_date(signed),
            }


def _text(value, field: str, label: str, errors: dict, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = _("%(field)s: this field is required.") % {"field": label}
    elif len(text) > limit:
        errors[field] = _("%(field)s: at most %(n)d characters.") % {"field": label, "n": limit}
    return text


@transaction.atomic
def payment_record(*, milestone: Milestone, by, paid_on, amount, reference: str, remarks: str = "") -> Payment:
    """A payment against an accepted milestone of the current contract, within its tranche. The
    contract's row lock serialises payments: of two identical requests (a double click) the second
    finds the first's reference and is refused."""
    milestone = Milestone.objects.select_related("project__funder", "project__organization").get(pk=milestone.pk)
    project = milestone.project
    require(permissions.may_record_payment(by, project))
    contract = Contract.objects.select_for_update().get(pk=milestone.contract_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if not contract.is_current:
        raise ValidationError(
            {"milestone": _("Milestone: “%(milestone)s” belongs to a replaced version of the contract (version "
                            "%(version)d); record the payment against the current version.")
             % {"milestone": milestone, "version": contract.version}}
        )  # fmt: skip
    if milestone.status != MilestoneStatus.ACCEPTED:
        raise ValidationError(
            {"milestone": _("Milestone: “%(milestone)s” is “%(status)s”; a payment is recorded only against a "
                            "milestone the funder has accepted.")
             % {"milestone": milestone, "status": milestone.get_status_display()}}
        )  # fmt: skip
    errors = {}
    try:
        amount = parse_amount("amount", amount, positive=True, label=_("Amount"))
    except ValidationError as error:
        errors.update(error.message_dict)
    _check_day(paid_on, contract, errors)
    reference = _text(reference, "reference", _("Payment reference"), errors, required=True, limit=60)
    remarks = _text(remarks, "remarks", _("Remarks"), errors, required=False, limit=200)
    if errors:
        raise ValidationError(errors)
    if Payment.objects.filter(project=project, reference=reference, reverses__isnull=True).exists():
        raise ValidationError(
            {"reference": _("Payment reference: %(reference)s is already recorded for this project.")
             % {"reference": reference}}
        )  # fmt: skip
    paid = paid_on_milestone(milestone)
    if paid + amount > milestone.amount:
        raise ValidationError(
            {
                "amount": _(
                    "Amount: %(amount)s would bring the payments on milestone “%(milestone)s” to %(total)s, "
                    "above its tranche of %(tranche)s (still to pay: %(rest)s)."
                )
                % {
                    "amount": format_yuan(amount),
                    "milestone": milestone,
                    "total": format_yuan(paid + amount),
                    "tranche": format_yuan(milestone.amount),
                    "rest": format_yuan(milestone.amount - paid),
                }
            }
        )
    payment = Payment.objects.create(
        project=project,
        milestone=milestone,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        remarks=remarks,
        created_by=user_or_none(by),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=payment)
    return payment


@transaction.atomic
def payment_reverse(*, payment: Payment, by, reason: str, paid_on=None) -> Payment:
    """The counter-entry (红冲) of a wrong payment: the negative amount, naming it, dated `paid_on`
    (today by default). A payment is reversed once; a reversal is not reversed."""
    original = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("project__funder", "milestone__contract")
        .get(pk=payment.pk)
    )
    require(permissions.may_record_payment(by, original.project))
    if original.reverses_id is not None:
        raise ValidationError({"reverses": _("Payment: a reversal cannot itself be reversed.")})
    existing = Payment.objects.filter(reverses=original).first()
    if existing is not None:
        message = _("Payment: this payment was already reversed on %(date)s.") % {"date": fmt_date(existing.paid_on)}
        raise ValidationError({"reverses": message})
    errors = {}
    reason = _text(reason, "reason", _("Reason"), errors, required=True, limit=200)
    paid_on = paid_on or timezone.localdate()
    _check_day(paid_on, original.milestone.contract, errors)
    if not errors and paid_on < original.paid_on:
        errors["paid_on"] = _("Paid on: a reversal cannot be dated before the payment it reverses (%(date)s).") % {
            "date": fmt_date(original.paid_on)
        }
    if errors:
        raise ValidationError(errors)
    reversal = Payment.objects.create(
        project_id=original.project_id,
        milestone_id=original.milestone_id,
        paid_on=paid_on,
        amount=-original.amount,
        reference=original.reference,
        remarks=reason,
        reverses=original,
        created_by=user_or_none(by),
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=reversal,
        message=_("Reversal of the payment of %(amount)s on %(date)s: %(reason)s")
        % {"amount": format_yuan(original.amount), "date": fmt_date(original.paid_on), "reason": reason},
    )
    return reversal
