"""The one guarded workbook reader: an uploaded xlsx is inspected as a zip before openpyxl parses
anything (upload size, unpacked sizes, compression ratio, physical rows and cells of the sheet),
then streamed in read-only mode, only the columns asked for, never past the row cap.

Nothing a workbook declares about itself is trusted: its `<dimension ref>` (a 2.5 KB file may
declare A1:XFD1048576) is ignored, and the row cap applies to the rows physically present,
formatted empty rows included. Python's zipfile never unpacks more than a member's declared size,
so the declared sizes checked here bound what is read later.

    for number, values in read_rows(upload, max_rows=5000, max_columns=30):
        ...

Merged cells read as their top-left value in every cell of the range (a street merged down a block
of rows names the street on each row): read-only openpyxl does not expose merged ranges, so the
`<mergeCell>` elements are collected during the guarded pass over the sheet (capped) and filled
into the row stream, clipped to the rows and columns read.

Every refusal is a `WorkbookRefused` (a ValidationError on the form's file field, in the user's
language), raised before the first row is returned.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class WorkbookLimits:
    max_bytes: int = 20 * MB  # the upload itself
    max_parts: int = 1000  # members of the zip
    max_part_bytes: int = 64 * MB  # any one member, unpacked
    max_total_bytes: int = 200 * MB  # all members, unpacked
    max_ratio: int = 100  # unpacked / packed, for members above ratio_floor
    ratio_floor: int = 1 * MB
    max_index_bytes: int = 2 * MB  # workbook.xml and its relationships, parsed whole here
    max_merged_ranges: int = 20_000  # <mergeCell> elements of the sheet read


LIMITS = WorkbookLimits()

NOT_XLSX, TOO_LARGE, INFLATED, NO_SHEET, TOO_MANY_ROWS, TOO_MANY_CELLS, DAMAGED = (
    "not_xlsx",
    "too_large",
    "inflated",
    "no_sheet",
    "too_many_rows",
    "too_many_cells",
    "damaged",
)


class WorkbookRefused(ValidationError):
    """A workbook refused before (or while) reading it; `reason` is one of the codes above."""

    def __init__(self, message: str, *, reason: str, field: str = "file"):
        super().__init__({field: ValidationError(message, code=reason)})
        self.reason, self.text = reason, message


_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_WORKSHEET_TYPE = "/worksheet"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_PREFIX = rb"(?:[A-Za-z_][\w.-]{0,15}:)?"
_ROW_TAG = re.compile(rb"<" + _PREFIX + rb"row(?=[\s/>])")
_ROW_NUMBER = re.compile(rb"<" + _PREFIX + rb"row\s[^>]{0,512}?(?<=\s)r\s*=\s*[\"'](\d{1,10})[\"']")
_CELL_TAG = re.compile(rb"<" + _PREFIX + rb"c(?=[\s/>])")
_STRING_TAG = re.compile(rb"<" + _PREFIX + rb"si(?=[\s/>])")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_MERGE_CELL = re.compile(
    rb"<" + _PREFIX + rb"mergeCell\s[^>]{0,512}?(?<=\s)ref\s*=\s*[\"']"
    rb"([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)[\"']"
)
# Longer than any match of the patterns above (so one never straddles a chunk unseen).
_CARRY = 1024
_CHUNK = 1 * MB


def _refuse(message: str, reason: str, field: str):
    raise WorkbookRefused(message, reason=reason, field=field)


def _not_xlsx(field: str):
    _refuse(_("File: this is not an xlsx workbook."), NOT_XLSX, field)


def _size_of(source) -> int:
    size = getattr(source, "size", None)
    if size is None:
        source.seek(0, 2)
        size = source.tell()
    source.seek(0)
    return size


@dataclass
class _Scan:
    tags: int = 0
    cells: int = 0
    highest_row: int = 0
    has_dtd: bool = False
    merges: list[bytes] = dataclass_field(default_factory=list)  # the refs of <mergeCell> elements


def _scan(
    archive: zipfile.ZipFile, name: str, tag: re.Pattern, *, max_tags: int, max_cells: int = 0, max_merges: int = 0
) -> _Scan:
    """Stream one member through the patterns: count its `tag` elements (for rows also the cells,
    the highest row number and the merged ranges) and note any DTD. The member is never held whole
    in memory, and the scan stops as soon as a count passes its cap (the file is refused then anyway)."""
    result = _Scan()
    rows = tag is _ROW_TAG

    def consume(buffer: bytes, end: int) -> None:
        result.tags += len(tag.findall(buffer, 0, end))
        if rows:
            result.cells += len(_CELL_TAG.findall(buffer, 0, end))
            numbers = _ROW_NUMBER.findall(buffer, 0, end)
            if numbers:
                result.highest_row = max(result.highest_row, *map(int, numbers))
            if len(result.merges) <= max_merges:
                result.merges.extend(_MERGE_CELL.findall(buffer, 0, end)[: max_merges + 1 - len(result.merges)])
        if _DTD.search(buffer, 0, end):
            result.has_dtd = True

    carry = b""
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            buffer = carry + chunk
            # Cut the buffer just before a "<", so that no tag straddles the cut: a tag ends at its
            # ">" before the next "<". Without a "<" near the end, every tag before it is complete.
            end = max(len(buffer) - _CARRY, 0)
            cut = buffer.rfind(b"<", max(end - _CARRY, 0), end)
            cut = end if cut == -1 else cut
            consume(buffer, cut)
            carry = buffer[cut:]
            if max(result.tags, result.highest_row) > max_tags or (
                rows and (result.cells > max_cells or len(result.merges) > max_merges)
            ):
                return result
    consume(carry, len(carry))
    return result


class _Workbook:
    """The checks, in order; each one refuses with a message naming what is wrong."""

    def __init__(self, source, limits: WorkbookLimits, field: str):
        self.source, self.limits, self.field = source, limits, field

    def open_archive(self) -> zipfile.ZipFile:
        limits, field = self.limits, self.field
        size = _size_of(self.source)
        if size > limits.max_bytes:
            _refuse(
                _("File: the workbook is larger than %(size)s.") % {"size": f"{limits.max_bytes / MB:g} MB"},
                TOO_LARGE,
                field,
            )
        if self.source.read(4) != b"PK\x03\x04":
            _not_xlsx(field)
        self.source.seek(0)
        try:
            archive = zipfile.ZipFile(self.source)
            members = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            _not_xlsx(field)
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            archive.close()
            _not_xlsx(field)
        inflated = _(
            "File: the workbook unpacks to too much data (more than %(size)d MB, or compressed more than "
            "%(ratio)d times) to be read safely; open it in Excel, delete what is not needed and save it again."
        ) % {"size": limits.max_part_bytes // MB, "ratio": limits.max_ratio}
        total = 0
        for member in members:
            total += member.file_size
            ratio_too_high = member.file_size > limits.ratio_floor and member.file_size > limits.max_ratio * max(
                member.compress_size, 1
            )
            if (
                len(members) > limits.max_parts
                or member.file_size > limits.max_part_bytes
                or total > limits.max_total_bytes
                or ratio_too_high
            ):
                archive.close()
                _refuse(inflated, INFLATED, field)
        self.archive = archive
        return archive

    def _index_xml(self, name: str) -> ElementTree.Element:
        """workbook.xml or a relationships part: small, parsed whole (never with a DTD)."""
        member = self.archive.getinfo(name)
        if member.file_size > self.limits.max_index_bytes:
            _refuse(_("File: this is not an xlsx workbook."), NOT_XLSX, self.field)
        data = self.archive.read(member)
        if _DTD.search(data):
            _not_xlsx(self.field)
        try:
            return ElementTree.fromstring(data)  # noqa: S314 - no DTD (checked above), size capped
        except ElementTree.ParseError:
            _not_xlsx(self.field)

    def shared_strings(self) -> list[str]:
        """The parts openpyxl reads as the shared text table: it finds them by content type."""
        try:
            types = self._index_xml("[Content_Types].xml")
        except KeyError:
            _not_xlsx(self.field)
        return [
            part
            for override in types.iter(f"{{{_NS_CONTENT_TYPES}}}Override")
            if override.get("ContentType") == _SHARED_STRINGS_TYPE
            and (part := override.get("PartName", "").lstrip("/")) in self.archive.namelist()
        ]

    def worksheets(self) -> list[tuple[str, str]]:
        """(name, part) of each worksheet, in the workbook's order (chart sheets are not worksheets)."""
        try:
            rels_root = self._index_xml("xl/_rels/workbook.xml.rels")
        except KeyError:
            _not_xlsx(self.field)
        targets = {}
        for rel in rels_root.iter(f"{{{_NS_PACKAGE_REL}}}Relationship"):
            if rel.get("Type", "").endswith(_WORKSHEET_TYPE):
                target = rel.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[rel.get("Id")] = part
        sheets = []
        for sheet in self._index_xml("xl/workbook.xml").iter(f"{{{_NS_MAIN}}}sheet"):
            part = targets.get(sheet.get(f"{{{_NS_REL}}}id"))
            if part is not None:
                sheets.append((sheet.get("name", ""), part))
        return sheets

    def choose(self, sheet: int | str) -> tuple[str, str]:
        sheets = self.worksheets()
        chosen = None
        if isinstance(sheet, int):
            chosen = sheets[sheet] if 0 <= sheet < len(sheets) else None
        else:
            chosen = next((entry for entry in sheets if entry[0] == sheet), None)
        if chosen is None or chosen[1] not in self.archive.namelist():
            _refuse(_("File: the workbook has no worksheet to read."), NO_SHEET, self.field)
        return chosen

    def check_contents(self, part: str, *, max_rows: int, max_cells: int) -> list[bytes]:
        """Refuses what cannot be read safely; returns the refs of the sheet's merged ranges."""
        field = self.field
        sheet = _scan(
            self.archive,
            part,
            _ROW_TAG,
            max_tags=max_rows,
            max_cells=max_cells,
            max_merges=self.limits.max_merged_ranges,
        )
        strings = _Scan()
        for name in self.shared_strings():
            found = _scan(self.archive, name, _STRING_TAG, max_tags=max_cells)
            strings.tags, strings.has_dtd = strings.tags + found.tags, strings.has_dtd or found.has_dtd
        if sheet.has_dtd or strings.has_dtd:
            _not_xlsx(field)
        if sheet.tags > max_rows or sheet.highest_row > max_rows:
            _refuse(
                _(
                    "File: the sheet has more than %(n)d rows (formatted empty rows count too); delete the "
                    "extra rows or split it into several files."
                )
                % {"n": max_rows},
                TOO_MANY_ROWS,
                field,
            )
        # No sheet needs more distinct texts than cells; the text table is read whole by openpyxl.
        if sheet.cells > max_cells or strings.tags > max_cells:
            _refuse(
                _(
                    "File: the workbook has more than %(n)d cells; delete the columns and rows that are "
                    "not needed or split it into several files."
                )
                % {"n": max_cells},
                TOO_MANY_CELLS,
                field,
            )
        if len(sheet.merges) > self.limits.max_merged_ranges:
            _refuse(
                _("File: the sheet has more than %(n)d merged cell ranges; unmerge the cells and save it again.")
                % {"n": self.limits.max_merged_ranges},
                TOO_MANY_CELLS,
                field,
            )
        return sheet.merges


