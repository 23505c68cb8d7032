"""restrict(user, action): jurisdiction and role decide which rows a user sees."""

import pytest

from accounts.models import Region, User
from core.choices import Action

pytestmark = pytest.mark.django_db


def test_street_officer_sees_only_own_street_subtree(places, users):
    visible = set(Region.objects.restrict(users["street_officer"]).values_list("name", flat=True))
    assert visible == {"一街道", "一街道一社区", "一街道二社区"}


def test_nothing_crosses_districts(places, users):
    admin = users["bureau_admin"]
    names = set(Region.objects.restrict(admin).values_list("name", flat=True))
    assert "乙区" not in names and "乙街道" not in names and "乙社区" not in names
    assert {"甲区", "一街道", "二街道"} <= names
    other_users = User.objects.restrict(admin).filter(region__in=[places.other_district])
    assert not other_users.exists()
    assert set(User.objects.restrict(users["other_district_admin"]).values_list("region__name", flat=True)) == {"乙区"}


def test_role_without_action_sees_nothing(places, users):
    assert not User.objects.restrict(users["street_officer"]).exists()
    assert not Region.objects.restrict(users["expert"]).exists()
    assert not Region.objects.restrict(users["bureau_staff"], Action.CHANGE).exists()
    assert Region.objects.restrict(users["bureau_admin"], Action.CHANGE).count() == 6


def test_anonymous_and_inactive_see_nothing(places, users):
    from django.contrib.auth.models import AnonymousUser

    assert not Region.objects.restrict(AnonymousUser()).exists()
    admin = users["bureau_admin"]
    admin.is_active = False
    assert not Region.objects.restrict(admin).exists()


def test_sibling_path_prefix_does_not_leak(places, users):
    """Street 1's path must not prefix-match a street whose code merely starts the same way."""
    street = places.street1
    lookalike = Region.objects.create(
        code=street.code[:-1] + "9",
        name="相似",
        level="street",
        parent=places.district,
        district=places.district,
        path=f"{places.district.path}{street.code}9/",
    )
    assert lookalike not in Region.objects.restrict(users["street_officer"])
