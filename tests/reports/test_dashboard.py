"""The dashboard page: who may open it, which node and quarter it reads, the figures it shows (equal
to reports.figures') and the lists its figures link to (their row counts equal the figures)."""

import html
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from core.testing import assert_num_queries
from reports import figures, quarters
from tests.accounts.factories import make_user

from .population import EXPECTED_A, QUARTER, YEAR, build

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")
Q2 = f"{YEAR}Q{QUARTER}"


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def population(db):
    return build()


def cell(content: str, element_id: str, figure: str, kind: str = "total") -> tuple[str, str | None]:
    """(text, href) of the cell data-figure=`figure` in the row data-kind=`kind` of table `element_id`."""
    table = content.split(f'id="{element_id}"', 1)[1].split("</table>", 1)[0]
    row = table.split(f'data-kind="{kind}"', 1)[1].split("</tr>", 1)[0]
    found = re.search(rf'data-figure="{figure}">(?:<a href="([^"]*)">)?([^<]*)', row)
    return found.group(2), html.unescape(found.group(1)) if found.group(1) else None


def card(content: str, key: str) -> tuple[str, str | None]:
    part = content.split(f'data-card="{key}"', 1)[1].split("</div></div></div>", 1)[0]
    found = re.search(r'(?:<a href="([^"]*)"[^>]*data-value>|<span data-value>)([^<]*)', part)
    return found.group(2), html.unescape(found.group(1)) if found.group(1) else None


def chart_data(response, chart_id: str) -> dict:
    for section in response.context["sections"]:
        for chart in section["charts"]:
            if chart["id"] == chart_id:
                return chart
    raise AssertionError(chart_id)


def list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


# ------------------------------------------------------------------------------------ who may open it


@pytest.mark.parametrize(
    ("role", "where", "status"),
    [
        (Role.BUREAU_ADMIN, "a", 200),
        (Role.BUREAU_STAFF, "a", 200),
        (Role.BUREAU_VIEWER, "a", 200),
        (Role.BUREAU_VIEWER, "city", 200),
        (Role.STREET_OFFICER, "s1", 200),
        (Role.COMMUNITY_PARTY, "c11", 200),
        (Role.ORG_USER, "c11", 403),
        (Role.EXPERT, "a", 403),
    ],
)
def test_role_matrix(population, role, where, status):
    user = make_user(role, getattr(population, where))
    assert client_as(user).get(URL).status_code == status


def test_anonymous_is_sent_to_login(population):
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_district_or_above_own_node_is_404_and_malformed_quarter_400(population):
    staff = client_as(make_user(Role.BUREAU_STAFF, population.a))
    assert staff.get(URL, {"region": population.b.code}).status_code == 404
    assert staff.get(URL, {"region": population.city.code}).status_code == 404
    assert staff.get(URL, {"region": "not-a-code"}).status_code == 404
    for bad in ("2026Q5", "garbage", "1999Q1", "２０２６Q1", "2026Q1x"):
        response = staff.get(URL, {"quarter": bad})
        assert response.status_code == 400, bad
        assert "季度" in response.content.decode()
    officer = client_as(make_user(Role.STREET_OFFICER, population.s1))
    assert officer.get(URL, {"region": population.a.code}).status_code == 404
    assert officer.get(URL, {"region": population.s2.code}).status_code == 404
    assert officer.get(URL, {"region": population.c11.code}).status_code == 200


def test_drilling_into_a_street_and_back_up(population):
    staff = client_as(make_user(Role.BUREAU_STAFF, population.a))
    content = staff.get(URL, {"quarter": Q2}).content.decode()
    drill = f"{URL}?region={population.s1.code}&amp;quarter={Q2}"
    assert f'<a href="{drill}">一街道</a>' in content
    street = staff.get(URL, {"region": population.s1.code, "quarter": Q2})
    assert street.status_code == 200
    page = street.content.decode()
    assert "一街道" in street.context["title"] and 'id="dashboard-up"' in page
    expected = figures.node_figures(population.s1, YEAR, QUARTER)
    assert street.context["result"]["node"]["figures"]["organizations"] == expected["organizations"]
    # A street officer is at the top of their tree: no way up.
    officer = client_as(make_user(Role.STREET_OFFICER, population.s1)).get(URL, {"quarter": Q2})
    assert 'id="dashboard-up"' not in officer.content.decode()


