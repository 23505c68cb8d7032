"""Pages of evaluation rounds (评定轮次): the list, the form, the round with its state, steps and
projects (each with its experts per dimension and its result), choosing its projects from a
filtered project list, assigning experts (automatically or by hand), completion per expert with a
reminder to laggards, and the result workbook. The bureau's pages: an expert reads their own
assignments, never a round's."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core import params
from core.choices import BUREAU_ROLES, Action
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from core.xlsx import export_filename, xlsx_response
from party.views.common import error_text
from projects.choices import ProjectStatus
from projects.models import Project

from .. import permissions, selectors, workbook
from ..choices import RoundStatus
from ..filtersets.rounds import CandidateProjectFilterSet, RoundFilterSet
from ..forms.rounds import ExpertChoiceField, RoundForm
from ..forms.schemes import own_district
from ..models import Assignment, Expert, Round, RoundProject
from ..services import rounds as services
from ..services import scoring
from ..tables.rounds import RoundTable
from ..workflows import ROUND

# Projects a round may take in (evaluation.services.rounds.round_add_projects checks the same).
ELIGIBLE = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.MID_TERM_REVIEW,
    ProjectStatus.FINAL_REVIEW,
    ProjectStatus.CLOSED,
)
CANDIDATES_PER_PAGE = 50


class BureauOnly:
    """The bureau's pages: other roles (an expert sitting in a round too) are refused."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not bureau_user(request.user):
            raise PermissionDenied(_("Your role may not view this page."))
        return super().dispatch(request, *args, **kwargs)


def bureau_user(user) -> bool:
    return user.is_superuser or user.role in BUREAU_ROLES


def bureau_round(request, pk, action=Action.VIEW) -> Round:
    """The round at `pk` for a page of the bureau's: another role is refused, another district's
    round does not exist."""
    if not bureau_user(request.user):
        raise PermissionDenied(_("Your role may not view this page."))
    return get_object_or_404(Round.objects.select_related("region", "scheme").restrict(request.user, action), pk=pk)


def weighted_dimensions(round_) -> list:
    """The scheme's rated dimensions (weight above 0), in order."""
    return [d for d in round_.scheme.dimensions.order_by("pk") if d.weight > 0]


def entries_with_experts(round_):
    """The round's projects with their organization and assignments (experts), in two queries."""
    return (
        round_.entries.select_related("project__organization", "survey")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("expert").order_by("pk")))
        .order_by("project__code", "pk")
    )


def panel_rows(round_, dimensions):
    """One row per project: the project, its experts per dimension (in the dimensions' order) and
    its result."""
    rows = []
    for entry in entries_with_experts(round_):
        by_dimension = defaultdict(list)
        for assignment in entry.assignments.all():
            by_dimension[assignment.dimension].append(assignment)
        rows.append({"entry": entry, "panels": [by_dimension.get(d.dimension, []) for d in dimensions]})
    return rows


class RoundListView(BureauOnly, ObjectListView):
    queryset = Round.objects.select_related("scheme").annotate(project_count=Count("entries"))
    filterset = RoundFilterSet
    table = RoundTable
    add_url_name = "evaluation:round_create"


class RoundDetailView(BureauOnly, ObjectDetailView):
    queryset = Round.objects.select_related("region", "scheme")
    template_name = "evaluation/round_detail.html"

    def get_extra_context(self):
        round_, user = self.object, self.request.user
        dimensions = weighted_dimensions(round_)
        may_run, why_not = permissions.may_run_round(user, round_)
        return {
            "dimensions": dimensions,
            "rows": panel_rows(round_, dimensions),
            "offers": ROUND.offers(round_, user),
            "may_run": may_run,
            "why_not": why_not,
            "is_draft": round_.status == RoundStatus.DRAFT,
            "may_recompute": may_run and round_.status == RoundStatus.PUBLICITY,
            "exportable_results": round_.status in (RoundStatus.PUBLICITY, RoundStatus.CLOSED),
        }


