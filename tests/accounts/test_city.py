"""The city level (市民政局): city → district → street → community. A city bureau reads across its
districts and keeps the city's users and regions; a district's users see only their district."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from accounts import services
from accounts.choices import RegionLevel, Role
from accounts.models import Region, User
from core.choices import Action
from core.models import AuditRecord
from core.scoping import city_refusal
from registry.models import Organization

from .factories import PASSWORD, Jurisdiction, make_city, make_district, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_places():
    return Jurisdiction(city=True)


@pytest.fixture
def city_users(city_places):
    return {
        "city_viewer": make_user(Role.BUREAU_VIEWER, city_places.city, full_name="丙市查阅员"),
        "city_admin": make_user(Role.BUREAU_ADMIN, city_places.city, full_name="丙市管理员"),
        "district_admin": make_user(Role.BUREAU_ADMIN, city_places.district),
        "other_district_viewer": make_user(Role.BUREAU_VIEWER, city_places.other_district),
    }


# ------------------------------------------------------------------------------------ the tree


def test_city_hosts_districts_with_paths_from_the_root(city_places):
    city, district = city_places.city, city_places.district
    assert city.level == RegionLevel.CITY and city.parent is None and city.district is None
    assert district.parent == city and district.district == district
    assert district.path == f"{city.code}/{district.code}/"
    community = city_places.community11
    assert community.path == f"{city.code}/{district.code}/{city_places.street1.code}/{community.code}/"
    assert community.district == district
    # The city, the same for every row a city bureau reads, is left out of a region's full name.
    assert community.full_name == "甲区 / 一街道 / 一街道一社区"
    assert city.full_name == "丙市"


def test_a_district_without_a_city_still_works(places):
    assert places.district.parent is None and places.district.path == f"{places.district.code}/"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("320101", "代码：区县代码须以所属市代码的前 4 位"),  # another city's prefix
        ("31019", "代码应为 6 位数字"),
    ],
)
def test_district_code_must_begin_with_its_citys_first_four_digits(code, message):
    city = make_city("丁市", code="310100")
    before = Region.objects.count()
    with pytest.raises(ValidationError) as error:
        services.region_create(code=code, name="错区", parent=city)
    assert message in " ".join(error.value.message_dict["code"])
    assert Region.objects.count() == before


def test_a_district_may_not_take_its_citys_own_code():
    city = make_city("丁市", code="310100")
    with pytest.raises(ValidationError) as error:
        services.region_create(code="310100", name="错区", parent=city)
    assert "代码" in error.value.message_dict["code"][0]


def test_city_code_ends_in_00():
    with pytest.raises(ValidationError) as error:
        services.region_create(code="310101", name="错市", level=RegionLevel.CITY)
    assert "代码：市级代码以 00 结尾" in error.value.message_dict["code"][0]
    assert not Region.objects.filter(code="310101").exists()


def test_under_a_city_only_a_district_and_a_street_or_community_needs_a_parent(city_places):
    with pytest.raises(ValidationError) as error:
        services.region_create(code="310999", name="错", parent=city_places.city, level=RegionLevel.STREET)
    assert "层级" in error.value.message_dict["level"][0]
    with pytest.raises(ValidationError) as error:
        services.region_create(code="310100001", name="错", level=RegionLevel.STREET)
    assert "上级" in error.value.message_dict["parent"][0]


def test_database_refuses_a_city_with_a_parent_or_a_district(city_places):
    city = city_places.city
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="329900", name="错市", level="city", parent=city, path="x/")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="329800", name="错市", level="city", district=city_places.district, path="y/")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="329800001", name="错街", level="street", path="z/")


def test_only_the_system_or_a_superuser_creates_a_city(city_users):
    with pytest.raises(PermissionDenied):
        services.region_create(code="339900", name="越权市", level=RegionLevel.CITY, by=city_users["city_admin"])


def test_city_admin_creates_a_district_under_the_city_audited(city_places, city_users):
    admin = city_users["city_admin"]
    district = services.region_create(
        code=f"{city_places.city.code[:4]}09", name="新区", parent=city_places.city, by=admin
    )
    assert district.level == RegionLevel.DISTRICT and district.district == district
    record = AuditRecord.objects.get(object_id=str(district.pk), content_type__model="region")
    assert record.actor == admin and record.region_path == district.path


def test_a_district_admin_cannot_add_a_district_to_the_city(city_places, city_users):
    with pytest.raises(PermissionDenied):
        services.region_create(
            code=f"{city_places.city.code[:4]}09", name="越权", parent=city_places.city, by=city_users["district_admin"]
        )


# ------------------------------------------------------------------------------------ roles


def test_roles_held_at_a_city(city_places):
    make_user(Role.BUREAU_VIEWER, city_places.city)
    make_user(Role.BUREAU_ADMIN, city_places.city)
    for role in (Role.BUREAU_STAFF, Role.STREET_OFFICER, Role.ORG_USER, Role.EXPERT, Role.COMMUNITY_PARTY):
        with pytest.raises(ValidationError) as error:
            make_user(role, city_places.city)
        assert error.value.message_dict["region"]


def test_a_city_user_has_no_district_and_is_at_the_city(city_places, city_users):
    viewer = city_users["city_viewer"]
    assert viewer.at_city and viewer.district_id is None
    district_admin = city_users["district_admin"]
    assert not district_admin.at_city and district_admin.district_id == city_places.district.pk
    assert city_refusal(viewer) and not city_refusal(district_admin)


def test_city_users_read_both_districts_district_users_their_own(city_places, city_users):
    viewer = city_users["city_viewer"]
    names = set(Region.objects.restrict(viewer).values_list("name", flat=True))
    assert {"丙市", "甲区", "乙区", "一街道", "乙街道", "乙社区"} <= names
    own = set(Region.objects.restrict(city_users["district_admin"]).values_list("name", flat=True))
    assert "丙市" not in own and "乙区" not in own and "甲区" in own
    other = set(Region.objects.restrict(city_users["other_district_viewer"]).values_list("name", flat=True))
    assert other == {"乙区", "乙街道", "乙社区"}
    assert set(User.objects.restrict(city_users["city_admin"]).values_list("pk", flat=True)) >= {
        u.pk for u in city_users.values()
    }
    assert not User.objects.restrict(city_users["district_admin"]).filter(region=city_places.city).exists()


def test_a_city_user_writes_only_users_and_regions(city_users):
    admin, viewer = city_users["city_admin"], city_users["city_viewer"]
    assert Region.access_policy.allows(admin, Action.ADD) and User.access_policy.allows(admin, Action.CHANGE)
    for action in (Action.ADD, Action.CHANGE):
        assert not Organization.access_policy.allows(admin, action)
        assert not Organization.access_policy.allows(viewer, action)
        assert not Region.access_policy.allows(viewer, action)
    assert Organization.access_policy.allows(admin, Action.VIEW)
    assert not Organization.objects.restrict(admin, Action.CHANGE).exists()


def test_city_admin_manages_the_citys_users(city_places, city_users):
    admin = city_users["city_admin"]
    clerk = services.user_create(
        username="cityviewer2", password=PASSWORD, by=admin, role=Role.BUREAU_VIEWER, region=city_places.city
    )
    services.user_update(user=clerk, by=admin, full_name="新名字")
    with pytest.raises(PermissionDenied):
        services.user_create(
            username="x-city", password=PASSWORD, by=city_users["district_admin"], role=Role.BUREAU_VIEWER,
            region=city_places.city,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.user_update(user=clerk, by=city_users["city_viewer"], full_name="越权")


# ------------------------------------------------------------------------------------ admin site


def _admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_site_adds_a_district_under_the_city(city_places, city_users):
    client = _admin_client(city_users["city_admin"])
    city = city_places.city
    code = f"{city.code[:4]}07"
    response = client.post(
        "/admin/accounts/region/add/",
        {"code": code, "name": "后台新区", "level": "", "parent": city.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    district = Region.objects.get(code=code)
    assert district.level == RegionLevel.DISTRICT and district.parent == city and district.district == district


def test_admin_site_shows_a_wrong_code_on_its_field(city_places, city_users):
    client = _admin_client(city_users["city_admin"])
    response = client.post(
        "/admin/accounts/region/add/", {"code": "999907", "name": "错区", "level": "", "parent": city_places.city.pk}
    )
    assert response.status_code == 200
    assert "区县代码须以所属市代码的前 4 位" in response.content.decode()
    assert not Region.objects.filter(code="999907").exists()


def test_city_admin_reads_organizations_in_the_admin_but_changes_none(city_places, city_users):
    from ..registry.factories import make_organization

    org = make_organization(city_places.other_community, name="乙区组织")
    client = _admin_client(city_users["city_admin"])
    response = client.get(f"/admin/registry/organization/{org.pk}/change/")
    assert response.status_code == 200
    before = Organization.objects.get(pk=org.pk).name
    client.post(f"/admin/registry/organization/{org.pk}/change/", {"name": "改名"})
    assert Organization.objects.get(pk=org.pk).name == before


def test_region_list_page_for_the_city_viewer_holds_both_districts(city_places, city_users):
    client = _admin_client(city_users["city_viewer"])
    from django.urls import reverse

    page = client.get(reverse("accounts:region_list")).content.decode()
    assert "甲区" in page and "乙区" in page
    page = _admin_client(city_users["district_admin"]).get(reverse("accounts:region_list")).content.decode()
    # The district's own parent is named (丙市), nothing of the other district.
    assert "乙区" not in page and "乙街道" not in page


def test_make_district_in_a_city_factory(city_places):
    district = make_district("戊区", city=city_places.city)
    assert district.code.startswith(city_places.city.code[:4]) and district.parent == city_places.city
