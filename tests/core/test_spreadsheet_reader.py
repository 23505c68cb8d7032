"""The tolerant reader (core.sheet_reader over core.spreadsheets): workbooks built the way street
offices and treasurers build them — merged cells, a cover sheet before the table, synonyms, unknown
columns, totals and signature rows, dates and phones as people type them."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from core import sheet_reader
from core.sheet_reader import Column, Elsewhere, Table, TableNotFound, read_table
from core.spreadsheets import WorkbookLimits, WorkbookRefused, read_rows

pytestmark = pytest.mark.django_db(databases=[])

TABLE = Table(
    columns=(
        Column("name", "名称", synonyms=("组织名称",), required=True),
        Column("street", "所属街道", synonyms=("街道",), required=True),
        Column("address", "住所", synonyms=("地址", "活动地址", "办公地址")),
        Column("amount", "金额", synonyms=("支出金额",)),
    ),
    elsewhere=(Elsewhere(("预算科目", "科目"), "列“%(column)s”属于支出。"),),
)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def saved(book: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def street_office_workbook() -> io.BytesIO:
    """A cover sheet, then the table under a merged title, the street merged down a block, a
    merged address, an unknown and a foreign column, a total and a signature row."""
    book = Workbook()
    cover = book.active
    cover.title = "说明"
    cover.append(["填表说明"])
    cover.append(["1. 名称写全称"])
    sheet = book.create_sheet("名册")
    sheet.append(["北山街道社区社会组织名册"])
    sheet.merge_cells("A1:F1")
    sheet.append(["组织名称", "街道", "活动地址", "金额（元）", "预算科目", "微信群"])
    sheet.append(["甲队", "北山街道", "宝石社区活动室", 10, "活动费", "有"])
    sheet.append(["乙队", None, "宝石社区活动室", 20, "活动费", ""])
    sheet.append(["丙队", None, "西湖文化广场", 30, None, None])
    sheet.merge_cells("B3:B5")
    sheet.merge_cells("C3:C4")
    sheet.append([None, None, None, None, None, None])
    sheet.append(["合计", None, None, 60, None, None])
    sheet.append(["填表人：张三", None, "审核人：李四", None, None, None])
    return saved(book)


def test_merged_ranges_read_as_their_top_left_value_in_the_row_stream():
    rows = dict(read_rows(street_office_workbook(), max_rows=50, max_columns=6, sheet="名册"))
    assert [rows[n][1] for n in (3, 4, 5)] == ["北山街道"] * 3
    assert [rows[n][2] for n in (3, 4, 5)] == ["宝石社区活动室", "宝石社区活动室", "西湖文化广场"]
    assert rows[1] == ("北山街道社区社会组织名册",) * 6  # the title merged across
    stored = dict(read_rows(street_office_workbook(), max_rows=50, max_columns=6, sheet="名册", merged=False))
    assert stored[4][1] is None and stored[4][2] is None


def test_a_merged_range_is_clipped_to_the_columns_read():
    book = Workbook()
    book.active.append(["名称", "街道"])
    book.active.append(["甲", "北山街道"])
    book.active.append(["乙", None])
    book.active.merge_cells("B2:Z3")
    rows = dict(read_rows(saved(book), max_rows=10, max_columns=2))
    assert rows[3] == ("乙", "北山街道")


def test_the_table_is_found_on_a_later_sheet_and_messages_name_it():
    table = read_table(street_office_workbook(), TABLE, max_rows=50, max_columns=10)
    assert table.sheet == "名册"
    assert table.sheets == ["说明", "名册"]
    assert table.header_rows == (2,)
    assert table.where(5) == "工作表“名册”第5行"
    assert table.rows == [
        (3, {"name": "甲队", "street": "北山街道", "address": "宝石社区活动室", "amount": 10}),
        (4, {"name": "乙队", "street": "北山街道", "address": "宝石社区活动室", "amount": 20}),
        (5, {"name": "丙队", "street": "北山街道", "address": "西湖文化广场", "amount": 30}),
    ]


def test_every_column_not_read_and_every_skipped_row_is_a_warning():
    table = read_table(street_office_workbook(), TABLE, max_rows=50, max_columns=10)
    assert [ignored.header for ignored in table.ignored] == ["预算科目", "微信群"]
    assert table.warnings == [
        "列“预算科目”属于支出。",
        "列“微信群”未能识别，已忽略。",
        "工作表“名册”第7行（“合计”）是合计、签名或说明行，不是数据，已跳过。",
        "工作表“名册”第8行（“填表人：张三”）是合计、签名或说明行，不是数据，已跳过。",
    ]


def test_of_two_columns_for_one_field_the_better_header_wins_and_the_other_is_named():
    book = Workbook()
    book.active.append(["名称", "办公地址", "街道", "住所"])
    book.active.append(["甲队", "办公楼", "北山街道", "住所一号"])
    table = read_table(saved(book), TABLE, max_rows=10, max_columns=10)
    assert table.rows == [(2, {"name": "甲队", "address": "住所一号", "street": "北山街道"})]
    assert table.warnings == ["列“办公地址”已忽略：“住所”取自列“住所”。"]


def test_a_two_row_header_with_cells_merged_down_and_a_group_cell_across():
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "所在地", None, "金额(元)"])
    sheet.append([None, "街道", "地址", None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("D1:D2")
    sheet.append(["甲队", "北山街道", "一号", "1,200.50"])
    table = read_table(saved(book), TABLE, max_rows=10, max_columns=10)
    assert table.header_rows == (1, 2)
    assert table.rows == [(3, {"name": "甲队", "street": "北山街道", "address": "一号", "amount": "1,200.50"})]
    assert table.warnings == []


def test_a_workbook_without_the_table_names_the_sheets_looked_at():
    book = Workbook()
    book.active.title = "封面"
    book.active.append(["随便", "写点"])
    book.create_sheet("Sheet2").append(["什么", "都行"])
    with pytest.raises(TableNotFound) as refused:
        read_table(saved(book), TABLE, max_rows=10, max_columns=10, what="名册")
    assert refused.value.message_dict == {
        "file": [
            (
                "文件：没有一个工作表在前 20 行中有写明名册各列（名称、所属街道、住所……）的表头；"
                "已查看的工作表：“封面”、“Sheet2”。"
            )
        ]
    }


def test_a_missing_required_column_is_named_with_its_sheet_and_row():
    book = Workbook()
    book.active.title = "名册"
    book.active.append(["名称", "地址"])
    book.active.append(["甲队", "一号"])
    table = read_table(saved(book), TABLE, max_rows=10, max_columns=10)
    assert [column.name for column in table.missing] == ["street"]
    assert table.rows == []
    assert table.missing_message(table.missing[0]) == "工作表“名册”第1行：表中没有“所属街道”列。"


def test_too_many_merged_ranges_are_refused_before_reading():
    book = Workbook()
    for row in range(1, 8):
        book.active.append(["a", "b"])
        book.active.merge_cells(f"A{row}:B{row}")
    with pytest.raises(WorkbookRefused) as refused:
        read_rows(saved(book), max_rows=20, max_columns=5, limits=WorkbookLimits(max_merged_ranges=5))
    assert refused.value.text == "文件：工作表中合并单元格区域超过 5 个；请取消合并后重新保存。"


def test_overlapping_merged_ranges_cannot_make_the_filling_unbounded():
    import re
    import zipfile

    book = Workbook()
    book.active.append(["a", "b"])
    book.active.merge_cells("A1:B1")
    data = saved(book).getvalue()
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    overlapping = b'<mergeCells count="50">' + b'<mergeCell ref="A1:E1000"/>' * 50 + b"</mergeCells>"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<mergeCells.*?</mergeCells>", overlapping, content)
            package.writestr(member.filename, content)
    with pytest.raises(WorkbookRefused) as refused:
        read_rows(io.BytesIO(buffer.getvalue()), max_rows=1000, max_columns=5)
    assert refused.value.text == "文件：工作表中的合并单元格互相重叠；请取消合并后重新保存。"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("43529", dt.date(2019, 3, 5)),  # an Excel serial number stored as text
        ("43529.0", dt.date(2019, 3, 5)),
        (43529, dt.date(2019, 3, 5)),
        (20190305, dt.date(2019, 3, 5)),  # eight digits typed into a number cell
        ("20190305", dt.date(2019, 3, 5)),
        ("2019.3.5", dt.date(2019, 3, 5)),
        ("2019年3月5日", dt.date(2019, 3, 5)),
        ("２０１９年３月５日", dt.date(2019, 3, 5)),
        ("2019/3/5", dt.date(2019, 3, 5)),
        ("2019-03-05 00:00:00", dt.date(2019, 3, 5)),
        (dt.datetime(2019, 3, 5, 10, 30), dt.date(2019, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_people_type_them(value, expected):
    assert sheet_reader.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-02-30", "2019-02-30 不是有效日期"),
        ("去年", "去年 不是日期，请写成 2019-03-05 或 2019年3月5日"),
        ("99999", "99999 不是日期"),
        (43529.5, "43529.5 不是日期"),
    ],
)
def test_what_is_no_date_is_refused_in_words(value, message):
    with pytest.raises(ValueError, match=message):
        sheet_reader.parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("138 0000 0001", "13800000001"),
        (13800000001.0, "13800000001"),
        ("13800000001/13900000002", "13800000001、13900000002"),
        ("13800000001、0571-88000002", "13800000001、0571-88000002"),
        ("13800000001，13900000002", "13800000001、13900000002"),
        ("13800000001; 13900000002", "13800000001、13900000002"),
        ("13800000001 0571-88000002", "13800000001、0571-88000002"),
        ("０５７１－８８０００００１", "0571-88000001"),
        ("0571-88000001转123", "0571-88000001转123"),
        (None, ""),
    ],
)
def test_phones_lose_their_blanks_and_keep_both_numbers(value, expected):
    assert sheet_reader.parse_phone(value) == expected


def test_phones_that_are_none_or_too_many_are_refused():
    with pytest.raises(ValueError, match="不是电话号码"):
        sheet_reader.parse_phone("找张三")
    with pytest.raises(ValueError, match="超过 30 个字符"):
        sheet_reader.parse_phone("13800000001/13900000002/13700000003")


def test_amounts_and_counts():
    assert sheet_reader.parse_amount("1,200.50元") == Decimal("1200.50")
    assert sheet_reader.parse_amount(1200.5) == Decimal("1200.50")
    assert sheet_reader.parse_amount("¥ 80") == Decimal("80.00")
    assert sheet_reader.parse_int("30人") == 30
    assert sheet_reader.parse_int("1,200") == 1200
    with pytest.raises(ValueError, match="不是金额"):
        sheet_reader.parse_amount("八十")
    with pytest.raises(ValueError, match="不能为负数"):
        sheet_reader.parse_int("-3")


@pytest.mark.parametrize(
    ("values", "skipped"),
    [
        (["合计", None, 60], True),
        ([None, "小 计", 60], True),
        (["填表人：张三", None], True),
        (["制表：李四"], True),
        (["审核人", "王五"], True),
        (["注：金额以元为单位"], True),
        (["合作社", "北山街道"], False),
        ([dt.date(2026, 3, 1), "合计"], False),
    ],
)
def test_totals_signatures_and_notes_are_not_data(values, skipped):
    assert sheet_reader.is_summary_row(values) is skipped
