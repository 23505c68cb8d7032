"""The tolerant reader every importer uses: an importer declares its table as columns (name, label,
synonyms, required) and gets back the rows of whichever sheet holds that table, read through the
guarded reader (core.spreadsheets: size caps, merged cells as their top-left value), with every
column it did not read named and the rows nobody means as data (合计, 填表人 …) set aside. The
values people type (dates as text or Excel serial numbers, counts, amounts, telephone numbers) are
parsed here once.

    LEDGER = Table(columns=(Column("date", _("Date"), synonyms=("活动日期", "时间"), required=True), …))
    table = read_table(upload, LEDGER, max_rows=10_000, max_columns=30)
    for number, values in table.rows:      # values: {"date": …, …} as the cells hold them
        ...
    table.warnings                         # ignored columns and skipped rows, in the user's words

Telephone numbers: blanks go, several numbers in one cell (separated by / 、 , ; or blanks between
whole numbers) are all kept, joined by "、", so nothing a clerk typed is lost; a cell whose numbers
do not fit the field is refused, naming it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from .spreadsheets import read_rows, sheet_names

# The header is looked for among the first rows of each sheet, on at most this many sheets.
HEADER_SCAN_ROWS = 20
MAX_SHEETS = 20

# Rows that close a table rather than belong to it: totals, signatures, notes.
SUMMARY_PREFIXES = (
    "合计", "小计", "总计", "共计", "累计", "填表", "填报", "制表", "审核人", "审核:", "审批人",
    "负责人签字", "签字", "签名", "盖章", "单位盖章", "单位(盖章)", "注:", "说明:", "备注:",
)  # fmt: skip

_NOISE = re.compile(r"[\s()（）\[\]【】<>《》/／\\、·.:：*＊\-—_~#＃]+")
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


def normalize(value: Any) -> str:
    """Cell text with full-width characters folded (NFKC) and surrounding blanks removed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def header_text(value: Any) -> str:
    """A header as written (full-width brackets kept), without the spaces and line breaks used to
    lay it out."""
    return re.sub(r"\s+", "", str(value).replace("\u3000", " ")) if value is not None else ""


def header_key(value: Any) -> str:
    """A header reduced for matching: folded, lower case, without spaces, brackets, punctuation."""
    return _NOISE.sub("", normalize(value).lower())


def is_blank(value: Any) -> bool:
    return value is None or normalize(value) == ""


def is_summary_row(values: Sequence) -> bool:
    """A totals, signature or note row (合计, 小计, 填表人：…, 审核人, 制表, 注：…): its first
    non-empty cell starts with one of SUMMARY_PREFIXES."""
    first = next((value for value in values if not is_blank(value)), None)
    if not isinstance(first, str):
        return False
    text = re.sub(r"\s+", "", normalize(first))
    return text.startswith(SUMMARY_PREFIXES)


# ---- declarations ----


def _texts(label) -> list[str]:
    """A label as every language writes it (a lazy translation in Chinese and in English)."""
    if not isinstance(label, Promise):
        return [str(label)]
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.append(str(label))
    return texts


