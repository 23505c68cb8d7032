"""Organization grades (社会组织评估等级 1A–5A): the bureau records an award for a registered
organization (its validity follows from the award date: evaluation.grading) and may revoke it
with the reason. Grades are never deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction
from registry.choices import LegalForm, OrganizationStatus
from registry.models import Organization

from .. import grading
from .. import permissions as rules
from ..choices import Grade
from ..models import OrgGrade

SCORE_MAX = Decimal(1000)
ONE_DECIMAL = Decimal("0.1")


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _user(by):
    return by if by is not None and getattr(by, "pk", None) else None


def _score(value, errors: dict) -> Decimal | None:
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        score = None
    if score is None or not score.is_finite():
        errors["score"] = _("Assessment score: enter a number such as 856.5.")
        return None
    if not Decimal(0) <= score <= SCORE_MAX:
        errors["score"] = _("Assessment score: enter a score from 0 to 1000.")
        return None
    if score != score.quantize(ONE_DECIMAL):
        errors["score"] = _("Assessment score: at most one decimal place.")
        return None
    return score.quantize(ONE_DECIMAL)


def _grade(value, errors: dict) -> int | None:
    try:
        grade = int(str(value).strip().upper().removesuffix("A"))
    except (TypeError, ValueError):
        grade = None
    if grade not in Grade.values:
        errors["grade"] = _("Grade: choose one of 1A to 5A.")
        return None
    return grade


def _date(value, errors: dict) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors["awarded_on"] = _("Awarded on: enter a date such as 2026-03-01.")
        return None
    if value > timezone.localdate():
        errors["awarded_on"] = _("Awarded on: the date cannot be in the future.")
        return None
    problems = bounds.field_errors(OrgGrade, {"awarded_on": value})
    if problems:
        errors.update(problems)
        return None
    return value


@transaction.atomic
def grade_award(organization, *, by, score, grade, awarded_on, decision_number="") -> OrgGrade:
    """Record a grade awarded to a registered organization; refused for a filed community
    organization (they take the annual 评估评议 instead), an award date in the future, a score
    outside 0–1000 or with more than one decimal, and the same award recorded twice."""
    organization = Organization.objects.select_for_update(of=("self",)).select_related("region").get(pk=organization.pk)
    _require(rules.may_award_grade(by, organization))
    errors: dict = {}
    if organization.legal_form == LegalForm.COMMUNITY_FILED:
        errors["organization"] = _(
            "Organization: %(name)s is a filed community organization; grades are awarded to registered "
            "organizations only (filed ones take the annual community review)."
        ) % {"name": organization.name}
    elif organization.status != OrganizationStatus.ACTIVE:
        errors["organization"] = _("Organization: %(name)s is no longer active.") % {"name": organization.name}
    values = {
        "score": _score(score, errors),
        "grade": _grade(grade, errors),
        "awarded_on": _date(awarded_on, errors),
        "decision_number": str(decision_number or "").strip(),
    }
    if len(values["decision_number"]) > 60:
        errors["decision_number"] = _("Decision number: at most %(n)d characters.") % {"n": 60}
    if "awarded_on" not in errors and "organization" not in errors:
        earlier = OrgGrade.objects.filter(
            organization=organization, awarded_on=values["awarded_on"], revoked_on__isnull=True
        ).first()
        if earlier is not None:
            errors["awarded_on"] = _(
                "Awarded on: the grade %(grade)s awarded to %(name)s on this day is already recorded."
            ) % {"grade": earlier.get_grade_display(), "name": organization.name}
    if errors:
        raise ValidationError(errors)
    values["valid_from"], values["valid_until"] = grading.grade_validity(values["awarded_on"])
    grade_row = OrgGrade.objects.create(organization=organization, created_by=_user(by), **values)
    audit.record(actor=by, action=AuditAction.CREATE, obj=grade_row)
    return grade_row


@transaction.atomic
def grade_revoke(grade, *, by, reason) -> OrgGrade:
    """Revoke a grade from today, with the reason (kept and shown; the record stays)."""
    grade = OrgGrade.objects.select_for_update(of=("self",)).select_related("organization__region").get(pk=grade.pk)
    _require(rules.may_award_grade(by, grade.organization))
    reason = str(reason or "").strip()
    if grade.revoked_on is not None:
        raise ValidationError({"reason": _("Reason: this grade was already revoked.")})
    if not reason:
        raise ValidationError({"reason": _("Reason: please give the reason for revoking the grade.")})
    if len(reason) > bounds.SHORT_TEXT_MAX:
        raise ValidationError({"reason": _("Reason: at most %(n)d characters.") % {"n": bounds.SHORT_TEXT_MAX}})
    before = audit.snapshot(grade)
    grade.revoked_on = timezone.localdate()
    grade.revocation_reason = reason
    grade.save(update_fields=["revoked_on", "revocation_reason", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=grade,
        before=before,
        message=_("Revoked: %(reason)s") % {"reason": reason},
    )
    return grade
