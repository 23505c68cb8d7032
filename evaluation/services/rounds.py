"""Evaluation rounds: opening a round over projects (each with its beneficiary survey), assigning
experts (by hand or automatically: balanced load, K per weighted dimension, never a conflicted
expert), and moving the round on the shared engine (evaluation.workflows.ROUND):

    draft ─start_scoring→ scoring ─publish (results computed, publicity dated)→ publicity ─close→ closed

The assignment services live in ._assignments and are named here too, so every caller imports
from evaluation.services.rounds."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from projects.choices import ProjectStatus
from projects.models import Project

from .. import permissions as rules
from ..choices import AssignmentStatus, ObjectionStatus, RoundStatus
from ..computation import compute_result, scheme_parts
from ..conf import publicity_days as default_publicity_days
from ..models import Assignment, Objection, Round, RoundProject, Scheme, Survey
from ..workflows import ROUND
from ._assignments import (
    ASSIGNMENT_KIND,
    assign_expert,
    auto_assign,
    locked_round,
    notify_assigned,
    shortfalls,
    unassign,
)
from ._common import assign, district_error, label, raise_errors, require
from .scoring import remind_laggards

__all__ = [
    "ASSIGNMENT_KIND",
    "assign_expert",
    "auto_assign",
    "remind_laggards",
    "round_add_projects",
    "round_close",
    "round_create",
    "round_publish",
    "round_recompute",
    "round_remove_project",
    "round_start_scoring",
    "round_update",
    "unassign",
]

ROUND_FIELDS = ("name", "year", "scheme", "experts_per_dimension", "scoring_due", "publicity_days", "notes")
REQUIRED = ("name", "year", "scheme")
# What may still change once scoring has started (the scheme and the panel's size are fixed then).
SCORING_FIELDS = frozenset({"name", "scoring_due", "publicity_days", "notes"})
EVALUABLE = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.MID_TERM_REVIEW,
    ProjectStatus.FINAL_REVIEW,
    ProjectStatus.CLOSED,
)


def _check_scheme(by, round_: Round, errors: dict) -> None:
    scheme = round_.scheme if round_.scheme_id else None
    if "scheme" in errors or scheme is None:
        return
    what = label(Round, "scheme")
    if not isinstance(scheme, Scheme):
        errors["scheme"] = _("%(field)s: choose one of the listed entries.") % {"field": what}
    elif scheme.region_id is not None and scheme.region_id != round_.region_id:
        errors["scheme"] = _("%(field)s: %(name)s belongs to another district.") % {"field": what, "name": scheme.name}
    elif by is not None and not Scheme.objects.restrict(by).filter(pk=scheme.pk).exists():
        errors["scheme"] = _("%(field)s: choose one of the listed entries.") % {"field": what}
    elif not scheme.is_active:
        errors["scheme"] = _("%(field)s: %(name)s is no longer offered for new rounds.") % {
            "field": what,
            "name": scheme.name,
        }


def _check_name(round_: Round, errors: dict) -> None:
    if "name" in errors or not round_.name:
        return
    if Round.objects.filter(region=round_.region, name=round_.name).exclude(pk=round_.pk).exists():
        errors["name"] = _("%(field)s: %(region)s already has a round named %(name)s.") % {
            "field": label(Round, "name"),
            "region": round_.region.name,
            "name": round_.name,
        }


@transaction.atomic
def round_create(
    *, by, region, name, year, scheme, experts_per_dimension=1, scoring_due=None, publicity_days=None, notes=""
) -> Round:
    if message := district_error(region):
        raise_errors({"region": message})
    require(rules.may_open_round(by, region))
    errors: dict = {}
    round_ = Round(region=region)
    values = {
        "name": name,
        "year": year,
        "scheme": scheme,
        "experts_per_dimension": experts_per_dimension,
        "scoring_due": scoring_due,
        "publicity_days": default_publicity_days() if publicity_days is None else publicity_days,
        "notes": notes,
    }
    assign(round_, values, ROUND_FIELDS, errors, required=REQUIRED)
    _check_scheme(by, round_, errors)
    _check_name(round_, errors)
    raise_errors(errors)
    round_.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=round_)
    return round_


@transaction.atomic
def round_update(round_, *, by, **fields) -> Round:
    """Change a draft round; once scoring, only its name, scoring due date, publicity days and notes."""
    round_ = locked_round(round_)
    require(rules.may_run_round(by, round_))
    if round_.status not in (RoundStatus.DRAFT, RoundStatus.SCORING):
        raise_errors(
            {
                "status": _("Status: the round is %(status)s and cannot be changed.")
                % {"status": round_.get_status_display()}
            }
        )
    if round_.status == RoundStatus.SCORING and (fixed := sorted(set(fields) - SCORING_FIELDS)):
        raise_errors(
            {
                fixed[0]: _("%(field)s: fixed once scoring has started.")
                % {"field": label(Round, fixed[0]) if fixed[0] in ROUND_FIELDS else fixed[0]}
            }
        )
    errors: dict = {}
    before = audit.snapshot(round_)
    assign(round_, fields, ROUND_FIELDS, errors, required=REQUIRED)
    if "scheme" in fields:
        _check_scheme(by, round_, errors)
    _check_name(round_, errors)
    raise_errors(errors)
    round_.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=round_, before=before)
    return round_


def _draft_only(round_: Round) -> None:
    if round_.status != RoundStatus.DRAFT:
        raise_errors(
            {
                "projects": _("Projects: the round is %(status)s; projects are chosen while it is a draft.")
                % {"status": round_.get_status_display()}
            }
        )


@transaction.atomic
def round_add_projects(round_, *, by, projects) -> list[RoundProject]:
    """Add `projects` (of the round's district, readable by `by`, approved or later) to a draft
    round, each with its beneficiary survey and a fresh link token."""
    round_ = locked_round(round_)
    require(rules.may_run_round(by, round_))
    _draft_only(round_)
    field = _("Projects")
    given = list(projects)
    if not given:
        raise_errors({"projects": _("%(field)s: choose at least one project.") % {"field": field}})
    if any(not isinstance(p, Project) for p in given):
        raise_errors({"projects": _("%(field)s: choose projects from the list.") % {"field": field}})
    ids = list(dict.fromkeys(p.pk for p in given))
    rows = Project.objects.filter(pk__in=ids).select_related("organization__region")
    readable = set(Project.objects.restrict(by).filter(pk__in=ids).values_list("pk", flat=True)) if by else set(ids)
    already = set(RoundProject.objects.filter(round=round_, project_id__in=ids).values_list("project_id", flat=True))
    chosen = {p.pk: p for p in rows}
    for pk in ids:
        project = chosen[pk]
        if pk not in readable or not round_.region.contains(project.organization.region):
            raise_errors(
                {
                    "projects": _("%(field)s: %(name)s is outside %(region)s.")
                    % {"field": field, "name": project.title, "region": round_.region.name}
                }
            )
        if project.status not in EVALUABLE:
            raise_errors(
                {
                    "projects": _("%(field)s: %(name)s is %(status)s; only approved projects are evaluated.")
                    % {"field": field, "name": project.title, "status": project.get_status_display()}
                }
            )
        if pk in already:
            raise_errors(
                {
                    "projects": _("%(field)s: %(name)s is already in this round.")
                    % {"field": field, "name": project.title}
                }
            )
    entries = RoundProject.objects.bulk_create(RoundProject(round=round_, project=chosen[pk]) for pk in ids)
    surveys = Survey.objects.bulk_create(
        Survey(round_project=entry, token=secrets.token_urlsafe(32)) for entry in entries
    )
    for entry, survey in zip(entries, surveys, strict=True):
        entry.survey = survey
    audit.record_many(actor=by, action=AuditAction.CREATE, objs=entries)
    return entries


@transaction.atomic
def round_remove_project(round_project, *, by) -> None:
    """Take a project out of a draft round, with its assignments and its survey (refused once the
    survey has answers: they are kept)."""
    round_ = locked_round(round_project.round)
    require(rules.may_run_round(by, round_))
    _draft_only(round_)
    entry = RoundProject.objects.select_related("project").get(pk=round_project.pk)
    survey = Survey.objects.filter(round_project=entry).first()
    if survey is not None:
        answers = survey.responses.count()
        if answers:
            raise_errors(
                {
                    "projects": _("Projects: %(name)s already has %(n)d beneficiary answers and stays in the round.")
                    % {"name": entry.project.title, "n": answers}
                }
            )
        survey.codes.all().delete()
        survey.paper_batches.all().delete()
    audit.record(actor=by, action=AuditAction.DELETE, obj=entry, before=audit.snapshot(entry), after=None)
    entry.assignments.all().delete()
    if survey is not None:
        survey.delete()
    entry.delete()


# -------------------------------------------------------------------------------------- moving on


@transaction.atomic
def round_start_scoring(round_, *, by) -> Round:
    """Scoring starts when the round has projects and every project has its experts in each
    weighted dimension; each assigned expert is told."""

    def effect(current, transition):
        if not current.entries.exists():
            raise_errors({"status": _("Status: add projects to the round first.")})
        missing = shortfalls(current)
        if missing:
            raise_errors({"status": _("Status: experts are missing. %(list)s") % {"list": "；".join(missing)}})

    round_ = ROUND.apply(round_, "start_scoring", by=by, effect=effect)
    notify_assigned(round_, Assignment.objects.filter(round=round_).select_related("expert__user"), by=by)
    return round_


def _compute_all(round_: Round, today: dt.date) -> int:
    now = timezone.now()
    # The projects' indicators and quarterly submissions come prefetched (the progress rule reads them),
    # and the scheme's parts are read once for the round.
    entries = list(
        RoundProject.objects.filter(round=round_)
        .select_related("project__organization", "round__scheme")
        .prefetch_related("project__indicators", "project__quarterly_submissions")
    )
    parts = scheme_parts(round_.scheme)
    for entry in entries:
        result = compute_result(entry, today=today, parts=parts)
        entry.final_score = result.final_score
        entry.stars = result.stars
        entry.computation = result.as_json()
        entry.computed_at = now
    RoundProject.objects.bulk_update(entries, ["final_score", "stars", "computation", "computed_at", "updated_at"])
    round_.computed_at = now
    return len(entries)


@transaction.atomic
def round_publish(round_, *, by) -> Round:
    """Compute every result and publish them: publicity runs from today for `publicity_days` days.
    Refused while any expert has not submitted (named with how many are pending)."""
    today = timezone.localdate()

    def effect(current, transition):
        pending = (
            Assignment.objects.filter(round=current)
            .exclude(status=AssignmentStatus.SUBMITTED)
            .select_related("expert")
            .order_by("expert__name", "expert_id")
        )
        counts: dict = {}
        for assignment in pending:
            counts[assignment.expert.name] = counts.get(assignment.expert.name, 0) + 1
        if counts:
            raise_errors(
                {
                    "status": _("Status: these experts have not submitted their scores: %(list)s.")
                    % {"list": "、".join(f"{name}（{n}）" for name, n in counts.items())}
                }
            )
        _compute_all(current, today)
        current.publicity_starts_on = today
        current.publicity_ends_on = today + dt.timedelta(days=current.publicity_days - 1)

    return ROUND.apply(round_, "publish", by=by, effect=effect)


@transaction.atomic
def round_recompute(round_, *, by) -> Round:
    """Compute every result again during publicity (after an objection revised a score)."""
    round_ = locked_round(round_)
    require(rules.may_run_round(by, round_))
    if round_.status != RoundStatus.PUBLICITY:
        raise_errors({"status": _("Status: results are recomputed during publicity only.")})
    before = audit.snapshot(round_)
    count = _compute_all(round_, timezone.localdate())
    round_.save(update_fields=["computed_at", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=round_,
        before=before,
        message=_("Results recomputed (%(n)d projects)") % {"n": count},
    )
    return round_


@transaction.atomic
def round_close(round_, *, by) -> Round:
    """Close the round once publicity is over (the day after its last day) and every objection is
    answered; the results are final."""
    today = timezone.localdate()

    def effect(current, transition):
        if current.publicity_ends_on is not None and today <= current.publicity_ends_on:
            raise_errors(
                {
                    "status": _("Status: publicity lasts until %(date)s; the round closes after that.")
                    % {"date": current.publicity_ends_on.isoformat()}
                }
            )
        open_count = Objection.objects.filter(round_project__round=current, status=ObjectionStatus.OPEN).count()
        if open_count:
            raise_errors(
                {"status": _("Status: %(n)d objections await an answer; answer them first.") % {"n": open_count}}
            )
        current.closed_at = timezone.now()

    return ROUND.apply(round_, "close", by=by, effect=effect)
