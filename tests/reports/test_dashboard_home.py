"""Home pages of bureau, street and community roles lead with the dashboard's headline figures of
the current quarter (each linking to its list) and the to-do list, not a repetition of the menu;
other roles keep their page."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.choices import Role
from core import home
from reports import figures, quarters
from tests.accounts.factories import make_user

from .population import build
from .test_dashboard import card, client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(db):
    return build()


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.BUREAU_ADMIN, "a"),
        (Role.BUREAU_STAFF, "a"),
        (Role.BUREAU_VIEWER, "a"),
        (Role.STREET_OFFICER, "s1"),
        (Role.COMMUNITY_PARTY, "c11"),
    ],
)
def test_home_leads_with_headline_figures_and_todos(population, role, where):
    region = getattr(population, where)
    user = make_user(role, region)
    response = client_as(user).get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="home-headline"' in content and 'id="todos"' in content
    assert content.index('id="home-headline"') < content.index('id="todos"')
    assert 'href="/reports/dashboard/"' in content
    expected = figures.node_figures(region, *quarters.current_quarter())
    value, url = card(content, "organizations")
    assert value == str(expected["organizations"]["total"])
    listed = client_as(user).get(url)
    assert listed.status_code == 200 and listed.context["table"].paginator.count == int(value)
    assert card(content, "abnormal_open")[0] == str(expected["listings"]["abnormal_open"])
    # The menu is not repeated as cards under the figures.
    assert 'class="col-md-4"' not in content


def test_street_officer_sees_only_their_street(population):
    officer = make_user(Role.STREET_OFFICER, population.s2)
    content = client_as(officer).get("/").content.decode()
    expected = figures.node_figures(population.s2, *quarters.current_quarter())
    assert card(content, "organizations")[0] == str(expected["organizations"]["total"])
    assert f"region={population.s2.pk}" in card(content, "organizations")[1]


@pytest.mark.parametrize("role", [Role.ORG_USER, Role.EXPERT])
def test_other_roles_have_no_headline(population, role):
    user = make_user(role, population.c11 if role == Role.ORG_USER else population.a)
    content = client_as(user).get("/").content.decode()
    assert 'id="home-headline"' not in content


def test_city_home_reads_rollups(population):
    from reports.models import Rollup

    year, quarter = quarters.current_quarter()
    Rollup.objects.create(
        region=population.a, year=year, quarter=quarter, figures=figures.node_figures(population.a, year, quarter)
    )
    viewer = make_user(Role.BUREAU_VIEWER, population.city)
    content = client_as(viewer).get("/").content.decode()
    expected = figures.node_figures(population.a, year, quarter)["organizations"]["total"]
    assert card(content, "organizations")[0] == str(expected)


def test_panel_registry_skips_providers_that_return_none(rf):
    calls = []
    panel = home.HomePanel("x.html", lambda request: calls.append(request) or None, order=1)
    home.register(panel)
    home.register(panel)  # once only
    try:
        request = rf.get("/")
        request.user = AnonymousUser()
        assert all(item["template"] != "x.html" for item in home.panels_for(request)) is True
        assert len(calls) == 1
    finally:
        home._panels.remove(panel)
