"""The quarterly review workbook's life: requested by staff (a new version, queued), scheduled the day
after a quarter's submission deadline, built by a Celery worker with its progress on the row, and
archived version by version.

A build writes into a temporary file and only then, in one transaction, stores the file and marks its
row ready; a failure marks only its own row failed. So a failed or killed build never touches an
earlier version's file, and the archive always offers the last good version. A build holds its
row's lock (core.jobs.exclusive) while it runs. A killed worker leaves its row "building": the broker
delivers the task again (acknowledged late) and the next worker, finding the lock free, builds the
row over from the start — one file, one "ready"; a task delivered twice while its first worker lives
finds the lock held and leaves the row alone. If no task comes back, the heartbeat stops moving:
after STALE_AFTER without progress the row counts as failed (marked so, with the reason) and a new
version supersedes it. A queued row whose message was lost (Redis down) is sent again by the
watchdog (core.jobs.resend_waiting). Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core import audit, jobs
from core.choices import Action, AuditAction
from core.db import replica
from core.scoping import within
from projects import periods

from ..choices import WorkbookStatus, WorkbookTrigger
from ..models import QuarterlyWorkbook
from ..quarters import quarter_key
from ..workbook import SHEETS, workbook_title, write
from ..workbook.scope import Scope

logger = logging.getLogger(__name__)

BUILD_TASK = "reports.tasks.workbook_build"
LOCK = "reports.workbook"
# A build that reported no progress for this long has lost its worker.
STALE_AFTER = dt.timedelta(minutes=getattr(settings, "REPORTS_WORKBOOK_STALE_MINUTES", 30))
# A queued build that no worker picked up for this long was lost with its message.
QUEUED_STALE_AFTER = dt.timedelta(hours=getattr(settings, "REPORTS_WORKBOOK_QUEUED_STALE_HOURS", 6))
IN_PROGRESS = (WorkbookStatus.QUEUED, WorkbookStatus.BUILDING)
WORKBOOK_LEVELS = (RegionLevel.DISTRICT, RegionLevel.CITY)


def stale_condition(now: dt.datetime) -> Q:
    """The rows in progress whose worker is gone: building without a heartbeat for STALE_AFTER, or
    queued for QUEUED_STALE_AFTER."""
    return (
        Q(status=WorkbookStatus.BUILDING, heartbeat_at__lt=now - STALE_AFTER)
        | Q(status=WorkbookStatus.BUILDING, heartbeat_at__isnull=True, created_at__lt=now - STALE_AFTER)
        | Q(status=WorkbookStatus.QUEUED, created_at__lt=now - QUEUED_STALE_AFTER)
    )


def is_stale(workbook: QuarterlyWorkbook, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if workbook.status == WorkbookStatus.BUILDING:
        return (workbook.heartbeat_at or workbook.created_at) < now - STALE_AFTER
    return workbook.status == WorkbookStatus.QUEUED and workbook.created_at < now - QUEUED_STALE_AFTER


def _fail_stale(region: Region, year: int, quarter: int, now: dt.datetime) -> int:
    """Mark the quarter's lost builds failed (inside the caller's transaction); returns how many."""
    lost = list(
        QuarterlyWorkbook.objects.select_for_update()
        .filter(stale_condition(now), region=region, year=year, quarter=quarter)
        .order_by("pk")
    )
    for workbook in lost:
        before = audit.snapshot(workbook)
        workbook.status = WorkbookStatus.FAILED
        workbook.finished_at = now
        workbook.error = _("The build stopped without finishing (no progress since %(time)s).") % {
            "time": f"{timezone.localtime(workbook.heartbeat_at or workbook.created_at):%Y-%m-%d %H:%M}"
        }
        workbook.save(update_fields=["status", "finished_at", "error"])
        audit.record(actor=None, action=AuditAction.TRANSITION, obj=workbook, before=before, message=workbook.error)
    return len(lost)


def request_permission(user, region: Region | None) -> tuple[bool, str]:
    """Whether `user` may have the workbook of `region` built now: bureau admin or staff (a city's
    bureau too), for a district or city of their subtree."""
    if not QuarterlyWorkbook.access_policy.allows(user, Action.ADD):
        return False, _("Your role may not build quarterly review workbooks.")
    if region is not None and not user.is_superuser and not within(user, region):
        return False, _("This is outside your jurisdiction.")
    return True, ""


def _check_quarter(region: Region, year: int, quarter: int, today: dt.date) -> None:
    if region.level not in WORKBOOK_LEVELS:
        raise ValidationError({"region": _("Region: a workbook is built for a district or a city.")})
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise ValidationError({"quarter": _("Quarter: choose a quarter from 2000 to 2100.")})
    if periods.quarter_start(year, quarter) > today:
        raise ValidationError({"quarter": _("Quarter: this quarter has not begun yet.")})


def _next_version(region: Region, year: int, quarter: int) -> int:
    latest = QuarterlyWorkbook.objects.filter(region=region, year=year, quarter=quarter).aggregate(v=Max("version"))
    return (latest["v"] or 0) + 1


def _create(region, year, quarter, *, trigger, by, now, message) -> QuarterlyWorkbook:
    workbook = QuarterlyWorkbook.objects.create(
        region=region,
        year=year,
        quarter=quarter,
        version=_next_version(region, year, quarter),
        trigger=trigger,
        requested_by=by,
        created_at=now,
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=workbook, message=message)
    jobs.enqueue(BUILD_TASK, workbook.pk)
    return workbook


@transaction.atomic
def workbook_request(region: Region, year: int, quarter: int, by) -> QuarterlyWorkbook:
    """Staff asking for the quarter's workbook now: version N+1, queued for a worker. Refused while
    a build of the same quarter is queued or running (a lost one is marked failed first)."""
    allowed, reason = request_permission(by, region)
    if not allowed:
        raise ValidationError({"region": reason})
    now = timezone.now()
    _check_quarter(region, year, quarter, timezone.localdate(now))
    # One request at a time per node: a double click finds the first request's row.
    Region.objects.select_for_update().only("pk").get(pk=region.pk)
    _fail_stale(region, year, quarter, now)
    running = (
        QuarterlyWorkbook.objects.filter(region=region, year=year, quarter=quarter, status__in=IN_PROGRESS)
        .order_by("-version")
        .first()
    )
    if running is not None:
        raise ValidationError(
            {
                "quarter": _(
                    "Quarter: version %(version)s of this quarter's workbook is being built; "
                    "wait until it is done before building it again."
                )
                % {"version": running.version}
            }
        )
    return _create(
        region, year, quarter, trigger=WorkbookTrigger.REQUEST, by=by, now=now, message=_("Requested by staff")
    )


def due_quarter(today: dt.date) -> tuple[int, int]:
    """The latest quarter whose submission deadline (projects.periods.due_date, holidays counted) is
    before `today`: on a quarter's first day, and up to its predecessor's deadline, the quarter before."""
    year, quarter = periods.quarter_of(today)
    while periods.due_date(year, quarter) >= today:
        year, quarter = periods.previous_quarter(year, quarter)
    return year, quarter


def workbooks_build_due(today: dt.date | None = None) -> dict:
    """Beat, daily: for each active district and city, build the due quarter's workbook unless a
    scheduled one is ready or in progress. So the build comes the day after the deadline, once; a
    failed (or lost) scheduled build is tried again on the next run as a new version."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    year, quarter = due_quarter(today)
    queued, superseded = [], 0
    nodes = Region.objects.filter(is_active=True, level__in=WORKBOOK_LEVELS).order_by("path")
    for region in nodes:
        with transaction.atomic():
            Region.objects.select_for_update().only("pk").get(pk=region.pk)
            superseded += _fail_stale(region, year, quarter, now)
            done = QuarterlyWorkbook.objects.filter(
                region=region,
                year=year,
                quarter=quarter,
                trigger=WorkbookTrigger.SCHEDULE,
                status__in=(WorkbookStatus.READY, *IN_PROGRESS),
            ).exists()
            if done:
                continue
            workbook = _create(
                region,
                year,
                quarter,
                trigger=WorkbookTrigger.SCHEDULE,
                by=None,
                now=now,
                message=_("Scheduled after the submission deadline of %(date)s")
                % {"date": periods.due_date(year, quarter).isoformat()},
            )
            queued.append(workbook.pk)
    return {"quarter": quarter_key(year, quarter), "queued": queued, "superseded": superseded}