class RoundEditView(BureauOnly, ObjectEditView):
    queryset = Round.objects.select_related("region", "scheme")
    form_class = RoundForm
    template_name = "evaluation/edit.html"

    def add_permission(self):
        allowed, reason = ObjectEditView.add_permission(self)
        if not allowed:
            return allowed, reason
        user = self.request.user
        return permissions.may_open_round(user, own_district(user))

    def get_object(self):
        round_ = super().get_object()
        if round_ is not None:
            allowed, reason = permissions.may_run_round(self.request.user, round_)
            if not allowed:
                raise PermissionDenied(reason)
            if round_.status != RoundStatus.DRAFT:
                raise PermissionDenied(_("Only a draft round is changed."))
        return round_

    def save(self, form, instance):
        values = form.values()
        if instance is None:
            return services.round_create(by=self.request.user, region=form.cleaned_data["region"], **values)
        return services.round_update(instance, by=self.request.user, **values)


# The round's steps (core.workflows ROUND) and the recomputation during publicity.
STEPS = {
    "start_scoring": ("round_start_scoring", gettext_lazy("Scoring has started; the experts have been notified.")),
    "publish": ("round_publish", gettext_lazy("The results have been computed and published.")),
    "close": ("round_close", gettext_lazy("The round has been closed; its results are final.")),
    "recompute": ("round_recompute", gettext_lazy("The results have been recomputed.")),
}


@login_required
@require_POST
def round_transition(request, pk, name):
    if name not in STEPS:
        raise Http404
    round_ = bureau_round(request, pk, Action.CHANGE)
    service, done = STEPS[name]
    try:
        getattr(services, service)(round_, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, str(done))
    return redirect(round_.get_absolute_url())


def _posted_ids(request, name: str, label) -> list[int]:
    return [params.require_id(raw, name, label=label) for raw in request.POST.getlist(name) if str(raw).strip()]


