"""Reading a bureau's xlsx roster: the roster's columns declared for the tolerant reader
(core.sheet_reader: header on any sheet, merged cells, synonyms, ignored columns named, totals and
signature rows skipped), then each row's values cleaned and checked.

Pure functions, no database: the import service hands in the district's streets and communities
(`RegionIndex`) and USCC checkers (the code's form, and its first two characters against the row's
legal form), and gets back every row's cleaned values and errors. Row
numbers are the spreadsheet's own (1-based) and the sheet is named, so a clerk can find the cell a
message is about.

What a roster's headers mean is read from its values where headers mislead: community rosters put
the category (文体类, 公益慈善类 …) under 类型/组织类型, so a legal-form column whose values are
categories is read as the category. Without a legal-form column, a row with a civil-affairs credit
code takes its form from the code (5-1 social group, 5-2 social service organization, 5-3
foundation) and every other row is a filed community organization; the dry run says so. A blank
street is inferred from the community when that name is unique in the district.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import sheet_reader
from core.sheet_reader import (
    HEADER_SCAN_ROWS,
    Column,
    Table,
    TableNotFound,
    TableRead,
    header_key,
    header_text,
    normalize,
    parse_int,
    read_table,
)
from core.spreadsheets import TOO_MANY_ROWS, WorkbookRefused, check_workbook, sheet_names

from .roster_values import (
    RegionIndex,
    clean_name,
    clean_text,
    normalize_uscc,
    parse_amount,
    parse_choice,
    parse_date,
    parse_phone,
    parses,
    region_key,
)

# Re-exported: the cell cleaners live in registry.roster_values.
__all__ = [
    "RegionIndex",
    "clean_name",
    "clean_text",
    "header_key",
    "header_text",
    "normalize",
    "normalize_uscc",
    "parse_amount",
    "parse_choice",
    "parse_date",
    "parse_int",
    "parse_phone",
    "region_key",
]

# Values of registry.choices (the Organization contract); kept as plain strings so that this
# module stays importable without the models.
SOCIAL_GROUP, SOCIAL_SERVICE, FOUNDATION, COMMUNITY_FILED = (
    "social_group",
    "social_service",
    "foundation",
    "community_filed",
)
REGISTERED_FORMS = frozenset({SOCIAL_GROUP, SOCIAL_SERVICE, FOUNDATION})
# The second character of a civil-affairs credit code (first character 5) names the legal form.
USCC_FORMS = {"1": SOCIAL_GROUP, "2": SOCIAL_SERVICE, "3": FOUNDATION}

# field → header names seen in bureaus' rosters; the first is the canonical one, used in messages
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "组织名称", "社会组织名称", "单位名称", "机构名称", "社团名称", "社区社会组织名称"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "统一社会信用代码证号", "uscc"),
    "legal_form": ("类型", "组织类型", "组织形式", "登记类型", "法人类型", "单位类型"),
    "category": ("类别", "组织类别", "服务类别", "分类", "业务类别", "所属类别"),
    "street": ("所属街道", "街道", "街道乡镇", "所属街道乡镇", "乡镇", "所属乡镇", "乡镇街道"),
    "community": ("所属社区", "社区", "社区村", "所属社区村", "村社区", "所属村社区", "村"),
    "legal_representative": ("负责人", "法定代表人", "法定代表人负责人", "法人代表", "负责人姓名", "法定代表人姓名"),
    "phone": ("联系电话", "电话", "联系方式", "手机", "手机号码", "联系人电话", "负责人电话"),
    "address": (
        "住所",
        "地址",
        "活动地址",
        "办公地址",
        "注册地址",
        "住所地址",
        "联系地址",
        "通讯地址",
        "活动场所",
        "办公场所",
        "活动地点",
    ),
    "established_on": ("成立日期", "成立时间", "登记日期", "备案日期", "成立登记日期", "登记时间", "备案时间"),
    "supervising_unit": ("业务主管单位", "主管单位", "指导单位", "业务指导单位"),
    "filing_number": ("备案编号", "备案号", "备案证号"),
    "funds": (
        "开办资金",
        "活动资金",
        "注册资金",
        "开办资金万元",
        "活动资金万元",
        "注册资金万元",
        "资金万元",
        "资金",
    ),
    "business_scope": ("业务范围", "宗旨和业务范围", "服务内容", "活动内容"),
    "activity_area": ("活动地域", "活动区域", "活动范围", "服务区域"),
    "member_count": ("会员数", "成员数", "会员人数", "成员人数", "会员数量"),
    "staff_count": ("从业人员", "从业人员数", "专职人员", "专职工作人员", "工作人员数", "工作人员"),
    "volunteer_count": ("志愿者人数", "志愿者数", "志愿者", "志愿者数量"),
}
# Without these a roster cannot be imported (the category may come from 类型, the street from the
# community); the legal form has a default.
REQUIRED_COLUMNS = ("name", "category", "street", "legal_representative")

ROSTER = Table(
    columns=tuple(
        Column(name, aliases[0], synonyms=aliases[1:], required=name == "name") for name, aliases in COLUMNS.items()
    )
)

LEGAL_FORMS = {
    "社会团体": SOCIAL_GROUP,
    "社团": SOCIAL_GROUP,
    "民办非企业单位": SOCIAL_SERVICE,
    "社会服务机构": SOCIAL_SERVICE,
    "民非": SOCIAL_SERVICE,
    "民办非企业单位社会服务机构": SOCIAL_SERVICE,
    "社会服务机构民办非企业单位": SOCIAL_SERVICE,
    "基金会": FOUNDATION,
    "社区社会组织": COMMUNITY_FILED,
    "社区社会组织备案": COMMUNITY_FILED,
    "备案": COMMUNITY_FILED,
    "备案社区社会组织": COMMUNITY_FILED,
    "社区备案": COMMUNITY_FILED,
}
CATEGORIES = {
    "为民服务": "resident_services",
    "生活服务": "resident_services",
    "社区服务": "resident_services",
    "社区事务": "resident_services",
    "为老服务": "resident_services",
    "公益慈善": "charity",
    "慈善": "charity",
    "公益": "charity",
    "邻里互助": "mutual_aid",
    "互助": "mutual_aid",
    "平安建设": "community_safety",
    "治安": "community_safety",
    "平安": "community_safety",
    "专业调处": "community_safety",
    "矛盾调处": "community_safety",
    "文体娱乐": "culture_sports",
    "文体": "culture_sports",
    "文体活动": "culture_sports",
    "文化体育": "culture_sports",
    "文化娱乐": "culture_sports",
    "农村生产技术服务": "rural_tech",
    "农村生产技术": "rural_tech",
    "农业技术服务": "rural_tech",
}
_LEGAL_FORM_SUFFIXES, _CATEGORY_SUFFIXES = ("法人",), ("类",)

# More rows than a district keeps; beyond this a file is refused rather than read into memory.
MAX_ROWS = 100_000
# Columns read; a roster's columns (and its remarks) sit well within this.
MAX_COLUMNS = 100
_HEADER_SCAN_ROWS = HEADER_SCAN_ROWS


def match_header(text: Any) -> str | None:
    """The roster field a header names, or None."""
    found = ROSTER.match(text)
    return found[0] if found else None


def column_label(name: str) -> str:
    return COLUMNS[name][0]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_list(self) -> list:
        return [self.row, self.column, self.message]


@dataclass
class RosterRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read other than as written

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))


@dataclass
class Roster:
    sheet: str = ""
    header_rows: tuple[int, ...] = ()
    columns: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (field, header as written)
    ignored_headers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings for the dry run: ignored columns, defaults …
    problems: list[RowError] = field(default_factory=list)  # file-level: no header, missing column
    rows: list[RosterRow] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)  # the dry run's parsed values, set by the service

    @property
    def valid_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.is_valid] if not self.problems else []

    @property
    def errors(self) -> list[RowError]:
        return [*self.problems, *(e for row in self.rows for e in row.errors)]

    def header_of(self, name: str) -> str:
        for field_name, written in self.columns.values():
            if field_name == name:
                return written
        return column_label(name)


# ---- reading ----


def _refusal_message(refusal: WorkbookRefused, max_rows: int) -> str:
    if refusal.reason == TOO_MANY_ROWS:  # counted in data rows, as the user counts them
        return _("File: the roster has more than %(n)d rows; split it into several files.") % {"n": max_rows}
    return refusal.text


def check_file(source, *, max_rows: int = MAX_ROWS) -> None:
    """The guarded reader's checks on every sheet without reading, for refusing a file at upload
    (it is read later, perhaps in Celery): a WorkbookRefused on the file field."""
    try:
        for name in sheet_names(source)[: sheet_reader.MAX_SHEETS]:
            check_workbook(source, max_rows=max_rows + _HEADER_SCAN_ROWS, max_columns=MAX_COLUMNS, sheet=name)
    except WorkbookRefused as refusal:
        raise WorkbookRefused(_refusal_message(refusal, max_rows), reason=refusal.reason) from refusal


def parse_roster(
    source,
    *,
    regions: RegionIndex,
    check_uscc: Callable[[str], Any] | None = None,
    check_form: Callable[[str, str], Any] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_rows: int = MAX_ROWS,
) -> Roster:
    """Read and check a whole roster; nothing is written anywhere. A sheet longer than `max_rows`
    (plus a few header rows), or a file the guarded reader refuses, is refused whole rather than
    read into memory."""
    roster = Roster()
    try:
        table = read_table(
            source, ROSTER, max_rows=max_rows + _HEADER_SCAN_ROWS, max_columns=MAX_COLUMNS, what=_("roster")
        )
    except WorkbookRefused as refusal:
        roster.problems.append(RowError(0, "", _refusal_message(refusal, max_rows)))
        return roster
    except TableNotFound as missing:
        roster.problems.append(RowError(0, "", missing.text))
        return roster
    roster.sheet, roster.header_rows = table.sheet, table.header_rows
    roster.ignored_headers = [ignored.header for ignored in table.ignored]
    roster.notes = list(table.warnings)
    _read_type_as_category(table, roster)
    roster.columns = dict(table.columns)
    present = {name for name, _written in table.columns.values()}
    for name in REQUIRED_COLUMNS:
        if name not in present and not (name == "street" and "community" in present):
            roster.problems.append(
                RowError(table.header_rows[-1], column_label(name), table.missing_message(ROSTER.column(name)))
            )
    if roster.problems:
        return roster
    if "legal_form" not in present:
        roster.notes.append(
            _(
                "The roster has no “%(column)s” column: rows with a civil-affairs credit code take the "
                "legal form the code names, every other row is imported as “%(default)s”."
            )
            % {"column": column_label("legal_form"), "default": _("Community organization (filed)")}
        )
    total = len(table.rows)
    for done, (number, raw) in enumerate(table.rows, start=1):
        cells = {name: (raw.get(name), roster.header_of(name)) for name in present}
        roster.rows.append(
            parse_row(number, cells, regions=regions, check_uscc=check_uscc, check_form=check_form, today=today)
        )
        if progress is not None and done % 1000 == 0:
            progress(done, total)
    inferred = sum(1 for row in roster.rows if row.values.get("street_inferred"))
    if inferred:
        roster.notes.append(
            _("%(n)d rows have no street: it was inferred from the community, whose name is unique in the district.")
            % {"n": inferred}
        )
    return roster


def _read_type_as_category(table: TableRead, roster: Roster) -> None:
    """A 类型/组织类型 column whose values are categories (文体类, 公益慈善类 …) is the category."""
    index = next((i for i, (name, _w) in table.columns.items() if name == "legal_form"), None)
    if index is None:
        return
    values = [raw["legal_form"] for _number, raw in table.rows if normalize(raw.get("legal_form"))]
    as_category = sum(1 for value in values if parses(value, CATEGORIES, _CATEGORY_SUFFIXES))
    as_form = sum(1 for value in values if parses(value, LEGAL_FORMS, _LEGAL_FORM_SUFFIXES))
    if not values or as_category <= as_form:
        return
    written = table.columns[index][1]
    if table.has("category"):
        del table.columns[index]
        roster.ignored_headers.append(written)
        roster.notes.append(
            _("Column “%(column)s” holds categories, and the “%(category)s” column is read instead; it is ignored.")
            % {"column": written, "category": table.header_of("category")}
        )
    else:
        table.columns[index] = ("category", written)
        for _number, raw in table.rows:
            raw["category"] = raw.pop("legal_form", None)
        roster.notes.append(
            _("Column “%(column)s” holds categories (%(examples)s), so it is read as the category.")
            % {"column": written, "examples": "、".join(list(dict.fromkeys(normalize(v) for v in values))[:3])}
        )


def _street_of_community(row: RosterRow, regions: RegionIndex, community: Any, street_header, header) -> int | None:
    """The street of a community named without its street: only when the name is unique."""
    found = regions.communities_named(community)
    if len(found) == 1:
        street_id = found[0][0]
        row.values["street_inferred"] = True
        row.notes.append(
            _("%(column)s inferred from the community: %(street)s.")
            % {"column": street_header, "street": regions.names.get(street_id, "")}
        )
        return street_id
    if not found:
        row.error(
            header,
            _("%(column)s: “%(value)s” is not a community of this district.")
            % {"column": header, "value": region_key(community)},
        )
    else:
        row.error(
            street_header,
            _("%(column)s is required: there is a community “%(value)s” in %(streets)s.")
            % {
                "column": street_header,
                "value": region_key(community),
                "streets": "、".join(regions.names.get(street, "") for street, _community in found),
            },
        )
    return None


def _uscc_message(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def parse_row(
    number: int,
    cells: dict[str, tuple[Any, str]],
    *,
    regions: RegionIndex,
    check_uscc: Callable[[str], Any] | None = None,
    check_form: Callable[[str, str], Any] | None = None,
    today: dt.date | None = None,
) -> RosterRow:
    """Clean one data row: `cells` maps field → (raw value, header as written). `check_uscc(code)`
    checks a code's form, `check_form(code, legal_form)` its first two characters against the legal
    form of a registered organization; each raises ValidationError."""
    row = RosterRow(number)
    values = row.values

    def raw(name):
        return cells.get(name, (None, column_label(name)))

    def required(name, text):
        if not text and not any(e.column == raw(name)[1] for e in row.errors):
            row.error(raw(name)[1], _("%(column)s is required.") % {"column": raw(name)[1]})
        return text

    def cleaned(name, cleaner, **kwargs):
        value, written = raw(name)
        try:
            return cleaner(value, **kwargs)
        except ValueError as error:
            row.error(written, _("%(column)s: %(problem)s") % {"column": written, "problem": error})
            return None

    values["name"] = required("name", clean_name(raw("name")[0]))
    if len(values["name"]) > 200:
        row.error(
            raw("name")[1],
            _("%(column)s is longer than %(n)d characters.") % {"column": raw("name")[1], "n": 200},
        )

    def required_choice(name, mapping, suffixes):
        if not header_key(raw(name)[0]):
            return required(name, None)
        return cleaned(name, parse_choice, mapping=mapping, suffixes=suffixes)

    if "legal_form" in cells:
        values["legal_form"] = required_choice("legal_form", LEGAL_FORMS, _LEGAL_FORM_SUFFIXES)
    values["category"] = required_choice("category", CATEGORIES, _CATEGORY_SUFFIXES)

    # USCC: required of registered organizations; checked (GB 32100-2015) wherever given.
    uscc_value, uscc_header = raw("uscc")
    uscc = normalize_uscc(uscc_value)
    if uscc and isinstance(uscc_value, float | int) and not isinstance(uscc_value, bool):
        uscc = str(int(uscc_value))
    if uscc:
        well_formed = True
        if check_uscc is not None:
            try:
                checked = check_uscc(uscc)
            except ValidationError as error:
                well_formed = False
                row.error(
                    uscc_header,
                    _("%(column)s: %(problem)s") % {"column": uscc_header, "problem": _uscc_message(error)},
                )
            else:
                uscc = checked if isinstance(checked, str) else uscc
        values["uscc"] = uscc
        if "legal_form" not in cells:
            values["legal_form"] = USCC_FORMS.get(uscc[1:2], COMMUNITY_FILED) if uscc[:1] == "5" else COMMUNITY_FILED
        elif well_formed and check_form is not None and values.get("legal_form") in REGISTERED_FORMS:
            # The same check as a code typed into the register (registry.uscc.check_positions).
            try:
                check_form(uscc, values["legal_form"])
            except ValidationError as error:
                row.error(
                    uscc_header,
                    _("%(column)s: %(problem)s") % {"column": uscc_header, "problem": _uscc_message(error)},
                )
    else:
        values.setdefault("legal_form", COMMUNITY_FILED)
        values["uscc"] = None
        if values["legal_form"] in REGISTERED_FORMS:
            row.error(
                uscc_header,
                _(
                    "%(column)s is required of registered organizations (social groups, social "
                    "service organizations, foundations)."
                )
                % {"column": uscc_header},
            )

    street_text, street_header = raw("street")
    community_text, community_header = raw("community")
    street_id = None
    if not region_key(street_text) and region_key(community_text):
        street_id = _street_of_community(row, regions, community_text, street_header, community_header)
        street_text = regions.names.get(street_id, "")
    elif required("street", region_key(street_text)):
        street_id = regions.street(street_text)
        if street_id is None:
            row.error(
                street_header,
                _("%(column)s: “%(value)s” is not a street of this district.")
                % {"column": street_header, "value": region_key(street_text)},
            )
    community_id = None
    if region_key(community_text) and street_id is not None:
        community_id = regions.community(street_id, community_text)
        if community_id is None:
            row.error(
                community_header,
                _("%(column)s: “%(value)s” is not a community of %(street)s.")
                % {
                    "column": community_header,
                    "value": region_key(community_text),
                    "street": region_key(street_text),
                },
            )
    values["region_id"] = community_id or street_id
    values["street_id"] = street_id

    values["legal_representative"] = required(
        "legal_representative", cleaned("legal_representative", clean_text, max_length=50) or ""
    )
    values["phone"] = cleaned("phone", parse_phone) or ""
    values["address"] = cleaned("address", clean_text, max_length=200) or ""
    values["established_on"] = cleaned("established_on", parse_date, today=today)
    values["supervising_unit"] = cleaned("supervising_unit", clean_text, max_length=100) or ""
    values["filing_number"] = (cleaned("filing_number", clean_text, max_length=50) or "") or None
    values["funds"] = cleaned("funds", parse_amount)
    values["business_scope"] = cleaned("business_scope", clean_text, max_length=2000) or ""
    values["activity_area"] = cleaned("activity_area", clean_text, max_length=200) or ""
    for name in ("member_count", "staff_count", "volunteer_count"):
        values[name] = cleaned(name, parse_int)
    return row
