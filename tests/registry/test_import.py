"""Roster import: dry run with exact error rows, nothing written; confirm; all or nothing;
duplicates reported; the Celery path with a real worker."""

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditRecord
from core.testing import celery_worker_process
from registry import services_import, tasks
from registry.choices import RosterImportStatus
from registry.models import Organization, RosterImport

from .factories import make_organization
from .rosters import CODE_A, CODE_B, generated_roster, messy_roster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content: bytes, name="名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


@pytest.fixture
def existing(places):
    return make_organization(places.community11, name="已登记老年协会")


@pytest.mark.django_db
def test_dry_run_reports_exact_rows_and_writes_nothing(places, users, existing):
    before = Organization.objects.count()
    imp = services_import.roster_import_start(
        file=upload(messy_roster(duplicate_name=existing.name)), by=users["bureau_staff"]
    )
    assert imp.status == RosterImportStatus.VALIDATED
    assert Organization.objects.count() == before
    assert imp.total_rows == 7  # rows 4, 5, 7, 8, 9, 10, 11; blank row 6 skipped
    assert imp.valid_rows == 3  # rows 4, 5, 8
    assert [(row, column) for row, column, _message in imp.errors] == [
        (7, "统一社会信用代码"),
        (9, "统一社会信用代码"),
        (10, "类别"),
        (10, "所属街道"),
        (10, "成立日期"),
        (11, "名称"),
    ]
    messages = {(row, column): message for row, column, message in imp.errors}
    assert messages[(9, "统一社会信用代码")] == f"统一社会信用代码 {CODE_A} 与第 4 行重复。"
    assert "已登记老年协会" in messages[(11, "名称")]
    assert "不会导入或合并" in messages[(11, "名称")]
    assert "校验码应为" in messages[(7, "统一社会信用代码")]
    assert imp.header_rows == [2, 3]


@pytest.mark.django_db
def test_confirm_imports_valid_rows_in_one_go(places, users, existing):
    staff = users["bureau_staff"]
    imp = services_import.roster_import_start(file=upload(messy_roster(duplicate_name=existing.name)), by=staff)
    imp = services_import.roster_import_confirm(roster_import=imp, by=staff)
    assert imp.status == RosterImportStatus.IMPORTED
    assert imp.imported_count == 3
    created = {o.name: o for o in Organization.objects.exclude(pk=existing.pk)}
    assert set(created) == {"夕阳红志愿服务队", "宝石社区文体队", "阳光公益服务中心"}
    first = created["夕阳红志愿服务队"]
    assert first.uscc == CODE_A
    assert first.region == places.community11
    assert first.district == places.district
    assert first.established_on == dt.date(2018, 6, 1)
    assert first.registration_level == "registered"
    assert first.created_by == staff
    filed = created["宝石社区文体队"]
    assert filed.registration_level == "filed"
    assert filed.filing_number.startswith(f"{places.district.code}-")
    assert created["阳光公益服务中心"].uscc == CODE_B
    assert AuditRecord.objects.filter(action="import", content_type__model="organization").count() == 3
    assert AuditRecord.objects.filter(action="import", content_type__model="rosterimport").count() == 1
    # A second confirmation is refused; nothing doubles.
    with pytest.raises(ValidationError) as error:
        services_import.roster_import_confirm(roster_import=imp, by=staff)
    assert error.value.message_dict == {"status": ["该名册已确认导入。"]}
    assert Organization.objects.count() == 4


@pytest.mark.django_db
def test_all_or_nothing_imports_nothing_when_any_row_fails(places, users):
    staff = users["bureau_staff"]
    imp = services_import.roster_import_start(file=upload(messy_roster()), by=staff, all_or_nothing=True)
    assert imp.error_count > 0
    assert not imp.can_confirm
    with pytest.raises(ValidationError) as error:
        services_import.roster_import_confirm(roster_import=imp, by=staff)
    assert "全部或不导入" in error.value.message_dict["all_or_nothing"][0]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_all_or_nothing_with_a_clean_roster_imports_all(places, users):
    staff = users["bureau_staff"]
    imp = services_import.roster_import_start(
        file=upload(generated_roster(5, ["一街道", "二街道"])), by=staff, all_or_nothing=True
    )
    assert (imp.valid_rows, imp.error_count) == (5, 0)
    imp = services_import.roster_import_confirm(roster_import=imp, by=staff)
    assert imp.imported_count == 5
    numbers = sorted(Organization.objects.values_list("filing_number", flat=True))
    assert len(set(numbers)) == 5


