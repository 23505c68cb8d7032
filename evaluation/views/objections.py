"""Pages of objections (异议): the list (the bureau's; an organization's account its own), an
objection with its answer (the answer is the step's reason, with its outcome), and the form an
organization's account uses during publicity (?result=<result pk>)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import params
from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectListView, apply_validation_error
from party.views.common import error_text

from .. import permissions
from ..filtersets.objections import ObjectionFilterSet
from ..forms.objections import AnswerOutcomeForm, ObjectionForm
from ..models import Objection, RoundProject
from ..services import objections as services
from ..tables.objections import ObjectionTable
from ..workflows import OBJECTION


class ObjectionListView(ObjectListView):
    queryset = Objection.objects.select_related("round_project__round", "round_project__project")
    filterset = ObjectionFilterSet
    table = ObjectionTable


class ObjectionDetailView(ObjectDetailView):
    queryset = Objection.objects.select_related(
        "round_project__round", "round_project__project__organization", "lodged_by", "reviewed_by"
    )
    template_name = "evaluation/objection_detail.html"

    def get_extra_context(self):
        return {
            "offers": OBJECTION.offers(self.object, self.request.user),
            "outcome_form": AnswerOutcomeForm(),
        }


@login_required
@require_POST
def objection_transition(request, pk, name):
    """The answer, with its outcome (result maintained or revised)."""
    if name not in OBJECTION.names:
        raise Http404
    objection = get_object_or_404(Objection.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = AnswerOutcomeForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("outcome", []):
            messages.error(request, f"{form.fields['outcome'].label}：{error}")
        return redirect(objection.get_absolute_url())
    try:
        services.objection_answer(
            objection, by=request.user, answer=request.POST.get("reason", ""), outcome=form.cleaned_data["outcome"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The objection has been answered."))
    return redirect(objection.get_absolute_url())


@login_required
def objection_create(request):
    """An organization's objection to its project's published result, during publicity."""
    pk = params.query_id(request, "result", label=_("evaluation result"))
    if pk is None:
        raise Http404
    result = get_object_or_404(
        RoundProject.objects.select_related("round", "project__organization").restrict(request.user), pk=pk
    )
    allowed, reason = permissions.may_lodge_objection(request.user, result)
    if not allowed or not request.user.is_authenticated:
        raise PermissionDenied(reason)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.objection_lodge(
                result, by=request.user, contact=form.cleaned_data["contact"], content=form.cleaned_data["content"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The objection has been lodged; the bureau will answer it."))
            return redirect(objection.get_absolute_url())
    return TemplateResponse(
        request, "evaluation/objection_create.html", {"form": form, "result": result, "title": _("Lodge an objection")}
    )


urlpatterns = [
    path("objections/", ObjectionListView.as_view(), name="objection_list"),
    path("objections/new/", objection_create, name="objection_create"),
    path("objections/<int:pk>/", ObjectionDetailView.as_view(), name="objection_detail"),
    path("objections/<int:pk>/<str:name>/", objection_transition, name="objection_transition"),
]
