"""The one guarded workbook reader (core.spreadsheets): hostile workbooks, built here by rewriting the
XML inside real xlsx packages, are refused before openpyxl parses them or read quickly — through the
reader and through the real upload pages (the ledger workbook and the roster import)."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from core import spreadsheets
from core.spreadsheets import WorkbookLimits, WorkbookRefused, check_workbook, read_rows
from projects.ledger_xlsx import COLUMNS
from projects.models import LedgerEntry
from registry.models import Organization, RosterImport

from ..projects.conftest import World
from ..registry.rosters import messy_roster

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Generous: a guarded read of these files takes well under a second; the unguarded ones took minutes.
QUICK = 10.0


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    """The package with one part's XML changed by `change(bytes) -> bytes`."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for member in source.infolist():
            content = source.read(member.filename)
            package.writestr(member.filename, change(content) if member.filename == part else content)
    return buffer.getvalue()


def declare_dimension(data: bytes, ref: str = "A1:XFD1048576") -> bytes:
    return rewrite(data, SHEET, lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml))


def append_rows(data: bytes, rows: bytes) -> bytes:
    return rewrite(data, SHEET, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))


def formatted_empty_rows(data: bytes, first: int, count: int) -> bytes:
    row = b'<row r="%d" s="1" customFormat="1" ht="15" customHeight="1"/>'
    return append_rows(data, b"".join(row % n for n in range(first, first + count)))


