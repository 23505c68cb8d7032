"""Reports benchmarks for `manage.py bench`:

- the dashboard of a district of 3,000 organizations, 300 projects and 30,000 ledger entries, read
  live (reports.figures.dashboard: the node's and its streets' figures and the eight-quarter trend);
- the dashboard of a city of 10 districts read from their rollups (eight quarters of rows each);
- the quarterly review workbook of such a district (reports.workbook.benchmark, when present).

SCALE_BENCHMARKS (`manage.py bench --current`, on the data in the database, rolled back): the
bench district's quarterly review workbook (the district of the `scale_staff` account, else the
first district) and the city dashboard (the first city node), the latter `measure.runs` times.

The populations are written with bulk_create (reports.figures.benchmark; not timed); `scale`
multiplies the counts. Each row's note gives the queries the timed block ran."""

from __future__ import annotations

import tempfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.choices import RegionLevel
from accounts.models import Region, User
from accounts.services import region_create
from core.periodic.benchmarks import beat_job_rows
from registry.bench import scratch_district

from . import quarters, rollups
from .figures import dashboard, node_figures
from .figures.benchmark import district_population
from .models import Rollup
from .workbook import write
from .workbook.scope import Scope

CITY_DISTRICTS = 10


class Note:
    """A row's note known only after its block (the query count), printed afterwards as str()."""

    def __init__(self, text: str = ""):
        self.text = text

    def __str__(self):
        return self.text


def bench_district_dashboard(measure, scale: float = 1.0):
    district = scratch_district()
    counts = district_population(district, scale)
    year, quarter = quarters.current_quarter()
    dashboard(district, year, quarter)  # warm the caches a first request would fill (content types…)
    note = Note()
    with CaptureQueriesContext(connection) as queries, measure(rows=counts["organizations"], note=note):
        board = dashboard(district, year, quarter)
    note.text = (
        f"{counts['organizations']:,} organizations, {counts['projects']} projects, "
        f"{counts['entries']:,} ledger entries: {len(queries)} queries"
    )
    if board["node"]["figures"]["organizations"]["total"] == 0:
        raise AssertionError("the dashboard counted no organizations")


def scratch_city(districts: int) -> tuple[Region, list[Region]]:
    """A city of its own with `districts` districts (no streets), with codes nobody uses."""
    used = set(Region.objects.filter(code__startswith="98").values_list("code", flat=True))
    prefix = next(f"98{n:02d}" for n in range(100) if f"98{n:02d}00" not in used)
    city = region_create(code=f"{prefix}00", name="基准测试市", level="city")
    return city, [
        region_create(code=f"{prefix}{n:02d}", name=f"基准测试市第{n}区", parent=city) for n in range(1, districts + 1)
    ]


def bench_city_dashboard(measure, scale: float = 1.0):
    """Rollup rows for eight quarters of each of 10 districts, their figures those of one populated
    district (so the rows are as large as real ones), then the city's dashboard."""
    sample = scratch_district()
    district_population(sample, min(scale, 0.1))
    city, districts = scratch_city(max(2, int(CITY_DISTRICTS * min(scale, 1.0))))
    year, quarter = quarters.current_quarter()
    figures = {q: node_figures(sample, *q) for q in quarters.last_quarters(year, quarter)}
    now = timezone.now()
    Rollup.objects.bulk_create(
        [
            Rollup(region=district, year=y, quarter=q, figures=value, refreshed_at=now)
            for district in districts
            for (y, q), value in figures.items()
        ]
    )
    dashboard(city, year, quarter)
    note = Note()
    with CaptureQueriesContext(connection) as queries, measure(rows=len(districts), note=note):
        board = dashboard(city, year, quarter)
    note.text = f"{len(districts)} districts × 8 quarters of rollups: {len(queries)} queries"
    if board["source"] != "rollup" or board["missing"]:
        raise AssertionError("the city's dashboard did not read every district's rollup")


BENCHMARKS = [
    ("Reports: district dashboard", bench_district_dashboard),
    ("Reports: city dashboard of 10 districts from rollups", bench_city_dashboard),
]

try:  # the quarterly review workbook (reports.workbook, built alongside)
    from .workbook.benchmark import bench_workbook
except ModuleNotFoundError as error:  # until reports/workbook/benchmark.py exists
    if error.name not in ("reports.workbook", "reports.workbook.benchmark"):
        raise
    bench_workbook = None
if bench_workbook is not None:
    BENCHMARKS.append(("Reports: quarterly review workbook", bench_workbook))


CITY_DASHBOARD_MS = 300
BENCH_ACCOUNT = "scale_staff"


def bench_district() -> Region | None:
    user = User.objects.filter(username=BENCH_ACCOUNT).select_related("region").first()
    if user is not None and user.region is not None and user.region.level == RegionLevel.DISTRICT:
        return user.region
    return Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code").first()


def current_workbook(measure):
    """The bench district's quarterly review workbook, written to a temporary file."""
    district = bench_district()
    if district is None:
        raise AssertionError("no district in the database")
    year, quarter = quarters.current_quarter()
    note = Note()
    with translation.override("zh-hans"), tempfile.TemporaryFile() as handle:
        with CaptureQueriesContext(connection) as queries, measure(label=f"Reports: workbook of {district.name}",
                                                                  note=note):  # fmt: skip
            rows = write(Scope(district, year, quarter), handle)
        note.text = f"{rows:,} rows, {handle.tell() / 1024:,.0f} KB file, {len(queries)} queries"


def current_city_dashboard(measure):
    """The dashboard of the first city node (its districts' rollups), measure.runs times."""
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    if city is None:
        raise AssertionError("no city in the database")
    year, quarter = quarters.current_quarter()
    board = dashboard(city, year, quarter)  # warm
    if board["missing"]:  # data seeded without rollups: refreshed first (untimed, rolled back with the row)
        rollups.refresh(city, year, quarter)
        board = dashboard(city, year, quarter)
    for _run in range(max(1, getattr(measure, "runs", 1))):
        note = Note(f"{city.name}: source {board['source']}, {len(board['missing'])} districts without rollups")
        with measure(label="Reports: city dashboard", note=note, target_ms=CITY_DASHBOARD_MS):
            board = dashboard(city, year, quarter)


SCALE_BENCHMARKS = [
    ("Reports: bench district workbook", current_workbook),
    ("Reports: city dashboard", current_city_dashboard),
]
# The beat jobs (H6, core.periodic.benchmarks).
SCALE_BENCHMARKS += beat_job_rows("reports-rollups-refresh", "reports-workbooks")
