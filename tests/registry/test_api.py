"""Registry API: scoping and roles per endpoint, filters shared with the pages, transitions,
invalid credit codes → 400 with the field message, and list query counts fixed."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from core.testing import assert_num_queries, assert_role_matrix
from registry import services
from registry.choices import ApplicationKind, ApplicationState, LegalForm
from registry.models import Application, Organization

from .factories import make_application, make_organization, make_uscc, new_organization_data

ALL = [
    "bureau_admin",
    "bureau_staff",
    "bureau_viewer",
    "street_officer",
    "community_party",
    "org_user",
    "expert",
    "other_street_officer",
    "other_district_admin",
]


@pytest.fixture
def api_for(users):
    clients = {}

    def get(name):
        if name not in clients:
            client = APIClient()
            if name is not None:
                client.force_authenticate(users[name])
            clients[name] = client
        return clients[name]

    return get


@pytest.fixture
def world(users, places):
    org = make_organization(places.community11, name="宝石社区邻里互助会")
    services.organization_member_link(user=users["org_user"], organization=org)
    users["org_user"].__dict__.pop("organization_id", None)
    other = make_organization(places.community21, name="二街道舞蹈队", legal_form=LegalForm.COMMUNITY_FILED)
    return {"org": org, "other": other}


def names(response):
    return {row.get("name") or row.get("organization_name") for row in response.json()["results"]}


def test_organization_list_scoped_per_role(world, api_for):
    url = reverse("api:organization-list")
    assert names(api_for("bureau_staff").get(url)) == {"宝石社区邻里互助会", "二街道舞蹈队"}
    assert names(api_for("street_officer").get(url)) == {"宝石社区邻里互助会"}
    assert names(api_for("org_user").get(url)) == {"宝石社区邻里互助会"}
    assert names(api_for("other_street_officer").get(url)) == {"二街道舞蹈队"}
    assert names(api_for("other_district_admin").get(url)) == set()
    assert_role_matrix(api_for, "get", url, {"expert": 403, None: (401, 403)})


def test_organization_detail_matrix(world, api_for):
    url = reverse("api:organization-detail", args=[world["org"].pk])
    expected = dict.fromkeys(ALL, 200)
    expected.update({"expert": 403, "other_street_officer": 404, "other_district_admin": 404, None: (401, 403)})
    assert_role_matrix(api_for, "get", url, expected)
    body = api_for("bureau_viewer").get(url).json()
    assert body["uscc"] == world["org"].uscc
    assert body["street"] == "一街道"
    assert body["in_abnormal_list"] is False


def test_organization_filters_are_the_pages(world, api_for, places):
    url = reverse("api:organization-list")
    client = api_for("bureau_staff")
    assert names(client.get(url, {"q": "舞蹈"})) == {"二街道舞蹈队"}
    assert names(client.get(url, {"legal_form": "social_group"})) == {"宝石社区邻里互助会"}
    assert names(client.get(url, {"street": places.street2.pk})) == {"二街道舞蹈队"}
    assert names(client.get(url, {"uscc": world["org"].uscc.lower()})) == {"宝石社区邻里互助会"}
    ordered = [r["name"] for r in client.get(url, {"ordering": "-name"}).json()["results"]]
    assert ordered == sorted(ordered, reverse=True)


def test_organization_create_by_bureau_and_invalid_uscc(users, places, api_for):
    url = reverse("api:organization-list")
    body = {
        "name": "新录入协会",
        "legal_form": "social_group",
        "category": "charity",
        "region": places.community11.pk,
        "legal_representative": "李四",
        "uscc": "51330106MJ0000001X",
    }
    with translation.override("zh-hans"):
        response = api_for("bureau_staff").post(url, body, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "校验码应为T" in response.json()["errors"]["uscc"][0]
    with translation.override("zh-hans"):
        response = api_for("bureau_staff").post(url, {**body, "uscc": "123"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "18位" in response.json()["errors"]["uscc"][0]
    response = api_for("bureau_staff").post(url, {**body, "uscc": make_uscc()})
    assert response.status_code == 201, response.json()
    assert Organization.objects.filter(name="新录入协会").exists()
    for who in ("bureau_viewer", "street_officer", "org_user", "community_party"):
        assert api_for(who).post(url, {**body, "name": who, "uscc": make_uscc()}).status_code == 403
    response = api_for("other_district_admin").post(url, {**body, "name": "越界", "uscc": make_uscc()})
    assert response.status_code == 403


def test_organizations_cannot_be_edited_or_deleted(world, api_for):
    url = reverse("api:organization-detail", args=[world["org"].pk])
    assert api_for("bureau_admin").patch(url, {"name": "x"}).status_code == 405
    assert api_for("bureau_admin").delete(url).status_code == 405


def test_application_flow_through_the_api(users, places, api_for):
    from .factories import upload

    org_client = api_for("org_user")
    response = org_client.post(
        reverse("api:application-list"),
        {
            "kind": "file",
            "data": new_organization_data(places.community11, name="API夕阳红服务队"),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    attach = reverse("api:application-attachments", args=[pk])
    refused = org_client.post(attach, {"kind": "articles", "file": upload("章程.pdf", b"MZ exe")}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    for kind in ("articles", "identity"):
        response = org_client.post(attach, {"kind": kind, "file": upload(f"{kind}.pdf")}, format="multipart")
        assert response.status_code == 201, response.json()
    assert {a["kind"] for a in response.json()["attachments"]} == {"articles", "identity"}
    assert (
        api_for("other_district_admin")
        .post(attach, {"kind": "other", "file": upload()}, format="multipart")
        .status_code
        == 404
    )
    assert (
        api_for("bureau_viewer").post(attach, {"kind": "other", "file": upload()}, format="multipart").status_code
        == 403
    )

    def step(who, action, **body):
        return api_for(who).post(reverse(f"api:application-{action}", args=[pk]), body, format="json")

    assert step("org_user", "submit").json()["state"] == ApplicationState.STREET_REVIEW
    again = step("org_user", "submit")
    assert again.status_code == 409 and "state" in again.json()["errors"]
    assert step("bureau_staff", "approve").status_code == 403
    assert step("other_street_officer", "approve").status_code == 404
    assert step("bureau_viewer", "approve").status_code == 403
    no_reason = step("street_officer", "return")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert step("street_officer", "return", reason="请补充章程").status_code == 200
    assert Application.objects.get(pk=pk).state == ApplicationState.RETURNED
    patched = org_client.patch(reverse("api:application-detail", args=[pk]), {"remarks": "已补充"}, format="json")
    assert patched.status_code == 200, patched.json()
    assert step("org_user", "resubmit").json()["state"] == ApplicationState.STREET_REVIEW
    assert step("street_officer", "approve").json()["state"] == ApplicationState.BUREAU_REVIEW
    final = step("bureau_staff", "approve").json()
    assert final["state"] == ApplicationState.APPROVED
    assert [s["action"] for s in final["steps"]] == ["create", "submit", "return", "resubmit", "approve", "approve"]
    assert Organization.objects.get(name="API夕阳红服务队").filing_number


def test_application_create_refusals(world, api_for, places):
    url = reverse("api:application-list")
    other = api_for("org_user").post(
        url, {"kind": "change", "organization": world["other"].pk, "data": {"phone": "1"}}, format="json"
    )
    assert other.status_code == 404
    viewer = api_for("bureau_viewer").post(url, {"kind": "file", "data": {}}, format="json")
    assert viewer.status_code == 403
    with translation.override("zh-hans"):
        bad = api_for("bureau_staff").post(
            url,
            {
                "kind": "establish",
                "data": new_organization_data(places.community11, legal_form="social_group", uscc="51330106MJ0000001X"),
            },
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert bad.status_code == 400
    assert "校验码应为T" in bad.json()["errors"]["uscc"][0]


def test_application_detail_matrix(world, users, api_for):
    application = make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=world["org"])
    url = reverse("api:application-detail", args=[application.pk])
    expected = dict.fromkeys(ALL, 200)
    expected.update({"expert": 403, "other_street_officer": 404, "other_district_admin": 404, None: (401, 403)})
    assert_role_matrix(api_for, "get", url, expected)


@pytest.mark.parametrize(("url_name", "queries"), [("api:organization-list", 2), ("api:application-list", 2)])
def test_api_list_query_count_does_not_grow(users, places, api_for, url_name, queries):
    staff = users["bureau_staff"]

    def add(n):
        for _ in range(n):
            org = make_organization(places.community11)
            make_application(staff, ApplicationKind.CHANGE, organization=org)

    client = api_for("bureau_staff")
    add(2)
    with assert_num_queries(queries):
        assert client.get(reverse(url_name)).json()["count"] == 2
    add(8)
    with assert_num_queries(queries):
        assert client.get(reverse(url_name)).json()["count"] == 10


def test_applications_cannot_be_deleted(world, users, api_for):
    application = make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=world["org"])
    assert api_for("bureau_admin").delete(reverse("api:application-detail", args=[application.pk])).status_code == 405
