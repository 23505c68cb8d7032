"""Reads of the evaluation app: conflicts of interest, whether a scheme is in use, scoring completion
per expert, the project summary an expert scores from, and an expert's own assignments. Query
counts do not grow with rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import selectors as project_selectors
from projects.money import ZERO

from .choices import AssignmentStatus
from .models import Assignment, Expert, Round, Scheme


def conflicts(expert: Expert, project) -> list[str]:
    """Why `expert` may not rate `project` (empty when they may): affiliated with the project's
    organization, or with its funder."""
    reasons = []
    if expert.organization_id is not None and expert.organization_id == project.organization_id:
        reasons.append(
            _("%(expert)s is affiliated with %(organization)s, which runs the project.")
            % {"expert": expert.name, "organization": project.organization.name}
        )
    if expert.funder_id is not None and expert.funder_id == project.funder_id:
        reasons.append(
            _("%(expert)s is affiliated with %(funder)s, which funds the project.")
            % {"expert": expert.name, "funder": project.funder.name}
        )
    return reasons


def scheme_in_use(scheme: Scheme) -> bool:
    return Round.objects.filter(scheme=scheme).exists()


def completion(round_: Round) -> list[dict]:
    """Per expert of the round: assignments, submitted, pending (one query)."""
    rows = (
        Expert.objects.filter(assignments__round=round_)
        .annotate(
            assigned=Count("assignments", filter=Q(assignments__round=round_)),
            submitted=Count(
                "assignments", filter=Q(assignments__round=round_, assignments__status=AssignmentStatus.SUBMITTED)
            ),
        )
        .select_related("user")
        .order_by("dimension", "name", "pk")
    )
    return [
        {
            "expert": expert,
            "assigned": expert.assigned,
            "submitted": expert.submitted,
            "pending": expert.assigned - expert.submitted,
        }
        for expert in rows
    ]


def project_summary(project, today: dt.date | None = None) -> dict:
    """What an expert scores from: targets against progress, ledger totals, the quarter grid with
    its timeliness, budget and spending, supervision visits and the funder's reviews (a fixed
    number of queries)."""
    today = today or timezone.localdate()
    progress = project_selectors.indicator_progress(project)
    ledger = project_selectors.ledger_totals(project)
    quarters = project_selectors.quarter_grid(project, today)
    budget_rows = project_selectors.project_budget_rows(project)
    judged = [q for q in quarters if q["timeliness"] != "not_due"]
    return {
        "project": project,
        "progress": progress,
        "ledger": ledger,
        "quarters": quarters,
        "timeliness": {
            "judged": len(judged),
            "on_time": sum(1 for q in judged if q["timeliness"] == "on_time"),
            "late": sum(1 for q in judged if q["timeliness"] == "late"),
            "missing": sum(1 for q in judged if q["timeliness"] == "missing"),
        },
        "budget_rows": budget_rows,
        "budget": project_selectors.budget_totals(budget_rows)
        if budget_rows
        else {"amount": ZERO, "spent": ZERO, "balance": ZERO, "percent": 0},
        "visits": list(project.supervision_visits.order_by("-visited_on", "-pk")),
        "reviews": list(project.reviews.order_by("reviewed_on", "pk")),
    }


def expert_assignments(user):
    """The assignments of the expert account `user`, newest round first (none for anyone else)."""
    return (
        Assignment.objects.filter(expert__user=user)
        .select_related("round", "round_project__project__organization", "expert")
        .order_by("-round__year", "-round_id", "round_project__project__code", "pk")
        if user is not None and getattr(user, "pk", None)
        else Assignment.objects.none()
    )
