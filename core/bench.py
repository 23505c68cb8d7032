"""Measuring a list's Excel export for `manage.py bench`: the whole pipeline (request, scoping,
filter, table, values, writer, note) against bare openpyxl write-only on the same rows.

Core knows no domain model, so it defines no benchmark of its own: an app calls
`bench_list_export` with one of its list views (registry.bench does, on organizations).
"""

from __future__ import annotations

import io
import time

from django.test import RequestFactory, override_settings

from .benchmarks.exports import EXPORT_RATIO
from .benchmarks.exports import bare_openpyxl as baseline
from .periodic.benchmarks import beat_job_rows

TARGET_RATIO = EXPORT_RATIO


def _request(path: str, user, query: dict):
    request = RequestFactory().get(path, query)
    request.user = user
    return request


def export_through_view(view_class, path: str, user, query: dict) -> int:
    """What a user's click on the export link does, in-process; returns the file's size."""
    response = view_class.as_view()(_request(path, user, {**query, "export": "xlsx"}))
    if response.status_code != 200:
        raise AssertionError(f"export answered {response.status_code}")
    # Not response.close(): it signals request_finished, which would close the connection that
    # holds the benchmark's transaction. The spooled file goes with the response.
    return sum(len(chunk) for chunk in response.streaming_content)


def bare_openpyxl(view_class, path: str, user, query: dict) -> int:
    """The same rows written by bare openpyxl write-only (core.benchmarks.exports says how, fairly).
    Returns the row count."""
    return baseline(view_class, path, user, query, None, io.BytesIO())


def bench_list_export(
    measure, *, view_class, path: str, user, label: str, rows: int, smaller: dict, fewer: int, warm_up: dict
):
    """Rows: the pipeline on a filtered part (`smaller`, `fewer` rows) and on everything (`rows`),
    so the RSS column shows memory flat as rows grow; bare openpyxl on everything; their ratio.
    `warm_up` filters to a few rows, exported first so that imports and catalogues are loaded."""
    with override_settings(EXPORT_SYNC_MAX_ROWS=rows + 1):  # measured in the request, not Celery
        export_through_view(view_class, path, user, warm_up)
        with measure(rows=fewer, label=f"{label}: whole pipeline", note="filtered part"):
            export_through_view(view_class, path, user, smaller)
        started = time.perf_counter()
        with measure(rows=rows, label=f"{label}: bare openpyxl write-only", note="same rows and formats"):
            bare_openpyxl(view_class, path, user, {})
        bare = time.perf_counter() - started
        started = time.perf_counter()
        with measure(rows=rows, label=f"{label}: whole pipeline", note="all rows"):
            export_through_view(view_class, path, user, {})
        pipeline = time.perf_counter() - started
    ratio = bare / pipeline if pipeline else 0.0
    with measure(label=f"{label}: pipeline ÷ bare rows/s", note=f"ratio {ratio:.2f} (target ≥ {TARGET_RATIO})"):
        pass
    return ratio


# `manage.py bench --current`: the frame's beat jobs on the data in the database (H6).
SCALE_BENCHMARKS = beat_job_rows("clear-expired-sessions", "core-export-jobs-expire", "core-jobs-watch")
