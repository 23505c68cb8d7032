"""Reading rosters: header matching, cell cleaning and per-row errors (no database)."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from registry import roster_import as r
from registry import uscc

from .rosters import CODE_A, CODE_B, messy_roster

TODAY = dt.date(2026, 11, 21)
REGIONS = r.RegionIndex.from_regions(
    streets=[(1, "110101001", "一街道"), (2, "110101002", "二街道")],
    communities=[
        (11, "110101001001", "一街道一社区", 1),
        (12, "110101001002", "一街道二社区", 1),
        (21, "110101002001", "二街道一社区", 2),
    ],
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("名称", "name"),
        ("名  称", "name"),
        ("组织名称", "name"),
        ("名称（全称）", "name"),
        ("统一社会信用代码", "uscc"),
        ("ＵＳＣＣ", "uscc"),
        ("社会信用代码", "uscc"),
        ("类 型", "legal_form"),
        ("组织类型", "legal_form"),
        ("类别", "category"),
        ("所属街道（乡镇）", "street"),
        ("街道", "street"),
        ("所属社区(村)", "community"),
        ("法定代表人/负责人", "legal_representative"),
        ("联系方式", "phone"),
        ("住所", "address"),
        ("成立时间", "established_on"),
        ("成立日期(年月日)", "established_on"),
        ("开办资金（万元）", "funds"),
        ("备注", None),
        ("", None),
        (None, None),
    ],
)
def test_header_matching_tolerates_spaces_fullwidth_and_synonyms(header, field):
    assert r.match_header(header) == field


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2019, 3, 5, 0, 0), dt.date(2019, 3, 5)),
        (dt.date(2019, 3, 5), dt.date(2019, 3, 5)),
        (43529, dt.date(2019, 3, 5)),  # Excel serial number
        ("2019-03-05", dt.date(2019, 3, 5)),
        ("2019/3/5", dt.date(2019, 3, 5)),
        ("2019年3月5日", dt.date(2019, 3, 5)),
        ("２０１９年３月５日", dt.date(2019, 3, 5)),
        ("2019.3.5", dt.date(2019, 3, 5)),
        ("20190305", dt.date(2019, 3, 5)),
        (" 2019 - 3 - 5 ", dt.date(2019, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_dates(value, expected):
    assert r.parse_date(value, today=TODAY) == expected


@pytest.mark.parametrize("value", ["2019-02-30", "去年", "2019-13-01", "2030-01-01", "1900-01-01", -5])
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError):  # noqa: PT011 - the message is checked in the roster tests
        r.parse_date(value, today=TODAY)


def test_choices_numbers_and_phones():
    assert r.parse_choice("社会团体", r.LEGAL_FORMS) == "social_group"
    assert r.parse_choice("社区社会组织（备案）", r.LEGAL_FORMS) == "community_filed"
    assert r.parse_choice("民办非企业单位", r.LEGAL_FORMS) == "social_service"
    assert r.parse_choice("为民服务类", r.CATEGORIES, suffixes=("类",)) == "resident_services"
    assert r.parse_choice("culture_sports", r.CATEGORIES) == "culture_sports"
    with pytest.raises(ValueError, match="跳舞"):
        r.parse_choice("跳舞", r.CATEGORIES)
    assert r.parse_int("２５") == 25
    assert r.parse_int(30.0) == 30
    assert r.parse_int("30人") == 30
    with pytest.raises(ValueError):  # noqa: PT011
        r.parse_int("-3")
    assert str(r.parse_amount("３.５万元")) == "3.50"
    assert r.parse_phone(13800000001.0) == "13800000001"
    assert r.parse_phone("０５７１－８８００００１") == "0571-8800001"
    with pytest.raises(ValueError):  # noqa: PT011
        r.parse_phone("call me")


def test_regions_resolve_by_name_code_and_short_name():
    assert REGIONS.street("一街道") == 1
    assert REGIONS.street(" 一 街道 ") == 1
    assert REGIONS.street("110101002") == 2
    assert REGIONS.street("一") == 1  # 一 + 街道
    assert REGIONS.community(1, "一街道二社区") == 12
    assert REGIONS.community(2, "一街道二社区") is None


@pytest.mark.django_db(databases=[])
def test_messy_roster_gives_exact_error_rows():
    roster = r.parse_roster(io.BytesIO(messy_roster()), regions=REGIONS, check_uscc=uscc.validate, today=TODAY)
    assert roster.header_rows == (2, 3)
    assert [name for name, _ in roster.columns.values()][:6] == [
        "name",
        "uscc",
        "legal_form",
        "category",
        "street",
        "community",
    ]
    assert "备注" in roster.ignored_headers
    assert [row.row for row in roster.rows] == [4, 5, 7, 8, 9, 10]  # blank row 6 skipped
    by_row = {row.row: row for row in roster.rows}
    first = by_row[4]
    assert first.is_valid, first.errors
    assert first.values["uscc"] == CODE_A  # full-width digits folded
    assert first.values["region_id"] == 11
    assert first.values["established_on"] == dt.date(2018, 6, 1)
    assert first.values["phone"] == "13800000001"
    assert first.values["member_count"] == 30
    second = by_row[5]
    assert second.is_valid, second.errors
    assert second.values["legal_form"] == "community_filed"
    assert second.values["uscc"] is None
    assert second.values["established_on"] == dt.date(2019, 3, 5)
    assert second.values["region_id"] == 12
    assert second.values["member_count"] == 25
    assert by_row[8].is_valid
    assert by_row[8].values["uscc"] == CODE_B
    assert by_row[8].values["region_id"] == 1  # the street itself
    assert by_row[8].values["established_on"] == dt.date(2019, 3, 5)
    # The in-file duplicate (row 9) is found by the import service, not the parser.
    assert by_row[9].is_valid
    errors = [(e.row, e.column) for e in roster.errors]
    assert errors == [(7, "统一社会信用代码"), (10, "类别"), (10, "所属街道"), (10, "成立日期")]
    messages = {(e.row, e.column): e.message for e in roster.errors}
    assert "校验码应为" in messages[(7, "统一社会信用代码")]
    assert "不存在街道" in messages[(10, "所属街道")]
    assert "2019-02-30" in messages[(10, "成立日期")]


@pytest.mark.django_db(databases=[])
def test_roster_without_required_columns_is_refused_whole():
    wb = Workbook()
    wb.active.append(["名称", "负责人", "电话"])
    wb.active.append(["某组织", "张三", "123456"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    roster = r.parse_roster(buffer, regions=REGIONS, today=TODAY)
    assert roster.rows == []
    # 类别 and 所属街道; the legal form (类型) has a default (社区社会组织（备案）).
    assert [problem.column for problem in roster.problems] == ["类别", "所属街道"]
    assert roster.valid_rows == []


@pytest.mark.django_db(databases=[])
def test_sheet_without_header():
    wb = Workbook()
    wb.active.append(["随便", "什么"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    roster = r.parse_roster(buffer, regions=REGIONS, today=TODAY)
    assert len(roster.problems) == 1
    assert "表头" in roster.problems[0].message


@pytest.mark.django_db(databases=[])
def test_overlong_roster_is_refused_whole():
    from .rosters import generated_roster

    roster = r.parse_roster(io.BytesIO(generated_roster(30, ["一街道"])), regions=REGIONS, today=TODAY, max_rows=10)
    assert roster.rows == []
    assert "超过 10 行" in roster.problems[0].message
