"""The quarterly review workbook archive: the list of every build (filterable, newest first), a
build's page with its progress bar (polled by htmx every 2 s while it runs), building a quarter now
(staff), and the downloads — a version, or a quarter's newest ready version — served only through
these views, scoped to the user's jurisdiction, under a Chinese file name."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Region
from core.choices import Action
from core.filtersets import BaseFilterSet
from core.params import path_pk
from core.tables import BaseTable, FromQuery
from core.uploads import serve
from core.views.generic import ObjectListView, flash_errors

from ..choices import WorkbookStatus
from ..models import QuarterlyWorkbook
from ..models.workbooks import WORKBOOK_FILES
from ..quarters import current_quarter, label, last_quarters, parse_quarter, quarter_key
from ..services import workbooks as services

POLL_SECONDS = 2


def workbook_regions(user):
    """The districts and cities whose workbooks `user` reads (their own node's subtree)."""
    regions = Region.objects.filter(level__in=services.WORKBOOK_LEVELS).order_by("path")
    if user.is_superuser:
        return regions
    if user.region_id is None:
        return regions.none()
    return regions.filter(path__startswith=user.region.path)


def quarter_choices(today=None) -> list[tuple[str, str]]:
    """The current quarter and the seven before it, newest first."""
    year, quarter = current_quarter(today)
    return [(quarter_key(y, q), label(y, q)) for y, q in reversed(last_quarters(year, quarter, 8))]


class QuarterFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        year, quarter = parse_quarter(value)
        return qs.filter(year=year, quarter=quarter)


class WorkbookFilterSet(BaseFilterSet):
    quarter = QuarterFilter(label=gettext_lazy("quarter"), choices=())
    region = django_filters.ModelChoiceFilter(label=gettext_lazy("region"), queryset=Region.objects.none())
    status = django_filters.ChoiceFilter(label=gettext_lazy("status"), choices=WorkbookStatus.choices)

    class Meta:
        model = QuarterlyWorkbook
        fields = ["quarter", "region", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        self.filters["region"].queryset = self.form.fields["region"].queryset = workbook_regions(user)
        archived = (
            QuarterlyWorkbook.objects.restrict(user, Action.VIEW)
            .order_by("-year", "-quarter")
            .values_list("year", "quarter")
            .distinct()
        )
        choices = [(quarter_key(y, q), label(y, q)) for y, q in archived[:40]]
        self.filters["quarter"].extra["choices"] = choices
        self.form.fields["quarter"].choices = [("", _("All")), *choices]


def _size(value) -> str:
    if value is None:
        return ""
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    return f"{max(1, round(value / 1024))} KB"


class WorkbookTable(BaseTable):
    sortable = ("quarter", "created_at")
    quarter = tables.Column(
        verbose_name=gettext_lazy("quarter"), accessor="year", order_by=("year", "quarter"), linkify=True
    )
    region = tables.Column(verbose_name=gettext_lazy("region"), order_by=("region__path",))
    version = tables.Column(verbose_name=gettext_lazy("version"))
    status = tables.TemplateColumn(
        template_name="reports/workbook_status_cell.html", verbose_name=gettext_lazy("status"), order_by=("status",)
    )
    trigger = tables.Column(verbose_name=gettext_lazy("started by"))
    requested_by = tables.Column(verbose_name=gettext_lazy("requested by"), order_by=("requested_by__username",))
    created_at = tables.DateTimeColumn(verbose_name=gettext_lazy("created at"), format="DATETIME_FORMAT")
    finished_at = tables.DateTimeColumn(verbose_name=gettext_lazy("finished at"), format="DATETIME_FORMAT")
    size = tables.Column(verbose_name=gettext_lazy("size"))
    download = tables.TemplateColumn(
        template_name="reports/workbook_download_cell.html",
        verbose_name=pgettext_lazy("table column", "Actions"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(BaseTable.Meta):
        model = QuarterlyWorkbook
        fields = (
            "quarter",
            "region",
            "version",
            "status",
            "trigger",
            "requested_by",
            "created_at",
            "finished_at",
            "size",
            "download",
        )

    export_from_query = {
        "quarter": FromQuery("year", "quarter", function=label),
        "status": FromQuery("status", function=lambda value: str(WorkbookStatus(value).label)),
    }

    def render_quarter(self, record):
        return label(record.year, record.quarter)

    def render_size(self, value):
        return _size(value)

    def value_size(self, value):
        return value


class WorkbookRequestForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("region"), queryset=Region.objects.none(), empty_label=None)
    quarter = forms.ChoiceField(label=gettext_lazy("quarter"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = workbook_regions(user)
        self.fields["quarter"].choices = quarter_choices()
        due = services.due_quarter(timezone.localdate())
        self.fields["quarter"].initial = quarter_key(*due)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class WorkbookListView(ObjectListView):
    queryset = QuarterlyWorkbook.objects.select_related("region", "requested_by").order_by("-created_at", "-pk")
    filterset = WorkbookFilterSet
    table = WorkbookTable
    template_name = "reports/workbook_list.html"

    def get_extra_context(self) -> dict:
        user = self.request.user
        allowed, _reason = services.request_permission(user, None)
        return {
            "request_form": WorkbookRequestForm(user=user) if allowed else None,
            "verbose_name_plural": _("Quarterly review workbooks"),
        }


def _readable(user):
    if not QuarterlyWorkbook.access_policy.allows(user, Action.VIEW):
        raise PermissionDenied(_("Your role may not view this page."))
    return QuarterlyWorkbook.objects.restrict(user, Action.VIEW).select_related("region", "requested_by")


@login_required
@require_POST
def workbook_request(request):
    user = request.user
    allowed, reason = services.request_permission(user, None)
    if not allowed:
        raise PermissionDenied(reason)
    form = WorkbookRequestForm(request.POST, user=user)
    if not form.is_valid():
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for error in errors:
                messages.error(request, f"{field.label}：{error}" if field else error)
        return redirect("reports:workbook_list")
    year, quarter = parse_quarter(form.cleaned_data["quarter"])
    try:
        workbook = services.workbook_request(form.cleaned_data["region"], year, quarter, user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("reports:workbook_list")
    messages.success(request, _("The workbook is being built; this page shows its progress."))
    return redirect(workbook)


@login_required
@require_GET
def workbook_detail(request, pk):
    workbook = get_object_or_404(_readable(request.user), pk=path_pk(QuarterlyWorkbook, pk))
    in_progress = workbook.status in services.IN_PROGRESS
    context = {
        "object": workbook,
        "workbook": workbook,
        "label": label(workbook.year, workbook.quarter),
        "in_progress": in_progress,
        "stale": in_progress and services.is_stale(workbook),
        "poll_seconds": POLL_SECONDS,
        "newest_ready": (
            QuarterlyWorkbook.objects.filter(
                region=workbook.region, year=workbook.year, quarter=workbook.quarter, status=WorkbookStatus.READY
            )
            .order_by("-version")
            .first()
        ),
    }
    if request.htmx:
        return TemplateResponse(request, "reports/workbook_progress.html", context)
    return TemplateResponse(request, "reports/workbook_detail.html", context)


def _serve(workbook):
    if workbook.status != WorkbookStatus.READY or not workbook.file:
        raise Http404
    return serve(workbook.file, filename=services.download_name(workbook), policy=WORKBOOK_FILES)


@login_required
@require_GET
def workbook_download(request, pk):
    return _serve(get_object_or_404(_readable(request.user), pk=path_pk(QuarterlyWorkbook, pk)))


@login_required
@require_GET
def workbook_latest(request):
    """The newest ready version of a node's quarter: ?region=<code>&quarter=2026Q3."""
    readable = _readable(request.user)
    year, quarter = parse_quarter(request.GET.get("quarter", ""))
    code = request.GET.get("region", "")
    workbook = (
        readable.filter(Q(region__code=code), year=year, quarter=quarter, status=WorkbookStatus.READY)
        .exclude(file="")
        .order_by("-version")
        .first()
    )
    if workbook is None:
        raise Http404
    return _serve(workbook)


urlpatterns = [
    path("workbooks/", WorkbookListView.as_view(), name="workbook_list"),
    path("workbooks/request/", workbook_request, name="workbook_request"),
    path("workbooks/latest/", workbook_latest, name="workbook_latest"),
    path("workbooks/<str:pk>/", workbook_detail, name="workbook_detail"),
    path("workbooks/<str:pk>/download/", workbook_download, name="workbook_download"),
]
