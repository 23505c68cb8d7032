"""Timing and memory primitives of `manage.py bench --current`: percentiles over repeated runs, the
bare SQL of a request re-run in a cursor, the process's peak RSS (resettable on Linux) and a figure
row with its target."""

from __future__ import annotations

import contextlib
import gc
import math
import re
import resource
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field

from django.db import connection

# SQL a request runs for its session and its signed-in user rather than for the page itself.
_BOOKKEEPING = re.compile(
    r'"django_session"|^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|SET |SHOW )|"django_content_type"',
    re.IGNORECASE,
)


@dataclass
class Figure:
    """One row of the table (and one object of the JSON)."""

    section: str
    label: str
    role: str = ""
    page: str = ""
    url: str = ""
    status: str = "ok"  # ok, or why there is no figure (forbidden, no account, failed…)
    runs: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    bare_p50_ms: float | None = None
    ratio: float | None = None
    rows: int | None = None
    rows_per_s: float | None = None
    bare_rows_per_s: float | None = None
    peak_rss_mb: float | None = None
    tracemalloc_mb: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def repeat(function, runs: int, max_seconds: float | None = None) -> list[float]:
    """Wall times (ms) of `runs` calls, fewer when `max_seconds` is spent (at least one)."""
    samples = []
    started = time.perf_counter()
    for _ in range(max(1, runs)):
        before = time.perf_counter()
        function()
        samples.append((time.perf_counter() - before) * 1000)
        if max_seconds is not None and time.perf_counter() - started > max_seconds:
            break
    return samples


# A server-side cursor's statement (QuerySet.iterator()): its SELECT is run plainly instead.
_DECLARE = re.compile(r'^\s*DECLARE\s+"[^"]+"\s+.*?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+', re.I | re.S)


def page_queries(queries: list[dict]) -> list[str]:
    """The SQL the page itself issued: without session and authentication bookkeeping (the session
    row, the signed-in user read by id) and transaction control; a server-side cursor's SELECT
    as a plain statement (the bare run fetches its rows at once)."""
    found = []
    for query in queries:
        sql = query["sql"]
        if _BOOKKEEPING.search(sql) or _is_user_by_id(sql):
            continue
        found.append(_DECLARE.sub("", sql, count=1))
    return found


def _is_user_by_id(sql: str) -> bool:
    from django.contrib.auth import get_user_model

    table = get_user_model()._meta.db_table
    return f'FROM "{table}" WHERE "{table}"."id" = ' in sql and "LIMIT 21" in sql


def bare_sql(statements: list[str], runs: int, max_seconds: float | None = None) -> list[float]:
    """Wall times (ms) of running the statements one after another in a cursor, fetching every row."""

    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    return repeat(run, runs, max_seconds) if statements else [0.0]


def peak_rss_mb() -> float:
    """The process's RSS high-water mark (VmHWM), in MB."""
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def reset_peak_rss() -> bool:
    """Reset the high-water mark to the current RSS (Linux ≥ 4.0); False where it cannot be."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


@contextlib.contextmanager
def traced_peak():
    """Python's own allocations' peak (MB) within the block: `with traced_peak() as peak: …; peak()`."""
    result = {"peak": 0.0}
    tracemalloc.start()
    try:
        yield lambda: result["peak"]
        result["peak"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()
