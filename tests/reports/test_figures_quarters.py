"""reports.quarters: quarters typed in links (400 when malformed), the trend's quarters, labels and
the node a request reads (404 outside the user's subtree)."""

import datetime as dt

import pytest
from django.http import Http404
from django.test import RequestFactory

from accounts.choices import Role
from core.params import InvalidParameter
from reports import quarters

from ..accounts.factories import Jurisdiction, make_user


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026Q3", (2026, 3)), ("2026q1", (2026, 1)), ("2026-4", (2026, 4)), (" 2000Q2 ", (2000, 2))],
)
def test_parse_quarter(value, expected):
    assert quarters.parse_quarter(value) == expected


@pytest.mark.parametrize("value", ["2026Q5", "2026Q0", "1999Q4", "2101Q1", "２０２６Q1", "2026", "Q3", "2026Q3x", ""])
def test_a_malformed_quarter_is_a_400_naming_the_parameter(value):
    with pytest.raises(InvalidParameter) as error:
        quarters.parse_quarter(value)
    assert error.value.name == "quarter"
    assert "2026Q3" in error.value.message


def test_requested_quarter_defaults_to_the_current_one():
    factory = RequestFactory()
    assert quarters.requested_quarter(factory.get("/"), today=dt.date(2026, 8, 1)) == (2026, 3)
    assert quarters.requested_quarter(factory.get("/?quarter=2025Q4")) == (2025, 4)
    with pytest.raises(InvalidParameter):
        quarters.requested_quarter(factory.get("/?quarter=2025Q9"))


def test_last_quarters_oldest_first_across_years_and_labels():
    assert quarters.last_quarters(2026, 2, n=4) == [(2025, 3), (2025, 4), (2026, 1), (2026, 2)]
    assert len(quarters.last_quarters(2026, 2)) == 8
    assert quarters.current_quarter(dt.date(2026, 12, 31)) == (2026, 4)
    assert quarters.label(2026, 3) == "2026年第3季度"


@pytest.mark.django_db
def test_requested_node_is_the_users_own_or_a_node_of_their_subtree():
    places = Jurisdiction()
    factory = RequestFactory()

    def node(user, query=""):
        request = factory.get("/" + query)
        request.user = user
        return quarters.requested_node(request)

    officer = make_user(Role.STREET_OFFICER, places.street1)
    assert node(officer) == places.street1
    assert node(officer, f"?region={places.community11.code}") == places.community11
    for outside in (places.street2.code, places.district.code, places.other_community.code, "12ab", "9" * 40):
        with pytest.raises(Http404):
            node(officer, f"?region={outside}")
    viewer = make_user(Role.BUREAU_VIEWER, places.district)
    assert node(viewer, f"?region={places.street2.code}") == places.street2
