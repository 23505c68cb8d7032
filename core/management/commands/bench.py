"""The performance table: `manage.py bench` runs every app's benchmarks and prints one row each.

Apps contribute benchmarks in `<app>/bench.py`:

    BENCHMARKS = [("Roster import: 20,000 rows", bench_roster_import), ...]

    def bench_roster_import(measure, scale: float = 1.0):
        ...set-up, not timed...
        with measure(rows=20_000):
            ...the work being timed...

`measure(rows=n, note="", label=None)` is a context manager that adds a row to the table (labelled
`label`, by default the benchmark's label) with the block's wall time, rows per second and the
growth of the process's peak memory (RSS high-water mark). A benchmark may measure several blocks.
Each benchmark runs in a transaction rolled back afterwards (unless --keep): the database is left
as it was found.

`--current` measures the data already in the database instead (no population; every list and API
list per account, searches, the export pipeline against bare openpyxl, each app's SCALE_BENCHMARKS):
core.benchmarks.current. `--json [PATH]` writes its figures as JSON (to stdout without a path, the
table then going to stderr).
"""

from __future__ import annotations

import contextlib
import gc
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.benchmarks import current, lists, report
from core.benchmarks.timing import peak_rss_mb


def discover() -> list[tuple[str, str, object]]:
    """(app label, benchmark label, function) for every app's bench.BENCHMARKS, in app order."""
    return current.app_benchmarks("BENCHMARKS")


class _Rollback(Exception):
    """Raised to roll back what a benchmark wrote; never escapes the command."""


class Command(BaseCommand):
    help = "Run the benchmarks of every app (<app>/bench.py) and print the performance table."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help="Run only benchmarks whose label contains this text.")
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply every benchmark's size (e.g. 0.1).")
        parser.add_argument(
            "--keep", action="store_true", help="Commit what the benchmarks wrote (default: roll back)."
        )
        parser.add_argument("--current", action="store_true", help="Measure the data in the database (no population).")
        parser.add_argument("--runs", type=int, default=20, help="--current: requests per figure (p50/p95).")
        parser.add_argument("--max-seconds", type=float, default=10.0, help="--current: time budget of one figure.")
        parser.add_argument("--json", nargs="?", const="-", default=None, help="--current: write JSON (path or -).")
        parser.add_argument("--accounts", default=",".join(lists.ACCOUNTS), help="--current: usernames, one per role.")
        parser.add_argument("--export-sizes", default="100000,1000000", help="--current: rows exported.")
        parser.add_argument("--no-trace", action="store_true", help="--current: no tracemalloc run of the export.")

    def handle(self, *args, only="", scale=1.0, keep=False, **options):
        if options["current"]:
            self.current(only, options)
            return
        benchmarks = [b for b in discover() if only.lower() in b[1].lower()]
        if not benchmarks:
            raise CommandError("No benchmark matches." if only else "No app defines benchmarks (<app>/bench.py).")
        results = []
        for app_label, label, function in benchmarks:
            self.stderr.write(f"… {label}")
            rows = []

            @contextlib.contextmanager
            def measure(rows=None, note="", label=None, _rows=rows, _default=label):
                gc.collect()
                peak_before = peak_rss_mb()
                started = time.perf_counter()
                yield
                elapsed = time.perf_counter() - started
                _rows.append((label or _default, elapsed, rows, peak_rss_mb(), peak_rss_mb() - peak_before, note))

            try:
                with transaction.atomic():
                    function(measure, scale=scale)
                    if not keep:
                        raise _Rollback
            except _Rollback:
                pass
            for row_label, elapsed, count, peak, growth, note in rows:
                results.append((app_label, row_label, count, elapsed, peak, growth, note))
        self._print(results)

    def current(self, only, options):
        to_stdout = options["json"] == "-"
        out = self.stderr if to_stdout else self.stdout
        if settings.DEBUG:
            self.stderr.write("DEBUG is on (query log, template debugging): set DJANGO_DEBUG=False for figures.")
        figures = current.run(
            runs=options["runs"], only=only, max_seconds=options["max_seconds"],
            usernames=[u.strip() for u in options["accounts"].split(",") if u.strip()],
            export_sizes=[int(n) for n in options["export_sizes"].split(",") if n.strip()],
            trace=not options["no_trace"], progress=lambda text: self.stderr.write(f"… {text}"),
        )  # fmt: skip
        for line in report.table(figures):
            out.write(line)
        if options["json"] == "-":
            self.stdout.write(report.as_json(figures))
        elif options["json"]:
            with open(options["json"], "w", encoding="utf-8") as handle:
                handle.write(report.as_json(figures))

    def _print(self, results):
        headers = ("app", "benchmark", "rows", "seconds", "rows/s", "peak RSS MB", "RSS growth MB", "note")
        table = [
            (app, label, f"{count:,}" if count else "", f"{elapsed:.2f}",
             f"{count / elapsed:,.0f}" if count and elapsed else "", f"{peak:.0f}", f"{growth:.0f}", note)
            for app, label, count, elapsed, peak, growth, note in results
        ]  # fmt: skip
        widths = [max(_width(str(row[i])) for row in [headers, *table]) for i in range(len(headers))]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in table:
            self.stdout.write("  ".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)))


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
