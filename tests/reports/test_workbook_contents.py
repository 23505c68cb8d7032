"""The quarterly review workbook sheet by sheet against the known population (tests/reports/
population.py, 2026Q2 read on 20 July 2026): exact rows and figures, typed cells and their formats,
titles and as-of lines, frozen headers, auto-filters; the city's workbook from its districts; and
LibreOffice opening it."""

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.figures import node_figures
from reports.workbook import write
from reports.workbook.scope import Scope

from . import population
from .population import EXPECTED_A, QUARTER, TODAY, YEAR

pytestmark = pytest.mark.django_db

SHEETS = [
    "概览",
    "社会组织名录",
    "登记变动",
    "年度报告",
    "活动异常名录",
    "党建覆盖",
    "定期联系",
    "项目与资金",
    "台账报送情况",
    "重大活动",
    "星级评定",
    "专项行动",
]
AS_OF = population.at(TODAY, 9, 30)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The population and both workbooks, built once for the module (rolled back at its end)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            pop = population.build()
            files = {}
            for name, region in (("a", pop.a), ("city", pop.city)):
                buffer = io.BytesIO()
                write(Scope(region, YEAR, QUARTER, as_of=AS_OF), buffer, version=2)
                files[name] = buffer.getvalue()
            figures = node_figures(pop.a, YEAR, QUARTER, today=TODAY)
            yield pop, files, figures
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def district(built):
    return load_workbook(io.BytesIO(built[1]["a"]))


@pytest.fixture(scope="module")
def city(built):
    return load_workbook(io.BytesIO(built[1]["city"]))


def table(ws):
    """The header (row 3) and the data rows below it, as values."""
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    header = list(rows[0])
    return header, [list(r) for r in rows[1:] if any(v is not None for v in r)]


def records(ws):
    header, rows = table(ws)
    return [dict(zip(header, row, strict=True)) for row in rows]


def cell_of(ws, header_name, row_filter):
    """The cell (not just the value) of column `header_name` in the first row matching."""
    header = [c.value for c in ws[3]]
    column = header.index(header_name)
    for row in ws.iter_rows(min_row=4):
        values = [c.value for c in row]
        if row_filter(dict(zip(header, values, strict=False))):
            return row[column]
    raise AssertionError(f"no row in {ws.title}")


def test_sheets_in_order_each_titled_frozen_and_filtered(district):
    assert district.sheetnames == [*SHEETS, "说明"]
    for title in SHEETS:
        ws = district[title]
        assert ws["A1"].value == f"甲区2026年第2季度评审工作簿 · {title}", title
        assert ws["A1"].font.bold
        assert ws["A2"].value == "数据截至 2026-07-20 09:30（北京时间）；季度起止 2026-04-01 至 2026-06-30", title
        assert ws.freeze_panes == "A4", title
        header, rows = table(ws)
        assert all(header) and all(c.font.bold for c in ws[3]), title
        last_column = ws.cell(row=3, column=len(header)).column_letter
        assert ws.auto_filter.ref == f"A3:{last_column}{3 + len(rows)}", title
        assert ws.print_title_rows == "$3:$3", title
        for index in range(1, len(header) + 1):
            letter = ws.cell(row=3, column=index).column_letter
            assert ws.column_dimensions[letter].width >= 6, (title, letter)
    note = district["说明"]
    assert note["A1"].value == "甲区2026年第2季度评审工作簿"
    assert ("版本", "2") in {(r[0], r[1]) for r in note.iter_rows(values_only=True)}


def test_overview_has_the_figures_of_the_node_and_its_streets(district, built):
    ws = district["概览"]
    header, _rows = table(ws)
    assert header == ["类别", "指标", "甲区合计", "一街道", "二街道"]
    by_label = {(r["类别"], r["指标"]): r for r in records(ws)}
    active = by_label[("社会组织", "正常存续的社会组织")]
    assert (active["甲区合计"], active["一街道"], active["二街道"]) == (8, 6, 2)
    assert by_label[("本季度登记变动", "新备案")]["甲区合计"] == 2
    assert by_label[("本季度登记变动", "注销登记")]["甲区合计"] == 1
    assert by_label[("监督管理", "应报未报年度报告")]["甲区合计"] == EXPECTED_A["annual_reports"]["owed"] == 4
    assert by_label[("台账报送", "应报送")]["甲区合计"] == 4
    # Rates are fractions shown as percentages; money is in 元 with two decimals.
    share = cell_of(ws, "甲区合计", lambda r: r["指标"] == "公益类占比")
    assert (share.value, share.number_format) == (pytest.approx(0.625), "0.0%")
    contracted = cell_of(ws, "甲区合计", lambda r: r["类别"] == "项目与资金" and r["指标"] == "合同金额（元）")
    assert (contracted.value, contracted.number_format) == (150000, "#,##0.00")
    balance = cell_of(ws, "甲区合计", lambda r: r["指标"] == "结余（已拨付−已支出，元）")
    assert Decimal(str(balance.value)) == Decimal(built[2]["projects"]["balance"]) == Decimal("50499.50")
    # Every figure of the total column equals reports.figures (counts as numbers, never text).
    assert by_label[("星级与等级", "5星")]["甲区合计"] == 1
    assert by_label[("星级与等级", "等级：3A")]["甲区合计"] == 1
    counts = [r["甲区合计"] for r in records(ws)]
    assert all(v is None or isinstance(v, int | float) for v in counts)


