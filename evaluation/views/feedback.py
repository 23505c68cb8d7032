"""Pages of beneficiary feedback (服务对象反馈) kept by the bureau: a survey's page (its public link
and QR, the answers so far, codes, paper batches, the answers set aside), the printable QR poster and
respondent-code slips, the QR image, entering a batch of paper questionnaires, and the list of
answers with the count / leave-out steps of those set aside."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from core import params
from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectListView, ScopedViewMixin, apply_validation_error

from .. import permissions as rules
from .. import qr, surveys
from ..choices import ResponseStatus
from ..filtersets.feedback import SurveyResponseFilterSet
from ..forms.feedback import MAX_ROWS, CodesForm, PaperBatchForm, PaperRowFormSet, rows_of
from ..models import PaperBatch, Survey, SurveyResponse
from ..services import feedback as services
from ..tables.feedback import SurveyResponseTable
from ..workflows import RESPONSE

SURVEY_RELATED = ("round_project__round", "round_project__project__organization")
SLIPS_PER_PAGE = 40
HELD_SHOWN = 50


def public_url(request, survey, code: str = "") -> str:
    """The survey's public link, absolute (what the QR carries), with a respondent code when given."""
    url = request.build_absolute_uri(reverse("evaluation_public:survey", args=[survey.token]))
    return f"{url}?code={code}" if code else url


def inline_svg(url: str, title: str = "") -> str:
    """A QR code as an <svg> element to draw inside a page (no XML declaration)."""
    document = qr.qr_svg(url, title=title).decode()
    return document[document.find("<svg") :]


def rates(summary: dict) -> dict:
    """Awareness and participation (%), satisfaction (mean ×20) of the counted answers so far."""
    counted = summary["counted"]
    if not counted:
        return {"awareness": None, "participation": None, "satisfaction": None}
    mean = summary["satisfaction_mean"]
    return {
        "awareness": round(summary["knew"] * 100 / counted, 1),
        "participation": round(summary["took_part"] * 100 / counted, 1),
        "satisfaction": round(mean * 20, 1) if mean is not None else None,
    }


def scoped_survey(request, pk, action=Action.VIEW) -> Survey:
    return get_object_or_404(Survey.objects.select_related(*SURVEY_RELATED).restrict(request.user, action), pk=pk)


def require_keeper(user, survey) -> None:
    allowed, reason = rules.may_keep_feedback(user, survey.round_project.round)
    if not allowed:
        raise PermissionDenied(reason)


class SurveyDetailView(ObjectDetailView):
    queryset = Survey.objects.select_related(*SURVEY_RELATED)
    template_name = "evaluation/feedback/survey_detail.html"

    def get_extra_context(self):
        survey, user = self.object, self.request.user
        summary = surveys.feedback_summary(survey)
        codes = survey.codes.aggregate(issued=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False)))
        can_keep, why_not = rules.may_keep_feedback(user, survey.round_project.round)
        url = public_url(self.request, survey)
        return {
            "round": survey.round_project.round,
            "project": survey.round_project.project,
            "public_url": url,
            "qr": inline_svg(url, title=str(survey.round_project.project)),
            "summary": summary,
            "rates": rates(summary),
            "codes": codes,
            "batches": survey.paper_batches.select_related("entered_by"),
            "held": survey.responses.filter(status=ResponseStatus.HELD).order_by("submitted_at", "pk")[:HELD_SHOWN],
            "held_list_url": f"{reverse('evaluation:surveyresponse_list')}?survey={survey.pk}&status=held",
            "is_open": surveys.survey_open(survey),
            "can_keep": can_keep,
            "why_not": why_not,
            "can_review": can_keep,
        }


@login_required
def survey_poster(request, pk):
    """An A4 poster to print: the project, its organization, a large QR code and the short link."""
    survey = scoped_survey(request, pk)
    url = public_url(request, survey)
    project = survey.round_project.project
    return TemplateResponse(
        request,
        "evaluation/feedback/survey_poster.html",
        {"survey": survey, "project": project, "public_url": url, "qr": inline_svg(url, title=str(project))},
    )


