"""Pages and API of accounts: role matrix, scoping, export, htmx, history, admin, query counts."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from accounts import services
from accounts.choices import Role
from accounts.models import Region, User
from core.testing import assert_num_queries, assert_role_matrix

from .factories import make_user

pytestmark = pytest.mark.django_db

ALL = ["bureau_admin", "bureau_staff", "bureau_viewer", "street_officer", "community_party", "org_user", "expert"]


def test_user_list_role_matrix(client_for):
    expected = dict.fromkeys(ALL, 403) | {"bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 200}
    assert_role_matrix(client_for, "get", "/accounts/users/", {**expected, None: 302})


def test_region_list_role_matrix(client_for):
    expected = dict.fromkeys(ALL, 200) | {"org_user": 403, "expert": 403}
    assert_role_matrix(client_for, "get", "/accounts/regions/", {**expected, None: 302})


def test_user_list_shows_only_own_district(client_for, users):
    page = client_for("bureau_staff").get("/accounts/users/").content.decode()
    assert users["street_officer"].username in page
    assert users["other_district_admin"].username not in page
    assert users["other_district_staff"].username not in page


def test_street_officer_region_list_has_only_own_street(client_for, places):
    page = client_for("street_officer").get("/accounts/regions/").content.decode()
    assert "一街道一社区" in page and "二街道" not in page and "乙区" not in page


def test_filtered_list_exports_same_rows_with_table_headers_and_neutralised_text(client_for, users, places):
    services.user_update(user=users["bureau_viewer"], by=None, full_name="=1+1")
    response = client_for("bureau_admin").get("/accounts/users/", {"role": Role.BUREAU_VIEWER, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("用户名", "姓名", "角色", "所属区划", "联系电话", "启用", "最近登录")
    assert [row[0] for row in rows[1:]] == [users["bureau_viewer"].username]  # filtered, and not other district
    assert rows[1][2] == "区民政局查阅人员"
    assert rows[1][5] == "是"  # booleans in the interface language, not True/False
    formula_cell = sheet.cell(row=2, column=2)
    assert formula_cell.value == "=1+1" and formula_cell.data_type == "s"


def test_export_never_includes_other_district_rows(client_for, users):
    response = client_for("bureau_admin").get("/accounts/users/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert users["other_district_admin"].username not in names
    assert users["bureau_staff"].username in names


def test_invalid_filter_shows_message_and_no_rows(client_for):
    response = client_for("bureau_admin").get("/accounts/users/", {"role": "no-such-role"})
    page = response.content.decode()
    assert "筛选条件有误" in page and "共 0 条记录" in page
    assert client_for("bureau_admin").get("/accounts/users/", {"role": "x", "export": "xlsx"}).status_code == 400


def test_htmx_request_gets_only_the_table(client_for):
    response = client_for("bureau_admin").get("/accounts/users/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-list")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="object-list">') and "<html" not in page


def test_list_sorts_by_column_and_export_keeps_the_order(client_for, users):
    response = client_for("bureau_admin").get("/accounts/users/", {"sort": "-username", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    exported = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert exported == sorted(
        (u.username for k, u in users.items() if not k.startswith("other_district")), reverse=True
    )


def test_user_list_query_count_does_not_grow_with_rows(client_for, places):
    client = client_for("bureau_admin")
    client.get("/accounts/users/")  # warm the session and content types
    with assert_num_queries(6) as few:  # of which one is the header's unread notifications
        client.get("/accounts/users/")
    for i in range(15):
        make_user(Role.BUREAU_STAFF, places.district, username=f"extra{i}")
    with assert_num_queries(len(few.captured_queries)):
        client.get("/accounts/users/")


def test_history_page_shows_changes_and_respects_scope(client_for, users, places):
    services.region_update(region=places.street1, by=users["bureau_admin"], name="一街道（改）")
    ct = ContentType.objects.get_for_model(Region)
    url = f"/core/history/{ct.pk}/{places.street1.pk}/"
    page = client_for("bureau_admin").get(url).content.decode()
    assert "一街道（改）" in page and users["bureau_admin"].username in page
    assert client_for("other_district_admin").get(url).status_code == 404
    assert client_for("other_street_officer").get(url).status_code == 404


def test_api_regions_scoped_and_filtered(client_for, places):
    data = client_for("street_officer").get("/api/v1/regions/").json()
    assert {r["name"] for r in data["results"]} == {"一街道", "一街道一社区", "一街道二社区"}
    data = client_for("bureau_staff").get("/api/v1/regions/", {"level": "street"}).json()
    assert {r["name"] for r in data["results"]} == {"一街道", "二街道"}
    assert client_for("bureau_staff").get(f"/api/v1/regions/{places.other_street.pk}/").status_code == 404
    assert client_for("org_user").get("/api/v1/regions/").status_code == 403
    assert client_for(None).get("/api/v1/regions/").status_code in (401, 403)


def test_api_errors_are_json_with_field_messages(client_for):
    response = client_for("bureau_staff").get("/api/v1/regions/", {"level": "planet"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "提交的数据有误。" and "level" in body["errors"]


def test_api_users_me_and_token_auth(client_for, users, password):
    me = client_for("street_officer").get("/api/v1/users/me/").json()
    assert me["role"] == "street_officer" and me["region"]["name"] == "一街道"
    from django.test import Client

    token = (
        Client()
        .post("/api/v1/auth/token/", {"username": users["bureau_staff"].username, "password": password})
        .json()["token"]
    )
    response = Client().get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.json()["username"] == users["bureau_staff"].username


def test_admin_is_scoped_to_the_bureau_admins_district(client_for, users):
    client = client_for("bureau_admin")
    page = client.get("/admin/accounts/user/").content.decode()
    assert users["bureau_staff"].username in page and users["other_district_staff"].username not in page
    assert client.get(f"/admin/accounts/user/{users['other_district_staff'].pk}/change/").status_code == 302
    assert client_for("bureau_staff").get("/admin/").status_code == 302  # not admin-site staff


def test_admin_creates_user_through_service_with_audit(client_for, places):
    from core.models import AuditRecord

    response = client_for("bureau_admin").post(
        "/admin/accounts/user/add/",
        {
            "username": "newclerk",
            "full_name": "新人",
            "role": Role.BUREAU_STAFF,
            "region": places.district.pk,
            "password1": "Strong#Pass-2026",
            "password2": "Strong#Pass-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newclerk")
    assert user.region == places.district and user.check_password("Strong#Pass-2026")
    assert AuditRecord.objects.filter(object_id=str(user.pk), action="create").exists()
    bad = client_for("bureau_admin").post(
        "/admin/accounts/user/add/",
        {
            "username": "intruder",
            "role": Role.BUREAU_STAFF,
            "region": places.other_district.pk,
            "password1": "Strong#Pass-2026",
            "password2": "Strong#Pass-2026",
            "usable_password": "true",
        },
    )
    assert bad.status_code == 200 and not User.objects.filter(username="intruder").exists()
