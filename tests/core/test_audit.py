"""The audit trail: written by services with actor and request id; the district's log is scoped."""

import io

import pytest
from openpyxl import load_workbook

from accounts import services
from core.models import AuditRecord
from core.testing import assert_role_matrix

pytestmark = pytest.mark.django_db


def test_service_write_leaves_record_with_actor_request_id_before_and_after(places, users):
    from core.context import request_id_var

    token = request_id_var.set("req-12345678")
    try:
        services.region_update(region=places.street2, by=users["bureau_admin"], name="二街道（新）")
    finally:
        request_id_var.reset(token)
    record = AuditRecord.objects.filter(object_id=str(places.street2.pk), action="update").get()
    assert record.actor == users["bureau_admin"] and record.request_id == "req-12345678"
    assert record.before["name"] == "二街道" and record.after["name"] == "二街道（新）"
    assert record.region_path == places.street2.path


def test_audit_log_role_matrix(client_for):
    assert_role_matrix(
        client_for,
        "get",
        "/core/audit/",
        {
            "bureau_admin": 200,
            "bureau_viewer": 200,
            "bureau_staff": 403,
            "street_officer": 403,
            "org_user": 403,
            "expert": 403,
            None: 302,
        },
    )


def test_audit_log_shows_only_own_district_and_exports_filtered(client_for, places, users):
    services.region_update(region=places.street1, by=users["bureau_admin"], name="甲一街道")
    services.region_update(region=places.other_street, by=users["other_district_admin"], name="乙一街道")
    page = client_for("bureau_viewer").get("/core/audit/").content.decode()
    assert "甲一街道" in page and "乙一街道" not in page and "乙区" not in page

    response = client_for("bureau_viewer").get("/core/audit/", {"action": "update", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "操作人", "操作", "对象类型", "对象")
    assert [row[4] for row in rows[1:]] == ["甲一街道"]
    assert rows[1][3] == "行政区划"
