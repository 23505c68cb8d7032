"""Fixtures of the projects tests: two organizations with their accounts, and running projects."""

import pytest
from django.test import Client

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


@pytest.fixture
def world(places, users):
    return World(places, users)


@pytest.fixture
def client_as():
    """client_as(user) → a test client logged in as that user."""

    def get(user):
        client = Client()
        client.force_login(user)
        return client

    return get
