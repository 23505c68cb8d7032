"""Bench rows for the beat jobs (`manage.py bench --current`, section `scale`): each app's bench.py
declares `SCALE_BENCHMARKS = beat_job_rows("its-job-key", ...)`, so every periodic job is timed on
the data in the database — the whole task as beat runs it, in a savepoint rolled back at once (the
bench's own transaction is rolled back too), so one job's writes never feed the next, and nothing
queued after commit (mail, Celery builds) is sent."""

from __future__ import annotations

import functools

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from .registry import get

# The nightly listing job at national scale must finish well inside its night (issue 14: one run
# did not finish in 49 minutes); the others are reminders and housekeeping.
TARGET_MS = {"supervision-listings-daily": 60_000}


class _Undo(Exception):
    pass


class _Note:
    """Filled after the timed block (the bench reads notes late): statements run and the result."""

    text = ""

    def __str__(self) -> str:
        return self.text


def run_job(key: str, measure) -> dict | int | None:
    """Time the job's task once on the current data, then undo what it wrote."""
    job = get(key)
    if job is None:
        raise LookupError(f"no periodic job {key!r}")
    task = import_string(job.task)
    result, note = None, _Note()
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            with measure(label=f"Beat job: {key}", note=note, target_ms=TARGET_MS.get(key)):
                result = task.run()
            raise _Undo
    except _Undo:
        pass
    # Set-based: a few statements whatever the size of the data.
    note.text = f"{len(queries.captured_queries)} statements; {result}"[:200]
    return result


def beat_job_rows(*keys: str) -> list[tuple[str, object]]:
    """SCALE_BENCHMARKS rows timing the periodic jobs `keys`."""
    return [(f"Beat job: {key}", functools.partial(run_job, key)) for key in keys]