def test_quarter_choices_recent_and_chosen(population):
    staff = client_as(make_user(Role.BUREAU_STAFF, population.a))
    response = staff.get(URL, {"quarter": "2024-1"})
    options = response.context["quarter_options"]
    assert options[0] == {"key": "2024Q1", "label": quarters.label(2024, 1), "selected": True}
    assert len(options) == 9 and options[1]["key"] == quarters.quarter_key(*quarters.current_quarter())


# ---------------------------------------------------------------------------------- what it shows


def test_district_figures_equal_the_known_population(population):
    staff = client_as(make_user(Role.BUREAU_VIEWER, population.a))
    response = staff.get(URL, {"quarter": Q2})
    content = response.content.decode()
    node = response.context["result"]["node"]
    assert node["figures"]["organizations"] == EXPECTED_A["organizations"]
    assert card(content, "organizations")[0] == "8"
    assert card(content, "new")[0] == "3"  # 1 registration + 2 filings
    assert card(content, "abnormal_open")[0] == "3"
    assert card(content, "annual_reports_owed")[0] == "4"
    assert card(content, "public_benefit")[0] == "62.5%"  # 5 of 8
    contracted = figures.node_figures(population.a, YEAR, QUARTER)["projects"]["contracted"]
    assert card(content, "funds")[0] == f"{Decimal(contracted):,.2f}" and "," in card(content, "funds")[0]
    assert card(content, "ledger_on_time")[0] == "50.0%"  # 2 of 4 judged
    legal_form = chart_data(response, "chart-legal-form")
    assert legal_form["series"][0]["data"] == [2, 1, 1, 4]
    assert "社会团体 2" in legal_form["description"]
    funds = chart_data(response, "chart-funds")
    assert funds["series"][0]["data"][:2] == [100000.0, 50000.0]
    # Party coverage in the published format, the district's total row.
    assert cell(content, "table-party", "organizations")[0] == "8"
    assert cell(content, "table-party", "with_party_organization")[0] == "2"
    assert cell(content, "table-party", "party_members")[0] == "7"
    assert cell(content, "table-party", "party_organization_rate")[0] == "25.0%"
    # The quarter has ended: stock figures do not link to today's lists.
    assert card(content, "organizations")[1] is None


def test_city_reads_rollups_and_names_districts_without_one(population):
    from reports.models import Rollup

    a_figures = figures.node_figures(population.a, YEAR, QUARTER)
    Rollup.objects.create(region=population.a, year=YEAR, quarter=QUARTER, figures=a_figures)
    viewer = client_as(make_user(Role.BUREAU_VIEWER, population.city))
    response = viewer.get(URL, {"quarter": Q2})
    assert response.context["result"]["source"] == "rollup"
    content = response.content.decode()
    assert card(content, "organizations")[0] == str(a_figures["organizations"]["total"])
    assert "乙区" in content.split('role="status"', 1)[1].split("</div>", 1)[0]


# ------------------------------------------------------------------------- links land on the figure


def test_current_quarter_links_land_on_lists_whose_count_is_the_figure(population):
    staff = client_as(make_user(Role.BUREAU_STAFF, population.a))
    response = staff.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    year, quarter = quarters.current_quarter()
    expected = figures.node_figures(population.a, year, quarter)
    value, url = card(content, "organizations")
    assert value == str(expected["organizations"]["total"]) and url
    assert list_count(staff, url) == expected["organizations"]["total"]
    value, url = card(content, "abnormal_open")
    assert list_count(staff, url) == int(value) == expected["listings"]["abnormal_open"]
    value, url = card(content, "annual_reports_owed")
    assert list_count(staff, url) == int(value) == expected["annual_reports"]["owed"]
    for chart_id, counts in (
        ("chart-legal-form", expected["organizations"]["by_legal_form"]),
        ("chart-category", expected["organizations"]["by_category"]),
        ("chart-status", expected["organizations"]["by_status"]),
    ):
        series = chart_data(response, chart_id)["series"][0]
        assert sum(series["data"]) == sum(counts.values()) and all(series["links"])
        for value, url in zip(series["data"], series["links"], strict=True):
            assert list_count(staff, url) == value, url
    stars = chart_data(response, "chart-stars")["series"][0]
    assert stars["data"] == [expected["evaluation"]["stars"][n] for n in "54321"] and sum(stars["data"])
    for value, url in zip(stars["data"], stars["links"], strict=True):
        assert list_count(staff, url) == value, url
    # Each street's organizations, from the children's chart.
    children = chart_data(response, "chart-children")["series"][0]
    for value, url in zip(children["data"], children["links"], strict=True):
        assert list_count(staff, url) == value, url


