"""Live figures against the known population (tests/reports/population.py): exact counts, money and
rates of district A, district B and the city; children; the trend; query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from party import statistics as party_statistics
from reports.figures import add, children_figures, dashboard, node_figures, rates
from reports.figures.schema import trend_point

from . import population
from .population import EXPECTED_A, QUARTER, TODAY, YEAR, expected_b

pytestmark = pytest.mark.django_db


@pytest.fixture
def pop():
    return population.build()


def figures_of(region, year=YEAR, quarter=QUARTER):
    return node_figures(region, year, quarter, today=TODAY)


def test_district_a_figures_are_exact(pop):
    figures = figures_of(pop.a)
    party_day = dt.date(2026, 6, 30)
    official = party_statistics.statistics(pop.a, party_day).total.figures
    for family, expected in EXPECTED_A.items():
        actual = dict(figures[family])
        if family == "party":
            expected = {**expected, "contacts": official["contacts"], "overdue": official["overdue"]}
            assert actual["contacts"] == 1
        if family == "projects":
            funders = actual.pop("by_funder")
            assert {
                f["name"]: (f["count"], f["contracted"], f["paid"], f["spent"], f["balance"]) for f in funders.values()
            } == {
                "甲区民政局": (2, "100000.00", "45000.00", "19500.50", "25499.50"),
                "公益基金会": (1, "50000.00", "25000.00", "0.00", "25000.00"),
                "一街道办事处": (2, "0.00", "0.00", "0.00", "0.00"),
            }
        assert actual == expected, family
    assert figures["party"] == {key: official[key] for key in party_statistics.COUNT_KEYS}


def test_district_a_rates(pop):
    assert rates(figures_of(pop.a)) == {
        "public_benefit_share": Decimal("62.5"),
        "filed_share": Decimal("50.0"),
        "party_organization_rate": Decimal("25.0"),
        "work_coverage_rate": Decimal("37.5"),
        "ledger_on_time_rate": Decimal("50.0"),
        "ledger_submission_rate": Decimal("75.0"),
        "payment_rate": Decimal("46.7"),  # 70,000 / 150,000
        "spend_rate": Decimal("27.9"),  # 19,500.50 / 70,000
        "annual_report_owed_share": Decimal("50.0"),
    }


def test_district_b_and_the_city(pop):
    b = figures_of(pop.b)
    expected = expected_b()
    (funder,) = b["projects"]["by_funder"].values()
    assert funder == {
        "name": "乙区民政局",
        "kind": "civil_affairs_bureau",
        **expected["projects"]["by_source"]["government_purchase"],
    }
    expected["projects"]["by_funder"] = b["projects"]["by_funder"]
    official = party_statistics.statistics(pop.b, dt.date(2026, 6, 30)).total.figures
    expected["party"].update(contacts=0, overdue=official["overdue"])
    assert official["overdue"] == 2  # neither b1 nor b2 was ever contacted
    assert b == expected
    city = figures_of(pop.city)
    assert city == add(figures_of(pop.a), b)
    assert city["organizations"]["total"] == 10
    assert city["projects"]["paid"] == "110000.00"
    assert rates(city)["public_benefit_share"] == Decimal("70.0")  # 7 / 10
    assert rates(city)["ledger_on_time_rate"] == Decimal("60.0")  # 3 / 5


def test_children_of_a_district_and_of_a_street(pop):
    entries = children_figures(pop.a, YEAR, QUARTER, today=TODAY)
    assert [(e["code"], e["direct"], e["figures"]["organizations"]["total"]) for e in entries] == [
        (pop.s1.code, False, 6),
        (pop.s2.code, False, 2),
    ]
    assert add(entries[0]["figures"], entries[1]["figures"]) == figures_of(pop.a)
    assert entries[0]["figures"]["projects"]["count"] == 4  # P1 P2 P6 (C11), P5 (C12)
    street = children_figures(pop.s2, YEAR, QUARTER, today=TODAY)
    # C21 holds o5; o6 is attached to the street itself: its own entry, marked direct.
    assert [(e["code"], e["direct"], e["figures"]["organizations"]["total"]) for e in street] == [
        (pop.c21.code, False, 1),
        (pop.s2.code, True, 1),
    ]
    empty_street = children_figures(pop.b, YEAR, QUARTER, today=TODAY)
    assert [e["figures"]["organizations"]["total"] for e in empty_street] == [2, 0]


def test_a_quarter_to_come_counts_no_ledger_or_projects(pop):
    figures = node_figures(pop.a, 2026, 4, today=TODAY)
    assert figures["ledger"]["expected"] == 0
    assert figures["projects"]["count"] == 0
    assert figures["organizations"]["total"] == 8  # o1–o6, o9, o10 as of today (o8 ended on 5 July)


def test_the_trend_agrees_with_each_quarters_figures(pop):
    board = dashboard(pop.a, YEAR, QUARTER, today=TODAY)
    assert board["source"] == "live"
    assert [p["key"] for p in board["trend"]][-2:] == ["2026Q1", "2026Q2"]
    for point in board["trend"]:
        expected = trend_point(node_figures(pop.a, point["year"], point["quarter"], today=TODAY))
        assert {k: point[k] for k in expected} == expected, point["key"]
    q1 = board["trend"][-2]
    assert (q1["organizations"], q1["changes"], q1["ledger_expected"], q1["ledger_on_time"]) == (
        8,
        1,
        2,
        1,
    )  # P1 and P7 ran in Q1


def test_the_district_dashboard_takes_a_fixed_number_of_queries(pop):
    with CaptureQueriesContext(connection) as first:
        dashboard(pop.a, YEAR, QUARTER, today=TODAY)
    for i in range(5):
        population._org(pop.c11, f"x{i}", "social_group", "charity")
    with CaptureQueriesContext(connection) as second:
        dashboard(pop.a, YEAR, QUARTER, today=TODAY)
    assert len(first.captured_queries) == len(second.captured_queries) == 25
