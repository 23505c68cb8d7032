"""Public pages: the beneficiary survey, the publicity (公示) of results and the objection form.

Open to anonymous visitors. A survey is reached only by its unguessable link (a bad link is 404); it
takes answers while its round is in draft or scoring, then shows a polite closed page. An answer set
aside as part of a burst is thanked like any other: the resident is never told. Only published rounds
(publicity, closed) are shown; any other is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.views.generic import apply_validation_error

from .. import surveys
from ..choices import RoundStatus
from ..forms.public import ObjectionForm, SurveyForm
from ..models import Round, RoundProject, Survey
from ..models.policies import PUBLISHED
from ..services import feedback as feedback_services
from ..services import objections as objection_services

ROUNDS_PER_PAGE = 25


def star_text(stars) -> str:
    """Stars as a person sees them: ★★★☆☆ (empty for none)."""
    if not stars:
        return ""
    return "★" * stars + "☆" * (5 - stars)


def _survey(token: str) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("round_project__round", "round_project__project__organization"), token=token
    )


def _closed(request, survey):
    return TemplateResponse(
        request, "evaluation/public/survey_closed.html", {"survey": survey, "project": survey.round_project.project}
    )


@never_cache
def survey(request, token):
    """The survey: large type, phone first; an optional respondent code (prefilled from ?code=)."""
    survey_ = _survey(token)
    if not surveys.survey_open(survey_):
        return _closed(request, survey_)
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                feedback_services.response_submit(survey_, client_key=surveys.client_key(request), **form.values())
            except ValidationError as error:
                if "survey" in getattr(error, "error_dict", {}):
                    return _closed(request, survey_)
                apply_validation_error(form, error)
            else:
                return redirect("evaluation_public:survey_thanks", token=token)
    else:
        form = SurveyForm(initial={"code": request.GET.get("code", "")[:12]})
    return TemplateResponse(
        request,
        "evaluation/public/survey.html",
        {"survey": survey_, "project": survey_.round_project.project, "form": form},
    )


def survey_thanks(request, token):
    survey_ = _survey(token)
    return TemplateResponse(
        request, "evaluation/public/survey_thanks.html", {"survey": survey_, "project": survey_.round_project.project}
    )


def published_rounds():
    return Round.objects.filter(status__in=PUBLISHED).select_related("region")


def round_list(request):
    rounds = published_rounds().order_by("-publicity_starts_on", "-pk")
    page = Paginator(rounds, ROUNDS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "evaluation/public/round_list.html", {"page": page, "rounds": page.object_list})


def round_detail(request, pk):
    """The publicity page: the period, each project's final score, stars and per-indicator scores,
    and while in publicity the way to lodge an objection."""
    round_ = get_object_or_404(published_rounds(), pk=pk)
    entries = list(
        round_.entries.select_related("project__organization").order_by("-final_score", "project__code", "pk")
    )
    for entry in entries:
        entry.star_text = star_text(entry.stars)
        entry.indicators = (entry.computation or {}).get("indicators", [])
    return TemplateResponse(
        request,
        "evaluation/public/round_detail.html",
        {"round": round_, "entries": entries, "in_publicity": round_.status == RoundStatus.PUBLICITY},
    )


def objection_create(request, result_pk):
    """A member of the public's objection to a result, while the round is in publicity."""
    entry = get_object_or_404(
        RoundProject.objects.select_related("round", "project__organization").filter(round__status__in=PUBLISHED),
        pk=result_pk,
    )
    open_ = entry.round.status == RoundStatus.PUBLICITY
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and open_ and form.is_valid():
        try:
            objection_services.objection_lodge(entry, by=None, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your objection has been received; the bureau will answer it."))
            return redirect(reverse("evaluation_public:round_detail", args=[entry.round_id]))
    return TemplateResponse(
        request,
        "evaluation/public/objection_create.html",
        {"entry": entry, "round": entry.round, "form": form, "open": open_, "star_text": star_text(entry.stars)},
    )


urlpatterns = [
    path("surveys/<str:token>/", survey, name="survey"),
    path("surveys/<str:token>/thanks/", survey_thanks, name="survey_thanks"),
    path("rounds/", round_list, name="round_list"),
    path("rounds/<int:pk>/", round_detail, name="round_detail"),
    path("results/<int:result_pk>/objection/", objection_create, name="objection_create"),
]