@login_required
def round_projects(request, pk):
    """The round's projects (removable in draft) and, in draft, the district's eligible projects not
    yet in it, filtered as the projects list is (and by street), to add by ticking them."""
    round_ = bureau_round(request, pk)
    may_run, why_not = permissions.may_run_round(request.user, round_)
    editable = may_run and round_.status == RoundStatus.DRAFT
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(why_not or _("Only a draft round is changed."))
        return _change_projects(request, round_)
    entries = round_.entries.select_related("project__organization", "project__funder").order_by("project__code", "pk")
    context = {"object": round_, "entries": entries, "editable": editable, "why_not": why_not}
    if editable:
        candidates = (
            Project.objects.restrict(request.user)
            .filter(organization__region__path__startswith=round_.region.path, status__in=ELIGIBLE)
            .exclude(evaluations__round=round_)
            .select_related("organization", "funder")
        )
        filterset = CandidateProjectFilterSet(request.GET, queryset=candidates, request=request)
        rows = filterset.qs.order_by("code", "pk") if filterset.is_valid() else candidates.none()
        page = Paginator(rows, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
        context.update({"filterset": filterset, "filter_form": filterset.form, "page": page})
    return TemplateResponse(request, "evaluation/round_projects.html", context)


def _change_projects(request, round_):
    action = request.POST.get("action")
    if action == "add":
        ids = _posted_ids(request, "projects", _("project"))
        projects = list(Project.objects.restrict(request.user).filter(pk__in=ids))
        if not projects:
            messages.error(request, _("Tick the projects to add first."))
            return redirect("evaluation:round_projects", pk=round_.pk)
        try:
            added = services.round_add_projects(round_, by=request.user, projects=projects)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            count = len(added)
            messages.success(
                request, ngettext("%(count)d project added.", "%(count)d projects added.", count) % {"count": count}
            )
    elif action == "remove":
        entry_id = params.require_id(request.POST.get("round_project"), "round_project", label=_("project"))
        entry = get_object_or_404(RoundProject.objects.filter(round=round_), pk=entry_id)
        try:
            services.round_remove_project(entry, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The project has been removed from the round."))
    else:
        raise Http404
    return redirect("evaluation:round_projects", pk=round_.pk)


def district_experts(round_, user):
    """The active experts of the round's district, by dimension and name (one query)."""
    return (
        Expert.objects.restrict(user)
        .filter(region=round_.region, is_active=True)
        .select_related("organization", "funder")
        .order_by("dimension", "name", "pk")
    )


@login_required
def round_assign(request, pk):
    """Automatic assignment (balanced load, K per rated dimension) and, per project, by hand; a
    conflict of interest is refused with its reason."""
    round_ = bureau_round(request, pk)
    may_run, why_not = permissions.may_run_round(request.user, round_)
    editable = may_run and round_.status in (RoundStatus.DRAFT, RoundStatus.SCORING)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(why_not or _("Experts are assigned while the round is a draft or scoring."))
        return _change_assignments(request, round_)
    dimensions = weighted_dimensions(round_)
    experts = list(district_experts(round_, request.user)) if editable else []
    choices = ExpertChoiceField(queryset=Expert.objects.none())
    return TemplateResponse(
        request,
        "evaluation/round_assign.html",
        {
            "object": round_,
            "dimensions": dimensions,
            "rows": panel_rows(round_, dimensions),
            "experts": [(e.pk, choices.label_from_instance(e)) for e in experts],
            "editable": editable,
            "why_not": why_not,
        },
    )


def _change_assignments(request, round_):
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "auto":
            outcome = services.auto_assign(round_, by=user)
            created = outcome["created"]
            messages.success(
                request,
                ngettext("%(count)d assignment made.", "%(count)d assignments made.", created) % {"count": created},
            )
            for sentence in outcome["shortfalls"]:
                messages.warning(request, sentence)
        elif action == "assign":
            entry_id = params.require_id(request.POST.get("round_project"), "round_project", label=_("project"))
            expert_id = params.require_id(request.POST.get("expert"), "expert", label=_("expert"))
            entry = get_object_or_404(RoundProject.objects.select_related("project").filter(round=round_), pk=entry_id)
            if expert_id is None:
                messages.error(request, _("expert: choose an expert."))
                return redirect("evaluation:round_assign", pk=round_.pk)
            expert = get_object_or_404(district_experts(round_, user), pk=expert_id)
            services.assign_expert(entry, expert, by=user)
            messages.success(
                request,
                _("%(expert)s has been assigned to %(project)s.")
                % {"expert": expert.name, "project": entry.project.title},
            )
        elif action == "unassign":
            assignment_id = params.require_id(request.POST.get("assignment"), "assignment", label=_("assignment"))
            assignment = get_object_or_404(Assignment.objects.filter(round=round_), pk=assignment_id)
            services.unassign(assignment, by=user)
            messages.success(request, _("The assignment has been removed."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("evaluation:round_assign", pk=round_.pk)


@login_required
def round_completion(request, pk):
    """Per expert: assigned, submitted, pending; and the reminder to those with pending scores."""
    round_ = bureau_round(request, pk)
    may_run, why_not = permissions.may_run_round(request.user, round_)
    may_remind = may_run and round_.status == RoundStatus.SCORING
    if request.method == "POST":
        if not may_remind:
            raise PermissionDenied(why_not or _("The round is not open for scoring."))
        count = scoring.remind_laggards(round_, by=request.user)
        messages.success(
            request, ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", count) % {"count": count}
        )
        return redirect("evaluation:round_completion", pk=round_.pk)
    rows = selectors.completion(round_)
    return TemplateResponse(
        request,
        "evaluation/round_completion.html",
        {
            "object": round_,
            "rows": rows,
            "may_remind": may_remind,
            "pending": sum(row["pending"] for row in rows),
        },
    )


@login_required
def round_export(request, pk):
    """The result workbook: one row per project, one sheet per rated dimension."""
    round_ = bureau_round(request, pk)
    sheets, note = workbook.round_workbook(round_, user=request.user)
    return xlsx_response(sheets, export_filename(f"{round_.name}-{_('results')}"), note)


urlpatterns = [
    path("rounds/", RoundListView.as_view(), name="round_list"),
    path("rounds/new/", RoundEditView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", RoundEditView.as_view(), name="round_update"),
    path("rounds/<int:pk>/projects/", round_projects, name="round_projects"),
    path("rounds/<int:pk>/assign/", round_assign, name="round_assign"),
    path("rounds/<int:pk>/completion/", round_completion, name="round_completion"),
    path("rounds/<int:pk>/export/", round_export, name="round_export"),
    path("rounds/<int:pk>/<str:name>/", round_transition, name="round_transition"),
]
