"""Rosters as bureaus keep them, built with openpyxl for the import tests."""

import datetime as dt
import io

from openpyxl import Workbook

from registry import uscc

# Valid codes (check character computed), civil-affairs social groups / service orgs.
CODE_A = uscc.complete("51330106MJ1234567")
CODE_B = uscc.complete("52330106MJ7654321")
CODE_C = uscc.complete("51330106MJ0000011")


def fullwidth(text: str) -> str:
    """ASCII letters and digits as their full-width forms (as typed with a Chinese IME)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def messy_roster(
    street="一街道", community="一街道一社区", other_community="一街道二社区", duplicate_name=None
) -> bytes:
    """A title row merged across, a two-row header (名称 merged down, 所属地区 merged across
    街道/社区), odd spacing and full-width header text, blank rows, and rows with known errors:

    row 4  ok: social group, Excel date, full-width USCC digits
    row 5  ok: filed community org, text date 2019/3/5, no USCC
    row 6  blank → skipped
    row 7  bad USCC check character
    row 8  ok: text date 2019年3月5日, social service org, street only
    row 9  same USCC as row 4 (duplicate within the file)
    row 10 unknown street, bad date, unknown category
    row 11 same name as an existing organization (when duplicate_name given)
    """
    wb = Workbook()
    ws = wb.active
    ws.append(["甲区社区社会组织名册（2025年）"])
    ws.merge_cells("A1:L1")
    ws.append(
        [
            "名  称",
            "统一社会\n信用代码",
            "类 型",
            "类别",
            "所属地区",
            None,
            "负责人",
            "联系电话",
            "住所",
            "成立日期",
            "会员数",
            "备注",
        ]
    )
    ws.append([None, None, None, None, "所属街道", "所属社区", None, None, None, None, None, None])
    for column in "ABCDGHIJKL":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("E2:F2")
    bad_check = CODE_C[:17] + ("0" if CODE_C[17] != "0" else "1")
    rows = [
        [
            "夕阳红志愿服务队",
            fullwidth(CODE_A),
            "社会团体",
            "为民服务类",
            street,
            community,
            "张三",
            13800000001,
            "一街道1号",
            dt.datetime(2018, 6, 1),
            30,
            "",
        ],
        [
            "宝石社区文体队",
            None,
            "社区社会组织（备案）",
            "文体娱乐",
            f" {street} ",
            other_community,
            "李四",
            "0571-88000001",
            "一街道2号",
            "2019/3/5",
            "２５",
            "",
        ],
        [None] * 12,
        [
            "邻里守望互助社",
            bad_check,
            "社会团体",
            "邻里互助",
            street,
            community,
            "王五",
            "13800000003",
            "",
            "2020-01-02",
            None,
            "",
        ],
        [
            "阳光公益服务中心",
            CODE_B,
            "民办非企业单位",
            "公益慈善",
            street,
            None,
            "赵六",
            "13800000004",
            "",
            "2019年3月5日",
            None,
            "",
        ],
        [
            "重复代码协会",
            CODE_A,
            "社会团体",
            "公益慈善",
            street,
            None,
            "钱七",
            "13800000005",
            "",
            "2021-05-05",
            None,
            "",
        ],
        [
            "无名街道协会",
            None,
            "社区社会组织",
            "跳舞",
            "不存在街道",
            None,
            "孙八",
            "13800000006",
            "",
            "2019-02-30",
            None,
            "",
        ],
    ]
    if duplicate_name:
        rows.append(
            [
                duplicate_name,
                None,
                "社区社会组织",
                "为民服务",
                street,
                None,
                "周九",
                "13800000007",
                "",
                "2022-02-02",
                None,
                "",
            ]
        )
    for row in rows:
        ws.append(row)
    ws["J4"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def generated_roster(n: int, streets: list[str], prefix: str = "生成组织") -> bytes:
    """n valid rows of filed community organizations (no USCC) spread over the given streets."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(
        [
            "名称",
            "统一社会信用代码",
            "类型",
            "类别",
            "所属街道",
            "所属社区",
            "负责人",
            "联系电话",
            "住所",
            "成立日期",
        ]
    )
    for i in range(n):
        ws.append(
            [
                f"{prefix}{i:06d}",
                None,
                "社区社会组织",
                "为民服务",
                streets[i % len(streets)],
                None,
                "负责人",
                "13800000000",
                f"住所{i}号",
                "2019-03-05",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
