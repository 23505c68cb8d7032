"""A list's Excel export measured against bare openpyxl write-only on the same rows.

The pipeline: what the export job does for a user — the list view set up for the user's request
(scoping, filter, table, sort), the columns planned (core.exports.plan), the rows streamed from
a server-side cursor as export values, written by core.xlsx (typed cells, local times, widths,
frozen header, auto-filter, notes sheet and properties) to a file.

The baseline ("bare openpyxl write-only"): the same query — the view's own rows for the user, in
the same order and the same number of rows — read with `values_list` of each exported column's
first database path through a server-side cursor (chunks of 2,000, as the pipeline), and each row
appended as it comes to an openpyxl write-only sheet after one plain header row, written to a file
of the same kind. The same number formats: a date-time is made local and naive (openpyxl refuses
aware ones) and given the column's format or yyyy-mm-dd hh:mm through a WriteOnlyCell, a Decimal
with its column's format likewise, a date takes openpyxl's own yyyy-mm-dd; other values go in raw
(a choice's stored key, not its label). No widths, caption, styles or note. Its rows/s is the
fastest openpyxl's public API writes those values; the ratio is pipeline rows/s ÷ baseline rows/s.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from decimal import Decimal

from django.test import RequestFactory
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core import exports
from core.xlsx import DATETIME_FORMAT, write_workbook

from .timing import Figure, peak_rss_mb, reset_peak_rss, traced_peak

EXPORT_RATIO = 0.95
EXPORT_MEMORY_MB = 150.0
CHUNK_SIZE = exports.CHUNK_SIZE


def _request(path: str, user, query: dict):
    request = RequestFactory().get(path, query)
    request.user = user
    return request


def view_table(view_class, path: str, user, query: dict, limit: int | None = None):
    """The view set up for the user's request: (view, filterset, table), the table's rows cut to
    the first `limit` in the list's order."""
    view = view_class()
    view.setup(_request(path, user, query))
    filterset, table = view.get_filterset_and_table(paginate=False)
    if limit is not None:
        table.data.data = table.data.data[:limit]
    return view, filterset, table


def pipeline(view_class, path: str, user, query: dict, limit: int | None, target) -> int:
    """The export job's work for the user's list: returns the rows written."""
    view, filterset, table = view_table(view_class, path, user, query, limit)
    title = exports.list_title(view)
    note = exports.list_note(title=title, filterset=filterset, table=table, user=user)
    return write_workbook(target, exports.list_sheets(title=title, table=table), note)


def _bare_cell(ws, number_format):
    def convert(value):
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = number_format or DATETIME_FORMAT
            return cell
        if number_format and isinstance(value, Decimal):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = number_format
            return cell
        return value

    return convert


def bare_openpyxl(view_class, path: str, user, query: dict, limit: int | None, target) -> int:
    """The baseline (see the module's docstring): returns the rows written."""
    _view, _filterset, table = view_table(view_class, path, user, query, limit)
    columns = exports.plan(table)
    if any(column.paths is None for column in columns):
        raise ValueError("The baseline reads values_list rows: every column must be read from the query.")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("bare")
    sheet.append([column.header for column in columns])
    plain = all(column.number_format is None for column in columns)
    converters = [_bare_cell(sheet, column.number_format) for column in columns]
    count = 0
    paths = [column.paths[0] for column in columns]
    for row in table.data.data.values_list(*paths).iterator(chunk_size=CHUNK_SIZE):
        if plain and not any(isinstance(value, dt.datetime) for value in row):
            sheet.append(row)
        else:
            sheet.append([convert(value) for convert, value in zip(converters, row, strict=True)])
        count += 1
    workbook.save(target)
    return count


def _timed(function, *args) -> tuple[int, float, float, float]:
    """(rows, seconds, peak RSS MB, RSS MB before) of writing to a temporary file."""
    reset_peak_rss()
    before = peak_rss_mb()
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        rows = function(*args, target)
        elapsed = time.perf_counter() - started
    return rows, elapsed, peak_rss_mb(), before


def export_figures(view_class, path: str, user, *, role: str, sizes, label: str, trace: bool = True) -> list[Figure]:
    """For each size the data has (the first always, cut to what there is): pipeline and baseline
    rows/s, their ratio, the pipeline's peak RSS and (a second, traced run) tracemalloc peak."""
    figures = []
    _view, _filterset, table = view_table(view_class, path, user, {})
    total = exports.row_count(table)
    with tempfile.TemporaryFile() as target:
        pipeline(view_class, path, user, {}, 30, target)  # imports, catalogues, styles
    for index, size in enumerate(sizes):
        if size > total and index > 0:
            figures.append(Figure(section="export", label=f"{label}: {size:,} rows", role=role,
                                  status=f"the data has {total:,} rows"))  # fmt: skip
            continue
        limit = min(size, total)
        bare_rows, bare_seconds, _bare_peak, _before = _timed(bare_openpyxl, view_class, path, user, {}, limit)
        rows, seconds, peak, before = _timed(pipeline, view_class, path, user, {}, limit)
        figure = Figure(section="export", label=f"{label}: {limit:,} rows", role=role, rows=rows, runs=1)
        figure.rows_per_s = rows / seconds if seconds else None
        figure.bare_rows_per_s = bare_rows / bare_seconds if bare_seconds else None
        figure.p50_ms, figure.bare_p50_ms = seconds * 1000, bare_seconds * 1000
        figure.ratio = figure.rows_per_s / figure.bare_rows_per_s if figure.bare_rows_per_s else None
        figure.peak_rss_mb = peak
        if trace:
            with tempfile.TemporaryFile() as target, traced_peak() as traced:
                pipeline(view_class, path, user, {}, limit, target)
            figure.tracemalloc_mb = traced()
        figure.target = f"≥ {EXPORT_RATIO}× bare rows/s, ≤ {EXPORT_MEMORY_MB:.0f} MB"
        figure.met = (figure.ratio or 0) >= EXPORT_RATIO and peak <= EXPORT_MEMORY_MB
        figure.note = (
            f"bare {bare_rows:,} rows in {bare_seconds:.1f} s; pipeline {seconds:.1f} s; "
            f"RSS {before:.0f} MB before, +{peak - before:.0f} MB"
        )
        figures.append(figure)
    return figures
