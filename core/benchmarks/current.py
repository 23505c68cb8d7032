"""`manage.py bench --current`: the figures of the data in the database, in one run, inside one
transaction rolled back at the end (nothing is populated; what a request writes — a session, an
audit row — is undone).

Sections (`--only` picks sections or labels by words): `list` and `api` (core.benchmarks.lists:
every discovered list, first and deep page, per account), `search` (2- and 4-character names),
`export` (core.benchmarks.exports), `scale` (each app's bench.SCALE_BENCHMARKS rows: the district
workbook, the city dashboard, the beat jobs).

A SCALE_BENCHMARKS row is `(label, fn)` with `fn(measure)`; `measure(rows=None, note="",
label=None, target_ms=None)` is a context manager timing its block; `measure.runs` is --runs, so
a fast figure can be measured that many times (its rows of one label give p50/p95)."""

from __future__ import annotations

import contextlib
import time
import traceback
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.urls import resolve, reverse

from . import exports, lists
from .timing import Figure, peak_rss_mb, percentile

SECTIONS = ("list", "api", "search", "export", "scale")
EXPORT_LIST = "registry:organization_list"
EXPORT_ACCOUNTS = ("scale_city", "scale_staff")
EXPORT_SIZES = (100_000, 1_000_000)


class _Rollback(Exception):
    pass


def app_benchmarks(attribute: str) -> list[tuple[str, str, object]]:
    """(app label, row label, function) of every app's `bench.<attribute>` (BENCHMARKS, which build
    their own populations, or SCALE_BENCHMARKS, run on the current data), in app order."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.bench")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.bench":
                raise
            continue
        for label, function in getattr(module, attribute, ()):
            found.append((config.label, str(label), function))
    return found


class Measure:
    """The `measure` a SCALE_BENCHMARKS function receives; collects samples per label."""

    def __init__(self, default_label: str, runs: int):
        self.default_label = default_label
        self.runs = runs
        self.samples: dict[str, dict] = {}

    @contextlib.contextmanager
    def __call__(self, rows=None, note="", label=None, target_ms=None):
        started = time.perf_counter()
        yield
        elapsed = (time.perf_counter() - started) * 1000
        entry = self.samples.setdefault(label or self.default_label, {"ms": [], "rows": rows, "notes": []})
        entry["ms"].append(elapsed)
        entry.update(rows=rows if rows is not None else entry["rows"], target_ms=target_ms)
        entry["notes"].append(note)

    def figures(self, app_label: str) -> list[Figure]:
        found = []
        for label, entry in self.samples.items():
            samples = entry["ms"]
            figure = Figure(section="scale", label=label, role=app_label, runs=len(samples), rows=entry["rows"])
            figure.p50_ms, figure.p95_ms = percentile(samples, 0.5), percentile(samples, 0.95)
            if entry["rows"]:
                figure.rows_per_s = entry["rows"] / (figure.p50_ms / 1000) if figure.p50_ms else None
            figure.peak_rss_mb = peak_rss_mb()
            figure.note = str(entry["notes"][-1])  # str() late: a note object may be filled after its block
            if entry.get("target_ms") is not None:
                figure.target = f"p95 ≤ {entry['target_ms']:.0f} ms"
                figure.met = figure.p95_ms <= entry["target_ms"]
            found.append(figure)
        return found


def _wanted(only: list[str], section: str, label: str = "") -> bool:
    """A section's name picks the section; any other word picks the rows whose label holds it."""
    if not only:
        return True
    return any(word == section if word in SECTIONS else word in label.lower() for word in only)


def run(
    *,
    runs: int = 20,
    only: str = "",
    max_seconds: float = 10.0,
    usernames=lists.ACCOUNTS,
    export_list: str = EXPORT_LIST,
    export_sizes=EXPORT_SIZES,
    trace: bool = True,
    progress=None,
) -> list[Figure]:
    words = [w.strip().lower() for w in only.split(",") if w.strip()]
    figures: list[Figure] = []
    _run(figures, words, runs, max_seconds, usernames, export_list, export_sizes, trace, progress)
    return figures


def rolled_back(function, *args):
    """function(*args) in a transaction rolled back afterwards; returns its result. One transaction
    per account or row rather than one for the whole run: the locks a request takes (a session, a
    job's rows) are held for that unit only, never for the minutes of a whole run."""
    result = []
    try:
        with transaction.atomic():
            result.append(function(*args))
            raise _Rollback
    except _Rollback:
        pass
    return result[0]


def _run(figures, words, runs, max_seconds, usernames, export_list, export_sizes, trace, progress):
    routes = lists.discover()
    found = lists.accounts(usernames)
    users = {}
    for username in usernames:
        if username in found:
            users[username] = found[username]
        else:
            figures.append(Figure(section="list", label="(every list)", role=username, status="no such account"))
    users[lists.ANONYMOUS] = None
    if _wanted(words, "export"):  # first, while the process holds no more than Django's own
        candidates = [*EXPORT_ACCOUNTS, *usernames]
        figures += rolled_back(_export, export_list, found, candidates, export_sizes, trace, progress)
    chosen = [r for r in routes if _wanted(words, "api" if r.kind == "api" else "list", r.name)]
    for role, user in users.items():
        if chosen:
            figures += rolled_back(lists.list_figures, chosen, {role: user}, runs, max_seconds, progress)
    for role, user in users.items():
        if _wanted(words, "search"):
            figures += rolled_back(lists.search_figures, routes, {role: user}, runs, max_seconds, progress)
    for app_label, label, function in app_benchmarks("SCALE_BENCHMARKS"):
        if not _wanted(words, "scale", label):
            continue
        if progress is not None:
            progress(label)
        measure = Measure(label, runs)
        try:
            with transaction.atomic():
                function(measure)
                raise _Rollback
        except _Rollback:
            figures += measure.figures(app_label)
        except Exception as error:  # a failing row is reported, the others still run
            figures.append(Figure(section="scale", label=label, role=app_label, status=f"failed: {error!r}"[:200],
                                  note=traceback.format_exc(limit=-3)))  # fmt: skip


def _export(export_list, found, candidates, sizes, trace, progress) -> list[Figure]:
    """The export as the first account of `candidates` that exists (the city's sees the most rows)."""
    username = next((name for name in candidates if name in found), None)
    if username is None:
        return [Figure(section="export", label=export_list, status="no account of " + "/".join(candidates))]
    path = reverse(export_list)
    view_class = resolve(path).func.view_class
    if progress is not None:
        progress(f"export {export_list} · {username}")
    label = f"export {export_list}"
    return exports.export_figures(view_class, path, found[username], role=username, sizes=sizes, label=label,
                                  trace=trace)  # fmt: skip