def test_quarter_links_of_an_ended_quarter_agree(population):
    """The quarter's decisions, listings begun, projects and major activities link for any quarter."""
    staff = client_as(make_user(Role.BUREAU_STAFF, population.a))
    response = staff.get(URL, {"quarter": Q2})
    changes = chart_data(response, "chart-changes")["series"][0]
    assert changes["data"] == [1, 2, 1, 1]
    for value, url in zip(changes["data"], changes["links"], strict=True):
        assert list_count(staff, url) == value, url
    listings = chart_data(response, "chart-listings")["series"][0]
    assert listings["data"] == [3, 1, 2, 1] and listings["links"][:2] == [None, None]
    for value, url in zip(listings["data"][2:], listings["links"][2:], strict=True):
        assert list_count(staff, url) == value, url
    activities = chart_data(response, "chart-major-activities")["series"][0]
    assert activities["data"] == [1, 1, 1]
    for value, url in zip(activities["data"], activities["links"], strict=True):
        assert list_count(staff, url) == value, url
    owed = chart_data(response, "chart-annual-reports")["series"][0]
    assert owed["data"] == [1, 3]
    for value, url in zip(owed["data"], owed["links"], strict=True):
        assert list_count(staff, url) == value, url
    funds = response.context["sections"][4]["charts"][0]
    for row, source in zip(funds["rows"], EXPECTED_A["projects"]["by_source"].values(), strict=True):
        count = row[1]
        assert count["text"] == source["count"]
        assert list_count(staff, count["url"]) == source["count"], count["url"]


def test_links_stay_inside_the_node_for_a_city_user_drilling_into_a_district(population):
    viewer = client_as(make_user(Role.BUREAU_VIEWER, population.city))
    response = viewer.get(URL, {"region": population.a.code})
    assert response.context["result"]["source"] == "live"
    value, url = card(response.content.decode(), "organizations")
    assert f"region={population.a.pk}" in url
    year, quarter = quarters.current_quarter()
    assert (
        list_count(viewer, url)
        == int(value)
        == figures.node_figures(population.a, year, quarter)["organizations"]["total"]
    )


def test_community_party_secretary_has_no_link_to_lists_their_role_cannot_open(population):
    secretary = client_as(make_user(Role.COMMUNITY_PARTY, population.c11))
    response = secretary.get(URL)
    assert response.status_code == 200
    for section in response.context["sections"]:
        for chart in section["charts"]:
            for series in chart["series"]:
                for url in series["links"]:
                    if url:
                        assert secretary.get(url).status_code == 200, url


def test_query_count_of_a_district_page(population):
    staff = client_as(make_user(Role.BUREAU_STAFF, population.a))
    staff.get(URL, {"quarter": Q2})  # warm the session and the content types
    with assert_num_queries(QUERIES_DISTRICT):
        staff.get(URL, {"quarter": Q2})


QUERIES_DISTRICT = 33


@pytest.mark.parametrize(
    "name",
    [
        "registry:organization_list",
        "registry:application_list",
        "supervision:abnormallisting_list",
        "supervision:annualreport_owing",
        "projects:project_list",
        "projects:majoractivity_list",
        "evaluation:result_list",
    ],
)
def test_list_region_filter_refuses_another_districts_node(population, name):
    """The lists' region filter offers only the user's subtree: another district's node (or a
    malformed one) is no valid choice — no rows, never a 500 — and it is a hidden field."""
    staff = client_as(make_user(Role.BUREAU_STAFF, population.a))
    url = reverse(name)
    own = staff.get(url, {"region": population.s1.pk})
    assert own.status_code == 200 and not own.context["filterset"].errors
    assert f'type="hidden" name="region" value="{population.s1.pk}"' in own.content.decode()
    for bad in (population.b.pk, "x", "99999999999999999999"):
        response = staff.get(url, {"region": bad})
        assert response.status_code == 200
        assert response.context["table"].paginator.count == 0
