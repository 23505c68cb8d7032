"""Region and user services: validation in Chinese, jurisdiction, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.choices import Role
from accounts.models import Region
from core.models import AuditRecord

from .factories import make_user

pytestmark = pytest.mark.django_db


def test_region_create_builds_path_and_district_and_is_audited(places, users):
    community = services.region_create(
        code=places.street2.code + "009", name="新社区", parent=places.street2, by=users["bureau_admin"]
    )
    assert community.level == "community"
    assert community.path == f"{places.district.code}/{places.street2.code}/{community.code}/"
    assert community.district == places.district
    record = AuditRecord.objects.get(object_id=str(community.pk), content_type__model="region")
    assert record.actor == users["bureau_admin"] and record.action == "create"
    assert record.after["code"] == community.code and record.before is None
    assert record.region_path == community.path


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("12345", "代码应为 9 位数字"),
        ("99999900a", "代码应为 9 位数字"),
        ("999999001", "必须以上级区划代码"),
    ],
)
def test_region_create_rejects_bad_codes_with_field_message(places, users, code, message):
    before = Region.objects.count()
    with pytest.raises(ValidationError) as error:
        services.region_create(code=code, name="错", parent=places.district, by=users["bureau_admin"])
    assert message in " ".join(error.value.message_dict["code"])
    assert Region.objects.count() == before


def test_region_code_with_superscript_or_full_width_digits_is_refused(places, users):
    before = Region.objects.count()
    for code in (places.district.code + "00²", places.district.code + "００1"):
        with pytest.raises(ValidationError) as error:
            services.region_create(code=code, name="错", parent=places.district, by=users["bureau_admin"])
        assert "代码应为 9 位数字" in " ".join(error.value.message_dict["code"])
    assert Region.objects.count() == before


def test_region_create_refuses_duplicate_code_and_other_district(places, users):
    with pytest.raises(ValidationError, match="已存在"):
        services.region_create(code=places.street1.code, name="重复", parent=places.district, by=users["bureau_admin"])
    with pytest.raises(PermissionDenied):
        services.region_create(
            code=places.other_district.code + "009", name="越权", parent=places.other_district, by=users["bureau_admin"]
        )
    with pytest.raises(PermissionDenied):
        services.region_create(
            code=places.district.code + "009", name="无权", parent=places.district, by=users["bureau_staff"]
        )


def test_user_role_must_match_region_level(places):
    with pytest.raises(ValidationError) as error:
        make_user(Role.STREET_OFFICER, places.district)
    assert "街道（乡镇）" in error.value.message_dict["region"][0]


def test_bureau_admin_cannot_create_or_move_users_outside_district(places, users):
    admin = users["bureau_admin"]
    with pytest.raises(PermissionDenied):
        services.user_create(
            username="x1", password="Long#enough-1", by=admin, role=Role.BUREAU_STAFF, region=places.other_district
        )
    staff = users["bureau_staff"]
    with pytest.raises(PermissionDenied):
        services.user_update(user=staff, by=admin, region=places.other_district)
    staff.refresh_from_db()
    assert staff.region == places.district


def test_user_update_records_before_and_after(places, users):
    staff = users["bureau_staff"]
    services.user_update(user=staff, by=users["bureau_admin"], full_name="新名字")
    record = AuditRecord.objects.filter(object_id=str(staff.pk), action="update").latest("timestamp")
    assert record.before["full_name"] == "" and record.after["full_name"] == "新名字"
    assert ("full_name", "", "新名字") in record.changes


def test_bureau_admin_gets_admin_site_access_others_do_not(users):
    assert users["bureau_admin"].is_staff
    assert not users["bureau_staff"].is_staff and not users["org_user"].is_staff


@pytest.mark.django_db(transaction=True)
def test_audit_refuses_to_write_outside_a_transaction(places):
    from core import audit

    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="update", obj=places.district)
