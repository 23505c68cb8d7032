"""Rollups: refresh equals the live aggregate, a second run changes nothing, the city's dashboard
reads the rollups in a fixed number of queries whatever the number of districts."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditRecord
from reports.figures import add, dashboard, empty, node_figures
from reports.models import Rollup
from reports.rollups import refresh, refresh_all

from ..accounts.factories import make_district
from . import population
from .population import QUARTER, TODAY, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def pop():
    return population.build()


def audits():
    return AuditRecord.objects.filter(content_type=ContentType.objects.get_for_model(Rollup)).count()


def test_refresh_all_writes_each_district_and_the_city_for_two_quarters(pop):
    result = refresh_all(today=TODAY)
    assert result == {"quarters": ["2026Q2", "2026Q3"], "nodes": 3, "rows": 6, "written": 6}
    assert audits() == 6
    a, b, city = (
        Rollup.objects.get(region=region, year=YEAR, quarter=QUARTER).figures for region in (pop.a, pop.b, pop.city)
    )
    assert a == node_figures(pop.a, YEAR, QUARTER, today=TODAY)
    assert b == node_figures(pop.b, YEAR, QUARTER, today=TODAY)
    assert city == add(a, b) == node_figures(pop.city, YEAR, QUARTER, today=TODAY)


def test_a_second_run_the_same_day_changes_nothing(pop):
    refresh_all(today=TODAY)
    stamps = dict(Rollup.objects.values_list("pk", "refreshed_at"))
    assert refresh_all(today=TODAY)["written"] == 0
    assert dict(Rollup.objects.values_list("pk", "refreshed_at")) == stamps
    assert audits() == 6
    assert refresh(pop.a, YEAR, QUARTER, today=TODAY) is False


def test_a_change_rewrites_only_the_rows_it_touches(pop):
    refresh_all(today=TODAY)
    population._org(pop.cb, "new", "community_filed", "charity")  # district B, established 2020
    assert refresh_all(today=TODAY)["written"] == 4  # B and the city, Q2 and Q3; A unchanged
    assert Rollup.objects.get(region=pop.city, year=YEAR, quarter=QUARTER).figures["organizations"]["total"] == 11
    assert audits() == 10


def test_the_city_dashboard_reads_rollups_equal_to_the_live_figures(pop):
    refresh_all(today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        board = dashboard(pop.city, YEAR, QUARTER, today=TODAY)
    assert len(queries.captured_queries) == 2  # the districts, their rollups
    assert board["source"] == "rollup"
    assert board["missing"] == []
    assert board["node"]["figures"] == node_figures(pop.city, YEAR, QUARTER, today=TODAY)
    assert [child["code"] for child in board["children"]] == [pop.a.code, pop.b.code]
    assert board["as_of"] is not None
    # The trend: Q2 and Q3 from the rows; earlier quarters have none yet (zeros).
    trend = {point["key"]: point for point in board["trend"]}
    assert trend["2026Q2"]["organizations"] == 10
    assert trend["2026Q1"]["organizations"] == 0
    live = dashboard(pop.a, YEAR, QUARTER, today=TODAY)
    assert live["node"]["figures"] == board["children"][0]["figures"]


def test_the_city_query_count_does_not_grow_with_districts(pop):
    refresh_all(today=TODAY)
    with CaptureQueriesContext(connection) as before:
        dashboard(pop.city, YEAR, QUARTER)
    for n in range(3):
        district = make_district(f"新区{n}", city=pop.city)
        population._org(
            population.make_child(population.make_child(district, f"新街道{n}"), f"新社区{n}"),
            f"n{n}",
            "community_filed",
            "charity",
        )
    refresh_all(today=TODAY)
    with CaptureQueriesContext(connection) as after:
        board = dashboard(pop.city, YEAR, QUARTER)
    assert len(before.captured_queries) == len(after.captured_queries) == 2
    assert board["node"]["figures"]["organizations"]["total"] == 13


def test_a_district_without_a_rollup_counts_as_zero_and_is_named(pop):
    refresh(pop.a, YEAR, QUARTER, today=TODAY)
    board = dashboard(pop.city, YEAR, QUARTER)
    assert board["missing"] == [pop.b.code]
    assert board["children"][1]["figures"] == empty()
    assert board["node"]["figures"] == node_figures(pop.a, YEAR, QUARTER, today=TODAY)


def test_the_nightly_task_refreshes_and_a_second_run_writes_nothing(pop):
    from reports.tasks import rollups_refresh

    first = rollups_refresh.apply().get()
    assert first["nodes"] == 3 and first["written"] == 6
    assert rollups_refresh.apply().get()["written"] == 0
    assert Rollup.objects.count() == 6
