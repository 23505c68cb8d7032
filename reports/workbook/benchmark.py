"""The quarterly review workbook benchmark for `manage.py bench` (listed in reports.bench): the
workbook of a district of 3,000 organizations, 300 projects and 30,000 ledger entries (reports.figures'
benchmark population, not timed), written to a temporary file as the Celery build writes it. The row
gives the time, the growth of peak memory (the bench command's RSS high-water mark) and the data rows
written; the note the file size and queries. Targets: under 10 s and 150 MB."""

from __future__ import annotations

import tempfile
import tracemalloc

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from registry.bench import scratch_district

from ..figures.benchmark import district_population
from ..quarters import current_quarter
from . import write
from .scope import Scope


class _Note:
    def __init__(self):
        self.text = ""

    def __str__(self):
        return self.text


def bench_workbook(measure, scale: float = 1.0):
    district = scratch_district()
    counts = district_population(district, scale)
    year, quarter = current_quarter()
    scope = Scope(district, year, quarter)
    note = _Note()
    with translation.override("zh-hans"), tempfile.TemporaryFile() as handle:
        with CaptureQueriesContext(connection) as queries, measure(note=note):
            rows = write(scope, handle)
        size = handle.tell()
    # Python's own allocations during a second build (untimed: tracing slows it down).
    with translation.override("zh-hans"), tempfile.TemporaryFile() as handle:
        tracemalloc.start()
        try:
            write(scope, handle)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    note.text = (
        f"{counts['organizations']:,} organizations, {counts['projects']} projects, {counts['entries']:,} ledger "
        f"entries: {rows:,} rows in 13 sheets, {size / 1024 / 1024:.1f} MB file, {len(queries)} queries, "
        f"peak traced memory {peak / 1024 / 1024:.0f} MB"
    )
    if rows < counts["organizations"]:
        raise AssertionError("the workbook listed fewer rows than the district's organizations")
