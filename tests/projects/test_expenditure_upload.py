"""Expenditures in bulk: the template, the dry run (values read, balance left per line, overspending
refused per row with the balance), confirm records every row in one transaction or none, audited;
the page for the organization only."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import AuditRecord
from projects import services
from projects.expenditure_xlsx import plan_expenditure_upload, read_expenditure_workbook
from projects.models import Expenditure

pytestmark = pytest.mark.django_db


def workbook(rows, header=("支出日期", "科目", "金额（元）", "收款人", "用途", "凭证编号")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "支出明细"
    sheet.append(["银龄互助项目支出明细"])
    sheet.merge_cells("A1:F1")
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ["2026.3.5", "活动费", "1,200.50", "文具店", "活动材料", "记-001"],
    [20260306, "人员费", 3000, "张三", "3月劳务", 2],
    ["2026年3月7日", "活动费", 800, "打印店", "宣传单", "记-003"],
    ["合计", None, 5000.5, None, None, None],
]


def upload_url(world):
    return reverse("projects:expenditure_upload", args=[world.project.pk])


def dry_run(client, world, content: bytes):
    return client.post(upload_url(world), {"file": SimpleUploadedFile("支出.xlsx", content)})


def test_the_template_has_the_columns_and_the_budget_lines_with_their_balances(world, client_as):
    services.expenditure_create(
        project=world.project, by=world.org_user, budget_line=world.project.budget_lines.get(name="活动费"),
        date=dt.date(2026, 2, 1), amount="1000", payee="文具店", voucher_number="记-000",
    )  # fmt: skip
    response = client_as(world.org_user).get(reverse("projects:expenditure_template", args=[world.project.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert next(book.worksheets[0].values)[:6] == ("日期", "预算科目", "金额", "收款方", "摘要", "凭证号")
    lines = list(book.worksheets[1].values)
    assert lines[0][:4] == ("预算科目", "类别", "金额（元）", "余额（元）")
    assert sorted(row[:1] + row[3:4] for row in lines[1:3]) == [("人员费", 40000), ("活动费", 59000)]


def test_dry_run_shows_each_row_as_read_and_confirm_records_them_all(world, client_as):
    client = client_as(world.org_user)
    response = dry_run(client, world, workbook(GOOD_ROWS))
    page = response.content.decode()
    plan = response.context["plan"]
    assert [row.number for row in plan] == [3, 4, 5]
    assert [row.errors for row in plan] == [{}, {}, {}]
    assert [(row.shown["date"], row.shown["budget_line"], row.shown["amount"]) for row in plan] == [
        (dt.date(2026, 3, 5), "活动费", Decimal("1200.50")),
        (dt.date(2026, 3, 6), "人员费", Decimal("3000.00")),
        (dt.date(2026, 3, 7), "活动费", Decimal("800.00")),
    ]
    assert plan[1].shown["voucher_number"] == "2"
    assert [row.balance_after_text for row in plan] == ["58,799.50 元", "37,000.00 元", "57,999.50 元"]
    assert "读取工作表“支出明细”，表头在第 2 行。" in page
    assert "工作表“支出明细”第6行（“合计”）是合计、签名或说明行，不是数据，已跳过。" in page
    assert "2026年3月5日" in page and "57,999.50 元" in page
    assert not Expenditure.objects.exists()
    response = client.post(
        reverse("projects:expenditure_upload_confirm", args=[world.project.pk]),
        {"token": response.context["token"]},
        follow=True,
    )
    assert "已记录 3 笔支出。" in response.content.decode()
    recorded = Expenditure.objects.filter(project=world.project).order_by("date")
    assert [(e.date, e.budget_line.name, e.amount, e.payee, e.purpose, e.voucher_number) for e in recorded] == [
        (dt.date(2026, 3, 5), "活动费", Decimal("1200.50"), "文具店", "活动材料", "记-001"),
        (dt.date(2026, 3, 6), "人员费", Decimal("3000.00"), "张三", "3月劳务", "2"),
        (dt.date(2026, 3, 7), "活动费", Decimal("800.00"), "打印店", "宣传单", "记-003"),
    ]
    assert all(e.created_by == world.org_user for e in recorded)
    audits = AuditRecord.objects.filter(content_type__model="expenditure", action="import")
    assert audits.count() == 3 and {a.actor_id for a in audits} == {world.org_user.pk}


def test_overspending_is_refused_per_row_with_the_balance_left(world, client_as):
    rows = [
        ["2026-03-05", "活动费", 50000, "甲公司", "场地", "记-101"],
        ["2026-03-06", "活动费", 20000, "乙公司", "物资", "记-102"],
        ["2026-03-07", "人员费", 40000.01, "张三", "劳务", "记-103"],
    ]
    response = dry_run(client_as(world.org_user), world, workbook(rows))
    page = response.content.decode()
    errors = {row.number: row.error_text for row in response.context["plan"]}
    advice = "如需超支，请先由资助方批准预算调整。"
    assert errors == {
        3: "",
        4: f"金额：20,000.00 元 超出预算科目“活动费”的余额，该科目余额为 10,000.00 元。{advice}",
        5: f"金额：40,000.01 元 超出预算科目“人员费”的余额，该科目余额为 40,000.00 元。{advice}",
    }
    assert errors[4] in page
    assert 'id="confirm-upload"' not in page and 'id="upload-blocked"' in page
    assert not Expenditure.objects.exists()


def test_values_that_cannot_be_read_are_refused_naming_the_column(world, client_as):
    rows = [
        ["去年", "活动费", 100, "甲", "", "记-1"],
        ["2026-03-05", "交通费", "八十", "乙", "", "记-2"],
        ["2026-03-05", "活动费", 100, "", "", None],
        ["2027-01-05", "人员费", 0, "丙", "", "记-4"],
    ]
    response = dry_run(client_as(world.org_user), world, workbook(rows))
    errors = {row.number: row.errors for row in response.context["plan"]}
    assert errors[3] == {"date": "日期：去年 不是日期，请写成 2019-03-05 或 2019年3月5日。"}
    assert errors[4] == {
        "amount": "金额：八十 不是金额。",
        "budget_line": "预算科目：“交通费”不是本项目的预算科目（活动费、人员费）。",
    }
    assert errors[5] == {"payee": "收款方：请输入收款方。", "voucher_number": "凭证号：请输入凭证号。"}
    assert errors[6]["date"] == "日期：2027年1月5日 超出项目周期 2026年1月1日至2026年12月31日。"
    assert errors[6]["amount"] == "金额必须大于零。"


def test_confirm_records_nothing_when_a_row_no_longer_fits(world, client_as):
    """The balance is checked again, row by row under the line's lock, when confirming."""
    client = client_as(world.org_user)
    response = dry_run(client, world, workbook(GOOD_ROWS))
    services.expenditure_create(
        project=world.project, by=world.org_user, budget_line=world.project.budget_lines.get(name="活动费"),
        date=dt.date(2026, 3, 1), amount="59000", payee="某公司", voucher_number="记-900",
    )  # fmt: skip
    response = client.post(
        reverse("projects:expenditure_upload_confirm", args=[world.project.pk]),
        {"token": response.context["token"]},
        follow=True,
    )
    page = response.content.decode()
    assert "第 3 行：金额：1,200.50 元 超出预算科目“活动费”的余额，该科目余额为 1,000.00 元。" in page
    assert Expenditure.objects.filter(project=world.project).count() == 1  # only the one recorded by hand


