"""Fixtures of the projects tests: two organizations with their accounts, and running projects.

The jurisdiction, its users and the world are built once per test process (`build_once`) and the
database restored to them for each test that asks for any of the three (~0.05 s instead of ~0.5 s
of building through the services); each test gets instances read anew from the database, so
nothing one test does to them in Python or in the database reaches the next. In a transactional
test the restored rows are committed and pytest-django's flush removes them."""

import pytest
from django.test import Client

from ..accounts.factories import Jurisdiction
from ..conftest import role_users
from ..demo_fixture import build_once, fresh, restore
from ..registry.factories import make_org_user, make_organization
from .factories import make_project


class World:
    def __init__(self, places, users):
        self.places, self.users = places, users
        self.org = make_organization(places.community11, name="一社区为老服务社")
        self.org_user = make_org_user(self.org, email="org@example.cn")
        self.other_org = make_organization(places.community21, name="二街道邻里互助会")
        self.other_org_user = make_org_user(self.other_org, email="other@example.cn")
        self.street_officer = users["street_officer"]
        # Funded by street 1: its street officer accepts the ledger.
        self.project = make_project(self.org, places.street1, title="银龄互助项目")
        # Funded by the district bureau: the bureau's clerks accept.
        self.district_project = make_project(self.org, places.district, title="社区议事厅项目")
        self.other_project = make_project(self.other_org, places.street2, title="二街道睦邻项目")


def _build_world():
    places = Jurisdiction()
    return World(places, role_users(places))


@pytest.fixture(scope="session")
def world_snapshot(django_db_setup, django_db_blocker):
    return build_once(django_db_blocker, _build_world)


@pytest.fixture
def world(world_snapshot, db, request):
    assert "seeded_demo" not in request.fixturenames, "the demo and the world each replace the database"
    snapshot, template = world_snapshot
    restore(snapshot)
    return fresh(template)


@pytest.fixture
def places(world):
    return world.places


@pytest.fixture
def users(world):
    return world.users


@pytest.fixture
def client_as():
    """client_as(user) → a test client logged in as that user."""

    def get(user):
        client = Client()
        client.force_login(user)
        return client

    return get
