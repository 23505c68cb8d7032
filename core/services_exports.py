"""Export jobs: creating one for a list too large to export in a request, running it in Celery for
its owner, and removing it (file and row) when it expires. Every change is audited.

A run holds the job's lock (core.jobs.exclusive): a task redelivered after its worker was killed
finds the lock free and writes the file over from the start, one delivered twice while the first
worker lives finds it held and leaves the job alone. A job queued while the broker was down is
sent again by the watchdog (core.jobs.resend_waiting, `waiting_jobs`)."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from . import audit, exports, jobs
from .choices import AuditAction, ExportJobStatus
from .db import replica
from .models import ExportJob
from .workflows import Transition, Workflow
from .xlsx import export_filename, write_workbook

logger = logging.getLogger(__name__)

# Parameters of a list URL that are not part of what is exported.
_NOT_QUERY = ("export", "page", "per_page")


def keep_days() -> int:
    return settings.EXPORT_JOB_KEEP_DAYS


def sync_max_rows() -> int:
    return settings.EXPORT_SYNC_MAX_ROWS


def view_path(view) -> str:
    cls = type(view)
    return f"{cls.__module__}.{cls.__qualname__}"


def export_query(request) -> str:
    query = request.GET.copy()
    for name in _NOT_QUERY:
        query.pop(name, None)
    return query.urlencode()


def _active(owner):
    return ExportJob.objects.owned_by(owner).filter(status__in=(ExportJobStatus.QUEUED, ExportJobStatus.RUNNING))


@transaction.atomic
def export_job_create(*, owner, view, filterset, table, rows: int) -> tuple[ExportJob, bool]:
    """A job exporting what `view` (an ObjectListView handling the owner's request) lists, run
    in Celery once this transaction commits. Returns (job, created): the same list and filter
    already being exported gives that job back rather than a second one."""
    request = view.request
    query = export_query(request)
    path = view_path(view)
    # One owner's requests one after another: a double click finds the job the first one made.
    get_user_model().objects.select_for_update().only("pk").get(pk=owner.pk)
    running = _active(owner)
    same = running.filter(view=path, query=query, view_kwargs=view.kwargs or {}).first()
    if same is not None:
        return same, False
    limit = settings.EXPORT_MAX_ACTIVE_JOBS
    if running.count() >= limit:
        raise ValidationError(
            _("You already have %(count)s exports waiting or running; wait until one is done.") % {"count": limit}
        )
    title = exports.list_title(view)
    note = exports.list_note(title=title, filterset=filterset, table=table, user=owner)
    now = timezone.now()
    job = ExportJob(
        owner=owner,
        view=path,
        view_kwargs=view.kwargs or {},
        path=request.path,
        query=query,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        title=title,
        description=note.subject,
        rows_total=rows,
        created_at=now,
        expires_at=now + dt.timedelta(days=keep_days()),
    )
    job.save()
    audit.record(actor=owner, action=AuditAction.CREATE, obj=job, message=_("Export of %(rows)s rows") % {"rows": rows})
    _dispatch(job)
    return job, True


def _dispatch(job: ExportJob) -> None:
    jobs.enqueue("core.tasks.export_job_run", job.pk)


def _owner_request(job: ExportJob) -> HttpRequest:
    """The request the owner made, as the list view needs it: path, query, user, language."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.user = job.owner
    request.LANGUAGE_CODE = job.language
    request.META.update({"SERVER_NAME": "localhost", "SERVER_PORT": "80"})
    return request


def _list_view(job: ExportJob):
    try:
        view_class = import_string(job.view)
    except ImportError as error:  # the list was renamed or removed since the job was made
        raise ImproperlyExported(_("This list cannot be exported.")) from error
    if not (isinstance(view_class, type) and getattr(view_class, "exportable", False) is True):
        raise ImproperlyExported(_("This list cannot be exported."))
    request = _owner_request(job)
    view = view_class()
    view.setup(request, **(job.view_kwargs or {}))
    owner = job.owner
    # The owner's role today, not when the job was made: a deactivated user or a changed role
    # exports nothing more than they may now see.
    if not view.model.access_policy.allows(owner, view.action):
        raise PermissionDenied(_("Your role may not view this page."))
    return view


class ImproperlyExported(Exception):
    """The job cannot run: its list view is gone or its filter no longer valid."""


def _owner(job: ExportJob) -> list:
    return [job.owner]


_S = ExportJobStatus
# The job's life, run by the worker (no user acts): the owner is told when the file is ready or
# the export failed, so nobody has to watch the downloads page.
EXPORT_JOB = Workflow(
    ExportJob,
    (
        # A job found running again was redelivered after its worker died: it starts over.
        Transition("start", {_S.QUEUED, _S.RUNNING}, _S.RUNNING, pgettext_lazy("export job", "Start")),
        Transition("finish", {_S.RUNNING}, _S.DONE, pgettext_lazy("export job", "Done"), notify=True),
        Transition("fail", {_S.QUEUED, _S.RUNNING}, _S.FAILED, pgettext_lazy("export job", "Failed"), notify=True),
    ),
    kind="core.export_job",
    audience=_owner,
)


def _transition(pk: int, name: str, message: str = "", **changes) -> ExportJob:
    def apply_changes(job, transition):
        for field, value in changes.items():
            setattr(job, field, value)

    job = ExportJob.objects.get(pk=pk)
    return EXPORT_JOB.apply(job, name, by=None, effect=apply_changes, message=message, notice=_notice(job, name))


def _notice(job: ExportJob, name: str) -> str:
    if name == "finish":
        return _("Your export “%(title)s” is ready to download.") % {"title": job.title}
    if name == "fail":
        return _("Your export “%(title)s” failed.") % {"title": job.title}
    return ""


def _set_progress(pk: int, rows: int) -> None:
    # Outside any transaction: each update is seen by the downloads page at once. Progress is
    # not audited (the start and the end are).
    ExportJob.objects.filter(pk=pk).update(rows_done=rows)
    jobs.checkpoint(f"{LOCK}.rows")


LOCK = "core.export_job"


def waiting_jobs(before: dt.datetime) -> list[tuple[int]]:
    """The queued jobs no worker took since `before` (core.jobs.resend_waiting sends them again)."""
    rows = ExportJob.objects.filter(status=ExportJobStatus.QUEUED, created_at__lt=before).order_by("pk")
    return [(pk,) for pk in rows.values_list("pk", flat=True)]


def export_job_run(pk: int) -> ExportJob | None:
    """Write the job's file (the Celery task calls this). A job already done, failed or removed,
    or being written by a live worker, is left alone, so a redelivered task does no harm; a job
    whose worker died ("running", its lock free) is written again."""
    with jobs.exclusive(LOCK, pk) as mine:
        if not mine:
            return ExportJob.objects.filter(pk=pk).first()
        return _run(pk)


def _run(pk: int) -> ExportJob | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("owner").filter(pk=pk).first()
        if job is None or not job.is_active:
            return job
    job = _transition(pk, "start", started_at=timezone.now(), rows_done=0, error="")
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            view = _list_view(job)
            filterset, table = view.get_filterset_and_table(paginate=False)
            if filterset is not None and not filterset.is_valid():
                raise ImproperlyExported(_("The filter is no longer valid."))
            with replica():  # the rows are read from the replica when there is one (core.db)
                total = exports.row_count(table)
            ExportJob.objects.filter(pk=pk).update(rows_total=total)
            note = exports.list_note(title=job.title, filterset=filterset, table=table, user=job.owner)
            sheets = exports.list_sheets(title=job.title, table=table)
            with tempfile.TemporaryFile() as handle:
                with replica():
                    written = write_workbook(handle, sheets, note, progress=lambda rows: _set_progress(pk, rows))
                handle.seek(0)
                filename = export_filename(job.title)

                def write(job, transition):
                    job.file.save(f"{pk}.xlsx", File(handle), save=False)
                    now = timezone.now()
                    job.filename, job.finished_at = filename, now
                    job.rows_done = job.rows_total = written
                    job.expires_at = now + dt.timedelta(days=keep_days())

                job = EXPORT_JOB.apply(
                    ExportJob(pk=pk),
                    "finish",
                    by=None,
                    effect=write,
                    message=_("Export written: %(rows)s rows") % {"rows": written},
                    notice=_notice(job, "finish"),
                )
        return job
    except (ImproperlyExported, PermissionDenied) as error:
        return _transition(pk, "fail", str(error), error=str(error), finished_at=timezone.now())
    except Exception as error:
        logger.exception("Export job %s failed", pk)
        message = _("The export failed; try again, or ask an administrator.")
        return _transition(pk, "fail", message, error=f"{message} ({type(error).__name__})",
                           finished_at=timezone.now())  # fmt: skip


def export_jobs_expire(now=None) -> int:
    """Delete jobs past their expiry: the file, then the row, leaving an audit record of each."""
    now = now or timezone.now()
    removed = 0
    for pk in ExportJob.objects.filter(expires_at__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=pk, expires_at__lt=now).first()
            if job is None:
                continue
            before = audit.snapshot(job)
            audit.record(actor=None, action=AuditAction.DELETE, obj=job, before=before, after=None,
                         message=_("Expired after %(days)s days") % {"days": keep_days()})  # fmt: skip
            if job.file:
                name = job.file.name
                # The file goes only once the row's deletion is committed.
                transaction.on_commit(lambda name=name, storage=job.file.storage: storage.delete(name))
            job.delete()
            removed += 1
    return removed
