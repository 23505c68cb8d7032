"""Who reports to whom (社会组织信用信息管理办法, 2018): a registered organization owes the bureau its
annual work report and the lists apply to it; a filed community organization owes its street a
lighter annual status report, reviewed by the street officer — missing it raises a to-do and a
reminder, never a listing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import Role
from core.models import Notification
from registry.choices import LegalForm
from supervision import services
from supervision.choices import AnnualReportStatus, ListingReason, ReportKind
from supervision.models import AbnormalListing, AnnualReport, SeriousViolationListing

from ..accounts.factories import make_user
from ..registry.factories import make_org_user, make_organization
from .factories import make_listing, make_report

pytestmark = pytest.mark.django_db

STATUS_DATA = {
    "activities": "组织邻里互助活动8次", "activity_count": 8, "beneficiaries": 120, "volunteer_count": 15,
    "party_member_count": 0,
}  # fmt: skip


@pytest.fixture
def filed(places):
    return make_organization(
        places.community11, name="银龄互助队", legal_form=LegalForm.COMMUNITY_FILED, established_on=dt.date(2020, 1, 1)
    )


@pytest.fixture
def registered(places):
    return make_organization(places.community12, name="一街道志愿者协会", established_on=dt.date(2020, 1, 1))


@pytest.fixture
def filed_user(filed):
    return make_org_user(filed, email="yinling@example.com")


def ran(**counts) -> dict:
    return {"listed": 0, "reminded": 0, "moved": 0, "proposed": 0, **counts}


# ----------------------------------------------------------------------------- the report itself


def test_a_filed_organization_reports_its_status_a_registered_one_its_work(filed, registered, filed_user):
    status = services.annual_report_create(organization=filed, year=2025, by=filed_user, **STATUS_DATA)
    work = make_report(registered, 2025)
    assert (status.kind, work.kind) == (ReportKind.STATUS_REPORT, ReportKind.WORK_REPORT)
    assert str(status) == "银龄互助队 — 2025 年度情况报告"
    assert str(work) == "一街道志愿者协会 — 2025 年度工作报告"
    # The status report asks only what a community group knows: the activities are enough to submit.
    assert services.annual_report_submit(report=status, by=filed_user).status == AnnualReportStatus.SUBMITTED


def test_a_status_report_does_not_ask_a_work_report_s_particulars(filed, filed_user):
    with pytest.raises(ValidationError) as error:
        services.annual_report_create(
            organization=filed, year=2025, by=filed_user, **STATUS_DATA, net_assets="100", staff_count=3
        )
    assert error.value.message_dict == {
        "net_assets": ["净资产（元）：年度情况报告不填写此项。"],
        "staff_count": ["从业人员数：年度情况报告不填写此项。"],
    }
    # A full form's blanks are no answer at all.
    report = services.annual_report_create(
        organization=filed, year=2025, by=filed_user, **STATUS_DATA, net_assets="", staff_count=0
    )
    draft = services.annual_report_create(organization=filed, year=2024, by=filed_user)
    with pytest.raises(ValidationError) as error:
        services.annual_report_submit(report=draft, by=filed_user)
    assert set(error.value.message_dict) == {"activities"}
    assert report.net_assets is None


def test_the_street_officer_reviews_a_status_report_and_the_bureau_does_not(filed, filed_user, users, places):
    report = services.annual_report_create(organization=filed, year=2025, by=filed_user, **STATUS_DATA)
    report = services.annual_report_submit(report=report, by=filed_user)
    for name in ("bureau_staff", "bureau_admin", "other_street_officer", "community_party", "other_district_staff"):
        with pytest.raises(PermissionDenied):
            services.annual_report_conclude(report=report, by=users[name], conclusion="pass")
    with pytest.raises(PermissionDenied) as refused:
        services.annual_report_conclude(report=report, by=users["bureau_staff"], conclusion="pass")
    assert str(refused.value) == "年度情况报告由组织所在街道的社会组织专干审阅。"
    with pytest.raises(PermissionDenied):
        services.annual_report_conclude(report=report, by=filed_user, conclusion="pass")
    colleague = make_user(Role.STREET_OFFICER, places.street1)
    report = services.annual_report_return(report=report, by=colleague, reason="请补充活动照片")
    assert report.status == AnnualReportStatus.RETURNED
    report = services.annual_report_submit(report=report, by=filed_user)
    report = services.annual_report_conclude(report=report, by=users["street_officer"], conclusion="pass")
    assert (report.status, report.reviewed_by) == (AnnualReportStatus.CONCLUDED, users["street_officer"])
    # Two clicks on one decision: the second is told it has been handled.
    with pytest.raises(ValidationError) as error:
        services.annual_report_conclude(report=report, by=colleague, conclusion="pass")
    assert "已由他人处理" in error.value.messages[0]


def test_a_work_report_stays_the_bureau_s(registered, users):
    report = services.annual_report_submit(report=make_report(registered, 2025), by=None)
    with pytest.raises(PermissionDenied):
        services.annual_report_conclude(report=report, by=users["street_officer"], conclusion="pass")
    assert services.annual_report_conclude(report=report, by=users["bureau_staff"], conclusion="pass").conclusion


def test_the_bureau_filing_on_a_filed_organization_s_behalf_is_decided_by_the_street(filed, users):
    report = services.annual_report_create(organization=filed, year=2025, by=users["bureau_staff"], **STATUS_DATA)
    report = services.annual_report_submit(report=report, by=users["bureau_staff"])
    assert services.annual_report_conclude(report=report, by=users["street_officer"], conclusion="pass").conclusion


# ------------------------------------------------------------------------------------ the pages


def test_the_form_of_a_filed_organization_asks_less(filed, filed_user, client):
    client.force_login(filed_user)
    page = client.get(reverse("supervision:annualreport_create"), {"organization": filed.pk}).content.decode()
    assert 'name="activities"' in page and 'name="income"' in page
    assert 'name="net_assets"' not in page and 'name="staff_count"' not in page
    response = client.post(
        f"{reverse('supervision:annualreport_create')}?organization={filed.pk}",
        {"organization": filed.pk, "year": 2025, **STATUS_DATA},
    )
    report = AnnualReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "年度情况报告" in detail and "向所在街道报送年度情况报告" in detail
    assert "净资产" not in detail
    edit = client.get(reverse("supervision:annualreport_edit", args=[report.pk])).content.decode()
    assert 'name="net_assets"' not in edit


def test_the_street_officer_concludes_on_the_page(filed, filed_user, client_for):
    report = services.annual_report_submit(
        report=services.annual_report_create(organization=filed, year=2025, by=filed_user, **STATUS_DATA),
        by=filed_user,
    )
    page = client_for("street_officer").get(report.get_absolute_url()).content.decode()
    assert 'id="transition-conclude"' in page
    bureau_page = client_for("bureau_staff").get(report.get_absolute_url()).content.decode()
    assert (
        'id="transition-conclude"' not in bureau_page
        and "年度情况报告由组织所在街道的社会组织专干审阅。" in bureau_page
    )
    url = reverse("supervision:annualreport_transition", args=[report.pk, "conclude"])
    assert client_for("other_street_officer").post(url, {"conclusion": "pass"}).status_code == 404
    assert client_for("bureau_staff").post(url, {"conclusion": "pass"}).status_code == 403
    client_for("street_officer").post(url, {"conclusion": "pass"})
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.CONCLUDED


def test_to_dos_of_the_street_and_the_bureau(filed, registered, filed_user, users, client_for):
    status = services.annual_report_create(organization=filed, year=2024, by=filed_user, **STATUS_DATA)
    services.annual_report_submit(report=status, by=filed_user)
    services.annual_report_submit(report=make_report(registered, 2024), by=None)
    street_home = client_for("street_officer").get("/").content.decode()
    assert "待我审阅的年度情况报告" in street_home
    bureau = client_for("bureau_staff").get("/")
    todos = {todo["label"]: todo["count"] for todo in bureau.context["todos"]}
    assert todos["待出具结论的年度工作报告"] == 1  # the work report only: the status report is the street's


def test_an_overdue_status_report_is_a_to_do_of_the_street_officer(filed, registered, places, client_for):
    make_organization(places.community21, name="二街道舞蹈队", legal_form=LegalForm.COMMUNITY_FILED)
    response = client_for("street_officer").get("/")
    todos = {todo["label"]: todo for todo in response.context["todos"]}
    overdue = services.overdue_year() is not None
    label = "逾期未报年度情况报告的备案组织"
    if not overdue:
        assert label not in todos
        return
    assert todos[label]["count"] == 1  # its own street's filed organization, not the registered one
    rows = client_for("street_officer").get(todos[label]["url"])
    names = [row.record.name for row in rows.context["table"].page.object_list]
    assert names == ["银龄互助队"]
    assert "年度情况报告（报街道）" in rows.content.decode()


def test_the_owing_list_says_what_is_owed_to_whom(filed, registered, client_for):
    page = client_for("bureau_staff").get(reverse("supervision:annualreport_owing"), {"year": 2025})
    content = page.content.decode()
    assert "年度情况报告（报街道）" in content and "年度工作报告（报区民政局）" in content
    only_filed = client_for("bureau_staff").get(
        reverse("supervision:annualreport_owing"), {"year": 2025, "registration_level": "filed"}
    )
    assert [row.record.name for row in only_filed.context["table"].page.object_list] == ["银龄互助队"]


# ------------------------------------------------------------------------------- the nightly job


def test_the_nightly_job_lists_the_registered_and_reminds_the_filed(
    filed, registered, filed_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.listings_daily_run(today=dt.date(2026, 6, 1)) == ran()  # due that day
    with django_capture_on_commit_callbacks(execute=True):
        assert services.listings_daily_run(today=dt.date(2026, 6, 2)) == ran(listed=1, reminded=1)
    assert list(AbnormalListing.objects.values_list("organization__name", flat=True)) == ["一街道志愿者协会"]
    reminder = Notification.objects.get(recipient=filed_user)
    assert reminder.title == "逾期提醒：银龄互助队 的 2025 年度情况报告应于 2026年6月1日 前报送"
    assert reminder.url == f"{reverse('supervision:annualreport_create')}?organization={filed.pk}&year=2025"
    assert [m.to for m in mailoutbox] == [["yinling@example.com"]]
    # Idempotent: the same day again changes nothing; the next day reminds once more, never lists.
    assert services.listings_daily_run(today=dt.date(2026, 6, 2)) == ran()
    assert services.listings_daily_run(today=dt.date(2026, 6, 3)) == ran(reminded=1)
    assert not AbnormalListing.objects.filter(organization=filed).exists()
    assert not SeriousViolationListing.objects.exists()
    # A draft is what the reminder links to; a submitted report ends the reminders.
    draft = services.annual_report_create(organization=filed, year=2025, by=filed_user)
    services.listings_daily_run(today=dt.date(2026, 6, 4))
    assert Notification.objects.filter(recipient=filed_user).latest("pk").url == draft.get_absolute_url()
    services.annual_report_update(report=draft, by=filed_user, **STATUS_DATA)
    services.annual_report_submit(report=draft, by=filed_user)
    assert services.listings_daily_run(today=dt.date(2026, 6, 5)) == ran()


def test_the_nightly_job_reads_the_organizations_in_a_few_queries(places, django_assert_max_num_queries):
    for n in range(30):
        org = make_organization(
            places.community11,
            name=f"备案队{n}",
            legal_form=LegalForm.COMMUNITY_FILED,
            established_on=dt.date(2020, 1, 1),
        )
        if n % 10 == 0:
            make_org_user(org)
        make_organization(places.community12, name=f"协会{n}", established_on=dt.date(2020, 1, 1))
    # Sixty organizations, thirty of them listed: a fixed number of statements (the reminders cost a
    # few per account: each is its own savepoint, the unique constraint deciding), none per organization.
    with django_assert_max_num_queries(40):
        assert services.listings_daily_run(today=dt.date(2026, 6, 2)) == ran(listed=30, reminded=3)


# ------------------------------------------------------------------------------------ the lists


def test_a_filed_organization_is_never_listed(filed, users, client_for):
    for reason in (ListingReason.UNREACHABLE, ListingReason.NO_ANNUAL_REPORT):
        with pytest.raises(PermissionDenied) as refused:
            make_listing(filed, reason, by=users["bureau_staff"])
        assert "备案的社区社会组织不列入" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.serious_listing_create(organization=filed, note="严重违法", by=users["bureau_staff"])
    page = client_for("bureau_staff").get(filed.get_absolute_url()).content.decode()
    assert reverse("supervision:abnormallisting_create") not in page
    response = client_for("bureau_staff").get(reverse("supervision:abnormallisting_create"), {"organization": filed.pk})
    assert response.status_code == 403


# ------------------------------------------------------------------------------------------ API


def test_the_api_tells_the_kind_and_refuses_what_a_status_report_does_not_ask(filed, filed_user):
    api = APIClient()
    api.force_authenticate(filed_user)
    api.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = api.post("/api/v1/annual-reports/", {"organization": filed.pk, "year": 2025, **STATUS_DATA})
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["kind_display"]) == ("status_report", "年度情况报告")
    response = api.patch(f"/api/v1/annual-reports/{response.json()['id']}/", {"net_assets": "12"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"net_assets": ["净资产（元）：年度情况报告不填写此项。"]}