# ------------------------------------------------------------------------------------------ building


def _touch(pk: int, started_at, **changes) -> None:
    # Outside any transaction, so the archive page sees each step at once; only this build's own
    # attempt (its started_at) is updated, never a row another run has taken over or closed.
    QuarterlyWorkbook.objects.filter(pk=pk, status=WorkbookStatus.BUILDING, started_at=started_at).update(
        heartbeat_at=timezone.now(), **changes
    )


def _start(pk: int, now: dt.datetime) -> QuarterlyWorkbook | None:
    """Take the row for this run, the caller holding its lock: None when there is nothing to do
    (ready, failed or gone). A row "building" whose lock was free lost its worker: built again."""
    with transaction.atomic():
        workbook = QuarterlyWorkbook.objects.select_for_update().select_related("region").filter(pk=pk).first()
        if workbook is None or workbook.status in (WorkbookStatus.READY, WorkbookStatus.FAILED):
            return None
        before = audit.snapshot(workbook)
        workbook.status = WorkbookStatus.BUILDING
        workbook.started_at = workbook.heartbeat_at = workbook.as_of = now
        workbook.progress, workbook.stage, workbook.error = 0, "", ""
        workbook.save()
        audit.record(actor=None, action=AuditAction.TRANSITION, obj=workbook, before=before,
                     message=_("Build started"))  # fmt: skip
        return workbook