@dataclass(frozen=True)
class Column:
    """One column an importer reads: `label` is the template's header (shown in messages),
    `synonyms` the other headers people write for it, best first. When two columns of a sheet
    name the same field, the better-ranked header wins (the label, then the synonyms in order)."""

    name: str
    label: Any
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def headers(self) -> list[str]:
        return [*_texts(self.label), *self.synonyms]

    def __str__(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Elsewhere:
    """Headers known to belong to another upload: reported with `message` (%(column)s is the
    header as written) instead of as unknown."""

    headers: tuple[str, ...]
    message: Any


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    elsewhere: tuple[Elsewhere, ...] = ()
    # A row naming fewer of the columns is not taken for a header.
    min_matches: int = 2

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    @cached_property
    def _index(self) -> dict[str, tuple[str, int]]:
        """header key → (column name, rank), for exact matching."""
        found: dict[str, tuple[str, int]] = {}
        for column in self.columns:
            for rank, header in enumerate(column.headers()):
                found.setdefault(header_key(header), (column.name, rank))
        return found

    @cached_property
    def _prefixes(self) -> list[tuple[str, tuple[str, int]]]:
        """Long header names, longest first: a header that starts with one names its column."""
        return sorted(((key, found) for key, found in self._index.items() if len(key) >= 4), key=lambda i: -len(i[0]))

    def match(self, value: Any) -> tuple[str, int] | None:
        """(column name, rank) a header names, or None. Exact after folding; then without a
        bracketed remark (名称（全称）, 金额（元）); then a long header name followed by a remark."""
        key = header_key(value)
        if not key:
            return None
        if key in self._index:
            return self._index[key]
        bare = header_key(_BRACKETED.sub("", normalize(value)))
        if bare and bare in self._index:
            return self._index[bare]
        return next((found for alias, found in self._prefixes if key.startswith(alias)), None)

    def elsewhere_message(self, value: Any) -> str | None:
        key, bare = header_key(value), header_key(_BRACKETED.sub("", normalize(value)))
        for other in self.elsewhere:
            if {key, bare} & {header_key(header) for header in other.headers}:
                return str(other.message) % {"column": header_text(value)}
        return None


# ---- the table as read ----


@dataclass(frozen=True)
class Ignored:
    header: str
    message: str


@dataclass
class TableRead:
    sheet: str
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook, in order
    header_rows: tuple[int, ...] = ()
    columns: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (name, header as written)
    ignored: list[Ignored] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)  # required columns not found
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, name → raw value)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row number, first text) of summary rows

    def where(self, row: int | None = None) -> str:
        """工作表“名册”第5行 — the place a message is about, as the user finds it in Excel."""
        if row is None:
            return _("Sheet “%(sheet)s”") % {"sheet": self.sheet}
        return _("Sheet “%(sheet)s” row %(row)d") % {"sheet": self.sheet, "row": row}

    def has(self, name: str) -> bool:
        return any(found == name for found, _written in self.columns.values())

    def header_of(self, name: str, default: str = "") -> str:
        return next((written for found, written in self.columns.values() if found == name), default)

    @property
    def warnings(self) -> list[str]:
        """What the importer did not read: each ignored column and each skipped row."""
        messages = [ignored.message for ignored in self.ignored]
        messages += [
            _("%(where)s (“%(text)s”) is a total, signature or note, not data; it is skipped.")
            % {"where": self.where(number), "text": text}
            for number, text in self.skipped
        ]
        return messages

    def missing_message(self, column: Column) -> str:
        return _("%(where)s: the sheet has no “%(column)s” column.") % {
            "where": self.where(self.header_rows[-1]) if self.header_rows else self.where(),
            "column": column,
        }


class TableNotFound(ValidationError):
    """No sheet holds a header row naming the table's columns."""

    def __init__(self, message: str, field_name: str = "file"):
        super().__init__({field_name: ValidationError(message, code="no_header")})
        self.text = message


def _row_matches(table: Table, values: Sequence) -> dict[int, tuple[str, int, str]]:
    found = {}
    for i, value in enumerate(values):
        if isinstance(value, str) and (match := table.match(value)):
            found[i] = (*match, header_text(value))
    return found


def _consistent(found: dict, block: dict) -> bool:
    return bool(found) and all(i not in block or block[i][0] == name for i, (name, *_rest) in found.items())


def _locate(table: Table, scanned: list[tuple[int, tuple]]) -> tuple[list[int], list[dict]] | None:
    """The header block among the scanned rows: the row naming most columns, with the rows above
    that name the same columns or group them (a two-row header, cells merged down or across) and
    a row below that names only columns the block leaves unnamed (sub-headers under a group)."""
    matches = [_row_matches(table, values) for _number, values in scanned]
    counts = [len({name for name, *_rest in found.values()}) for found in matches]
    if not counts or max(counts) < table.min_matches:
        return None
    best = counts.index(max(counts))
    block, named = [best], dict(matches[best])
    above = best - 1
    while above >= 0 and best - above <= 2 and _consistent(matches[above], named):
        block.insert(0, above)
        named = {**matches[above], **named}
        above -= 1
    below = best + 1
    if below < len(scanned) and _consistent(matches[below], named):
        values = scanned[below][1]
        header_cells = {i: header_text(scanned[best][1][i]) for i in range(len(scanned[best][1]))}
        # Every other text in the row repeats the header above it (merged down): no data row.
        if all(
            i in matches[below] or is_blank(value) or header_text(value) == header_cells.get(i)
            for i, value in enumerate(values)
        ):
            block.append(below)
    return block, matches


