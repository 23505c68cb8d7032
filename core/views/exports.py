"""Exports of lists: a small result downloads at once, a large one becomes a job in the user's
"My downloads", whose progress the page polls and whose file only its owner downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core import exports, services_exports
from core.choices import ExportJobStatus
from core.models import EXPORT_FILES, ExportJob
from core.uploads import serve
from core.xlsx import export_filename, xlsx_response

# The downloads page lists this many of the user's newest jobs (they expire after days anyway).
LISTED_JOBS = 50
JOB_CREATED = gettext_lazy("The export job has been created; download it from “My downloads” when it is done.")
JOB_RUNNING = gettext_lazy("This export is already being prepared; it will appear below when it is done.")


def export_response(view, filterset, table):
    """The list's export: the file now, or beyond EXPORT_SYNC_MAX_ROWS a background job."""
    request = view.request
    total = exports.row_count(table)
    if total > services_exports.sync_max_rows():
        try:
            _job, created = services_exports.export_job_create(
                owner=request.user, view=view, filterset=filterset, table=table, rows=total
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if created:
                messages.success(request, JOB_CREATED)
            else:
                messages.info(request, JOB_RUNNING)
        return redirect("core:exportjob_list")
    title = exports.list_title(view)
    note = exports.list_note(title=title, filterset=filterset, table=table, user=request.user)
    return xlsx_response(exports.list_sheets(title=title, table=table), export_filename(title), note)


@login_required
@require_GET
def exportjob_list(request):
    jobs = list(ExportJob.objects.owned_by(request.user)[:LISTED_JOBS])
    context = {"jobs": jobs, "keep_days": services_exports.keep_days()}
    return TemplateResponse(request, "core/exportjob_list.html", context)


@login_required
@require_GET
def exportjob_progress(request, pk: int):
    """One job's row, polled by the downloads page while the job runs."""
    job = get_object_or_404(ExportJob.objects.owned_by(request.user), pk=pk)
    return TemplateResponse(request, "core/includes/exportjob_row.html", {"job": job})


@login_required
@require_GET
def exportjob_download(request, pk: int):
    job = get_object_or_404(ExportJob.objects.owned_by(request.user), pk=pk, status=ExportJobStatus.DONE)
    return serve(job.file, filename=job.filename or f"{job.title}.xlsx", policy=EXPORT_FILES)
