"""Fixtures shared by every test: a jurisdiction, one user per role, logged-in clients, the demo district."""

import pytest
from django.test import Client

from accounts.choices import Role

from .accounts.factories import PASSWORD, Jurisdiction, make_user
from .demo_fixture import demo_snapshot, seeded_demo  # noqa: F401  (the demo district, seeded once: see there)


@pytest.fixture
def places(db):
    return Jurisdiction()


@pytest.fixture
def users(places):
    """One user per role in district A (street 1 / its first community), plus others elsewhere."""
    return role_users(places)


def role_users(places):
    return {
        "bureau_admin": make_user(Role.BUREAU_ADMIN, places.district),
        "bureau_staff": make_user(Role.BUREAU_STAFF, places.district),
        "bureau_viewer": make_user(Role.BUREAU_VIEWER, places.district),
        "street_officer": make_user(Role.STREET_OFFICER, places.street1),
        "community_party": make_user(Role.COMMUNITY_PARTY, places.community11),
        "org_user": make_user(Role.ORG_USER, places.community11),
        "expert": make_user(Role.EXPERT, places.district),
        "other_street_officer": make_user(Role.STREET_OFFICER, places.street2),
        "other_district_admin": make_user(Role.BUREAU_ADMIN, places.other_district),
        "other_district_staff": make_user(Role.BUREAU_STAFF, places.other_district),
    }


@pytest.fixture
def client_for(users):
    """client_for(name) → a test client logged in as users[name]; None → anonymous."""
    clients = {}

    def get(name):
        if name not in clients:
            client = Client()
            if name is not None:
                client.force_login(users[name])
            clients[name] = client
        return clients[name]

    return get


@pytest.fixture
def password():
    return PASSWORD