def _columns(table: Table, scanned, block: list[int], matches) -> tuple[dict, list[Ignored]]:
    chosen: dict[int, tuple[str, int, str]] = {}
    unknown: dict[int, str] = {}
    width = max(len(scanned[i][1]) for i in block)
    for column_index in range(width):
        for i in reversed(block):  # the lowest header cell naming a column wins (sub-header)
            if column_index in matches[i]:
                chosen[column_index] = matches[i][column_index]
                break
        else:
            texts = [
                header_text(scanned[i][1][column_index])
                for i in block
                if column_index < len(scanned[i][1]) and not is_blank(scanned[i][1][column_index])
            ]
            if texts:
                unknown[column_index] = texts[-1]
    winners: dict[str, int] = {}
    for column_index, (name, rank, _written) in chosen.items():
        if name not in winners or rank < chosen[winners[name]][1]:
            winners[name] = column_index
    columns, ignored, seen = {}, [], set()

    def ignore(header: str, message: str) -> None:
        if header not in seen:
            seen.add(header)
            ignored.append(Ignored(header, message))

    for column_index in range(width):
        if column_index in unknown:
            header = unknown[column_index]
            message = table.elsewhere_message(header) or _("Column “%(column)s” is not recognised and is ignored.") % {
                "column": header
            }
            ignore(header, message)
        elif column_index in chosen:
            name, _rank, written = chosen[column_index]
            if winners[name] == column_index:
                columns[column_index] = (name, written)
            else:
                ignore(
                    written,
                    _("Column “%(column)s” is ignored: column “%(other)s” is read as %(label)s.")
                    % {"column": written, "other": chosen[winners[name]][2], "label": table.column(name)},
                )
    return columns, ignored


def _data(result: TableRead, rows: Iterable[tuple[int, tuple]]) -> None:
    last_header = result.header_rows[-1]
    for number, values in rows:
        if number <= last_header:
            continue
        picked = {name: (values[i] if i < len(values) else None) for i, (name, _w) in result.columns.items()}
        if all(is_blank(value) for value in picked.values()):
            continue  # a blank row, or one with text only in columns not read
        if is_summary_row(values):
            first = next(value for value in values if not is_blank(value))
            result.skipped.append((number, str(first).strip()[:30]))  # as typed, to be found in the sheet
            continue
        result.rows.append((number, picked))


def read_table(
    source,
    table: Table,
    *,
    max_rows: int,
    max_columns: int,
    field_name: str = "file",
    what: str = "",
) -> TableRead:
    """The table from the first sheet whose header names every required column (else the sheet
    naming most of them, with `missing` set and no rows). WorkbookRefused when the guarded reader
    refuses the file; TableNotFound when no sheet has a header. `what` names the table in that
    message (台账, 名册)."""
    names = sheet_names(source, field=field_name)[:MAX_SHEETS]
    best: TableRead | None = None
    best_count = -1
    for name in names:
        source.seek(0)
        rows = read_rows(source, max_rows=max_rows, max_columns=max_columns, sheet=name, field=field_name)
        with contextlib.closing(rows):
            scanned = []
            for row in rows:
                scanned.append(row)
                if len(scanned) >= HEADER_SCAN_ROWS:
                    break
            located = _locate(table, scanned)
            if located is None:
                continue
            block, matches = located
            columns, ignored = _columns(table, scanned, block, matches)
            result = TableRead(
                sheet=name,
                sheets=list(names),
                header_rows=tuple(scanned[i][0] for i in block),
                columns=columns,
                ignored=ignored,
            )
            result.missing = [c for c in table.columns if c.required and not result.has(c.name)]
            if not result.missing:
                _data(result, [*scanned, *rows])
                source.seek(0)
                return result
            if len(columns) > best_count:
                best, best_count = result, len(columns)
    source.seek(0)
    if best is not None:
        return best
    raise TableNotFound(
        _(
            "File: no sheet has a header row naming the %(what)s's columns (%(columns)s …) within its first "
            "%(n)d rows; sheets looked at: %(sheets)s."
        )
        % {
            "what": what or _("table"),
            "columns": "、".join(str(c) for c in sorted(table.columns, key=lambda c: not c.required)[:3]),
            "n": HEADER_SCAN_ROWS,
            "sheets": "、".join(f"“{name}”" for name in names),
        },
        field_name,
    )