def _open(source, *, sheet, max_rows: int, max_cells: int, limits: WorkbookLimits, field: str):
    guard = _Workbook(source, limits, field)
    archive = guard.open_archive()
    try:
        name, part = guard.choose(sheet)
        merges = guard.check_contents(part, max_rows=max_rows, max_cells=max_cells)
    finally:
        archive.close()
    return name, merges


def sheet_names(source, *, limits: WorkbookLimits = LIMITS, field: str = "file") -> list[str]:
    """The names of the workbook's worksheets in order, after the package checks (size, unpacked
    sizes, ratio); no sheet is read. An importer looks for its header on each in turn."""
    guard = _Workbook(source, limits, field)
    archive = guard.open_archive()
    try:
        return [name for name, part in guard.worksheets() if part in archive.namelist()]
    finally:
        archive.close()
        source.seek(0)


def _merged_ranges(refs: list[bytes], max_rows: int, max_columns: int, field: str) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each merged range that covers more than
    one cell of the window read, clipped to it. Ranges in an Excel file never overlap; overlapping
    ones covering more cells than the window has are refused, so filling stays bounded."""
    from openpyxl.utils.cell import range_boundaries

    ranges, area = [], 0
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii").upper())
        except (ValueError, TypeError):
            continue
        if max_col is None or max_row is None or min_col > max_columns or min_row > max_rows:
            continue
        max_col, max_row = min(max_col, max_columns), min(max_row, max_rows)
        if (min_col, min_row) == (max_col, max_row) or max_col < min_col or max_row < min_row:
            continue
        area += (max_col - min_col + 1) * (max_row - min_row + 1)
        if area > max_rows * max_columns:
            _refuse(
                _("File: the sheet's merged cells overlap; unmerge the cells and save it again."),
                TOO_MANY_CELLS,
                field,
            )
        ranges.append((min_row, min_col, max_row, max_col))
    ranges.sort()
    return ranges


def _fill_merged(rows: Iterator[tuple[int, tuple]], ranges: list[tuple[int, int, int, int]]):
    """The row stream with every cell of a merged range holding the range's top-left value."""
    if not ranges:
        yield from rows
        return
    with contextlib.closing(rows):
        yield from _filled(rows, ranges)