@login_required
def survey_qr(request, pk):
    """The QR code of the survey's public link as an SVG image (for other print layouts)."""
    survey = scoped_survey(request, pk)
    response = HttpResponse(qr.qr_svg(public_url(request, survey)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}-qr.svg"'
    return response


class SurveyCodesView(ScopedViewMixin, View):
    """GET: the survey's respondent codes as slips to print (several to an A4 page, each with its
    code and the link and QR code carrying it; used codes marked). POST: issue N more."""

    queryset = Survey.objects.select_related(*SURVEY_RELATED)
    template_name = "evaluation/feedback/survey_codes.html"

    def get_survey(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def render(self, survey, form):
        request = self.request
        codes = survey.codes.order_by("pk")
        if request.GET.get("unused"):
            codes = codes.filter(used_at__isnull=True)
        page = Paginator(codes, SLIPS_PER_PAGE).get_page(request.GET.get("page"))
        slips = []
        for code in page.object_list:
            url = public_url(request, survey, code.code)
            slips.append({"code": code, "url": url, "qr": inline_svg(url)})
        can_keep, why_not = rules.may_keep_feedback(request.user, survey.round_project.round)
        context = {
            "survey": survey,
            "project": survey.round_project.project,
            "public_url": public_url(request, survey),
            "slips": slips,
            "page": page,
            "form": form if can_keep else None,
            "why_not": why_not,
            "is_open": surveys.survey_open(survey),
            "unused_only": bool(request.GET.get("unused")),
        }
        return TemplateResponse(request, self.template_name, context)

    def get(self, request, pk):
        return self.render(self.get_survey(), CodesForm())

    def post(self, request, pk):
        survey = self.get_survey()
        require_keeper(request.user, survey)
        form = CodesForm(request.POST)
        if form.is_valid():
            try:
                codes = services.codes_issue(survey, by=request.user, count=form.cleaned_data["count"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("%(count)d respondent codes issued.") % {"count": len(codes)})
                return redirect(f"{reverse('evaluation:survey_codes', args=[survey.pk])}?unused=1")
        return self.render(survey, form)


class PaperBatchCreateView(ScopedViewMixin, View):
    """A grid for entering paper questionnaires quickly (?rows=N, default 20, up to 500): blank rows
    are skipped, a bad row is named, and nothing is saved while any row is wrong."""

    queryset = Survey.objects.select_related(*SURVEY_RELATED)
    template_name = "evaluation/feedback/paperbatch_create.html"
    default_rows = 20

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.survey = None

    def get_survey(self):
        if self.survey is None:
            self.survey = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
            require_keeper(self.request.user, self.survey)
        return self.survey

    def render(self, form, formset):
        survey = self.get_survey()
        context = {
            "survey": survey,
            "project": survey.round_project.project,
            "form": form,
            "formset": formset,
            "row_errors": [error for f in formset.forms for error in f.non_field_errors()],
            "is_open": surveys.survey_open(survey),
        }
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, pk):
        self.get_survey()
        count = params.query_int(request, "rows", minimum=1, maximum=MAX_ROWS, label=_("rows"),
                                 default=self.default_rows)  # fmt: skip
        return self.render(PaperBatchForm(), PaperRowFormSet(initial=[{}] * count, prefix="row"))

    def post(self, request, pk):
        survey = self.get_survey()
        form = PaperBatchForm(request.POST)
        try:
            formset = PaperRowFormSet(request.POST, prefix="row")
            formset_valid = formset.is_valid()
        except ValidationError as error:  # a forged management form
            raise Http404 from error
        if form.is_valid() and formset_valid:
            rows = rows_of(formset)
            values = form.values()
            try:
                batch = services.paper_batch_enter(
                    survey,
                    by=request.user,
                    collected_on=values.get("collected_on"),
                    rows=rows,
                    place=values.get("place") or "",
                    notes=values.get("notes") or "",
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("%(count)d paper questionnaires entered.") % {"count": batch.count})
                return redirect(reverse("evaluation:paperbatch_detail", args=[batch.pk]))
        if formset.non_form_errors():
            form.add_error(None, formset.non_form_errors())
        return self.render(form, formset)


class PaperBatchDetailView(ObjectDetailView):
    queryset = PaperBatch.objects.select_related("survey__round_project__round",
                                                 "survey__round_project__project", "entered_by")  # fmt: skip
    template_name = "evaluation/feedback/paperbatch_detail.html"

    def get_extra_context(self):
        return {"rows": self.object.responses.order_by("pk")}


class SurveyResponseListView(ObjectListView):
    """Every answer of the district's surveys; those set aside come first, for review."""

    queryset = SurveyResponse.objects.select_related("survey__round_project__round",
                                                     "survey__round_project__project")  # fmt: skip
    filterset = SurveyResponseFilterSet
    table = SurveyResponseTable

    def get_queryset(self):
        held_first = Case(When(status=ResponseStatus.HELD, then=Value(0)), default=Value(1),
                          output_field=IntegerField())  # fmt: skip
        return super().get_queryset().annotate(status_rank=held_first).order_by("status_rank", "-submitted_at", "-pk")


ACTIONS = {
    "count": lambda response, user, reason: services.response_count(response, by=user),
    "exclude": lambda response, user, reason: services.response_exclude(response, by=user, reason=reason),
}


@login_required
@require_POST
def surveyresponse_transition(request, pk, name):
    """Count an answer set aside, or leave it out with the reason; back to the page it was taken from."""
    if name not in RESPONSE.names:
        raise Http404
    response = get_object_or_404(
        SurveyResponse.objects.select_related("survey__round_project__round").restrict(request.user), pk=pk
    )
    try:
        ACTIONS[name](response, request.user, request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": RESPONSE[name].label})
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(reverse("evaluation:surveyresponse_list"))


urlpatterns = [
    path("surveys/<int:pk>/", SurveyDetailView.as_view(), name="survey_detail"),
    path("surveys/<int:pk>/poster/", survey_poster, name="survey_poster"),
    path("surveys/<int:pk>/qr.svg", survey_qr, name="survey_qr"),
    path("surveys/<int:pk>/codes/", SurveyCodesView.as_view(), name="survey_codes"),
    path("surveys/<int:pk>/paper/new/", PaperBatchCreateView.as_view(), name="paperbatch_create"),
    path("paper-batches/<int:pk>/", PaperBatchDetailView.as_view(), name="paperbatch_detail"),
    path("responses/", SurveyResponseListView.as_view(), name="surveyresponse_list"),
    path("responses/<int:pk>/<str:name>/", surveyresponse_transition, name="surveyresponse_transition"),
]