# ---- values people type: each returns the value or raises ValueError with the user's message ----

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_TEXT = re.compile(r"^(\d{5})(?:\.0+)?$")
# Excel serial numbers of 1900-01-01 .. 2100-01-01.
EXCEL_SERIAL_RANGE = (1, 73051)


def _from_serial(number: float, shown) -> dt.date:
    if not (EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]):
        raise ValueError(_("%(value)s is not a date") % {"value": shown})
    return from_excel(number).date()


def parse_date(value: Any) -> dt.date | None:
    """An Excel date; an Excel serial number, also as text ("43529"); text such as 2019-03-05,
    2019/3/5, 2019.3.5, 2019年3月5日 or 20190305. None when empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(_("%(value)s is not a date") % {"value": value})
        if 19000101 <= value <= 21001231:  # 20190305 typed as a number
            return parse_date(str(int(value)))
        return _from_serial(value, value)
    text = normalize(value)
    if not text:
        return None
    if match := _SERIAL_TEXT.match(text):
        return _from_serial(int(match.group(1)), text)
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if not match:
        raise ValueError(_("%(value)s is not a date; write it like 2019-03-05 or 2019年3月5日") % {"value": text})
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(_("%(value)s is not a valid date") % {"value": text}) from None


def parse_int(value: Any, *, units: str = "人名个次场") -> int | None:
    """A whole number, also as text with thousands separators or a unit (30人). None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = normalize(value).replace(",", "").rstrip(units).strip()
        if not text:
            return None
        if not re.fullmatch(r"-?[0-9]{1,15}", text):
            raise ValueError(_("%(value)s is not a whole number") % {"value": normalize(value)})
        number = int(text)
    if number < 0:
        raise ValueError(_("may not be negative"))
    return number


def parse_decimal(value: Any, *, suffixes: Sequence[str] = ()) -> Decimal | None:
    """A number as Decimal (never through a binary fraction: a float cell is read as it shows),
    text with thousands separators, ¥ and the given unit suffixes allowed. None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        _not_a_number(value)
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = normalize(value).replace(",", "").replace("¥", "").strip()
        for suffix in sorted(suffixes, key=len, reverse=True):
            text = text.removesuffix(suffix).strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            _not_a_number(value)
    if not number.is_finite():
        _not_a_number(value)
    return number


def _not_a_number(value):
    raise ValueError(_("%(value)s is not an amount") % {"value": normalize(value)})


def parse_amount(value: Any, *, suffixes: Sequence[str] = ("元",), limit: Decimal = Decimal("1e10")) -> Decimal | None:
    """An amount to the cent, not negative, below `limit`. None when empty."""
    amount = parse_decimal(value, suffixes=suffixes)
    if amount is None:
        return None
    if amount < 0:
        raise ValueError(_("may not be negative"))
    if amount >= limit:
        raise ValueError(_("is too large"))
    return amount.quantize(Decimal("0.01"))


_PHONE = re.compile(r"^\+?[0-9()\-]{5,20}(?:转[0-9]{1,6})?$")
_PHONE_SEPARATORS = re.compile(r"[/、,;|]|\s{2,}|或")


def parse_phone(value: Any, *, max_length: int = 30) -> str:
    """Telephone numbers without blanks; several in one cell kept, joined by "、"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize(value).replace("－", "-")
    if not text:
        return ""
    parts = [part.strip() for part in _PHONE_SEPARATORS.split(text) if part.strip()]
    numbers = []
    for part in parts:
        squeezed = re.sub(r"\s+", "", part)
        if _PHONE.match(squeezed):
            numbers.append(squeezed)
            continue
        # Two whole numbers separated by one blank: "13800000001 0571-88000001".
        pieces = part.split()
        if len(pieces) > 1 and all(_PHONE.match(piece) and len(re.sub(r"\D", "", piece)) >= 7 for piece in pieces):
            numbers.extend(pieces)
            continue
        raise ValueError(_("%(value)s is not a telephone number") % {"value": text})
    joined = "、".join(numbers)
    if len(joined) > max_length:
        raise ValueError(
            _("%(value)s is longer than %(n)d characters; keep one or two numbers") % {"value": joined, "n": max_length}
        )
    return joined
