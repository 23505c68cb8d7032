"""Oversight of a running project: the funder's mid-term and final reviews, supervision visits
(专业督导/跟踪指导) with the rectifications they ask for, and the daily reminder of rectifications
past their due date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, bounds, notifications
from core.choices import AuditAction
from registry.models import OrganizationMember

from .. import permissions
from ..choices import ReviewConclusion, ReviewStage, VisitKind
from ..models import Project, ProjectReview, SupervisionVisit
from ..reminders import RECTIFICATION_DAYS_BEFORE, RECTIFICATION_KIND
from ..rules import fmt_date, require, user_or_none
from ..selectors import rectification_overdue

REVIEW_KIND = "projects.project_review"
VISIT_KIND = "projects.supervision_visit"
notifications.register_kind(REVIEW_KIND, gettext_lazy("funder review"))
notifications.register_kind(VISIT_KIND, gettext_lazy("supervision visit"))

SCORE_STEP = Decimal("0.01")


def _text(value) -> str:
    return str(value or "").strip()


def _day(errors: dict, field: str, value, label: str, *, required: bool = True) -> dt.date | None:
    """A date given as a date (forms, serializers) or as YYYY-MM-DD; the error names the field."""
    if value in (None, ""):
        if required:
            errors[field] = _("%(field)s: enter the date.") % {"field": label}
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        errors[field] = _("%(field)s: enter a date such as 2026-03-15.") % {"field": label}
        return None
    return value


def _not_future(errors: dict, field: str, day: dt.date | None, label: str, today: dt.date) -> None:
    if day is not None and field not in errors and day > today:
        errors[field] = _("%(field)s: %(date)s is in the future.") % {"field": label, "date": fmt_date(day)}


def _bounded(errors: dict, model, values: dict) -> None:
    for name, message in bounds.field_errors(model, values).items():
        errors.setdefault(name, message)


def _score(errors: dict, value) -> Decimal | None:
    try:
        score = Decimal(str(value).strip())
        if not score.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        score = None
    if score is None or not (0 <= score <= 100) or score != score.quantize(SCORE_STEP, rounding="ROUND_DOWN"):
        errors["score"] = _("Score: enter a number from 0 to 100 with at most two decimals, e.g. 86.5.")
        return None
    return score


# -------------------------------------------------------------------------------------- reviews


@transaction.atomic
def project_review_record(
    *, by, project: Project, stage: str, conclusion: str, score, remarks: str = "", reviewed_on=None
) -> ProjectReview:
    """The funder's conclusion at mid-term or final review, once per stage. The project's row lock
    makes a double submission one review: the second finds the first and is refused."""
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("organization__region", "funder")
        .get(pk=project.pk)
    )
    require(permissions.may_review_as_funder(by, project))
    today = timezone.localdate()
    errors: dict = {}
    if stage not in ReviewStage.values:
        errors["stage"] = _("Review stage: choose the mid-term or the final review.")
    else:
        existing = project.reviews.filter(stage=stage).first()
        if existing is not None:
            raise ValidationError(
                {
                    "stage": _(
                        "Review stage: the %(stage)s of this project was recorded on %(date)s (%(conclusion)s); "
                        "a review is recorded once."
                    )
                    % {
                        "stage": existing.get_stage_display(),
                        "date": fmt_date(existing.reviewed_on),
                        "conclusion": existing.get_conclusion_display(),
                    }
                }
            )
        if project.status not in permissions.REVIEW_STAGE_STATES[stage]:
            if stage == ReviewStage.MID_TERM:
                message = _(
                    "Review stage: the mid-term review is recorded while the project is in progress or in "
                    "mid-term review; the project is “%(status)s”."
                )
            else:
                message = _(
                    "Review stage: the final review is recorded while the project is in final review; "
                    "the project is “%(status)s”."
                )
            errors["stage"] = message % {"status": project.get_status_display()}
    if conclusion not in ReviewConclusion.values:
        errors["conclusion"] = _("Conclusion: choose one of %(choices)s.") % {
            "choices": "、".join(str(label) for label in ReviewConclusion.labels)
        }
    score = _score(errors, score)
    label = _("Reviewed on")
    reviewed_on = _day(errors, "reviewed_on", reviewed_on, label, required=False)
    if reviewed_on is None and "reviewed_on" not in errors:
        reviewed_on = today
    _not_future(errors, "reviewed_on", reviewed_on, label, today)
    if reviewed_on is not None and "reviewed_on" not in errors and reviewed_on < project.start_date:
        errors["reviewed_on"] = _("Reviewed on: %(date)s is before the project started (%(start)s).") % {
            "date": fmt_date(reviewed_on),
            "start": fmt_date(project.start_date),
        }
    remarks = _text(remarks)
    _bounded(errors, ProjectReview, {"remarks": remarks, "reviewed_on": reviewed_on})
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            review = ProjectReview.objects.create(
                project=project,
                stage=stage,
                conclusion=conclusion,
                score=score,
                remarks=remarks,
                reviewed_on=reviewed_on,
                created_by=user_or_none(by),
            )
    except IntegrityError as error:  # the unique constraint, should a row lock ever be bypassed
        raise ValidationError({"stage": _("Review stage: this review has already been recorded.")}) from error
    audit.record(actor=by, action=AuditAction.CREATE, obj=review)
    notifications.notify(
        project.organization.accounts(),
        REVIEW_KIND,
        review,
        _("%(project)s: the funder recorded the %(stage)s — %(conclusion)s, %(score)s points")
        % {
            "project": project.title,
            "stage": review.get_stage_display(),
            "conclusion": review.get_conclusion_display(),
            "score": f"{review.score.normalize():f}",
        },
        exclude=by,
    )
    return review


# ------------------------------------------------------------------------------ supervision visits


@transaction.atomic
def supervision_visit_record(
    *,
    by,
    project: Project,
    kind: str,
    visited_on,
    supervisor: str,
    findings: str,
    rectification: str = "",
    rectification_due=None,
) -> SupervisionVisit:
    """A visit to a running project by the bureau or the street's officer (or a supervisor they
    appointed, named in `supervisor`), with the rectification asked and its due date."""
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("organization__region", "funder")
        .get(pk=project.pk)
    )
    require(permissions.may_add_visit(by, project))
    today = timezone.localdate()
    errors: dict = {}
    if kind not in VisitKind.values:
        errors["kind"] = _("Kind: choose one of %(choices)s.") % {
            "choices": "、".join(str(label) for label in VisitKind.labels)
        }
    label = _("Visited on")
    visited_on = _day(errors, "visited_on", visited_on, label)
    _not_future(errors, "visited_on", visited_on, label, today)
    if visited_on is not None and "visited_on" not in errors and not project.covers(visited_on):
        errors["visited_on"] = _("Visited on: %(date)s is outside the project period %(start)s – %(end)s.") % {
            "date": fmt_date(visited_on),
            "start": fmt_date(project.start_date),
            "end": fmt_date(project.end_date),
        }
    supervisor, findings, rectification = _text(supervisor), _text(findings), _text(rectification)
    if not supervisor:
        errors["supervisor"] = _("Supervisor: please enter who visited.")
    if not findings:
        errors["findings"] = _("Findings: please describe what the visit found.")
    due = _day(errors, "rectification_due", rectification_due, _("Rectify by"), required=False)
    if rectification and due is None and "rectification_due" not in errors:
        errors["rectification_due"] = _("Rectify by: a rectification asked needs a due date.")
    elif not rectification and due is not None:
        errors["rectification"] = _("Rectification asked: describe the rectification, or leave the due date empty.")
    elif due is not None and visited_on is not None and due < visited_on:
        errors["rectification_due"] = _("Rectify by: %(due)s is before the visit (%(visit)s).") % {
            "due": fmt_date(due),
            "visit": fmt_date(visited_on),
        }
    values = {"supervisor": supervisor, "findings": findings, "rectification": rectification}
    _bounded(errors, SupervisionVisit, {**values, "visited_on": visited_on, "rectification_due": due})
    if errors:
        raise ValidationError(errors)
    visit = SupervisionVisit.objects.create(
        project=project,
        kind=kind,
        visited_on=visited_on,
        rectification_due=due,
        recorded_by=user_or_none(by),
        created_by=user_or_none(by),
        **values,
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=visit)
    if rectification:
        notifications.notify(
            project.organization.accounts(),
            VISIT_KIND,
            visit,
            _("%(project)s: a supervision visit asks for a rectification by %(due)s")
            % {"project": project.title, "due": fmt_date(due)},
            body=rectification,
            exclude=by,
        )
    return visit


@transaction.atomic
def supervision_visit_rectify(*, by, visit: SupervisionVisit, rectified_on, note: str) -> SupervisionVisit:
    """The organization reports the rectification done, or a supervisor marks it rectified. Once:
    a second report (a double click, or the other side meanwhile) is refused naming the first."""
    visit = (
        SupervisionVisit.objects.select_for_update(of=("self",))
        .select_related("project__organization__region", "project__funder", "recorded_by")
        .get(pk=visit.pk)
    )
    require(permissions.may_rectify(by, visit))
    if not visit.rectification:
        raise ValidationError({"rectified_on": _("Rectified on: this visit asked for no rectification.")})
    if visit.rectified_on is not None:
        raise ValidationError(
            {
                "rectified_on": _("Rectified on: the rectification was already reported done on %(date)s.")
                % {"date": fmt_date(visit.rectified_on)}
            }
        )
    today = timezone.localdate()
    errors: dict = {}
    label = _("Rectified on")
    rectified_on = _day(errors, "rectified_on", rectified_on, label)
    _not_future(errors, "rectified_on", rectified_on, label, today)
    if rectified_on is not None and "rectified_on" not in errors and rectified_on < visit.visited_on:
        errors["rectified_on"] = _("Rectified on: %(date)s is before the visit (%(visit)s).") % {
            "date": fmt_date(rectified_on),
            "visit": fmt_date(visit.visited_on),
        }
    note = _text(note)
    if not note:
        errors["rectification_note"] = _("Rectification report: please describe what was done.")
    _bounded(errors, SupervisionVisit, {"rectification_note": note, "rectified_on": rectified_on})
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(visit)
    visit.rectified_on, visit.rectification_note = rectified_on, note
    visit.save(update_fields=["rectified_on", "rectification_note", "updated_at"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=visit, before=before)
    project = visit.project
    by_organization = by is not None and permissions.may_record(by, project)[0]
    audience = [visit.recorded_by] if by_organization else project.organization.accounts()
    notifications.notify(
        audience,
        VISIT_KIND,
        visit,
        _("%(project)s: the rectification asked on %(date)s is reported done")
        % {"project": project.title, "date": fmt_date(visit.visited_on)},
        body=note,
        exclude=by,
    )
    return visit


def rectification_reminders_send(*, today: dt.date | None = None) -> int:
    """Daily: remind the organization's accounts and whoever recorded the visit of each rectification
    due in RECTIFICATION_DAYS_BEFORE days or past its due date (core.notifications.remind: once per
    person, visit and day). Three queries however many visits are due, then the reminders."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=RECTIFICATION_DAYS_BEFORE)
    due_soon = Q(rectified_on__isnull=True, rectification_due=soon) & ~Q(rectification="")
    visits = list(
        SupervisionVisit.objects.filter(rectification_overdue(today) | due_soon)
        .select_related("project", "recorded_by")
        .order_by("rectification_due", "pk")
    )
    members = defaultdict(list)
    for member in OrganizationMember.objects.filter(
        organization_id__in={v.project.organization_id for v in visits}
    ).select_related("user"):
        members[member.organization_id].append(member.user)
    sent = 0
    for visit in visits:
        project = visit.project
        values = {
            "project": project.title,
            "visit": fmt_date(visit.visited_on),
            "due": fmt_date(visit.rectification_due),
        }
        if visit.rectification_due < today:
            title = _("Overdue: the rectification of %(project)s asked on %(visit)s was due on %(due)s") % values
        else:
            title = _("Due soon: the rectification of %(project)s asked on %(visit)s is due on %(due)s") % values
        sent += notifications.remind(
            [*members[project.organization_id], visit.recorded_by],
            item_key=f"rectification:{visit.pk}",
            title=title,
            body=visit.rectification,
            url=visit.get_absolute_url(),
            today=today,
            kind=RECTIFICATION_KIND,
        )
    return sent