def test_apply_service_is_all_or_nothing_and_refuses_others(world):
    rows = read_expenditure_workbook(io.BytesIO(workbook(GOOD_ROWS)))
    assert [number for number, _raw in rows] == [3, 4, 5]
    with pytest.raises(Exception) as refused:  # noqa: PT011 - PermissionDenied, checked by its message
        services.expenditure_upload_apply(project=world.project, by=world.other_org_user, rows=rows)
    assert "只有项目承接组织可以登记本项目台账。" in str(refused.value)
    bad = [*rows, (9, {"date": "2026-03-08", "budget_line": "活动费", "amount": 1, "payee": "", "voucher_number": "x"})]
    with pytest.raises(ValidationError) as invalid:
        services.expenditure_upload_apply(project=world.project, by=world.org_user, rows=bad)
    assert invalid.value.message_dict == {"file": ["第 9 行：收款方：请输入收款方。"]}
    assert not Expenditure.objects.exists()
    assert services.expenditure_upload_apply(project=world.project, by=world.org_user, rows=rows) == 3
    assert [row.error_text for row in plan_expenditure_upload(world.project, rows[:1])] == [""]


def test_a_ledger_column_in_the_expenditure_workbook_is_named(world, client_as):
    header = ("日期", "预算科目", "金额", "收款方", "摘要", "凭证号", "活动名称")
    rows = [["2026-03-05", "活动费", 100, "甲", "材料", "记-1", "重阳敬老"]]
    page = dry_run(client_as(world.org_user), world, workbook(rows, header=header)).content.decode()
    assert "列“活动名称”支出上传不读取：活动属于台账，请用台账上传。" in page


def test_the_page_is_the_organizations_and_linked_from_its_project(world, client_as, client_for, users):
    url = upload_url(world)
    project_page = client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    assert f'href="{url}"' in project_page
    assert client_as(world.org_user).get(url).status_code == 200
    # Those who see the project but do not keep its books are refused; others do not find it.
    assert f'href="{url}"' not in client_for("bureau_staff").get(world.project.get_absolute_url()).content.decode()
    assert client_for("bureau_staff").get(url).status_code == 403
    upload = SimpleUploadedFile("x.xlsx", workbook(GOOD_ROWS))
    assert client_for("bureau_staff").post(url, {"file": upload}).status_code == 403
    assert client_as(world.other_org_user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    template = reverse("projects:expenditure_template", args=[world.project.pk])
    assert client_as(world.other_org_user).get(template).status_code == 404
    confirm = reverse("projects:expenditure_upload_confirm", args=[world.project.pk])
    assert client_for("bureau_staff").post(confirm, {"token": "x"}).status_code == 403
    assert not Expenditure.objects.exists()


def test_a_closed_project_takes_no_expenditures(world, client_as):
    services.project_transition(project=world.project, by=None, name="terminate", reason="资金撤回")
    response = client_as(world.org_user).get(upload_url(world))
    assert response.status_code == 403
