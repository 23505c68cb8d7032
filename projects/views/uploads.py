"""Pages of the ledger and expenditure workbooks: the template, the upload with its dry run, and
the confirm that records every row in one transaction (services.ledger_upload_apply,
services.expenditure_upload_apply); and the ledger's quarter export. Uploads are for the
organization while its project runs; others are refused (403), and projects outside the user's
scope are not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import params
from core.choices import Action
from core.views.generic import apply_validation_error, flash_errors
from core.xlsx import xlsx_response

from .. import expenditure_xlsx, forms, ledger_xlsx, periods, permissions, services
from ..models import Project
from ..uploads import EXPENDITURE_WORKBOOK_STAGE, LEDGER_WORKBOOK_STAGE


def _viewable(request, pk) -> Project:
    return get_object_or_404(
        Project.objects.restrict(request.user, Action.VIEW).select_related("organization__region", "funder"), pk=pk
    )


def _project(request, pk) -> Project:
    """The project, when the user may add expenditures to it."""
    project = get_object_or_404(
        Project.objects.restrict(request.user, Action.VIEW).select_related("organization__region", "funder"), pk=pk
    )
    allowed, reason = permissions.may_add_to_ledger(request.user, project)
    if not allowed:
        raise PermissionDenied(reason)
    return project


@login_required
def expenditure_template(request, pk):
    project = _project(request, pk)
    return xlsx_response(
        expenditure_xlsx.expenditure_sheets(project), f"{project.code}-{_('expenditure template')}.xlsx"
    )


@login_required
def expenditure_upload(request, pk):
    """Upload → dry run (each row's expenditure and the balance left, or its errors) → confirm."""
    project = _project(request, pk)
    form = forms.ExpenditureUploadForm(request.POST or None, request.FILES or None, user=request.user)
    plan, table, token = None, None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = expenditure_xlsx.read_expenditure_table(upload)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            plan = expenditure_xlsx.plan_expenditure_upload(project, table.rows)
            token = EXPENDITURE_WORKBOOK_STAGE.stage(request, upload, owner_pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "plan": plan,
        "table": table,
        "token": token,
        "has_errors": bool(plan) and any(row.errors for row in plan),
        "columns": [str(column.label) for column in expenditure_xlsx.COLUMNS],
    }
    return TemplateResponse(request, "projects/expenditure_upload.html", context)


@login_required
@require_POST
def expenditure_upload_confirm(request, pk):
    project = _project(request, pk)
    with EXPENDITURE_WORKBOOK_STAGE.claim(request, owner_pk=project.pk) as handle:
        if handle is None:
            messages.error(request, _("The upload has expired; please upload the workbook again."))
            return redirect("projects:expenditure_upload", pk=project.pk)
        try:
            count = services.expenditure_upload_apply(
                project=project, by=request.user, rows=expenditure_xlsx.read_expenditure_workbook(handle)
            )
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("projects:expenditure_upload", pk=project.pk)
    messages.success(request, _("%(n)d expenditures recorded.") % {"n": count})
    return redirect(project)


# -------------------------------------------------------------------------------- ledger workbook


@login_required
def ledger_template(request, pk):
    project = _viewable(request, pk)
    return xlsx_response(ledger_xlsx.ledger_sheets(project), f"{project.code}-{_('ledger template')}.xlsx")


@login_required
def ledger_quarter_export(request, pk):
    project = _viewable(request, pk)
    year, quarter = params.query_year(request), params.query_quarter(request)
    if year is None or quarter is None:
        return HttpResponseBadRequest(_("Choose a year and a quarter."))
    if (year, quarter) not in project.quarters:
        return HttpResponseBadRequest(_("The quarter is outside the project period."))
    entries = ledger_xlsx.quarter_entries_for_export(project, year, quarter)
    return xlsx_response(
        ledger_xlsx.ledger_sheets(project, entries), f"{project.code}-{periods.quarter_key(year, quarter)}.xlsx"
    )


@login_required
def ledger_upload(request, pk):
    """Upload → dry run (each row's action or errors) → confirm."""
    project = _viewable(request, pk)
    allowed, reason = permissions.may_add_to_ledger(request.user, project)
    if not allowed:
        raise PermissionDenied(reason)
    form = forms.LedgerUploadForm(request.POST or None, request.FILES or None, user=request.user)
    plan, token, table = None, None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = ledger_xlsx.read_ledger_table(upload)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            plan = ledger_xlsx.plan_ledger_upload(project, table.rows)
            token = LEDGER_WORKBOOK_STAGE.stage(request, upload, owner_pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "plan": plan,
        "table": table,
        "token": token,
        "has_errors": bool(plan) and any(row.action == "error" for row in plan),
    }
    return TemplateResponse(request, "projects/ledger_upload.html", context)


@login_required
@require_POST
def ledger_upload_confirm(request, pk):
    project = _viewable(request, pk)
    with LEDGER_WORKBOOK_STAGE.claim(request, owner_pk=project.pk) as handle:
        if handle is None:
            messages.error(request, _("The upload has expired; please upload the workbook again."))
            return redirect("projects:ledger_upload", pk=project.pk)
        try:
            counts = services.ledger_upload_apply(
                project=project, by=request.user, rows=ledger_xlsx.read_ledger_workbook(handle)
            )
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("projects:ledger_upload", pk=project.pk)
    messages.success(
        request,
        _(
            "Imported: %(create)d new drafts, %(update)d drafts updated, %(correct)d corrections, "
            "%(unchanged)d unchanged."
        )
        % counts,
    )
    return redirect(project)
