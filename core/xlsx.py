"""The one xlsx writer: openpyxl write-only mode, typed cells, formula-like text neutralised, and
every sheet filterable, sized to its content and saying what it holds."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# Text starting with these would be read by a spreadsheet as a formula (or DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Amounts in 元; other decimals (hours) keep the General format.
AMOUNT_FORMAT = "#,##0.00"
# A rate stored as a fraction (0.455) and shown as a percentage to one decimal (45.5%).
RATE_FORMAT = "0.0%"
_HEADER_FONT = Font(bold=True)
_CAPTION_FONT = Font(bold=True, size=13)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MIN_WIDTH = 6
_MAX_WIDTH = 60
# Column widths are judged from the header and this many rows, held back before writing (a
# write-only sheet fixes its column widths before the first row).
WIDTH_SAMPLE_ROWS = 200
PROGRESS_EVERY = 1000
_MAX_TEXT = 32_767  # what a cell can hold
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Sheet:
    """One worksheet: a title, header labels, an iterable of rows (consumed once) and, optionally,
    a number format per column (None: judged by the value's type) and caption lines written above
    the header (the first as a heading: what the sheet holds, as of when); the header row stays
    the frozen, filtered and printed-on-every-page row."""

    def __init__(
        self,
        title: str,
        headers: Sequence,
        rows: Iterable[Sequence],
        formats: Sequence | None = None,
        caption: Sequence = (),
    ):
        self.title = force_str(title)
        self.headers = [force_str(h) for h in headers]
        self.rows = rows
        self.formats = list(formats) if formats is not None else [None] * len(self.headers)
        self.caption = [force_str(line) for line in caption]


@dataclass(frozen=True)
class Formatted:
    """A value with its own number format, for a column whose rows hold different kinds of
    figures (a count, an amount in 元, a rate)."""

    value: object
    number_format: str


@dataclass(frozen=True)
class Note:
    """What a workbook holds, in words: written to the file's properties and to a last sheet, so
    that the file, and a printed page of it, still says what it is.

    `items` are (label, text) lines in order; the writer adds the number of rows of each sheet."""

    title: str
    items: Sequence[tuple[str, str]] = ()
    subject: str = ""
    creator: str = ""
    created: dt.datetime = field(default_factory=timezone.now)


def note_sheet_title() -> str:
    return pgettext("export", "Notes")


def _text(value: str) -> str:
    if len(value) > _MAX_TEXT:
        value = value[:_MAX_TEXT]
    if ILLEGAL_CHARACTERS_RE.search(value):
        # Control characters pasted into a text field cannot be stored in a cell.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class _CellWriter:
    """Turns Python values into what a write-only sheet appends. Plain values go in as they are
    (openpyxl reuses one cell for them); only cells that need a format or a quote get their own."""

    def __init__(self, ws, formats: Sequence):
        self.ws = ws
        self.formats = formats
        self.yes, self.no = gettext("Yes"), gettext("No")

    def _styled(self, value, number_format):
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = number_format
        return cell

    def _quoted(self, text):
        # Stored as a plain string (never a formula) and marked as typed-in text, the way a
        # spreadsheet stores '=1+1: the user sees exactly what was entered, nothing runs.
        cell = WriteOnlyCell(self.ws)
        cell.value = text
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    def value(self, value, number_format=None):
        if value is None:
            return None
        kind = type(value)
        if kind is Formatted:
            inner = self.value(value.value, value.number_format)
            if inner is None or isinstance(inner, Cell):
                return inner
            return self._styled(inner, value.number_format)
        if kind is str:
            if not value:
                return None
            value = _text(value)
            return self._quoted(value) if value.startswith(FORMULA_PREFIXES) else value
        if kind is int or kind is float:
            return value
        if kind is bool:
            return self.yes if value else self.no
        if kind is Decimal:
            return self._styled(value, number_format) if number_format else value
        if kind is dt.date:
            return value  # openpyxl gives a date the format yyyy-mm-dd itself
        if kind is dt.datetime:
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            # Minutes are what is shown; microseconds would only add float noise to the cell.
            value = value.replace(microsecond=0)
            return self._styled(value, number_format or DATETIME_FORMAT)
        # Subclasses of the types above (an IntegerChoices member, a datetime subclass) and the rest.
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, dt.datetime):
            return self.value(dt.datetime.combine(value.date(), value.timetz()), number_format)
        if isinstance(value, dt.date):
            return dt.date(value.year, value.month, value.day)
        if isinstance(value, Decimal):
            return self.value(Decimal(value), number_format)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        # Text of any other kind (lazy, safe, a choices member, a model): as a plain str.
        return self.value(str.__str__(value if isinstance(value, str) else force_str(value)), number_format)

    def row(self, values):
        convert, formats = self.value, self.formats
        return [convert(v, f) for v, f in zip(values, formats, strict=False)]


class _Written:
    """Stands in for a write-only sheet's row generator once `_sheet_data` wrote the rows, so that
    closing the sheet writes only what follows them."""

    def close(self):
        pass


@contextlib.contextmanager
def _sheet_data(ws, head: Sequence[Sequence]):
    """Open a write-only sheet's <sheetData>, write the `head` rows (caption, header: styled cells)
    through openpyxl, and yield (raw, append) for the data rows: `raw(text)` writes XML text as it
    is when the sheet's stream is et_xmlfile's (openpyxl without lxml), else None; `append(cells)`
    writes a row of values or cells through openpyxl. What WriteOnlyWorksheet.append does, without
    its per-cell objects for the data rows."""
    ws._get_writer()
    writer = ws._writer
    xf = writer.xf.send(True)
    index = 0

    def append(cells):
        nonlocal index
        index += 1
        writer.write_row(xf, ws._values_to_row(cells, index), index)

    with xf.element("sheetData"):
        for cells in head:
            append(cells)
        raw = getattr(xf, "_file", None) if type(xf).__module__.startswith("et_xmlfile") else None
        yield raw, append
    writer.xf.send(None)
    ws._rows = _Written()


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def _serial_date(value: dt.date) -> int:
    days = value.toordinal() - _EXCEL_EPOCH
    return days - 1 if 0 < days <= 60 else days  # Excel's 29 February 1900, as openpyxl counts it


class RowWriter:
    """A data row as the <row> XML openpyxl would write for it through _CellWriter and its cells,
    written as text: the same types (numbers, inline strings, date serials), the same styles (a
    column's number format, a date's yyyy-mm-dd, a formula-like text's quote prefix) registered
    once per (format, quote) in the workbook's styles, and no object per cell."""

    def __init__(self, ws, formats: Sequence, first_row: int):
        self.ws = ws
        self.formats = list(formats)
        self.letters = [get_column_letter(i) for i in range(1, len(self.formats) + 1)]
        self.next_row = first_row
        self.yes, self.no = gettext("Yes"), gettext("No")
        self._styles: dict = {}

    def style(self, number_format=None, quote=False) -> str:
        key = (number_format, quote)
        style = self._styles.get(key)
        if style is None:
            cell = WriteOnlyCell(self.ws)
            if number_format:
                cell.number_format = number_format
            if quote:
                cell.quotePrefix = True
            style = self._styles[key] = f' s="{cell.style_id}"'
        return style

    def row(self, values) -> str:
        number = str(self.next_row)
        self.next_row += 1
        parts = [f'<row r="{number}">']
        cell = self.cell
        for letter, number_format, value in zip(self.letters, self.formats, values, strict=False):
            if value is not None:
                xml = cell(letter + number, value, number_format)
                if xml is not None:
                    parts.append(xml)
        parts.append("</row>")
        return "".join(parts)

    def _string(self, ref, value, style=""):
        value = _text(value)
        if value.startswith(FORMULA_PREFIXES):
            style = self.style(quote=True)
        space = ' xml:space="preserve"' if value != value.strip() and value.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'

    def cell(self, ref: str, value, number_format=None, forced=False) -> str | None:
        """`forced`: the format is a Formatted value's own, applied whatever the value's type."""
        kind = type(value)
        style = self.style(number_format) if forced else ""
        if kind is str:
            return self._string(ref, value, style) if value else None
        if kind is int:
            return f'<c r="{ref}"{style} t="n"><v>{value}</v></c>'
        if kind is float or kind is Decimal:
            if not math.isfinite(value):
                return None
            if kind is Decimal and number_format:
                style = self.style(number_format)
            return f'<c r="{ref}"{style} t="n"><v>{value:.16g}</v></c>'
        if kind is dt.date:
            style = style or self.style(DATE_FORMAT)
            return f'<c r="{ref}"{style} t="n"><v>{_serial_date(value)}</v></c>'
        if kind is dt.datetime:
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            style = self.style(number_format or DATETIME_FORMAT)
            serial = _serial_date(value) + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
            return f'<c r="{ref}"{style} t="n"><v>{serial:.16g}</v></c>'
        if kind is bool:
            return self._string(ref, self.yes if value else self.no, style)
        if kind is Formatted:
            return None if value.value is None else self.cell(ref, value.value, value.number_format, forced=True)
        # Subclasses of the types above (an IntegerChoices member, a datetime subclass) and the rest.
        return self.cell(ref, _normalised(value), number_format, forced)


def _normalised(value):
    """A value of a subclass of a plain type as that type; anything else as text."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, dt.datetime):
        return dt.datetime.combine(value.date(), value.timetz())
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, Decimal):
        return Decimal(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str.__str__(value if isinstance(value, str) else force_str(value))


def display_width(value, number_format=None) -> int:
    """Roughly how many character columns a value takes in a cell (CJK characters count two)."""
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, bool):
        return 2
    text = f"{value:,.2f}" if isinstance(value, Decimal) and number_format == AMOUNT_FORMAT else force_str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:_MAX_WIDTH])


def _widths(headers: Sequence[str], sample: Sequence[Sequence], formats: Sequence) -> list[int]:
    widths = [display_width(h) + 3 for h in headers]  # bold, and room for the filter button
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            width = display_width(value, formats[index] if index < len(formats) else None)
            if width > widths[index]:
                widths[index] = width
    return [max(_MIN_WIDTH, min(width + 2, _MAX_WIDTH)) for width in widths]


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_TITLE_FORBIDDEN.sub("_", force_str(title)).strip("'")[:31] or "Sheet"
    name, counter = base, 1
    while name.lower() in used:
        counter += 1
        name = f"{base[: 31 - len(str(counter)) - 1]}_{counter}"
    used.add(name.lower())
    return name


def _header_footer_text(text: str) -> str:
    # "&" starts a header/footer code; a header holds at most 255 characters in all.
    return force_str(text).replace("&", "&&")[:100]


def _write_data_sheet(workbook, sheet: Sheet, title: str, note: Note | None, progress, done_before: int) -> int:
    ws = workbook.create_sheet(title=title)
    header_row = len(sheet.caption) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    if note is not None:
        ws.oddHeader.left.text = _header_footer_text(note.title)
        ws.oddHeader.right.text = _header_footer_text(note.subject)
    ws.oddFooter.center.text = "&P / &N"
    formats = list(sheet.formats) + [None] * (len(sheet.headers) - len(sheet.formats))
    rows = iter(sheet.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    for index, width in enumerate(_widths(sheet.headers, sample, formats), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    head = []
    for line, text in enumerate(sheet.caption):
        cell = WriteOnlyCell(ws, value=_text(text) or None)
        if line == 0:
            cell.font = _CAPTION_FONT
        head.append([cell])
    header_cells = []
    for header in sheet.headers:
        cell = WriteOnlyCell(ws, value=_text(header))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        header_cells.append(cell)
    head.append(header_cells)
    count = 0
    rows = itertools.chain(sample, rows)
    with _sheet_data(ws, head) as (raw, append):
        if raw is not None:
            to_xml = RowWriter(ws, formats, first_row=header_row + 1).row

            def emit(row):
                raw(to_xml(row))

        else:  # another XML writer than et_xmlfile's: openpyxl's own cells, the slow way
            convert = _CellWriter(ws, formats).row

            def emit(row):
                append(convert(row))

        for row in rows:
            emit(row)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(done_before + count)
    if sheet.headers:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.headers))}{header_row + count}"
    return count


def _write_note_sheet(workbook, note: Note, titles: Sequence[str], counts: Sequence[int], used: set[str]):
    ws = workbook.create_sheet(title=_sheet_title(note_sheet_title(), used))
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80
    ws.oddFooter.center.text = "&P / &N"
    header = WriteOnlyCell(ws, value=_text(note.title))
    header.font = Font(bold=True, size=13)
    ws.append([header])
    if len(counts) == 1:
        rows_text = str(counts[0])
    else:
        rows_text = "；".join(f"{t}：{n}" for t, n in zip(titles, counts, strict=True))
    for label, text in [*note.items, (pgettext("export note", "Rows"), rows_text)]:
        label_cell = WriteOnlyCell(ws, value=_text(force_str(label)))
        label_cell.font = _HEADER_FONT
        label_cell.alignment = _WRAP
        text_cell = WriteOnlyCell(ws, value=_text(force_str(text)))
        text_cell.alignment = _WRAP
        if text_cell.value and text_cell.value.startswith(FORMULA_PREFIXES):
            text_cell.data_type = "s"
            text_cell.quotePrefix = True
        ws.append([label_cell, text_cell])


def _set_properties(workbook, note: Note) -> None:
    properties = workbook.properties
    properties.title = _text(force_str(note.title))[:255]
    properties.subject = _text(force_str(note.subject))[:255]
    properties.creator = _text(force_str(note.creator))[:255]
    properties.lastModifiedBy = properties.creator
    properties.description = _text("\n".join(f"{force_str(label)}：{force_str(text)}" for label, text in note.items))
    # The package stores UTC; spreadsheet programs show it in the reader's own time.
    properties.created = properties.modified = timezone.localtime(note.created, dt.UTC).replace(tzinfo=None)


def _discard(workbook) -> None:
    """After a write that failed midway: close each sheet's temporary file and remove it (openpyxl
    would otherwise keep them until the process exits, a worker's disk filling one failed build at
    a time)."""
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            ws.close()
        path = getattr(writer, "out", None)
        if isinstance(path, str):
            with contextlib.suppress(OSError):
                os.remove(path)


def write_workbook(
    target,
    sheets: Iterable[Sheet],
    note: Note | None = None,
    progress: Callable[[int], None] | None = None,
    on_sheet: Callable[[int, str], None] | None = None,
) -> int:
    """Write sheets to `target` (a path or binary file object); returns the number of data rows.

    Every sheet gets its header frozen and repeated on printed pages, an auto-filter over its
    rows and column widths from its content. With a `note`, the file's properties and a last
    sheet say what it holds. `progress(rows)` is called every PROGRESS_EVERY rows and at the end;
    `on_sheet(index, title)` before each sheet is written (sheets may be a generator, so a sheet's
    rows are read only when its turn comes)."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    titles, counts = [], []
    try:
        for index, sheet in enumerate(sheets):
            if on_sheet is not None:
                on_sheet(index, sheet.title)
            title = _sheet_title(sheet.title, used)
            counts.append(_write_data_sheet(workbook, sheet, title, note, progress, sum(counts)))
            titles.append(title)
        total = sum(counts)
        if note is not None:
            _write_note_sheet(workbook, note, titles, counts, used)
            _set_properties(workbook, note)
        workbook.save(target)
    except BaseException:
        _discard(workbook)
        raise
    if progress is not None:
        progress(total)
    return total


def xlsx_response(sheets: Sequence[Sheet], filename: str, note: Note | None = None) -> FileResponse:
    """A download of the workbook, spooled to disk beyond a few MB rather than held in memory."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_workbook(spool, sheets, note)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_filename(stem: str, ext: str = "xlsx") -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{ext}"
