"""A ledger as a treasurer fills one, through the upload page: a cover sheet, a merged title, the
treasurer's own headers, a merged 地点 cell, dates typed as a serial number in text, eight digits,
2026.3.15 and 2026年3月20日, money columns the ledger does not read, a total and a signature row."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils.datetime import to_excel

from projects.models import LedgerEntry

pytestmark = pytest.mark.django_db

HEADER = [
    "序号", "活动日期", "活动类型", "活动名称", "活动地点", "参加人数", "受益人次", "志愿者", "志愿时长", "活动内容",
    "金额（元）", "预算科目", "备注",
]  # fmt: skip


def serial_text(day: dt.date) -> str:
    return str(int(to_excel(dt.datetime(day.year, day.month, day.day))))


def treasurer_workbook(rows=None) -> bytes:
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["每次活动填一行；金额另记支出"])
    sheet = book.create_sheet("台账")
    sheet.append(["银龄互助项目活动台账（2026年一季度）"])
    sheet.merge_cells("A1:M1")
    sheet.append(HEADER)
    rows = rows or [
        [1, serial_text(dt.date(2026, 3, 10)), "服务活动", "重阳敬老", "社区活动中心", "30人", 25, 5, "12.5小时",
         "义诊理发", 800, "活动费", "购买材料"],
        [2, 20260312, "培训", "志愿者培训", None, 20, 0, 2, 4, "培训", None, None, None],
        [3, "2026.3.15", "走访", "入户走访", "各小区", 12, 12, 3, 6.5, "", None, None, None],
        [4, "2026年3月20日", "会议", "议事会", "会议室", 8, 0, 0, 0, "", None, None, None],
        ["合计", None, None, None, None, 70, 37, 10, 23, None, 800, None, None],
        ["填表人：张三", None, None, None, None, None, None, None, None, "审核人：李四", None, None, None],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("E3:E4")  # one place for the first two activities
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dry_run(client, project, content: bytes):
    return client.post(
        reverse("projects:ledger_upload", args=[project.pk]), {"file": SimpleUploadedFile("台账.xlsx", content)}
    )


def test_dry_run_reads_the_treasurers_workbook_and_says_what_it_left_out(world, client_as):
    response = dry_run(client_as(world.org_user), world.project, treasurer_workbook())
    page = response.content.decode()
    plan = response.context["plan"]
    assert [(row.number, row.action) for row in plan] == [(3, "create"), (4, "create"), (5, "create"), (6, "create")]
    assert [row.data["date"] for row in plan] == [
        dt.date(2026, 3, 10),
        dt.date(2026, 3, 12),
        dt.date(2026, 3, 15),
        dt.date(2026, 3, 20),
    ]
    assert [row.data["place"] for row in plan] == ["社区活动中心", "社区活动中心", "各小区", "会议室"]
    assert plan[0].data["participants"] == 30 and str(plan[0].data["volunteer_hours"]) == "12.5"
    assert "读取工作表“台账”，表头在第 2 行。" in page
    for warning in (
        "列“序号”未能识别，已忽略。",
        "列“金额（元）”台账上传不读取：金额、预算科目和支出备注属于支出，请在项目页面用“上传支出”上传。",
        "列“预算科目”台账上传不读取：金额、预算科目和支出备注属于支出，请在项目页面用“上传支出”上传。",
        "列“备注”台账上传不读取：金额、预算科目和支出备注属于支出，请在项目页面用“上传支出”上传。",
        "工作表“台账”第7行（“合计”）是合计、签名或说明行，不是数据，已跳过。",
        "工作表“台账”第8行（“填表人：张三”）是合计、签名或说明行，不是数据，已跳过。",
    ):
        assert warning in page, warning
    assert reverse("projects:expenditure_upload", args=[world.project.pk]) in page
    # The values read are on the page, so a misread shows before confirming.
    assert "2026年3月10日" in page and "2026年3月12日" in page and "社区活动中心" in page
    assert 'id="confirm-upload"' in page
    assert not LedgerEntry.objects.filter(project=world.project).exists()


def test_confirm_creates_exactly_the_activities_with_the_merged_place(world, client_as):
    client = client_as(world.org_user)
    response = dry_run(client, world.project, treasurer_workbook())
    client.post(
        reverse("projects:ledger_upload_confirm", args=[world.project.pk]), {"token": response.context["token"]}
    )
    created = LedgerEntry.objects.filter(project=world.project).order_by("date")
    assert [(e.date, e.kind, e.title, e.place, e.participants) for e in created] == [
        (dt.date(2026, 3, 10), "service_activity", "重阳敬老", "社区活动中心", 30),
        (dt.date(2026, 3, 12), "training", "志愿者培训", "社区活动中心", 20),
        (dt.date(2026, 3, 15), "visit", "入户走访", "各小区", 12),
        (dt.date(2026, 3, 20), "meeting", "议事会", "会议室", 8),
    ]
    assert all(entry.status == "draft" for entry in created)


def test_a_misread_date_is_shown_as_read_and_refused_with_its_row(world, client_as):
    rows = [
        [1, "43529", "会议", "旧会议", "会议室", 8, 0, 0, 0, "", None, None, None],  # 2019年3月5日
        [2, "去年", "会议", "某会议", "会议室", 8, 0, 0, 0, "", None, None, None],
    ]
    response = dry_run(client_as(world.org_user), world.project, treasurer_workbook(rows))
    page = response.content.decode()
    errors = {row.number: row.error_text for row in response.context["plan"]}
    assert errors[3] == "日期：2019年3月5日 超出项目周期 2026年1月1日至2026年12月31日。"
    assert errors[4] == "日期：去年 不是日期，请写成 2019-03-05 或 2019年3月5日。"
    assert errors[4] in page
    assert 'id="confirm-upload"' not in page


def test_a_workbook_without_a_ledger_names_the_sheets_and_the_columns(world, client_as):
    book = Workbook()
    book.active.title = "封面"
    book.active.append(["银龄互助项目"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = dry_run(client_as(world.org_user), world.project, buffer.getvalue())
    assert (
        "文件：没有一个工作表在前 20 行中有写明台账各列（日期、类型、标题……）的表头；已查看的工作表：“封面”。"
        in response.content.decode()
    )


def test_a_ledger_missing_a_required_column_names_it_with_sheet_and_row(world, client_as):
    book = Workbook()
    book.active.title = "台账"
    book.active.append(["活动日期", "活动地点", "参加人数"])
    book.active.append([dt.date(2026, 3, 1), "会议室", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    page = dry_run(client_as(world.org_user), world.project, buffer.getvalue()).content.decode()
    assert "工作表“台账”第1行：表中没有“类型”列。" in page
    assert "工作表“台账”第1行：表中没有“标题”列。" in page
