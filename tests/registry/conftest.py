"""The registry tests' jurisdiction and users (the fixtures of tests/conftest.py, same content): built
once per test process (`build_once`, one copy with the users and one without, so a test that asks only
for `places` finds no users) and the database restored to them for each test that asks (~0.05 s
instead of building through the services); each test gets instances read anew from the database."""

import pytest

from ..accounts.factories import Jurisdiction
from ..conftest import role_users
from ..demo_fixture import build_once, fresh, restore


def _places_only():
    return Jurisdiction(), None


def _places_and_users():
    places = Jurisdiction()
    return places, role_users(places)


@pytest.fixture(scope="session")
def jurisdiction_snapshots(django_db_setup, django_db_blocker):
    """{with users?: (snapshot, (places, users or None))}, both built before any test's transaction."""
    return {False: build_once(django_db_blocker, _places_only), True: build_once(django_db_blocker, _places_and_users)}


@pytest.fixture
def jurisdiction(jurisdiction_snapshots, db, request):
    assert "seeded_demo" not in request.fixturenames, "the demo and the jurisdiction each replace the database"
    snapshot, template = jurisdiction_snapshots["users" in request.fixturenames]
    restore(snapshot)
    return fresh(template)


@pytest.fixture
def places(jurisdiction):
    return jurisdiction[0]


@pytest.fixture
def users(jurisdiction):
    return jurisdiction[1]
