"""Reading a bureau's xlsx roster: tolerant header matching, cell cleaning, per-row errors.

Pure functions, no database: the import service hands in the district's streets and communities
(`RegionIndex`) and a USCC checker, and gets back every row's cleaned values and errors. Row
numbers are the spreadsheet's own (1-based), so a clerk can find the cell the message is about.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from core.spreadsheets import TOO_MANY_ROWS, WorkbookRefused, check_workbook, read_rows

# Values of registry.choices (the Organization contract); kept as plain strings so that this
# module stays importable without the models.
SOCIAL_GROUP, SOCIAL_SERVICE, FOUNDATION, COMMUNITY_FILED = (
    "social_group",
    "social_service",
    "foundation",
    "community_filed",
)
REGISTERED_FORMS = frozenset({SOCIAL_GROUP, SOCIAL_SERVICE, FOUNDATION})

# field → header names seen in bureaus' rosters; the first is the canonical one, used in messages
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "组织名称", "社会组织名称", "单位名称", "机构名称", "社团名称"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "统一社会信用代码证号", "uscc"),
    "legal_form": ("类型", "组织类型", "组织形式", "登记类型", "法人类型", "单位类型"),
    "category": ("类别", "组织类别", "服务类别", "分类", "业务类别", "所属类别"),
    "street": ("所属街道", "街道", "街道乡镇", "所属街道乡镇", "乡镇", "所属乡镇", "乡镇街道"),
    "community": ("所属社区", "社区", "社区村", "所属社区村", "村社区", "所属村社区", "村"),
    "legal_representative": ("负责人", "法定代表人", "法定代表人负责人", "法人代表", "负责人姓名", "法定代表人姓名"),
    "phone": ("联系电话", "电话", "联系方式", "手机", "手机号码", "联系人电话", "负责人电话"),
    "address": ("住所", "地址", "办公地址", "注册地址", "住所地址", "活动场所", "办公场所"),
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
REQUIRED_COLUMNS = ("name", "legal_form", "category", "street", "legal_representative")

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
    "公益慈善": "charity",
    "慈善": "charity",
    "邻里互助": "mutual_aid",
    "互助": "mutual_aid",
    "平安建设": "community_safety",
    "治安": "community_safety",
    "平安": "community_safety",
    "文体娱乐": "culture_sports",
    "文体": "culture_sports",
    "文化体育": "culture_sports",
    "文化娱乐": "culture_sports",
    "农村生产技术服务": "rural_tech",
    "农村生产技术": "rural_tech",
    "农业技术服务": "rural_tech",
}

_HEADER_NOISE = re.compile(r"[\s()（）\[\]【】/／、·.:：*＊\-—_]+")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_PHONE = re.compile(r"^[0-9+\-() 转]{5,30}$")
# Excel serial numbers that can be a founding date (1900-01-01 .. 2100-01-01).
_EXCEL_SERIAL_RANGE = (1, 73051)
_HEADER_SCAN_ROWS = 20
# More rows than a district keeps; beyond this a file is refused rather than read into memory.
MAX_ROWS = 100_000
# Columns read; a roster's columns (and its remarks) sit well within this.
MAX_COLUMNS = 100


def normalize(text: Any) -> str:
    """Cell text with full-width characters folded (NFKC) and surrounding blanks removed."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def header_text(text: Any) -> str:
    """A header as written, without the spaces and line breaks used to lay it out."""
    return re.sub(r"\s+", "", normalize(text))


def header_key(text: Any) -> str:
    """A header reduced for matching: folded, lower case, without spaces and brackets."""
    return _HEADER_NOISE.sub("", normalize(text).lower())


_HEADER_INDEX = {header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def match_header(text: Any) -> str | None:
    """The roster field a header names, or None."""
    key = header_key(text)
    if not key:
        return None
    if key in _HEADER_INDEX:
        return _HEADER_INDEX[key]
    # "名称（全称）", "成立日期(年月日)" …: a known name followed by a remark.
    for alias_key, name in sorted(_HEADER_INDEX.items(), key=lambda item: -len(item[0])):
        if len(alias_key) >= 2 and key.startswith(alias_key):
            return name
    return None


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

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))


