"""API: /api/v1/annual-reports/, /api/v1/abnormal-listings/, /api/v1/serious-violation-listings/."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from core.testing import assert_num_queries
from supervision.models import AbnormalListing, AnnualReport

from ..registry.factories import make_org_user, make_organization
from .factories import REPORT_DATA, make_listing, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(places):
    return make_organization(places.community11, name="夕阳红服务队", established_on=dt.date(2018, 3, 1))


@pytest.fixture
def api_for(users):
    def get(name_or_user):
        client = APIClient()
        if name_or_user is not None:
            client.force_authenticate(users[name_or_user] if isinstance(name_or_user, str) else name_or_user)
        return client

    return get


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_annual_report_scoping(org, places, api_for):
    report = make_report(org)
    other = make_report(make_organization(places.community21))
    assert ids(api_for("bureau_viewer").get("/api/v1/annual-reports/")) == {report.pk, other.pk}
    assert ids(api_for("street_officer").get("/api/v1/annual-reports/")) == {report.pk}
    assert ids(api_for("other_street_officer").get("/api/v1/annual-reports/")) == {other.pk}
    assert ids(api_for("other_district_admin").get("/api/v1/annual-reports/")) == set()
    assert api_for("other_district_admin").get(f"/api/v1/annual-reports/{report.pk}/").status_code == 404
    assert api_for("expert").get("/api/v1/annual-reports/").status_code == 403
    assert api_for(None).get("/api/v1/annual-reports/").status_code in (401, 403)
    assert ids(api_for(make_org_user(org)).get("/api/v1/annual-reports/")) == {report.pk}
    assert ids(api_for("bureau_viewer").get("/api/v1/annual-reports/", {"street": places.street2.pk})) == {other.pk}


def test_annual_report_flow(org, api_for):
    org_api = api_for(make_org_user(org))
    response = org_api.post("/api/v1/annual-reports/", {"organization": org.pk, "year": 2025, **REPORT_DATA})
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = org_api.patch(f"/api/v1/annual-reports/{pk}/", {"income": "-1"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"income": ["收入（元）不能为负数。"]}
    assert org_api.post(f"/api/v1/annual-reports/{pk}/submit/").json()["status"] == "submitted"
    response = org_api.post(f"/api/v1/annual-reports/{pk}/submit/")
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["该年度报告已报送。"]}
    assert org_api.post(f"/api/v1/annual-reports/{pk}/conclude/", {"conclusion": "pass"}).status_code == 403
    # A street officer reviews filed organizations' status reports, not a work report (not theirs to change).
    assert api_for("street_officer").post(f"/api/v1/annual-reports/{pk}/conclude/",
                                          {"conclusion": "pass"}).status_code == 404  # fmt: skip
    staff = api_for("bureau_staff")
    response = staff.post(f"/api/v1/annual-reports/{pk}/return/", {"remarks": ""})
    assert list(response.json()["errors"]) == ["reason"]
    response = staff.post(f"/api/v1/annual-reports/{pk}/conclude/", {"conclusion": "pass"})
    assert response.json()["conclusion_display"] == "合格"


def test_annual_report_for_an_organization_out_of_sight(org, places, api_for):
    other = make_organization(places.community21)
    response = api_for("street_officer").post("/api/v1/annual-reports/", {"organization": other.pk, "year": 2025})
    assert response.status_code == 403  # the role may not add reports at all
    response = api_for(make_org_user(org)).post("/api/v1/annual-reports/", {"organization": other.pk, "year": 2025})
    assert response.status_code == 404
    assert not AnnualReport.objects.exists()


def test_abnormal_listing_api(org, places, api_for):
    staff = api_for("bureau_staff")
    response = staff.post("/api/v1/abnormal-listings/", {"organization": org.pk, "reason": "unreachable"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"listing_note": ["请填写列入依据。"]}
    response = staff.post("/api/v1/abnormal-listings/", {"organization": org.pk, "reason": "unreachable",
                                                         "listing_note": "无法联系"})  # fmt: skip
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["reason_display"] == "通过登记的住所无法取得联系"
    assert (
        api_for("bureau_viewer")
        .post(
            "/api/v1/abnormal-listings/",
            {"organization": org.pk, "reason": "rectification_overdue", "listing_note": "x"},
        )
        .status_code
        == 403
    )
    assert (
        api_for("other_district_staff")
        .post(f"/api/v1/abnormal-listings/{pk}/remove/", {"end_reason": "rectified", "end_note": "x"})
        .status_code
        == 404
    )
    response = staff.post(f"/api/v1/abnormal-listings/{pk}/remove/", {"end_reason": "rectified", "end_note": "已整改"})
    assert response.json()["is_active"] is False
    assert AbnormalListing.objects.filter(pk=pk).exists()
    assert ids(api_for("bureau_viewer").get("/api/v1/abnormal-listings/", {"state": "ended"})) == {pk}
    assert ids(api_for("bureau_viewer").get("/api/v1/abnormal-listings/", {"state": "active"})) == set()
    assert ids(api_for("other_street_officer").get("/api/v1/abnormal-listings/")) == set()


def test_serious_listing_api(org, api_for):
    staff = api_for("bureau_staff")
    response = staff.post("/api/v1/serious-violation-listings/", {"organization": org.pk, "listing_note": "严重违法"})
    assert response.status_code == 201
    assert staff.post("/api/v1/serious-violation-listings/", {"organization": org.pk,
                                                              "listing_note": "再次"}).status_code == 400  # fmt: skip
    assert ids(api_for(make_org_user(org)).get("/api/v1/serious-violation-listings/")) == {response.json()["id"]}


def test_api_list_query_count_is_fixed(places, api_for):
    client = api_for("bureau_staff")

    def add(n):
        for _ in range(n):
            organization = make_organization(places.community12)
            make_report(organization)
            make_listing(organization)

    add(2)
    for url in ("/api/v1/annual-reports/", "/api/v1/abnormal-listings/"):
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            client.get(url)
        add(3)
        with assert_num_queries(len(first.captured_queries)):
            assert client.get(url).status_code == 200
