"""Assigning experts to the projects of a round (named from evaluation.services.rounds): by hand,
refused with the reason for a conflict of interest, or automatically — for every project and every
weighted dimension, topped up to the round's K from the district's active, unconflicted experts of
that dimension, least loaded in this round first (ties by pk). Running it again adds nothing."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.choices import AuditAction
from core.notifications import notify, register_kind

from .. import permissions as rules
from ..choices import AssignmentMethod, AssignmentStatus, Dimension, IndicatorSource, RoundStatus
from ..models import Assignment, Expert, Round, RoundProject
from ..selectors import conflicts
from ._common import raise_errors, require

ASSIGNMENT_KIND = "evaluation_assignment"
register_kind(ASSIGNMENT_KIND, gettext_lazy("evaluation assignment"))

OPEN_FOR_ASSIGNING = (RoundStatus.DRAFT, RoundStatus.SCORING)


def locked_round(round_) -> Round:
    """The round's row, locked: serialises assigning, adding projects and moving it on."""
    return Round.objects.select_for_update(of=("self",)).select_related("region", "scheme").get(pk=round_.pk)


def weighted_dimensions(round_: Round) -> list[str]:
    """The dimensions that rate this round's expert indicators (none when no indicator is scored by experts)."""
    scheme = round_.scheme
    if not scheme.indicators.filter(source=IndicatorSource.EXPERT).exists():
        return []
    return list(scheme.dimensions.filter(weight__gt=0).order_by("pk").values_list("dimension", flat=True))


def assignments_url() -> str:
    try:
        return reverse("evaluation:assignment_list")
    except NoReverseMatch:  # the pages are not mounted (a bare API deployment)
        return ""


def notify_assigned(round_: Round, assignments, *, by) -> int:
    """Tell each expert with an account about their new assignments in a scoring round."""
    if round_.status != RoundStatus.SCORING:
        return 0
    users = {a.expert.user_id: a.expert.user for a in assignments if a.expert.user_id}
    if not users:
        return 0
    return notify(
        users.values(),
        ASSIGNMENT_KIND,
        round_,
        _("%(round)s: you have projects to score.") % {"round": round_.name},
        url=assignments_url(),
        exclude=by,
    )


def _open(round_: Round, field: str = "expert") -> None:
    if round_.status not in OPEN_FOR_ASSIGNING:
        raise_errors(
            {
                field: _("Experts are assigned while the round is a draft or scoring; it is %(status)s.")
                % {"status": round_.get_status_display()}
            }
        )


@transaction.atomic
def assign_expert(round_project, expert, *, by, method=AssignmentMethod.MANUAL) -> Assignment:
    round_ = locked_round(round_project.round)
    require(rules.may_run_round(by, round_))
    _open(round_)
    entry = RoundProject.objects.select_related("project__organization", "project__funder").get(pk=round_project.pk)
    if entry.round_id != round_.pk:
        raise_errors({"round_project": _("Project: choose a project of this round.")})
    what = _("Expert")
    if not isinstance(expert, Expert):
        raise_errors({"expert": _("%(field)s: choose one of the listed entries.") % {"field": what}})
    expert = Expert.objects.select_related("user").get(pk=expert.pk)
    if expert.region_id != round_.region_id:
        raise_errors(
            {"expert": _("%(field)s: %(name)s belongs to another district.") % {"field": what, "name": expert.name}}
        )
    if not expert.is_active:
        raise_errors({"expert": _("%(field)s: %(name)s is no longer active.") % {"field": what, "name": expert.name}})
    if expert.dimension not in weighted_dimensions(round_):
        raise_errors(
            {
                "expert": _("%(field)s: the round's scheme does not rate by the %(dimension)s dimension.")
                % {"field": what, "dimension": Dimension(expert.dimension).label}
            }
        )
    if reasons := conflicts(expert, entry.project):
        raise_errors(
            {
                "expert": _("%(field)s: conflict of interest: %(reasons)s")
                % {"field": what, "reasons": "；".join(reasons)}
            }
        )
    if Assignment.objects.filter(round_project=entry, expert=expert).exists():
        raise_errors(
            {
                "expert": _("%(field)s: %(name)s is already assigned to this project.")
                % {"field": what, "name": expert.name}
            }
        )
    assignment = Assignment.objects.create(
        round=round_, round_project=entry, expert=expert, dimension=expert.dimension, method=method
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=assignment)
    notify_assigned(round_, [assignment], by=by)
    return assignment


