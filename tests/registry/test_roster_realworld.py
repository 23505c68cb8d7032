"""A roster as a street office sends one, through the real pages: a cover sheet before the roster,
a merged title, the street merged down a block, a merged address, 组织类型 holding categories and no
legal-form column, 活动地址 for the address, dates typed four ways, phones with blanks and two
numbers, a blank street whose community is unique, unknown columns, a total and a signature row."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from registry import services_import
from registry.models import Organization, RosterImport

from ..accounts.factories import make_child
from .rosters import CODE_A, CODE_B

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "组织名称",
    "组织类型",
    "所属街道",
    "所属社区",
    "负责人",
    "联系电话",
    "活动地址",
    "成立时间",
    "备注",
    "微信群",
]


def workbook(rows, *, cover=True, header=HEADER, merges=()) -> bytes:
    book = Workbook()
    if cover:
        book.active.title = "填表说明"
        book.active.append(["填表说明"])
        book.active.append(["1. 本表由街道社会组织服务中心填写，类型请写文体类、公益慈善类等"])
        sheet = book.create_sheet("名册")
    else:
        sheet = book.active
        sheet.title = "名册"
    sheet.append(["甲区一街道社区社会组织名册（2025年）"])
    sheet.merge_cells(f"A1:{chr(ord('A') + len(header) - 1)}1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def street_office_roster() -> bytes:
    return workbook(
        [
            [1, "宝石山文体队", "文体类", "一街道", "一街道一社区", "张三", "138 0000 0001", "一社区活动室",
             "43529", "", "有"],
            [2, "邻里帮帮团", "公益慈善类", None, "一街道二社区", "李四", "13800000002/0571-88000002",
             "二社区会议室", 20190305, "", ""],
            [3, "夕阳红合唱队", "文体类", None, "一街道一社区", "王五", "13800000003", None, "2019.3.5", "", ""],
            [4, "平安巡逻队", "平安建设类", None, "二街道一社区", "赵六", "13800000006", "二街道", "2019年3月5日",
             "", ""],
            [5, "无名社区队", "文体类", None, "不存在社区", "孙七", "13800000007", "", "2020-01-01", "", ""],
            ["合计", "共5个组织", None, None, None, None, None, None, None, None, None],
            ["填表人：王小二", None, None, None, None, None, None, "审核人：李主任", None, None, None],
        ],
        merges=("D3:D5", "H4:H5"),
    )  # fmt: skip


def upload_through_the_page(client, content: bytes):
    response = client.post(
        reverse("registry:rosterimport_create"), {"file": SimpleUploadedFile("名册.xlsx", content)}, follow=True
    )
    assert response.status_code == 200
    return response, RosterImport.objects.latest("pk")


def test_dry_run_page_shows_the_sheet_the_warnings_and_the_values_read(places, client_for):
    response, roster_import = upload_through_the_page(client_for("bureau_staff"), street_office_roster())
    page = response.content.decode()
    assert Organization.objects.count() == 0
    assert "读取工作表“名册”，表头在第 2 行。" in page
    for warning in (
        "列“序号”未能识别，已忽略。",
        "列“备注”未能识别，已忽略。",
        "列“微信群”未能识别，已忽略。",
        "工作表“名册”第8行（“合计”）是合计、签名或说明行，不是数据，已跳过。",
        "工作表“名册”第9行（“填表人：王小二”）是合计、签名或说明行，不是数据，已跳过。",
        "列“组织类型”中填的是类别（文体类、公益慈善类、平安建设类），按“类别”读取。",
        "名册没有“类型”列：有民政部门统一社会信用代码的行按代码确定组织类型，其余各行按“社区社会组织（备案）”导入。",
        "1 行未填所属街道，已按社区推断（该社区名称在本区唯一）。",
    ):
        assert warning in page, warning
    assert "活动地址" not in "".join(roster_import.ignored_headers)  # read as the address
    preview = {row["row"]: row for row in roster_import.dry_run["preview"]}
    assert preview[3] | {"notes": []} == {
        "row": 3,
        "name": "宝石山文体队",
        "legal_form": "社区社会组织（备案）",
        "category": "文体娱乐",
        "street": "一街道",
        "community": "一街道一社区",
        "legal_representative": "张三",
        "phone": "13800000001",
        "established_on": "2019年3月5日",
        "valid": True,
        "notes": [],
    }
    assert (preview[4]["street"], preview[4]["phone"]) == ("一街道", "13800000002、0571-88000002")
    assert (preview[6]["street"], preview[6]["community"]) == ("二街道", "二街道一社区")
    assert preview[6]["notes"] == ["所属街道按社区推断为二街道。"]
    assert not preview[7]["valid"]
    # The same values on the page, the misread visible before confirming.
    assert "13800000002、0571-88000002" in page and "2019年3月5日" in page and "所属街道按社区推断为二街道。" in page
    assert 'id="valid-rows">4<' in page
    assert roster_import.errors == [[7, "所属社区", "所属社区：“不存在社区”不是本区的社区。"]]


def test_the_error_file_names_the_sheet_and_the_organization_of_each_row(places, client_for):
    client = client_for("bureau_staff")
    _response, roster_import = upload_through_the_page(client, street_office_roster())
    response = client.get(reverse("registry:rosterimport_errors", args=[roster_import.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
    assert rows[0] == ("工作表", "行", "组织名称", "列", "说明")
    assert rows[1] == ("名册", 7, "无名社区队", "所属社区", "所属社区：“不存在社区”不是本区的社区。")


def test_confirm_imports_exactly_the_valid_rows_as_read(places, client_for, users):
    client = client_for("bureau_staff")
    _response, roster_import = upload_through_the_page(client, street_office_roster())
    response = client.post(reverse("registry:rosterimport_confirm", args=[roster_import.pk]), follow=True)
    assert "已导入 4 个组织。" in response.content.decode()
    created = {org.name: org for org in Organization.objects.all()}
    assert set(created) == {"宝石山文体队", "邻里帮帮团", "夕阳红合唱队", "平安巡逻队"}
    first = created["宝石山文体队"]
    assert (first.legal_form, first.category, first.registration_level) == (
        "community_filed",
        "culture_sports",
        "filed",
    )
    assert (first.region, first.phone, first.address) == (places.community11, "13800000001", "一社区活动室")
    assert first.established_on == dt.date(2019, 3, 5)
    second = created["邻里帮帮团"]
    assert (second.region, second.category, second.established_on) == (
        places.community12,
        "charity",
        dt.date(2019, 3, 5),
    )
    assert second.phone == "13800000002、0571-88000002"
    third = created["夕阳红合唱队"]  # street and address from merged cells, date 2019.3.5
    assert (third.region, third.address, third.established_on) == (
        places.community11,
        "二社区会议室",
        dt.date(2019, 3, 5),
    )
    fourth = created["平安巡逻队"]  # street inferred from its community
    assert (fourth.region, fourth.category) == (places.community21, "community_safety")


def test_without_a_legal_form_column_registered_rows_take_the_form_their_code_names(places, users):
    header = ["名称", "统一社会信用代码", "类别", "所属街道", "负责人"]
    content = workbook(
        [
            ["甲协会", CODE_A, "公益慈善", "一街道", "张三"],
            ["乙中心", CODE_B, "为民服务", "一街道", "李四"],
            ["丙队", None, "文体", "一街道", "王五"],
        ],
        cover=False,
        header=header,
    )
    roster_import = services_import.roster_import_start(
        file=SimpleUploadedFile("名册.xlsx", content), by=users["bureau_staff"]
    )
    assert roster_import.error_count == 0
    assert [row["legal_form"] for row in roster_import.dry_run["preview"]] == [
        "社会团体",
        "社会服务机构（民办非企业单位）",
        "社区社会组织（备案）",
    ]
    services_import.roster_import_confirm(roster_import=roster_import, by=users["bureau_staff"])
    assert dict(Organization.objects.values_list("name", "legal_form")) == {
        "甲协会": "social_group",
        "乙中心": "social_service",
        "丙队": "community_filed",
    }


def test_a_community_name_used_in_two_streets_needs_its_street(places, users):
    make_child(places.street1, "和平社区")
    make_child(places.street2, "和平社区")
    header = ["名称", "类别", "所属街道", "所属社区", "负责人"]
    content = workbook([["和平队", "文体", None, "和平社区", "张三"]], cover=False, header=header)
    roster_import = services_import.roster_import_start(
        file=SimpleUploadedFile("名册.xlsx", content), by=users["bureau_staff"]
    )
    assert roster_import.errors == [[3, "所属街道", "所属街道为必填项：一街道、二街道都有名为“和平社区”的社区。"]]


def test_a_type_column_of_categories_beside_a_category_column_is_ignored_with_a_warning(places, users):
    header = ["名称", "类型", "类别", "所属街道", "负责人"]
    content = workbook([["甲队", "文体类", "文体娱乐", "一街道", "张三"]], cover=False, header=header)
    roster_import = services_import.roster_import_start(
        file=SimpleUploadedFile("名册.xlsx", content), by=users["bureau_staff"]
    )
    assert roster_import.error_count == 0
    assert "列“类型”中填的是类别，已按“类别”列读取类别，该列忽略。" in roster_import.dry_run["notes"]


def test_a_missing_column_is_named_with_its_sheet_and_header_row(places, client_for):
    header = ["序号", "组织名称", "类别", "所属街道"]
    content = workbook([[1, "甲队", "文体", "一街道"]], header=header)
    response, roster_import = upload_through_the_page(client_for("bureau_staff"), content)
    assert roster_import.errors == [[2, "负责人", "工作表“名册”第2行：表中没有“负责人”列。"]]
    assert "工作表“名册”第2行：表中没有“负责人”列。" in response.content.decode()
    assert roster_import.valid_rows == 0


def test_a_workbook_with_no_roster_on_any_sheet_says_which_sheets_were_read(places, client_for):
    book = Workbook()
    book.active.title = "封面"
    book.active.append(["2025年社区社会组织情况"])
    buffer = io.BytesIO()
    book.save(buffer)
    _response, roster_import = upload_through_the_page(client_for("bureau_staff"), buffer.getvalue())
    message = roster_import.errors[0][2]
    assert message.startswith("文件：没有一个工作表在前 20 行中有写明名册各列")
    assert "已查看的工作表：“封面”。" in message
