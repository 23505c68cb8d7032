"""The one xlsx writer: openpyxl write-only mode, typed cells, formula-like text neutralised."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# Text starting with these would be read by a spreadsheet as a formula (or DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
AMOUNT_FORMAT = "#,##0.00"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAX_WIDTH = 60


class Sheet:
    """One worksheet: a title, header labels and an iterable of rows (consumed once)."""

    def __init__(self, title: str, headers: Sequence, rows: Iterable[Sequence]):
        self.title = title
        self.headers = [force_str(h) for h in headers]
        self.rows = rows


def _cell(ws, value):
    if isinstance(value, Promise):
        value = force_str(value)
    if isinstance(value, bool):
        value = gettext("Yes") if value else gettext("No")
    cell = WriteOnlyCell(ws)
    if value is None:
        return cell
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = AMOUNT_FORMAT
    elif isinstance(value, int | float):
        cell.value = value
    else:
        text = force_str(value)
        cell.value = text
        if text.startswith(FORMULA_PREFIXES):
            # Stored as a plain string (never a formula) and marked as typed-in text, the way a
            # spreadsheet stores '=1+1: the user sees exactly what was entered, nothing runs.
            cell.data_type = "s"
            cell.quotePrefix = True
    return cell


def _width(value) -> int:
    text = force_str(value) if value is not None else ""
    # CJK characters take two columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:_MAX_WIDTH])


def write_workbook(target, sheets: Sequence[Sheet]):
    """Write sheets to `target` (a path or binary file object)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        ws.freeze_panes = "A2"
        widths = [max(8, _width(h) + 2) for h in sheet.headers]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(width + 4, _MAX_WIDTH)
        header_cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            header_cells.append(cell)
        ws.append(header_cells)
        for row in sheet.rows:
            ws.append([_cell(ws, value) for value in row])
    workbook.save(target)


def xlsx_response(sheets: Sequence[Sheet], filename: str) -> FileResponse:
    """A download of the workbook, spooled to disk beyond a few MB rather than held in memory."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_workbook(spool, sheets)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_filename(stem: str, ext: str = "xlsx") -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{ext}"
