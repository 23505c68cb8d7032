"""Major-activity reports and the bureau's acknowledgement or objection."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import periods, permissions
from ..models import MajorActivityReport, Project
from ..rules import require, user_or_none
from ..workflows import MAJOR_ACTIVITY


def major_activity_is_late(planned_date: dt.date, reported_on: dt.date) -> bool:
    """Reported after the notice deadline (projects.periods.major_activity_report_by)."""
    return reported_on > periods.major_activity_report_by(planned_date)


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
    require(permissions.may_report_major_activity(by, organization))
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
        created_by=user_or_none(by),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=report)
    return report


@transaction.atomic
def major_activity_acknowledge(*, report: MajorActivityReport, by) -> MajorActivityReport:
    return MAJOR_ACTIVITY.apply(report, "acknowledge", by=by)


@transaction.atomic
def major_activity_object(*, report: MajorActivityReport, by, reason: str) -> MajorActivityReport:
    return MAJOR_ACTIVITY.apply(report, "object", by=by, reason=reason)