@pytest.mark.django_db
def test_duplicate_names_compare_folded(places, users):
    make_organization(places.community11, name="阳光（公益）服务中心")
    roster = generated_roster(2, ["一街道"], prefix="生成组织")
    imp = services_import.roster_import_start(file=upload(roster), by=users["bureau_staff"])
    assert imp.error_count == 0
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["名称", "类型", "类别", "所属街道", "负责人"])
    wb.active.append(["阳光 (公益) 服务中心", "社区社会组织", "为民服务", "一街道", "张三"])
    buffer = io.BytesIO()
    wb.save(buffer)
    imp = services_import.roster_import_start(file=upload(buffer.getvalue()), by=users["bureau_staff"])
    assert imp.valid_rows == 0
    assert "阳光（公益）服务中心" in imp.errors[0][2]


@pytest.mark.django_db
def test_register_changed_since_dry_run(places, users):
    """A row registered by someone else between the dry run and the confirmation is not duplicated."""
    staff = users["bureau_staff"]
    imp = services_import.roster_import_start(file=upload(generated_roster(3, ["一街道"])), by=staff)
    make_organization(places.street1, name="生成组织000001", legal_form="community_filed")
    imp = services_import.roster_import_confirm(roster_import=imp, by=staff)
    assert imp.imported_count == 2
    assert imp.error_count == 1
    assert Organization.objects.filter(name="生成组织000001").count() == 1


@pytest.mark.django_db
def test_refusals(places, users):
    for name in ("bureau_viewer", "street_officer", "community_party", "org_user", "expert"):
        with pytest.raises(PermissionDenied):
            services_import.roster_import_start(file=upload(messy_roster()), by=users[name])
    with pytest.raises(ValidationError) as error:
        services_import.roster_import_start(file=upload(b"name,uscc\n", "roster.xlsx"), by=users["bureau_staff"])
    assert error.value.message_dict == {
        "file": ["文件：roster.xlsx 不是允许的文件类型（Excel (xlsx)）；文件类型按内容判断，而不是按文件名。"]
    }
    imp = services_import.roster_import_start(file=upload(messy_roster()), by=users["bureau_staff"])
    with pytest.raises(PermissionDenied):
        services_import.roster_import_confirm(roster_import=imp, by=users["other_district_staff"])
    with pytest.raises(PermissionDenied):
        services_import.roster_import_confirm(roster_import=imp, by=users["bureau_viewer"])
    assert Organization.objects.count() == 0
    assert set(RosterImport.objects.restrict(users["other_district_admin"])) == set()
    assert set(RosterImport.objects.restrict(users["bureau_viewer"])) == {imp}
    assert set(RosterImport.objects.restrict(users["street_officer"])) == set()


@pytest.mark.django_db
def test_roster_missing_columns_is_reported(users):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["名称", "负责人"])
    wb.active.append(["某组织", "张三"])
    buffer = io.BytesIO()
    wb.save(buffer)
    imp = services_import.roster_import_start(file=upload(buffer.getvalue()), by=users["bureau_staff"])
    assert imp.status == RosterImportStatus.VALIDATED
    assert imp.valid_rows == 0
    # The legal form (类型) has a default; the category and the street do not.
    assert {column for _row, column, _message in imp.errors} == {"类别", "所属街道"}
    assert not imp.can_confirm


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_large_roster_runs_in_celery_with_progress(places, users, settings, monkeypatch):
    settings.REGISTRY_ROSTER_IMPORT_SYNC_MAX_BYTES = 0  # every file goes to Celery
    staff = users["bureau_staff"]
    with celery_worker_process() as queue:
        for task in (tasks.roster_import_validate, tasks.roster_import_run):
            monkeypatch.setattr(task, "delay", lambda pk, task=task: task.apply_async(args=[pk], queue=queue))
        imp = services_import.roster_import_start(file=upload(generated_roster(300, ["一街道", "二街道"])), by=staff)
        imp = _wait_for(imp, RosterImportStatus.VALIDATED)
        assert (imp.valid_rows, imp.error_count) == (300, 0)
        assert Organization.objects.count() == 0
        assert services_import.progress_of(imp) == 100
        imp = services_import.roster_import_confirm(roster_import=imp, by=staff)
        assert imp.status == RosterImportStatus.IMPORTING
        imp = _wait_for(imp, RosterImportStatus.IMPORTED)
    assert imp.imported_count == 300
    assert Organization.objects.count() == 300


def _wait_for(imp, status, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        imp.refresh_from_db()
        if imp.status == status:
            return imp
        assert imp.status != RosterImportStatus.FAILED, imp.message
        time.sleep(0.2)
    raise AssertionError(f"roster import still {imp.status}")