def _filled(rows, ranges):
    waiting, active = 0, []  # active: (last row, first column, last column, value)
    for number, values in rows:
        active = [entry for entry in active if entry[0] >= number]
        while waiting < len(ranges) and ranges[waiting][0] <= number:
            first_row, first_col, last_row, last_col = ranges[waiting]
            waiting += 1
            if first_row == number:
                value = values[first_col - 1] if first_col <= len(values) else None
                active.append((last_row, first_col, last_col, value))
        if active:
            cells = list(values)
            for _last_row, first_col, last_col, value in active:
                if len(cells) < last_col:
                    cells.extend([None] * (last_col - len(cells)))
                cells[first_col - 1 : last_col] = [value] * (last_col - first_col + 1)
            values = tuple(cells)
        yield number, values


def check_workbook(
    source,
    *,
    max_rows: int,
    max_columns: int,
    max_cells: int | None = None,
    sheet: int | str = 0,
    limits: WorkbookLimits = LIMITS,
    field: str = "file",
) -> None:
    """Every check `read_rows` makes before reading, without reading: for refusing a file at
    upload when its rows are read later (in Celery)."""
    _open(
        source,
        sheet=sheet,
        max_rows=max_rows,
        max_cells=max_cells or max_rows * max_columns,
        limits=limits,
        field=field,
    )
    source.seek(0)