def test_register_lists_the_organizations_active_at_the_quarter_end(district, built):
    pop = built[0]
    rows = records(district["社会组织名录"])
    o = pop.orgs
    active = ("o1", "o2", "o3", "o4", "o5", "o6", "o8", "o10")
    assert sorted(r["名称"] for r in rows) == sorted(o[k].name for k in active)
    o1 = next(r for r in rows if r["名称"] == o["o1"].name)
    assert (o1["所属街道"], o1["所属社区"], o1["组织类型"], o1["类别"], o1["城乡类别"], o1["等级"]) == (
        "一街道",
        "一街道一社区",
        "社会团体",
        "为民服务",
        "城镇",
        "4A",
    )
    assert o1["成立日期"] == dt.datetime(2020, 1, 1)
    assert o1["统一社会信用代码/备案编号"] == o["o1"].uscc
    o2 = next(r for r in rows if r["名称"] == o["o2"].name)
    assert o2["等级"] == "3A"  # its expired 2A does not count
    o6 = next(r for r in rows if r["名称"] == o["o6"].name)
    assert (o6["所属街道"], o6["所属社区"], o6["城乡类别"]) == ("二街道", None, "农村")
    assert o6["统一社会信用代码/备案编号"] == o["o6"].filing_number
    date_cell = cell_of(district["社会组织名录"], "成立日期", lambda r: r["名称"] == o["o1"].name)
    assert date_cell.is_date and "yy" in date_cell.number_format


def test_registration_changes_of_the_quarter(district):
    rows = records(district["登记变动"])
    assert [r["类型"] for r in rows] == ["成立登记", "备案", "变更登记", "注销登记", "备案"]
    assert rows[-1]["办结时间"] == dt.datetime(2026, 6, 30, 23, 30)  # Beijing time, still Q2
    cell = cell_of(district["登记变动"], "办结时间", lambda r: r["办结时间"] == dt.datetime(2026, 6, 30, 23, 30))
    assert cell.number_format == "yyyy-mm-dd hh:mm"


def test_annual_reports_owed_match_the_figure(district, built):
    pop = built[0]
    rows = records(district["年度报告"])
    status = {r["社会组织"]: r["状态"] for r in rows}
    o = pop.orgs
    assert set(status) == {o[k].name for k in ("o1", "o2", "o3", "o4", "o5", "o6")}
    owed = [name for name, value in status.items() if value not in ("已报送", "已出结论")]
    assert len(owed) == EXPECTED_A["annual_reports"]["owed"]
    assert (status[o["o4"].name], status[o["o3"].name], status[o["o5"].name]) == ("未填报", "草稿", "退回补正")
    assert {r["报告年度"] for r in rows} == {2025}
    # Due Monday 1 June 2026 (31 May is a Sunday), also for those that have not started.
    assert {r["报送截止日期"] for r in rows} == {dt.datetime(2026, 6, 1)}
    kind = {r["社会组织"]: r["报告类型"] for r in rows}
    assert kind[o["o5"].name] == "年度情况报告（报街道）"
    assert kind[o["o1"].name] == "年度工作报告（报区民政局）"
    o2 = next(r for r in rows if r["社会组织"] == o["o2"].name)
    assert (o2["结论"], o2["报送时间"]) == ("合格", dt.datetime(2026, 4, 1, 10, 0))


def test_listings_in_force_in_the_quarter(district, built):
    o = built[0].orgs
    rows = records(district["活动异常名录"])
    listed = sorted((r["名录"], r["社会组织"], r["季度末仍在名录中"]) for r in rows)
    assert listed == sorted(
        [
            ("活动异常名录", o["o1"].name, "是"),
            ("活动异常名录", o["o3"].name, "否"),
            ("活动异常名录", o["o4"].name, "是"),
            ("活动异常名录", o["o5"].name, "是"),
            ("严重违法失信名单", o["o2"].name, "是"),
            ("严重违法失信名单", o["o1"].name, "否"),
        ]
    )
    open_abnormal = [r for r in rows if r["名录"] == "活动异常名录" and r["季度末仍在名录中"] == "是"]
    assert len(open_abnormal) == EXPECTED_A["listings"]["abnormal_open"]


