"""The quarterly review workbook's life: versions on request, one build at a time per quarter, the
scheduled build the day after the submission deadline (once), idempotent builds, and failed or
killed builds that never take the last good version away."""

import datetime as dt
import io
import time

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import Role
from core import jobs
from core.models import AuditRecord
from projects import periods
from reports.choices import WorkbookStatus, WorkbookTrigger
from reports.models import QuarterlyWorkbook
from reports.services import workbooks as services
from reports.workbook import projects as project_sheets

from ..accounts.factories import Jurisdiction, make_user
from ..registry.factories import make_organization


@pytest.fixture
def city_places(db):
    return Jurisdiction(city=True)


def _rows(places):
    return QuarterlyWorkbook.objects.filter(region__path__startswith=places.city.path)


def _file_bytes(workbook):
    with workbook.file.open("rb") as handle:
        return handle.read()


def test_requests_make_versions_and_refuse_a_second_while_one_runs(places, users):
    staff = users["bureau_staff"]
    first = services.workbook_request(places.district, 2026, 2, staff)
    assert (first.version, first.status, first.trigger, first.requested_by) == (
        1,
        WorkbookStatus.QUEUED,
        WorkbookTrigger.REQUEST,
        staff,
    )
    with pytest.raises(ValidationError) as refused:
        services.workbook_request(places.district, 2026, 2, users["bureau_admin"])
    assert (
        "第1版" in refused.value.message_dict["quarter"][0] and "正在生成" in refused.value.message_dict["quarter"][0]
    )
    # Another quarter is not held up.
    assert services.workbook_request(places.district, 2026, 1, staff).version == 1

    services.workbook_build(first.pk)
    second = services.workbook_request(places.district, 2026, 2, staff)
    assert second.version == 2
    services.workbook_build(second.pk)
    assert list(
        QuarterlyWorkbook.objects.filter(region=places.district, year=2026, quarter=2)
        .order_by("version")
        .values_list("version", "status")
    ) == [(1, "ready"), (2, "ready")]
    assert AuditRecord.objects.filter(object_id=str(second.pk), message="工作簿已生成").exists()


def test_who_may_request_and_for_which_node(places, users):
    with pytest.raises(ValidationError, match="无权"):
        services.workbook_request(places.district, 2026, 2, users["bureau_viewer"])
    with pytest.raises(ValidationError, match="管辖范围"):
        services.workbook_request(places.district, 2026, 2, users["other_district_admin"])
    with pytest.raises(ValidationError, match="区或市"):
        services.workbook_request(places.street1, 2026, 2, users["bureau_admin"])
    this_year, this_quarter = periods.quarter_of(timezone.localdate())
    later = (this_year + 1, this_quarter)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.workbook_request(places.district, *later, users["bureau_admin"])
    assert not QuarterlyWorkbook.objects.exists()


def test_a_city_bureau_builds_the_city_workbook(city_places):
    city_admin = make_user(Role.BUREAU_ADMIN, city_places.city)
    workbook = services.workbook_request(city_places.city, 2026, 2, city_admin)
    assert services.workbook_build(workbook.pk).status == WorkbookStatus.READY


def test_a_build_is_idempotent(places, users):
    workbook = services.workbook_request(places.district, 2026, 2, users["bureau_staff"])
    built = services.workbook_build(workbook.pk)
    assert (built.status, built.progress, built.stage) == ("ready", 100, "")
    name, size = built.file.name, built.size
    assert size == len(_file_bytes(built)) > 0
    # A redelivered task finds the row ready and does nothing.
    again = services.workbook_build(workbook.pk)
    assert (again.file.name, again.size, again.finished_at) == (name, size, built.finished_at)
    assert services.workbook_build(999999) is None


def test_a_failed_build_keeps_the_last_good_version(places, users, monkeypatch):
    staff = users["bureau_staff"]
    good = services.workbook_build(services.workbook_request(places.district, 2026, 2, staff).pk)
    good_bytes = _file_bytes(good)

    def broken(scope):
        raise RuntimeError("disk full")

    monkeypatch.setattr(project_sheets, "funds_sheet", broken)  # midway: the 8th of 12 sheets
    failed = services.workbook_build(services.workbook_request(places.district, 2026, 2, staff).pk)
    assert (failed.version, failed.status, failed.file.name) == (2, "failed", "")
    assert "RuntimeError" in failed.error and "上一版本仍可下载" in failed.error
    good.refresh_from_db()
    assert good.status == "ready" and default_storage.exists(good.file.name)
    assert _file_bytes(good) == good_bytes

    monkeypatch.undo()
    rerun = services.workbook_build(services.workbook_request(places.district, 2026, 2, staff).pk)
    assert (rerun.version, rerun.status) == (3, "ready")
    assert load_workbook(io.BytesIO(_file_bytes(rerun))).sheetnames[7] == "项目与资金"


