"""Indicators and their entered values. What the people served say (服务对象满意度, 满意率,
知晓率 …) comes from beneficiary feedback: the organization cannot type it, the funder enters the
survey result."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import permissions
from ..choices import IndicatorSource, ProjectStatus
from ..models import Indicator, Project
from ..rules import require, user_or_none

# Names of indicators measured by what the people served say: satisfaction and awareness.
FEEDBACK_NAME = re.compile(r"满意|知晓")


def is_feedback_name(name) -> bool:
    return bool(FEEDBACK_NAME.search(str(name or "")))


@transaction.atomic
def indicator_create(*, project: Project, by, name: str, unit: str, target, source: str) -> Indicator:
    project = Project.objects.select_for_update().select_related("organization__region", "funder").get(pk=project.pk)
    require(permissions.may_manage_project(by, project.organization, project.funder))
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
    elif source == IndicatorSource.ENTERED and is_feedback_name(name):
        errors["source"] = _(
            "Progress from: “%(name)s” is what the people served say, which the organization cannot enter "
            "itself; choose the source “%(feedback)s”."
        ) % {"name": (name or "").strip(), "feedback": IndicatorSource.BENEFICIARY_FEEDBACK.label}
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
        created_by=user_or_none(by),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=indicator)
    return indicator


@transaction.atomic
def indicator_enter_value(*, indicator: Indicator, by, value) -> Indicator:
    """The achieved value of an entered indicator, given by the organization or the funder; of an
    indicator from beneficiary feedback, the survey result, given by the funder only."""
    indicator = Indicator.objects.select_for_update().select_related("project__funder").get(pk=indicator.pk)
    project = indicator.project
    if indicator.source == IndicatorSource.BENEFICIARY_FEEDBACK:
        if not (by is None or permissions.is_funder(by, project)):
            raise PermissionDenied(
                _(
                    "%(indicator)s comes from beneficiary feedback (the survey of the people served); "
                    "only the funder (%(funder)s) enters its result, the organization cannot enter it."
                )
                % {"indicator": indicator.name, "funder": project.funder.name}
            )
    elif not (permissions.may_record(by, project)[0] or permissions.is_funder(by, project)):
        raise PermissionDenied(_("Only the organization or the funder may enter an indicator's value."))
    if indicator.source not in (IndicatorSource.ENTERED, IndicatorSource.BENEFICIARY_FEEDBACK):
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
