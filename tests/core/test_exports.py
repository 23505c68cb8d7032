"""List exports as a user opens them: real dates and date-times in Beijing time, empty cells for
empty values, amounts and hours formatted apart, an auto-filter, widths from the content, a note
(properties and a 说明 sheet) saying what the file holds, and query counts flat in the rows."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditRecord, ExportJob
from core.testing import assert_num_queries
from core.xlsx import AMOUNT_FORMAT, DATE_FORMAT, DATETIME_FORMAT
from registry.models import Application, Organization
from supervision.models import AnnualReport

from ..projects.conftest import World
from ..projects.factories import make_entry, make_project
from ..registry.factories import make_application, make_organization
from ..supervision.factories import make_submitted_report

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def workbook_of(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def export(client, url_name, **params):
    return workbook_of(client.get(reverse(url_name), {**params, "export": "xlsx"}))


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(sheet, header):
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


@pytest.fixture
def world(places, users):
    return World(places, users)


def client_as(user):
    client = Client()
    client.force_login(user)
    return client


def test_datetimes_are_real_cells_in_beijing_time_on_their_own_day(places, users, client_for):
    staff = users["bureau_staff"]
    morning = make_application(staff, region=places.community11, name="上午提交的组织")
    early = make_application(staff, region=places.community11, name="凌晨提交的组织")
    Application.objects.filter(pk=morning.pk).update(submitted_at=dt.datetime(2026, 3, 2, 10, 30, tzinfo=BEIJING))
    # 01:00 in Beijing is 17:00 UTC the day before: it must stay on 3 March.
    Application.objects.filter(pk=early.pk).update(submitted_at=dt.datetime(2026, 3, 3, 1, 0, tzinfo=BEIJING))

    sheet = workbook_of(client_for("bureau_staff").get(reverse("registry:application_list"), {"export": "xlsx"})).active
    by_name = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    headers = [cell.value for cell in sheet[1]]
    submitted, decided = headers.index("提交时间"), headers.index("办结时间")
    cell = by_name["上午提交的组织"][submitted]
    assert cell.value == dt.datetime(2026, 3, 2, 10, 30) and cell.number_format == DATETIME_FORMAT
    cell = by_name["凌晨提交的组织"][submitted]
    assert cell.value == dt.datetime(2026, 3, 3, 1, 0) and cell.number_format == DATETIME_FORMAT
    assert by_name["上午提交的组织"][decided].value is None  # empty, not "—"
    assert by_name["上午提交的组织"][headers.index("状态")].value == "草稿"  # the choice's label


def test_a_date_column_over_a_datetime_gives_the_local_date(places, users, client_for):
    org = make_organization(places.community11, name="年报组织")
    report = make_submitted_report(org, year=2025)
    AnnualReport.objects.filter(pk=report.pk).update(submitted_at=dt.datetime(2026, 5, 2, 0, 30, tzinfo=BEIJING))
    sheet = workbook_of(client_for("bureau_staff").get(reverse("supervision:annualreport_list"), {"export": "xlsx"}))
    cells = column(sheet.active, "报送时间")
    assert cells[0].value == dt.datetime(2026, 5, 2) and cells[0].number_format == DATE_FORMAT


def test_dates_are_dates_and_empty_dates_empty_cells(places, users, client_for):
    make_organization(places.community11, name="甲组织", established_on=dt.date(2019, 3, 5))
    make_organization(places.community11, name="乙组织")  # no founding date
    sheet = export(client_for("bureau_staff"), "registry:organization_list").active
    names = [c.value for c in column(sheet, "名称")]
    founded = dict(zip(names, column(sheet, "成立日期"), strict=True))
    assert founded["甲组织"].value == dt.datetime(2019, 3, 5) and founded["甲组织"].number_format == DATE_FORMAT
    assert founded["乙组织"].value is None
    number = dict(zip(names, column(sheet, "统一社会信用代码/备案编号"), strict=True))
    assert number["甲组织"].value == Organization.objects.get(name="甲组织").uscc
    assert {c.value for c in column(sheet, "所属街道")} == {"一街道"}
    assert {c.value for c in column(sheet, "所属社区")} == {"一街道一社区"}
    assert {c.value for c in column(sheet, "名录")} == {None}


def test_hours_are_plain_numbers_and_amounts_are_money(world, client_for):
    make_entry(world.project, world.org_user, volunteer_hours="12.5", date=dt.date(2026, 3, 15))
    ledger = workbook_of(client_as(world.org_user).get(reverse("projects:ledgerentry_list"), {"export": "xlsx"})).active
    hours = column(ledger, "志愿服务时长")[0]
    assert hours.value == 12.5 and hours.number_format != AMOUNT_FORMAT and hours.number_format == "General"
    date = column(ledger, "日期")[0]
    assert date.value == dt.datetime(2026, 3, 15) and date.number_format == DATE_FORMAT
    assert column(ledger, "类型")[0].value == "服务活动" and column(ledger, "状态")[0].value == "草稿"

    projects = workbook_of(client_for("bureau_staff").get(reverse("projects:project_list"), {"export": "xlsx"})).active
    amounts = column(projects, "金额（元）")
    assert {c.number_format for c in amounts} == {AMOUNT_FORMAT} and amounts[0].value == 100000


def test_every_sheet_has_an_autofilter_widths_and_a_note(places, users, client_for):
    users["bureau_staff"].full_name = "王科员"
    users["bureau_staff"].save()
    long_name = "一街道一社区老年人日间照料与邻里互助志愿服务协会"
    make_organization(places.community11, name=long_name, established_on=dt.date(2020, 1, 1))
    make_organization(places.community12, name="短名")
    make_organization(places.community21, name="二街道组织")
    response = client_for("bureau_staff").get(
        reverse("registry:organization_list"), {"street": places.street1.pk, "status": "active", "sort": "-name",
                                                "export": "xlsx"},
    )  # fmt: skip
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["社会组织", "说明"]
    sheet = workbook["社会组织"]
    rows = rows_of(sheet)
    assert [r[0] for r in rows[1:]] == sorted([long_name, "短名"], reverse=True)  # filtered and sorted as asked
    assert sheet.auto_filter.ref == f"A1:K{len(rows)}"
    assert sheet.freeze_panes == "A2"
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert widths["名称"] >= 2 * len(long_name)  # from the content, CJK counted double
    assert widths["成立日期"] < widths["名称"]

    note = {row[0]: row[1] for row in rows_of(workbook["说明"])[1:]}
    assert note["标题"] == "社会组织"
    assert note["筛选条件"] == "状态：正常；所属街道：一街道"
    assert note["排序"] == "名称 降序"
    assert note["导出人"] == f"王科员（{users['bureau_staff'].username}）"
    assert note["导出时间"][:4].isdigit() and len(note["导出时间"]) == 16
    assert note["记录数"] == "2"
    properties = workbook.properties
    assert properties.title == "社会组织"
    assert properties.subject == "状态：正常；所属街道：一街道"
    assert properties.creator == f"王科员（{users['bureau_staff'].username}）"
    assert "筛选条件：状态：正常；所属街道：一街道" in properties.description
    assert "导出时间：" in properties.description


def test_unfiltered_export_says_so(places, users, client_for):
    make_organization(places.community11)
    workbook = workbook_of(client_for("bureau_viewer").get(reverse("registry:organization_list"), {"export": "xlsx"}))
    note = {row[0]: row[1] for row in rows_of(workbook["说明"])[1:]}
    assert note["筛选条件"] == "无（全部记录）"
    assert note["排序"] == "默认顺序"


@pytest.mark.parametrize(
    ("url_name", "make_rows"),
    [
        ("registry:organization_list", lambda places, n: [make_organization(places.community11) for _ in range(n)]),
        ("projects:project_list", None),
    ],
)
def test_sync_export_query_count_does_not_grow_with_rows(places, users, client_for, url_name, make_rows):
    client = client_for("bureau_staff")

    def add(n):
        if make_rows is not None:
            make_rows(places, n)
        else:
            for _ in range(n):
                make_project(make_organization(places.community11), places.street1)

    def export():
        workbook_of(client.get(reverse(url_name), {"export": "xlsx"}))

    add(2)
    with CaptureQueriesContext(connection) as few:
        export()
    add(12)
    with assert_num_queries(len(few.captured_queries)):
        export()


def test_above_the_threshold_the_export_becomes_a_job(places, users, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    for _ in range(3):
        make_organization(places.community11)
    client = client_for("bureau_staff")
    response = client.get(reverse("registry:organization_list"), {"export": "xlsx", "status": "active", "page": "2"})
    assert response.status_code == 302 and response["Location"] == reverse("core:exportjob_list")
    job = ExportJob.objects.get()
    assert (job.owner, job.status, job.rows_total, job.query) == (users["bureau_staff"], "queued", 3, "status=active")
    assert job.view == "registry.views.OrganizationListView" and job.path == reverse("registry:organization_list")
    assert AuditRecord.objects.filter(object_id=str(job.pk), action="create").exists()
    page = client.get(response["Location"]).content.decode()
    assert "导出任务已创建，完成后可在“我的下载”中下载" in page
    assert 'role="progressbar"' in page and 'aria-label="社会组织导出进度"' in page
    assert f'hx-get="{reverse("core:exportjob_progress", args=[job.pk])}"' in page

    # The same export again: the job already under way, not a second one.
    again = client.get(reverse("registry:organization_list"), {"status": "active", "export": "xlsx"}, follow=True)
    assert ExportJob.objects.count() == 1
    assert "该导出正在准备中" in again.content.decode()


def test_a_user_has_at_most_three_exports_under_way(places, users, client_for, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    make_organization(places.community11)
    client = client_for("bureau_staff")
    for sort in ("name", "-name", "established_on"):
        client.get(reverse("registry:organization_list"), {"export": "xlsx", "sort": sort})
    response = client.get(reverse("registry:organization_list"), {"export": "xlsx"}, follow=True)
    assert ExportJob.objects.count() == 3
    assert "您已有 3 个导出任务在等待或进行中" in response.content.decode()


def test_an_invalid_filter_is_still_refused(client_for):
    response = client_for("bureau_staff").get(reverse("registry:organization_list"), {"export": "xlsx", "status": "x"})
    assert response.status_code == 400


def test_bench_has_the_export_row_with_its_ratio_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("bench", "--only", "Excel export", "--scale", "0.002", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    rows = [line for line in lines if "Excel export of organizations" in line]
    assert [" 40 " in line for line in rows] == [False, True, True, False]  # part, bare, whole, ratio
    assert "bare openpyxl write-only" in rows[1] and "whole pipeline" in rows[2]
    assert re.search(r"ratio \d+\.\d\d \(target ≥ 0\.95\)", rows[3])
    assert not Organization.objects.exists() and not ExportJob.objects.exists()


def test_a_report_export_says_what_it_holds_too(world, client_for):
    response = client_for("bureau_staff").get(reverse("projects:timeliness"), {"year": 2026, "export": "xlsx"})
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["台账报送及时率", "说明"]
    assert workbook.active.auto_filter.ref.startswith("A1:H")
    note = {row[0]: row[1] for row in rows_of(workbook["说明"])[1:]}
    assert note["标题"] == "台账报送及时率" and note["筛选条件"] == "统计维度：街道；年度：2026"