def test_a_killed_build_is_superseded_and_the_last_good_version_stays(places, users):
    staff = users["bureau_staff"]
    good = services.workbook_build(services.workbook_request(places.district, 2026, 2, staff).pk)
    # A worker killed midway: its row stays "building" at 40%, no file, heartbeat long ago.
    killed = services.workbook_request(places.district, 2026, 2, staff)
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1)
    QuarterlyWorkbook.objects.filter(pk=killed.pk).update(
        status=WorkbookStatus.BUILDING, progress=40, started_at=long_ago, heartbeat_at=long_ago
    )
    # While it still looked alive, a new request would have been refused; now it is stale.
    rerun = services.workbook_request(places.district, 2026, 2, staff)
    killed.refresh_from_db()
    assert (killed.status, killed.file.name) == ("failed", "")
    assert "没有进展" in killed.error
    assert services.workbook_build(rerun.pk).status == "ready"
    # The killed task redelivered late does not resurrect its row.
    assert services.workbook_build(killed.pk).status == "failed"
    good.refresh_from_db()
    assert good.status == "ready" and default_storage.exists(good.file.name)
    ready = QuarterlyWorkbook.objects.filter(region=places.district, year=2026, quarter=2, status="ready")
    assert list(ready.order_by("version").values_list("version", flat=True)) == [1, 3]


def test_a_live_build_is_not_taken_over(places, users):
    workbook = services.workbook_request(places.district, 2026, 2, users["bureau_staff"])
    now = timezone.now()
    QuarterlyWorkbook.objects.filter(pk=workbook.pk).update(
        status=WorkbookStatus.BUILDING, started_at=now, heartbeat_at=now, progress=30
    )
    # A live worker holds the build's lock (core.jobs.exclusive) on its own connection.
    db = connection.settings_dict
    worker = psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True)
    try:
        worker.execute("SELECT pg_advisory_lock(%s, %s)", [jobs.lock_key(services.LOCK), workbook.pk])
        result = services.workbook_build(workbook.pk)
        assert (result.status, result.progress) == ("building", 30)
    finally:
        worker.close()  # the worker dies: its lock goes with its connection
    deadline = time.monotonic() + 10
    while jobs.holder_alive(services.LOCK, workbook.pk) and time.monotonic() < deadline:
        time.sleep(0.02)  # PostgreSQL ends the closed connection's process a moment later
    # The task delivered again finds the lock free: the row is built over.
    assert services.workbook_build(workbook.pk).status == "ready"


def test_due_quarter_follows_the_submission_deadline(db):
    # The working-day calendar reads the bureau's override table (core.calendar), so the database.
    # Q3 2026: 30 September + 10 days = Saturday 10 October, a make-up working day: the deadline.
    assert periods.due_date(2026, 3) == dt.date(2026, 10, 10)
    assert services.due_quarter(dt.date(2026, 10, 1)) == (2026, 2)  # the quarter's first day
    assert services.due_quarter(dt.date(2026, 10, 10)) == (2026, 2)  # the deadline day
    assert services.due_quarter(dt.date(2026, 10, 11)) == (2026, 3)  # the day after
    # Q4 2025: 31 December + 10 days = Saturday 10 January 2026 → Monday 12 January.
    assert periods.due_date(2025, 4) == dt.date(2026, 1, 12)
    assert services.due_quarter(dt.date(2026, 1, 12)) == (2025, 3)
    assert services.due_quarter(dt.date(2026, 1, 13)) == (2025, 4)


def test_the_scheduled_build_comes_the_day_after_the_deadline_once(city_places):
    make_organization(city_places.community11)
    nodes = 3  # the city and its two districts

    def scheduled(quarter):
        return _rows(city_places).filter(year=2026, quarter=quarter, trigger=WorkbookTrigger.SCHEDULE)

    first = services.workbooks_build_due(dt.date(2026, 7, 20))  # Q2's deadline has passed
    assert first["quarter"] == "2026Q2" and len(first["queued"]) == nodes == scheduled(2).count()
    for pk in first["queued"]:
        services.workbook_build(pk)
    assert services.workbooks_build_due(dt.date(2026, 7, 20))["queued"] == []  # the same day again

    for day in (dt.date(2026, 10, 1), dt.date(2026, 10, 9), dt.date(2026, 10, 10)):
        assert services.workbooks_build_due(day)["queued"] == [], day
    assert not scheduled(3).exists()

    after = services.workbooks_build_due(dt.date(2026, 10, 11))
    assert after["quarter"] == "2026Q3" and len(after["queued"]) == nodes
    assert services.workbooks_build_due(dt.date(2026, 10, 11))["queued"] == []  # queued counts as done
    for pk in after["queued"]:
        assert services.workbook_build(pk).status == "ready"
    assert services.workbooks_build_due(dt.date(2026, 10, 12))["queued"] == []
    assert scheduled(3).count() == nodes
    assert set(scheduled(3).values_list("version", flat=True)) == {1}


def test_the_schedule_supersedes_a_killed_build_and_retries_a_failed_one(city_places, monkeypatch):
    day = dt.date(2026, 10, 11)
    queued = services.workbooks_build_due(day)["queued"]
    killed, failed = queued[0], queued[1]
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=5)
    QuarterlyWorkbook.objects.filter(pk=killed).update(
        status=WorkbookStatus.BUILDING, started_at=long_ago, heartbeat_at=long_ago
    )
    monkeypatch.setattr(project_sheets, "ratings_sheet", lambda scope: 1 / 0)
    assert services.workbook_build(failed).status == "failed"
    monkeypatch.undo()

    result = services.workbooks_build_due(day)
    assert result["superseded"] == 1 and len(result["queued"]) == 2
    for pk in result["queued"]:
        assert services.workbook_build(pk).status == "ready"
    assert QuarterlyWorkbook.objects.get(pk=killed).status == "failed"
    assert services.workbooks_build_due(day)["queued"] == []