def test_party_coverage_in_the_published_format(district):
    ws = district["党建覆盖"]
    rows = records(ws)
    assert [r["所属区划"] for r in rows] == ["一街道", "二街道", "合计"]
    total = rows[-1]
    assert (total["社会组织数"], total["从业人员数"], total["党组织数"], total["党员数"]) == (8, 19, 2, 7)
    assert [r["社会组织数"] for r in rows] == [6, 2, 8]
    rate = cell_of(ws, "党组织覆盖率(%)", lambda r: r["所属区划"] == "合计")
    assert (rate.value, rate.number_format) == (pytest.approx(0.25), "0.0%")
    street = cell_of(ws, "党组织覆盖率(%)", lambda r: r["所属区划"] == "一街道")
    assert street.value == pytest.approx(0.333)


def test_contacts_projects_ledger_activities_ratings(district, built):
    pop = built[0]
    o, pr = pop.orgs, pop.projects
    contacts = records(district["定期联系"])
    assert [(r["社会组织"], r["联系日期"]) for r in contacts] == [(o["o1"].name, dt.datetime(2026, 5, 5))]

    funds = {r["项目编号"]: r for r in records(district["项目与资金"])}
    assert set(funds) == {pr[k].code for k in ("P1", "P2", "P5", "P6", "P7")}
    p1 = funds[pr["P1"].code]
    assert (p1["合同金额（元）"], p1["已拨付（元）"], p1["已支出（元）"]) == (100000, 45000, 19500.5)
    assert p1["结余（已拨付−已支出，元）"] == 25499.5
    assert sum(r["合同金额（元）"] or 0 for r in funds.values()) == 150000
    paid_cell = cell_of(district["项目与资金"], "已拨付（元）", lambda r: r["项目编号"] == pr["P1"].code)
    assert paid_cell.number_format == "#,##0.00"

    ledger = {r["项目编号"]: r for r in records(district["台账报送情况"])}
    assert {code: r["及时性"] for code, r in ledger.items()} == {
        pr["P1"].code: "按时",
        pr["P2"].code: "逾期报送",
        pr["P7"].code: "按时",
        pr["P5"].code: "未提交",
    }
    assert ledger[pr["P1"].code]["报送截止日期"] == dt.datetime(2026, 7, 10)

    activities = records(district["重大活动"])
    assert sorted(r["报告日期"] for r in activities) == [
        dt.datetime(2026, 4, 20),
        dt.datetime(2026, 6, 1),
        dt.datetime(2026, 6, 15),
    ]

    ratings = records(district["星级评定"])
    assert sorted((r["类别"], r["星级或等级"]) for r in ratings) == [
        ("社会组织等级", "3A"),
        ("社会组织等级", "4A"),
        ("项目星级", "4星"),
        ("项目星级", "5星"),
    ]


def test_special_campaigns_name_each_plan_and_its_figures(district):
    rows = records(district["专项行动"])
    assert [r["专项行动"] for r in rows[:1]] == ["培育发展"]
    assert list(dict.fromkeys(r["专项行动"] for r in rows)) == ["培育发展", "能力提升", "作用发挥", "规范管理"]
    value = {r["指标"]: r["数值"] for r in rows}
    assert value["新成立登记和备案"] == 3
    assert value["评估等级3A及以上的社会组织"] == 2
    assert value["评为四星、五星的项目"] == 2
    assert value["台账未报送"] == 1
    assert all(r["口径"] for r in rows)


def test_the_city_workbook_is_built_from_its_districts(city, built):
    ws = city["概览"]
    header, _rows = table(ws)
    assert header == ["类别", "指标", "丙市合计", "甲区", "乙区"]
    total = next(r for r in records(ws) if r["指标"] == "正常存续的社会组织")
    assert (total["丙市合计"], total["甲区"], total["乙区"]) == (10, 8, 2)
    register = records(city["社会组织名录"])
    assert table(city["社会组织名录"])[0][:3] == ["所属区", "所属街道", "所属社区"]
    assert sorted({r["所属区"] for r in register}) == ["乙区", "甲区"] and len(register) == 10
    assert city["概览"]["A1"].value == "丙市2026年第2季度评审工作簿 · 概览"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(built, tmp_path):
    path = tmp_path / "workbook.xlsx"
    path.write_bytes(built[1]["a"])
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with open(tmp_path / "workbook.csv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "甲区2026年第2季度评审工作簿 · 概览"
    assert rows[2][:5] == ["类别", "指标", "甲区合计", "一街道", "二街道"]
    active = next(r for r in rows if r[1] == "正常存续的社会组织")
    assert active[2:5] == ["8", "6", "2"]
    share = next(r for r in rows if r[1] == "公益类占比")
    assert share[2] == "62.5%"
    contracted = next(r for r in rows if r[0] == "项目与资金" and r[1] == "合同金额（元）")
    assert contracted[2] == "150,000.00"
