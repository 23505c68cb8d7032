"""Urban or rural on streets and communities (the dashboard's 城乡分布): set through the region
services and the admin form, shown in the API; refused on a district."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.choices import Role

from ..accounts.factories import Jurisdiction, make_user

pytestmark = pytest.mark.django_db


def test_a_street_is_set_urban_and_a_district_refuses():
    places = Jurisdiction()
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    street = services.region_update(region=places.street1, by=admin, area_kind="rural")
    assert street.area_kind == "rural"
    community = services.region_create(
        code=f"{places.street1.code}009", name="新社区", parent=street, by=admin, area_kind="urban"
    )
    assert community.area_kind == "urban"
    with pytest.raises(ValidationError) as refused:
        services.region_update(region=places.district, by=admin, area_kind="urban")
    assert "area_kind" in refused.value.message_dict


def test_the_admin_form_names_the_field_and_the_api_shows_it(client):
    places = Jurisdiction()
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    client.force_login(admin)
    from django.urls import reverse

    url = reverse("admin:accounts_region_change", args=[places.district.pk])
    response = client.post(url, {"name": places.district.name, "area_kind": "urban", "is_active": "on"})
    assert response.status_code == 200
    assert "只有街道和社区可设为城镇或农村。" in response.content.decode()
    places.district.refresh_from_db()
    assert places.district.area_kind == ""
    services.region_update(region=places.street1, by=admin, area_kind="urban")
    api = client.get(f"/api/v1/regions/{places.street1.pk}/")
    assert api.status_code == 200
    assert api.json()["area_kind"] == "urban"