@dataclass
class Roster:
    header_rows: tuple[int, ...] = ()
    columns: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (field, header as written)
    ignored_headers: list[str] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)  # file-level: no header, missing column
    rows: list[RosterRow] = field(default_factory=list)

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


@dataclass
class RegionIndex:
    """The district's streets and their communities by name, for resolving 所属街道 / 所属社区."""

    streets: dict[str, int] = field(default_factory=dict)  # folded name → street id
    communities: dict[tuple[int, str], int] = field(default_factory=dict)  # (street id, folded name) → id

    @classmethod
    def from_regions(cls, streets: Iterable[tuple[int, str, str]], communities: Iterable[tuple[int, str, str, int]]):
        """streets: (id, code, name); communities: (id, code, name, street id)."""
        index = cls()
        for pk, code, name in streets:
            index.streets[region_key(name)] = pk
            index.streets[code] = pk
        for pk, code, name, street_id in communities:
            index.communities[(street_id, region_key(name))] = pk
            index.communities[(street_id, code)] = pk
        return index

    def street(self, text: str) -> int | None:
        key = region_key(text)
        found = self.streets.get(key)
        if found is None:
            # "北山" for 北山街道, "三墩" for 三墩镇.
            for suffix in ("街道", "街道办事处", "镇", "乡"):
                found = found or self.streets.get(key + suffix)
        return found

    def community(self, street_id: int, text: str) -> int | None:
        key = region_key(text)
        found = self.communities.get((street_id, key))
        if found is None:
            for suffix in ("社区", "村", "社区居委会", "村委会"):
                found = found or self.communities.get((street_id, key + suffix))
        return found


def region_key(text: Any) -> str:
    return re.sub(r"\s+", "", normalize(text))


# ---- cell cleaners: return a value or raise ValueError with the message for the user ----


def clean_text(value: Any, max_length: int = 200) -> str:
    text = re.sub(r"\s+", " ", str(value).replace("\u3000", " ")).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if len(text) > max_length:
        raise ValueError(_("is longer than %(n)d characters") % {"n": max_length})
    return text


def clean_name(value: Any) -> str:
    # Names keep their full-width brackets（）, only blanks go.
    return re.sub(r"[\s\u3000]+", "", str(value)) if value is not None else ""


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date | None:
    """An Excel date, an Excel serial number or text such as 2019-03-05, 2019/3/5, 2019年3月5日."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not (_EXCEL_SERIAL_RANGE[0] <= value <= _EXCEL_SERIAL_RANGE[1]):
            raise ValueError(_("%(value)s is not a date") % {"value": value})
        result = from_excel(value).date()
    else:
        text = normalize(value)
        if not text:
            return None
        match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
        if not match:
            raise ValueError(_("%(value)s is not a date; write it like 2019-03-05 or 2019年3月5日") % {"value": text})
        try:
            result = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(_("%(value)s is not a valid date") % {"value": text}) from None
    if result > (today or dt.date.today()):
        raise ValueError(_("%(value)s is in the future") % {"value": result.isoformat()})
    if result.year < 1949:
        raise ValueError(_("%(value)s is too early") % {"value": result.isoformat()})
    return result


def parse_choice(value: Any, mapping: dict[str, str], suffixes: Sequence[str] = ()) -> str | None:
    key = header_key(value)
    if not key:
        return None
    code = normalize(value).lower()
    if code in mapping.values():  # the code itself, e.g. from an exported roster
        return code
    if key in mapping:
        return mapping[key]
    for suffix in suffixes:
        if key.endswith(suffix) and key[: -len(suffix)] in mapping:
            return mapping[key[: -len(suffix)]]
    raise ValueError(
        _("“%(value)s” is not one of: %(choices)s")
        % {"value": normalize(value), "choices": "、".join(dict.fromkeys(k for k in mapping if len(k) > 2))}
    )


def parse_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = normalize(value).replace(",", "").rstrip("人名个")
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(_("%(value)s is not a whole number") % {"value": normalize(value)})
        number = int(text)
    if number < 0:
        raise ValueError(_("may not be negative"))
    return number


def parse_amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    text = normalize(value).replace(",", "").removesuffix("万元").removesuffix("万")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(value)s is not an amount") % {"value": normalize(value)}) from None
    if amount < 0 or not amount.is_finite():
        raise ValueError(_("may not be negative"))
    if amount >= Decimal("1e10"):
        raise ValueError(_("is too large"))
    return amount.quantize(Decimal("0.01"))


def parse_phone(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize(value)
    if text and not _PHONE.match(text):
        raise ValueError(_("%(value)s is not a telephone number") % {"value": text})
    return text


def normalize_uscc(value: Any) -> str:
    return re.sub(r"[\s\-]", "", normalize(value)).upper()


# ---- reading ----


def read_sheet(source, *, max_rows: int = MAX_ROWS + _HEADER_SCAN_ROWS) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of the workbook's first sheet, through the guarded reader: a
    refused file raises WorkbookRefused before the first row."""
    return read_rows(source, max_rows=max_rows, max_columns=MAX_COLUMNS)


