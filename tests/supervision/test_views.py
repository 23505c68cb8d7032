"""Pages of annual reports, the lists and roster imports: who sees what, the flows, query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.testing import assert_num_queries, assert_role_matrix
from registry import services_import
from registry.models import Organization
from supervision.choices import AnnualReportStatus
from supervision.models import AbnormalListing, AnnualReport

from ..registry.factories import make_org_user, make_organization
from ..registry.rosters import messy_roster
from .factories import REPORT_DATA, make_listing, make_report, make_submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(places):
    return make_organization(places.community11, name="夕阳红服务队", established_on=dt.date(2018, 3, 1))


@pytest.fixture
def own_client(org):
    client = Client()
    client.force_login(make_org_user(org))
    return client


def test_list_pages_matrix(client_for, org):
    make_report(org)
    make_listing(org)
    for name in ("annualreport_list", "abnormallisting_list", "seriousviolationlisting_list"):
        assert_role_matrix(client_for, "get", reverse(f"supervision:{name}"), {
            "bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 200, "street_officer": 200,
            "community_party": 200, "org_user": 200, "expert": 403, "other_district_admin": 200, None: 302,
        })  # fmt: skip
    assert_role_matrix(client_for, "get", reverse("registry:rosterimport_list"), {
        "bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 200, "street_officer": 403,
        "community_party": 403, "org_user": 403, "expert": 403, None: 302,
    })  # fmt: skip


def test_other_street_and_district_do_not_see_rows(client_for, org, places):
    make_report(org)
    make_listing(org)
    for name in ("annualreport_list", "abnormallisting_list"):
        url = reverse(f"supervision:{name}")
        assert "夕阳红服务队" in client_for("street_officer").get(url).content.decode()
        assert "夕阳红服务队" not in client_for("other_street_officer").get(url).content.decode()
        assert "夕阳红服务队" not in client_for("other_district_admin").get(url).content.decode()
        assert "夕阳红服务队" not in client_for("org_user").get(url).content.decode()  # no organization


def test_detail_pages_matrix(client_for, org, own_client):
    report = make_report(org)
    listing = make_listing(org)
    for url in (report.get_absolute_url(), listing.get_absolute_url()):
        assert_role_matrix(client_for, "get", url, {
            "bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 200, "street_officer": 200,
            "community_party": 200, "org_user": 404, "expert": 403, "other_street_officer": 404,
            "other_district_admin": 404, "other_district_staff": 404, None: 302,
        })  # fmt: skip
        assert own_client.get(url).status_code == 200


def test_create_pages_matrix(client_for, org):
    assert_role_matrix(client_for, "get", reverse("supervision:annualreport_create"), {
        "bureau_admin": 200, "bureau_staff": 200, "org_user": 200, "bureau_viewer": 403, "street_officer": 403,
        "community_party": 403, "expert": 403,
    })  # fmt: skip
    for name in ("abnormallisting_create", "seriousviolationlisting_create"):
        assert_role_matrix(client_for, "get", reverse(f"supervision:{name}"), {
            "bureau_admin": 200, "bureau_staff": 200, "org_user": 403, "bureau_viewer": 403, "street_officer": 403,
            "community_party": 403, "expert": 403,
        })  # fmt: skip
    assert_role_matrix(client_for, "get", reverse("registry:rosterimport_create"), {
        "bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 403, "street_officer": 403, "org_user": 403,
    })  # fmt: skip


def test_organization_files_report_and_bureau_concludes(org, own_client, client_for):
    response = own_client.post(reverse("supervision:annualreport_create"), {
        "organization": org.pk, "year": 2025, **REPORT_DATA})  # fmt: skip
    report = AnnualReport.objects.get(organization=org, year=2025)
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    page = own_client.get(report.get_absolute_url()).content.decode()
    assert 'id="transition-submit"' in page and "向区民政局报送年度工作报告" in page
    own_client.post(reverse("supervision:annualreport_transition", args=[report.pk, "submit"]))
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.SUBMITTED
    # Submitting twice: one transition, a clear message.
    response = own_client.post(reverse("supervision:annualreport_transition", args=[report.pk, "submit"]), follow=True)
    assert "该年度报告已报送。" in response.content.decode()
    # The organization cannot conclude; the street officer cannot either (read-only).
    url = reverse("supervision:annualreport_transition", args=[report.pk, "conclude"])
    assert own_client.post(url, {"conclusion": "pass"}).status_code == 403
    assert client_for("street_officer").post(url, {"conclusion": "pass"}).status_code == 404
    page = client_for("bureau_staff").get(report.get_absolute_url()).content.decode()
    assert 'id="transition-conclude"' in page and 'id="transition-return"' in page
    response = client_for("bureau_staff").post(url, {"conclusion": "fail"}, follow=True)
    assert "结论不是合格时必须填写意见。" in response.content.decode()
    client_for("bureau_staff").post(url, {"conclusion": "basic_pass", "remarks": "账目待规范"})
    report.refresh_from_db()
    assert report.get_conclusion_display() == "基本合格"


def test_report_form_shows_field_errors_in_chinese(org, own_client):
    response = own_client.post(reverse("supervision:annualreport_create"), {
        **REPORT_DATA, "organization": org.pk, "year": 2025, "income": "-5"})  # fmt: skip
    assert response.status_code == 200
    assert "收入（元）不能为负数。" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_staff_lists_and_removes_through_the_pages(org, client_for):
    staff = client_for("bureau_staff")
    response = staff.post(reverse("supervision:abnormallisting_create"), {
        "organization": org.pk, "reason": "unreachable", "listing_note": "两次上门无人"})  # fmt: skip
    listing = AbnormalListing.objects.get(organization=org)
    assert response["Location"] == listing.get_absolute_url()
    response = staff.post(reverse("supervision:abnormallisting_remove", args=[listing.pk]),
                          {"end_reason": "rectified", "end_note": ""}, follow=True)  # fmt: skip
    assert "请填写移出依据。" in response.content.decode()
    staff.post(reverse("supervision:abnormallisting_remove", args=[listing.pk]),
               {"end_reason": "rectified", "end_note": "已恢复联系"})  # fmt: skip
    listing.refresh_from_db()
    assert not listing.is_active
    assert (
        client_for("street_officer")
        .post(reverse("supervision:abnormallisting_remove", args=[listing.pk]), {"end_reason": "rectified"})
        .status_code
        == 404
    )


def test_export_is_the_filtered_scoped_rows(org, places, client_for):
    make_report(org, 2025)
    make_report(org, 2024)
    make_report(make_organization(places.community21, name="二街道组织"), 2025)
    response = client_for("street_officer").get(reverse("supervision:annualreport_list"),
                                                {"year": 2025, "export": "xlsx"})  # fmt: skip
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("社会组织", "年度")
    assert [r[0] for r in rows[1:]] == ["夕阳红服务队"]


@pytest.mark.parametrize("name", ["annualreport_list", "abnormallisting_list"])
def test_list_query_count_does_not_grow(name, places, client_for, users):
    client = client_for("bureau_staff")
    url = reverse(f"supervision:{name}")

    def add(n):
        for _ in range(n):
            organization = make_organization(places.community12)
            make_report(organization)
            make_listing(organization)

    add(2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    add(5)
    with assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_roster_import_through_the_pages(places, client_for, users):
    staff = client_for("bureau_staff")
    upload = SimpleUploadedFile("名册.xlsx", messy_roster())
    response = staff.post(reverse("registry:rosterimport_create"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="valid-rows">3<' in page
    assert "不存在街道" in page
    assert Organization.objects.count() == 0
    roster_import = services_import.RosterImport.objects.get()
    assert client_for("other_district_admin").get(roster_import.get_absolute_url()).status_code == 404
    assert client_for("bureau_viewer").get(roster_import.get_absolute_url()).status_code == 200
    assert "confirm-import" not in client_for("bureau_viewer").get(roster_import.get_absolute_url()).content.decode()
    errors = staff.get(reverse("registry:rosterimport_errors", args=[roster_import.pk]))
    assert errors.status_code == 200
    assert (
        client_for("bureau_viewer").post(reverse("registry:rosterimport_confirm", args=[roster_import.pk])).status_code
        == 404
    )
    response = staff.post(reverse("registry:rosterimport_confirm", args=[roster_import.pk]), follow=True)
    assert "已导入 3 个组织。" in response.content.decode()
    assert Organization.objects.count() == 3


def test_progress_endpoint(places, client_for, users):
    roster_import = services_import.roster_import_create(
        file=SimpleUploadedFile("名册.xlsx", messy_roster()), by=users["bureau_staff"]
    )
    url = reverse("registry:rosterimport_progress", args=[roster_import.pk])
    services_import.set_progress(roster_import.pk, 42)
    response = client_for("bureau_staff").get(url)
    assert 'aria-valuenow="42"' in response.content.decode()
    services_import.roster_import_validate(roster_import.pk)
    response = client_for("bureau_staff").get(url)
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"
    assert client_for("other_district_admin").get(url).status_code == 404


def test_submitted_report_edit_page_is_refused(org, own_client):
    report = make_submitted_report(org)
    response = own_client.get(reverse("supervision:annualreport_edit", args=[report.pk]))
    assert response.status_code == 403


def test_many_organizations_are_chosen_by_name_or_code(org, places, client_for, monkeypatch):
    from registry.forms import OrganizationField

    monkeypatch.setattr(OrganizationField, "SELECT_LIMIT", 0)
    other = make_organization(places.other_community, name="乙区组织")
    staff = client_for("bureau_staff")
    url = reverse("supervision:abnormallisting_create")
    page = staff.get(url, {"organization": org.pk}).content.decode()
    assert f'value="{org.uscc}"' in page  # a text box, showing the chosen organization's code
    response = staff.post(url, {"organization": "乙区组织", "reason": "unreachable", "listing_note": "x"})
    assert "找不到" in response.content.decode()
    response = staff.post(url, {"organization": org.uscc.lower(), "reason": "unreachable", "listing_note": "无法联系"})
    assert response.status_code == 302
    assert AbnormalListing.objects.get().organization == org
    assert not AbnormalListing.objects.filter(organization=other).exists()


def test_empty_roster_template(client_for):
    import io

    from openpyxl import load_workbook

    response = client_for("bureau_staff").get(reverse("registry:rosterimport_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert next(sheet.iter_rows(values_only=True))[:4] == ("名称", "统一社会信用代码", "类型", "类别")
    assert client_for("street_officer").get(reverse("registry:rosterimport_template")).status_code == 403


def test_organizations_owing_the_report(org, places, client_for):
    filed = make_organization(places.community12, name="已报送组织", established_on=dt.date(2019, 1, 1))
    make_submitted_report(filed, 2025)
    drafting = make_organization(places.community21, name="草稿组织", established_on=dt.date(2019, 1, 1))
    make_report(drafting, 2025)
    url = reverse("supervision:annualreport_owing")
    page = client_for("bureau_staff").get(url, {"year": 2025}).content.decode()
    assert "夕阳红服务队" in page
    assert "草稿组织" in page
    assert "已报送组织" not in page
    assert "2025 年度" in page
    assert f"?organization={org.pk}&amp;year=2025" in page  # file on the organization's behalf
    street_page = client_for("street_officer").get(url, {"year": 2025}).content.decode()
    assert "夕阳红服务队" in street_page
    assert "草稿组织" not in street_page  # another street
    assert "?organization=" not in street_page  # read-only role: no link to file
    assert client_for("other_district_admin").get(url, {"year": 2025}).content.decode().count("夕阳红服务队") == 0
