"""The expert's pages: their assignments (the bureau sees every one of the district's, with filters)
and the scoring page — the project's summary (targets against progress, ledger, spending, quarterly
timeliness, supervision visits, funder reviews) and one 0–100 score with a comment per expert
indicator, saved, then submitted after a confirmation, after which they lock. An expert opening
another expert's assignment finds nothing (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.choices import Action, Role
from core.views.generic import ObjectListView, apply_validation_error
from party.views.common import error_text

from .. import permissions, selectors
from ..choices import IndicatorSource
from ..filtersets.scoring import AssignmentFilterSet
from ..forms.scoring import ScoringForm
from ..models import Assignment
from ..services import scoring as services
from ..tables.scoring import AssignmentTable
from ..workflows import ASSIGNMENT


class AssignmentListView(ObjectListView):
    queryset = Assignment.objects.select_related("round", "expert", "round_project__project__organization")
    filterset = AssignmentFilterSet
    table = AssignmentTable

    def get_extra_context(self):
        if self.request.user.role == Role.EXPERT:
            return {"verbose_name_plural": _("My assignments")}
        return {}


def _assignment(request, pk, action=Action.VIEW) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related(
            "round__scheme", "expert", "round_project__project__organization", "round_project__project__funder"
        ).restrict(request.user, action),
        pk=pk,
    )


def _indicators(assignment):
    return list(assignment.round.scheme.indicators.filter(source=IndicatorSource.EXPERT).order_by("sequence", "pk"))


@login_required
def assignment_detail(request, pk):
    assignment = _assignment(request, pk)
    user = request.user
    may_score, why_not = permissions.may_score(user, assignment)
    indicators = _indicators(assignment)
    scores = {score.indicator_id: score for score in assignment.scores.all()}
    form = ScoringForm(
        request.POST if request.method == "POST" else None, indicators=indicators, scores=scores, locked=not may_score
    )
    confirm = False
    if request.method == "POST":
        if not may_score:
            messages.error(request, why_not)
            return redirect(assignment.get_absolute_url())
        action = request.POST.get("action")
        if action not in ("save", "submit"):
            raise Http404
        if form.is_valid():
            try:
                services.scores_save(assignment, by=user, values=form.values())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if action == "save":
                    messages.success(request, _("The scores have been saved."))
                    return redirect(assignment.get_absolute_url())
                return redirect(f"{assignment.get_absolute_url()}?confirm=submit")
    elif request.GET.get("confirm") == "submit" and may_score:
        confirm = True
    context = {
        "object": assignment,
        "project": assignment.round_project.project,
        "summary": selectors.project_summary(assignment.round_project.project),
        "form": form,
        "may_score": may_score,
        "why_not": why_not,
        "locked": assignment.is_locked,
        "confirm": confirm,
        "submit_url": reverse("evaluation:assignment_transition", args=[assignment.pk, "submit"]),
        "offers": ASSIGNMENT.offers(assignment, user) if may_score else [],
        "verbose_name": Assignment._meta.verbose_name,
    }
    return TemplateResponse(request, "evaluation/assignment_detail.html", context)


@login_required
@require_POST
def assignment_transition(request, pk, name):
    """Submit the scores (they lock)."""
    if name not in ASSIGNMENT.names:
        raise Http404
    assignment = _assignment(request, pk, Action.CHANGE)
    try:
        services.scores_submit(assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The scores have been submitted and are locked."))
    return redirect(assignment.get_absolute_url())


urlpatterns = [
    path("assignments/", AssignmentListView.as_view(), name="assignment_list"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/<str:name>/", assignment_transition, name="assignment_transition"),
]
