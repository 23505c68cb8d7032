"""Pages of the roster import: upload, the dry-run report (polled while it runs), confirm, and the
error report as xlsx. Views collect input and call services_import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from core.xlsx import Sheet, export_filename, xlsx_response

from . import permissions as rules
from . import services_import
from .filtersets import RosterImportFilterSet
from .forms import RosterUploadForm
from .models import RosterImport
from .roster_import import COLUMNS, REQUIRED_COLUMNS
from .tables import RosterImportTable

ERRORS_PER_PAGE = 100


class RosterImportListView(ObjectListView):
    queryset = RosterImport.objects.select_related("created_by")
    filterset = RosterImportFilterSet
    table = RosterImportTable
    add_url_name = "registry:rosterimport_create"


class RosterImportCreateView(ObjectEditView):
    queryset = RosterImport.objects.all()
    form_class = RosterUploadForm
    template_name = "registry/rosterimport_form.html"
    success_message = _("The roster has been uploaded and is being checked; nothing is imported yet.")

    def add_permission(self):
        allowed, reason = rules.can_import(self.request.user)
        return super().add_permission() if allowed else (allowed, reason)

    def get_extra_context(self):
        return {
            "columns": [aliases[0] for aliases in COLUMNS.values()],
            "required_columns": [COLUMNS[name][0] for name in REQUIRED_COLUMNS],
        }

    def save(self, form, instance):
        return services_import.roster_import_start(
            file=form.cleaned_data["file"], by=self.request.user, all_or_nothing=form.cleaned_data["all_or_nothing"]
        )


class RosterImportDetailView(ObjectDetailView):
    queryset = RosterImport.objects.select_related("created_by", "confirmed_by", "district")
    template_name = "registry/rosterimport_detail.html"

    def get_extra_context(self):
        roster_import, user = self.object, self.request.user
        page = Paginator(roster_import.errors, ERRORS_PER_PAGE).get_page(self.request.GET.get("page"))
        may_import = rules.can_import(user)[0] and (user.is_superuser or user.region_id == roster_import.district_id)
        return {
            "progress": services_import.progress_of(roster_import),
            "error_page": page,
            "can_confirm": roster_import.can_confirm and may_import,
        }


@login_required
@require_GET
def roster_import_progress(request, pk):
    """The progress bar, polled by htmx while the check or import runs; reloads the page when done."""
    roster_import = get_object_or_404(RosterImport.objects.restrict(request.user), pk=pk)
    if not roster_import.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return TemplateResponse(
        request,
        "registry/rosterimport_progress.html",
        {"object": roster_import, "progress": services_import.progress_of(roster_import)},
    )


@login_required
@require_POST
def roster_import_confirm(request, pk):
    roster_import = get_object_or_404(RosterImport.objects.restrict(request.user, Action.CHANGE), pk=pk)
    try:
        roster_import = services_import.roster_import_confirm(roster_import=roster_import, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
    else:
        if roster_import.status == "imported":
            messages.success(request, _("%(n)d organizations imported.") % {"n": roster_import.imported_count})
        else:
            messages.info(request, _("The import is running; this page shows its progress."))
    return redirect(roster_import.get_absolute_url())


@login_required
@require_GET
def roster_import_template(request):
    """An empty roster with the recognised columns, for a bureau starting one."""
    allowed, reason = rules.can_import(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    sheet = Sheet(pgettext("roster import", "Roster"), [aliases[0] for aliases in COLUMNS.values()], [])
    return xlsx_response([sheet], export_filename(pgettext("roster import", "roster template")))


@login_required
@require_GET
def roster_import_errors(request, pk):
    """Every error of the dry run as a workbook: sheet, row, organization, column, message."""
    roster_import = get_object_or_404(RosterImport.objects.restrict(request.user), pk=pk)
    details = roster_import.dry_run or {}
    worksheet, names = details.get("sheet", ""), details.get("names", {})
    sheet = Sheet(
        pgettext("roster import", "Errors"),
        [
            pgettext("roster import", "sheet"),
            pgettext("roster import", "row"),
            pgettext("roster import", "organization"),
            pgettext("roster import", "column"),
            pgettext("roster import", "message"),
        ],
        # The organization's name beside each row, so a clerk fixing the file knows whose row it is.
        ([worksheet if row else "", row or None, names.get(str(row), ""), column, message]
         for row, column, message in roster_import.errors),
    )  # fmt: skip
    return xlsx_response([sheet], export_filename(_("roster errors")))