def _refusal_message(refusal: WorkbookRefused, max_rows: int) -> str:
    if refusal.reason == TOO_MANY_ROWS:  # counted in data rows, as the user counts them
        return _("File: the roster has more than %(n)d rows; split it into several files.") % {"n": max_rows}
    return refusal.text


def check_file(source, *, max_rows: int = MAX_ROWS) -> None:
    """The guarded reader's checks without reading, for refusing a file at upload (it is read
    later, perhaps in Celery): a WorkbookRefused on the file field."""
    try:
        check_workbook(source, max_rows=max_rows + _HEADER_SCAN_ROWS, max_columns=MAX_COLUMNS)
    except WorkbookRefused as refusal:
        raise WorkbookRefused(_refusal_message(refusal, max_rows), reason=refusal.reason) from refusal


def _matches(values: Sequence) -> dict[int, str]:
    return {i: name for i, value in enumerate(values) if (name := match_header(value))}


def locate_header(
    rows: Sequence[tuple[int, tuple]],
) -> tuple[tuple[int, ...], dict[int, tuple[str, str]], list[str]]:
    """Find the header among the first rows: the row naming most roster columns, together with a
    neighbouring row when the header is two rows deep (merged group cells above, or cells merged
    down beside sub-headers). Returns (header row numbers, index → (field, header), ignored headers)."""
    scanned = rows[:_HEADER_SCAN_ROWS]
    best = max(range(len(scanned)), key=lambda i: len(_matches(scanned[i][1])), default=None)
    if best is None or len(_matches(scanned[best][1])) < 2:
        return (), {}, []
    block = [best]
    for neighbour in (best - 1, best + 1):
        if 0 <= neighbour < len(scanned):
            found = _matches(scanned[neighbour][1])
            main = _matches(scanned[best][1])
            # A second header row names columns the main row leaves unnamed (or only groups).
            if found and any(i not in main for i in found) and not (set(found.values()) & set(main.values())):
                block.append(neighbour)
    block.sort()
    columns: dict[int, tuple[str, str]] = {}
    ignored: list[str] = []
    seen: set[str] = set()
    width = max(len(scanned[i][1]) for i in block)
    for index in range(width):
        # The lowest header cell that names a field wins (sub-header under a merged group cell).
        chosen = None
        for i in reversed(block):
            values = scanned[i][1]
            text = values[index] if index < len(values) else None
            if match_header(text):
                chosen = (match_header(text), header_text(text))
                break
        if chosen is None:
            texts = [
                normalize(scanned[i][1][index]) for i in block if index < len(scanned[i][1]) and scanned[i][1][index]
            ]
            if texts:
                ignored.append(texts[-1])
            continue
        if chosen[0] in seen:
            ignored.append(chosen[1])
            continue
        seen.add(chosen[0])
        columns[index] = chosen
    return tuple(scanned[i][0] for i in block), columns, ignored