def with_shared_strings(data: bytes, write_strings) -> bytes:
    """The package plus a shared-strings part (declared as openpyxl finds it), streamed into the zip
    by `write_strings(file)` so that even a huge part never sits in memory."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            package.writestr(member.filename, content)
        with package.open(SHARED_STRINGS, "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}">'.encode())
            write_strings(part)
            part.write(b"</sst>")
    return buffer.getvalue()


def string_bomb(part):
    """About 100 MB of one repeated text: packs into well under a megabyte."""
    chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    for _ in range(100):
        part.write(chunk * 1000)


def many_strings(count):
    def write(part):
        part.write(b"".join(b"<si><t>%d</t></si>" % n for n in range(count)))

    return write


SMALL = workbook([["名称", "数量"], ["甲", 1], ["乙", 2]])


def refusal(data: bytes, **kwargs) -> WorkbookRefused:
    started = time.monotonic()
    with pytest.raises(WorkbookRefused) as error:
        list(read_rows(io.BytesIO(data), **{"max_rows": 1000, "max_columns": 20, **kwargs}))
    assert time.monotonic() - started < QUICK
    return error.value


# --- the reader ----------------------------------------------------------------------------------


def test_reads_rows_with_their_numbers_and_only_the_columns_asked_for():
    data = workbook([["a", "b", "c", "d"], [], [1, 2, 3, 4]])
    rows = list(read_rows(io.BytesIO(data), max_rows=10, max_columns=2))
    assert rows == [(1, ("a", "b")), (2, (None, None)), (3, (1, 2))]


def test_a_declared_dimension_of_the_whole_grid_is_never_trusted():
    data = declare_dimension(SMALL)
    started = time.monotonic()
    rows = list(read_rows(io.BytesIO(data), max_rows=1000, max_columns=20))
    assert time.monotonic() - started < QUICK
    assert [number for number, _values in rows] == [1, 2, 3]
    assert rows[2][1][:2] == ("乙", 2) and len(rows[2][1]) == 20


def test_cells_beyond_the_columns_asked_for_are_not_read():
    far = b'<row r="4"><c r="XFD4" t="inlineStr"><is><t>far away</t></is></c></row>'
    rows = list(read_rows(io.BytesIO(declare_dimension(append_rows(SMALL, far))), max_rows=10, max_columns=3))
    assert rows[3] == (4, (None, None, None))


def test_formatted_empty_rows_beyond_the_cap_are_refused_before_parsing():
    data = formatted_empty_rows(SMALL, 4, 200_000)
    error = refusal(data, max_rows=10_000)
    assert error.reason == spreadsheets.TOO_MANY_ROWS
    assert error.message_dict == {
        "file": ["文件：工作表超过 10000 行（带格式的空行也计算在内）；请删除多余的行，或拆分为几个文件。"]
    }


def test_rows_split_across_the_scan_chunks_are_each_counted_once(monkeypatch):
    monkeypatch.setattr(spreadsheets, "_CHUNK", 97)  # far shorter than a row's tag
    data = formatted_empty_rows(SMALL, 4, 2000)
    assert refusal(data, max_rows=2002).reason == spreadsheets.TOO_MANY_ROWS
    assert len(list(read_rows(io.BytesIO(data), max_rows=2003, max_columns=2))) == 2003


def test_a_row_numbered_beyond_the_cap_is_refused():
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    assert refusal(declare_dimension(append_rows(SMALL, far))).reason == spreadsheets.TOO_MANY_ROWS


def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked():
    data = with_shared_strings(SMALL, string_bomb)
    assert len(data) < 1024 * 1024  # under a megabyte packed, about 100 MB unpacked
    error = refusal(data)
    assert error.reason == spreadsheets.INFLATED
    assert "文件：工作簿解压后的数据过多" in error.message_dict["file"][0]


def test_more_texts_or_cells_than_the_sheet_could_need_are_refused():
    assert refusal(with_shared_strings(SMALL, many_strings(30_000))).reason == spreadsheets.TOO_MANY_CELLS
    wide = b'<row r="4">' + b"".join(b'<c r="A4"><v>%d</v></c>' % n for n in range(30_000)) + b"</row>"
    assert refusal(append_rows(SMALL, wide)).reason == spreadsheets.TOO_MANY_CELLS


@pytest.mark.parametrize(
    "data",
    [
        b"name,uscc\nsome,text\n",
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        b"PK\x03\x04 not really a zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .xls or an encrypted workbook",
    ],
    ids=["csv", "html", "broken-zip", "ole"],
)
def test_what_is_no_xlsx_is_refused(data):
    error = refusal(data)
    assert error.reason == spreadsheets.NOT_XLSX
    assert error.message_dict == {"file": ["文件：这不是 xlsx 工作簿。"]}


def test_a_zip_that_is_no_workbook_and_a_sheet_with_a_dtd_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<x/>")
    assert refusal(buffer.getvalue()).reason == spreadsheets.NOT_XLSX
    entities = rewrite(SMALL, SHEET, lambda xml: b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + xml)
    assert refusal(entities).reason == spreadsheets.NOT_XLSX


def test_an_upload_over_the_size_cap_is_refused():
    large = formatted_empty_rows(SMALL, 4, 200_000)
    assert len(large) > 256 * 1024
    error = refusal(large, limits=WorkbookLimits(max_bytes=256 * 1024))
    assert error.reason == spreadsheets.TOO_LARGE
    assert error.message_dict == {"file": ["文件：工作簿超过 0.25 MB。"]}


def test_check_workbook_checks_without_reading_and_leaves_the_file_at_its_start():
    source = io.BytesIO(SMALL)
    check_workbook(source, max_rows=10, max_columns=5)
    assert source.tell() == 0
    with pytest.raises(WorkbookRefused):
        check_workbook(io.BytesIO(formatted_empty_rows(SMALL, 4, 100)), max_rows=10, max_columns=5)


def test_sheets_by_name_and_index():
    book = Workbook()
    book.active.append(["first"])
    book.create_sheet("说明").append(["second"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert list(read_rows(io.BytesIO(data), max_rows=5, max_columns=1, sheet="说明")) == [(1, ("second",))]
    assert list(read_rows(io.BytesIO(data), max_rows=5, max_columns=1, sheet=1)) == [(1, ("second",))]
    assert refusal(data, sheet=2).reason == spreadsheets.NO_SHEET


# --- through the upload pages --------------------------------------------------------------------

HOSTILE = {
    "dimension-and-far-cell": declare_dimension(
        append_rows(SMALL, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    ),
    "200000-formatted-empty-rows": formatted_empty_rows(SMALL, 4, 200_000),
    "shared-strings-bomb": with_shared_strings(SMALL, string_bomb),
    "not-a-zip": b"name,uscc\nsome,text\n",
    "html": b"<!doctype html><html><body><script>alert(1)</script></body></html>",
}
NOT_XLSX = "文件：名册.xlsx 不是允许的文件类型（Excel (xlsx)）"
BOMB = "文件：工作簿解压后的数据过多（超过 64 MB，或压缩比超过 100 倍）"
LEDGER_REFUSALS = {
    "dimension-and-far-cell": "文件：工作表超过 10000 行",
    "200000-formatted-empty-rows": "文件：工作表超过 10000 行",
    "shared-strings-bomb": BOMB,
    "not-a-zip": NOT_XLSX,
    "html": NOT_XLSX,
}
ROSTER_REFUSALS = LEDGER_REFUSALS | {
    "dimension-and-far-cell": "文件：名册超过 100000 行，请拆分为几个文件。",
    "200000-formatted-empty-rows": "文件：名册超过 100000 行，请拆分为几个文件。",
}


@pytest.fixture
def world(places, users):
    return World(places, users)


def ledger_header():
    with translation.override("zh-hans"):
        return [str(label) for _name, label in COLUMNS]


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(HOSTILE))
def test_ledger_upload_page_refuses_hostile_workbooks_quickly(world, case):
    client = Client()
    client.force_login(world.org_user)
    started = time.monotonic()
    response = client.post(
        reverse("projects:ledger_upload", args=[world.project.pk]),
        {"file": SimpleUploadedFile("名册.xlsx", HOSTILE[case])},
    )
    assert time.monotonic() - started < QUICK
    assert response.status_code == 200
    assert LEDGER_REFUSALS[case] in response.content.decode()
    assert response.context["plan"] is None and "projects-ledger-upload" not in client.session
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_ledger_workbook_declaring_the_whole_grid_is_read_quickly_and_planned(world):
    entry = [None, "2026-04-03", "培训", "志愿者培训", "会议室", 20, 0, 2, 4]
    data = declare_dimension(workbook([ledger_header(), entry]))
    client = Client()
    client.force_login(world.org_user)
    started = time.monotonic()
    response = client.post(
        reverse("projects:ledger_upload", args=[world.project.pk]), {"file": SimpleUploadedFile("台账.xlsx", data)}
    )
    assert time.monotonic() - started < QUICK
    assert [row.action for row in response.context["plan"]] == ["create"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(HOSTILE))
def test_roster_import_page_refuses_hostile_workbooks_quickly(users, case):
    client = Client()
    client.force_login(users["bureau_staff"])
    started = time.monotonic()
    response = client.post(
        reverse("registry:rosterimport_create"), {"file": SimpleUploadedFile("名册.xlsx", HOSTILE[case])}
    )
    assert time.monotonic() - started < QUICK
    assert response.status_code == 200
    assert ROSTER_REFUSALS[case] in response.content.decode()
    assert not RosterImport.objects.exists() and not Organization.objects.exists()


@pytest.mark.django_db
def test_roster_declaring_the_whole_grid_is_read_as_usual(users, places):
    client = Client()
    client.force_login(users["bureau_staff"])
    data = declare_dimension(messy_roster())
    response = client.post(
        reverse("registry:rosterimport_create"), {"file": SimpleUploadedFile("名册.xlsx", data)}, follow=True
    )
    assert 'id="valid-rows">3<' in response.content.decode()
    roster_import = RosterImport.objects.get()
    assert roster_import.original_name == "名册.xlsx" and "名册" not in roster_import.file.name