def read_rows(
    source,
    *,
    max_rows: int,
    max_columns: int,
    max_cells: int | None = None,
    sheet: int | str = 0,
    limits: WorkbookLimits = LIMITS,
    field: str = "file",
    merged: bool = True,
) -> Iterator[tuple[int, tuple]]:
    """(row number, values of the first `max_columns` columns) for each row of the sheet (the
    first by default; an index or a name), row numbers as the spreadsheet shows them, blank rows
    included. Refused (WorkbookRefused) before the first row when any check fails; cells beyond
    `max_columns` are not read. `max_cells` (default rows × columns) caps the cells physically in
    the sheet, whichever column they are in. Merged ranges read as their top-left value in each
    of their cells (`merged=False`: as stored, the other cells empty)."""
    from openpyxl import load_workbook

    name, merges = _open(
        source,
        sheet=sheet,
        max_rows=max_rows,
        max_cells=max_cells or max_rows * max_columns,
        limits=limits,
        field=field,
    )
    ranges = _merged_ranges(merges, max_rows, max_columns, field) if merged else []
    source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True, keep_links=False)
        worksheet = workbook[name]
    except Exception as error:  # openpyxl raises many kinds of errors for a damaged package
        raise WorkbookRefused(
            _("File: the workbook could not be read; open it in Excel and save it again as .xlsx."),
            reason=DAMAGED,
            field=field,
        ) from error
    worksheet.reset_dimensions()  # never trust the declared size
    return _fill_merged(_stream(workbook, worksheet, max_rows, max_columns, field), ranges)


def _stream(workbook, worksheet, max_rows: int, max_columns: int, field: str) -> Iterator[tuple[int, tuple]]:
    try:
        rows = worksheet.iter_rows(min_row=1, max_row=max_rows, max_col=max_columns, values_only=True)
        yield from enumerate(rows, start=1)
    except (ElementTree.ParseError, ValueError, TypeError, KeyError, zipfile.BadZipFile) as error:
        raise WorkbookRefused(
            _("File: the workbook could not be read; open it in Excel and save it again as .xlsx."),
            reason=DAMAGED,
            field=field,
        ) from error
    finally:
        workbook.close()