@transaction.atomic
def unassign(assignment, *, by) -> None:
    """Remove an assignment that has no scores yet and is not submitted."""
    round_ = locked_round(assignment.round)
    require(rules.may_run_round(by, round_))
    _open(round_)
    current = Assignment.objects.select_for_update(of=("self",)).select_related("expert").get(pk=assignment.pk)
    if current.status != AssignmentStatus.ASSIGNED or current.scores.exists():
        raise_errors(
            {
                "expert": _("Expert: %(name)s has already scored this project; the assignment stays.")
                % {"name": current.expert.name}
            }
        )
    audit.record(actor=by, action=AuditAction.DELETE, obj=current, before=audit.snapshot(current), after=None)
    current.delete()


def _pool(round_: Round, dimensions: list[str]) -> dict[str, list[Expert]]:
    pool = defaultdict(list)
    experts = Expert.objects.filter(region=round_.region, is_active=True, dimension__in=dimensions)
    for expert in experts.select_related("user").order_by("pk"):
        pool[expert.dimension].append(expert)
    return pool


def _staffing(round_: Round):
    """(entries, assigned expert ids per entry, count per (entry, dimension), load per expert)."""
    entries = list(
        RoundProject.objects.filter(round=round_)
        .select_related("project__organization", "project__funder")
        .order_by("project__code", "pk")
    )
    taken = defaultdict(set)
    counts = defaultdict(int)
    load = defaultdict(int)
    for entry_id, expert_id, dimension in Assignment.objects.filter(round=round_).values_list(
        "round_project_id", "expert_id", "dimension"
    ):
        taken[entry_id].add(expert_id)
        counts[(entry_id, dimension)] += 1
        load[expert_id] += 1
    return entries, taken, counts, load


def _shortfall(entry, dimension, have: int, need: int) -> str:
    return _("%(project)s: the %(dimension)s dimension has only %(n)d available experts; %(k)d are needed.") % {
        "project": entry.project.title,
        "dimension": Dimension(dimension).label,
        "n": have,
        "k": need,
    }


def shortfalls(round_: Round) -> list[str]:
    """Sentences naming each project and weighted dimension with fewer than K experts assigned."""
    dimensions = weighted_dimensions(round_)
    entries, _taken, counts, _load = _staffing(round_)
    k = round_.experts_per_dimension
    return [
        _shortfall(entry, dimension, counts[(entry.pk, dimension)], k)
        for entry in entries
        for dimension in dimensions
        if counts[(entry.pk, dimension)] < k
    ]


@transaction.atomic
def auto_assign(round_, *, by) -> dict:
    """Top every project up to K experts per weighted dimension (see the module's docstring).
    Returns {"created": n, "shortfalls": [sentences]}."""
    round_ = locked_round(round_)
    require(rules.may_run_round(by, round_))
    _open(round_, field="status")
    dimensions = weighted_dimensions(round_)
    pool = _pool(round_, dimensions)
    entries, taken, counts, load = _staffing(round_)
    k = round_.experts_per_dimension
    created, missing = [], []
    for entry in entries:
        for dimension in dimensions:
            need = k - counts[(entry.pk, dimension)]
            if need <= 0:
                continue
            candidates = sorted(
                (e for e in pool[dimension] if e.pk not in taken[entry.pk] and not conflicts(e, entry.project)),
                key=lambda e: (load[e.pk], e.pk),
            )[:need]
            for expert in candidates:
                created.append(
                    Assignment(
                        round=round_,
                        round_project=entry,
                        expert=expert,
                        dimension=dimension,
                        method=AssignmentMethod.AUTOMATIC,
                    )
                )
                taken[entry.pk].add(expert.pk)
                load[expert.pk] += 1
                counts[(entry.pk, dimension)] += 1
            if len(candidates) < need:
                missing.append(_shortfall(entry, dimension, counts[(entry.pk, dimension)], k))
    if created:
        Assignment.objects.bulk_create(created)
        audit.record_many(actor=by, action=AuditAction.CREATE, objs=created, message=_("Assigned automatically"))
        for assignment in created:
            assignment.expert = next(e for e in pool[assignment.dimension] if e.pk == assignment.expert_id)
        notify_assigned(round_, created, by=by)
    return {"created": len(created), "shortfalls": missing}
