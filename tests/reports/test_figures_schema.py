"""The figure dict's shape: every key present, JSON-safe, money as strings; add and rates."""

import json
from decimal import Decimal

import pytest

from reports.figures import add, dashboard, empty, node_figures, rates

from ..accounts.factories import Jurisdiction


def keys(d, prefix=""):
    for key, value in d.items():
        yield prefix + key
        if isinstance(value, dict) and key != "by_funder":
            yield from keys(value, prefix + key + ".")


@pytest.mark.django_db
def test_an_empty_district_has_every_key_at_zero():
    places = Jurisdiction(city=True)
    figures = node_figures(places.district, 2026, 2)
    assert set(keys(figures)) == set(keys(empty()))
    assert figures["projects"]["paid"] == "0.00"
    json.dumps(figures)  # JSON-safe
    board = dashboard(places.district, 2026, 2)
    assert board["source"] == "live"
    assert [child["code"] for child in board["children"]] == [places.street1.code, places.street2.code]
    assert [point["key"] for point in board["trend"]] == [
        "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"
    ]  # fmt: skip
    city = dashboard(places.city, 2026, 2)
    assert city["source"] == "rollup"
    assert city["missing"] == [places.district.code, places.other_district.code]
    assert city["node"]["figures"] == empty()


def test_add_sums_money_as_decimals_and_keeps_funder_names():
    a, b = empty(), empty()
    a["projects"]["paid"], b["projects"]["paid"] = "0.10", "0.20"
    a["projects"]["by_funder"] = {"7": {"name": "民政局", "kind": "civil_affairs_bureau", "count": 1, "paid": "1.00"}}
    b["projects"]["by_funder"] = {"7": {"name": "民政局", "kind": "civil_affairs_bureau", "count": 2, "paid": "2.50"}}
    b["organizations"]["total"] = 3
    total = add(a, b)
    assert total["projects"]["paid"] == "0.30"
    assert total["projects"]["by_funder"]["7"] == {
        "name": "民政局", "kind": "civil_affairs_bureau", "count": 3, "paid": "3.50"
    }  # fmt: skip
    assert total["organizations"]["total"] == 3
    assert a["organizations"]["total"] == 0  # unchanged


def test_rates_round_half_up_to_one_decimal_and_none_without_a_whole():
    figures = empty()
    assert rates(figures)["public_benefit_share"] is None
    figures["organizations"]["total"], figures["organizations"]["public_benefit"] = 16, 1  # 6.25 %
    assert rates(figures)["public_benefit_share"] == Decimal("6.3")