def parse_roster(
    source,
    *,
    regions: RegionIndex,
    check_uscc: Callable[[str], Any] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_rows: int = MAX_ROWS,
) -> Roster:
    """Read and check a whole roster; nothing is written anywhere. A sheet longer than `max_rows`
    (plus a few header rows), or a file the guarded reader refuses, is refused whole rather than
    read into memory."""
    try:
        all_rows = list(read_sheet(source, max_rows=max_rows + _HEADER_SCAN_ROWS))
    except WorkbookRefused as refusal:
        roster = Roster()
        roster.problems.append(RowError(0, "", _refusal_message(refusal, max_rows)))
        return roster
    return parse_rows(all_rows, regions=regions, check_uscc=check_uscc, today=today, progress=progress)


def parse_rows(
    all_rows: Sequence[tuple[int, tuple]],
    *,
    regions: RegionIndex,
    check_uscc: Callable[[str], Any] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Roster:
    roster = Roster()
    header_rows, columns, ignored = locate_header(all_rows)
    if not header_rows:
        roster.problems.append(
            RowError(
                0,
                "",
                _("No header row found: the first rows must name the columns (名称, 类型, 所属街道 …)."),
            )
        )
        return roster
    roster.header_rows, roster.columns, roster.ignored_headers = header_rows, columns, ignored
    present = {name for name, _written in columns.values()}
    for name in REQUIRED_COLUMNS:
        if name not in present:
            roster.problems.append(
                RowError(
                    header_rows[-1],
                    column_label(name),
                    _("The roster has no “%(column)s” column.") % {"column": column_label(name)},
                )
            )
    if roster.problems:
        return roster
    last_header = header_rows[-1]
    data = [(number, values) for number, values in all_rows if number > last_header]
    total = len(data)
    for done, (number, values) in enumerate(data, start=1):
        cells = {name: (values[i] if i < len(values) else None, written) for i, (name, written) in columns.items()}
        if all(value is None or normalize(value) == "" for value, _written in cells.values()):
            continue  # blank row
        roster.rows.append(parse_row(number, cells, regions=regions, check_uscc=check_uscc, today=today))
        if progress is not None and done % 1000 == 0:
            progress(done, total)
    return roster


def _uscc_message(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def parse_row(
    number: int,
    cells: dict[str, tuple[Any, str]],
    *,
    regions: RegionIndex,
    check_uscc: Callable[[str], Any] | None = None,
    today: dt.date | None = None,
) -> RosterRow:
    """Clean one data row: `cells` maps field → (raw value, header as written)."""
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

    values["legal_form"] = required_choice("legal_form", LEGAL_FORMS, ("法人",))
    values["category"] = required_choice("category", CATEGORIES, ("类",))

    # USCC: required of registered organizations; checked (GB 32100-2015) wherever given.
    uscc_value, uscc_header = raw("uscc")
    uscc = normalize_uscc(uscc_value)
    if uscc and isinstance(uscc_value, float | int) and not isinstance(uscc_value, bool):
        uscc = str(int(uscc_value))
    if uscc:
        if check_uscc is not None:
            try:
                checked = check_uscc(uscc)
            except ValidationError as error:
                row.error(
                    uscc_header,
                    _("%(column)s: %(problem)s") % {"column": uscc_header, "problem": _uscc_message(error)},
                )
            else:
                uscc = checked if isinstance(checked, str) else uscc
        values["uscc"] = uscc
    else:
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
    street_id = None
    if required("street", region_key(street_text)):
        street_id = regions.street(street_text)
        if street_id is None:
            row.error(
                street_header,
                _("%(column)s: “%(value)s” is not a street of this district.")
                % {"column": street_header, "value": region_key(street_text)},
            )
    community_text, community_header = raw("community")
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