def download_name(workbook: QuarterlyWorkbook) -> str:
    """某区2026年第3季度评审工作簿v2.xlsx."""
    scope = Scope(workbook.region, workbook.year, workbook.quarter)
    return _("%(title)sv%(version)s.xlsx") % {"title": workbook_title(scope), "version": workbook.version}


def _finish(pk: int, started_at, handle, size: int) -> QuarterlyWorkbook | None:
    """Store the file and mark the row ready, in one transaction; None when the row is no longer
    this run's (another run took it over or it was marked failed meanwhile)."""
    stored = None
    try:
        with transaction.atomic():
            workbook = QuarterlyWorkbook.objects.select_for_update().select_related("region").get(pk=pk)
            if workbook.status != WorkbookStatus.BUILDING or workbook.started_at != started_at:
                return None
            before = audit.snapshot(workbook)
            workbook.file.save(f"{workbook.region.code}-{quarter_key(workbook.year, workbook.quarter)}"
                               f"-v{workbook.version}.xlsx", File(handle), save=False)  # fmt: skip
            stored = workbook.file.name
            now = timezone.now()
            workbook.status = WorkbookStatus.READY
            workbook.size, workbook.progress, workbook.stage = size, 100, ""
            workbook.finished_at = workbook.heartbeat_at = now
            workbook.save()
            audit.record(actor=None, action=AuditAction.TRANSITION, obj=workbook, before=before,
                         message=_("Workbook ready"))  # fmt: skip
            return workbook
    except Exception:
        if stored:  # the row did not take the file: it must not linger in storage
            QuarterlyWorkbook._meta.get_field("file").storage.delete(stored)
        raise


def _fail(pk: int, started_at, message: str) -> QuarterlyWorkbook | None:
    with transaction.atomic():
        workbook = QuarterlyWorkbook.objects.select_for_update().filter(pk=pk).first()
        if workbook is None or workbook.status != WorkbookStatus.BUILDING or workbook.started_at != started_at:
            return workbook
        before = audit.snapshot(workbook)
        workbook.status = WorkbookStatus.FAILED
        workbook.error = message[:2000]
        workbook.finished_at = timezone.now()
        workbook.save(update_fields=["status", "error", "finished_at"])
        audit.record(actor=None, action=AuditAction.TRANSITION, obj=workbook, before=before, message=message[:500])
        return workbook


def waiting_builds(before: dt.datetime) -> list[tuple[int]]:
    """The queued rows no worker took since `before` (core.jobs.resend_waiting sends them again),
    not those so old they count as lost (the next request or schedule marks them failed)."""
    rows = QuarterlyWorkbook.objects.filter(
        status=WorkbookStatus.QUEUED, created_at__lt=before, created_at__gte=timezone.now() - QUEUED_STALE_AFTER
    )
    return [(pk,) for pk in rows.order_by("pk").values_list("pk", flat=True)]


def workbook_build(workbook_id: int) -> QuarterlyWorkbook | None:
    """Build one version (the Celery task calls this). A row already ready or failed, gone, or being
    built by a live worker (its lock held) is left alone, so a redelivered task does no harm; a row
    whose worker died is built again."""
    with jobs.exclusive(LOCK, workbook_id) as mine:
        if not mine:
            return QuarterlyWorkbook.objects.filter(pk=workbook_id).first()
        return _build(workbook_id)


def _build(workbook_id: int) -> QuarterlyWorkbook | None:
    now = timezone.now()
    workbook = _start(workbook_id, now)
    if workbook is None:
        return QuarterlyWorkbook.objects.filter(pk=workbook_id).first()
    pk, started_at = workbook.pk, workbook.started_at
    scope = Scope(workbook.region, workbook.year, workbook.quarter, as_of=now)
    count = len(SHEETS)

    def on_sheet(index: int, title: str) -> None:
        _touch(pk, started_at, progress=min(99, index * 100 // count), stage=title[:100])
        jobs.checkpoint(f"{LOCK}.sheet-{index}")

    try:
        with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryFile() as handle:
            with replica():  # the sheets read the replica when there is one (core.db)
                write(scope, handle, version=workbook.version, on_sheet=on_sheet,
                      progress=lambda rows: _touch(pk, started_at))  # fmt: skip
            size = handle.tell()
            handle.seek(0)
            finished = _finish(pk, started_at, handle, size)
        return finished or QuarterlyWorkbook.objects.filter(pk=pk).first()
    except Exception as error:
        logger.exception("Quarterly workbook %s failed", pk)
        with translation.override(settings.LANGUAGE_CODE):
            message = _("The build failed (%(error)s); the previous version stays available.") % {
                "error": type(error).__name__
            }
        return _fail(pk, started_at, message)
