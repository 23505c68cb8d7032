"""Annual reports: create, edit, submit, return, conclude — and every refusal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from core.models import AuditRecord
from registry.choices import OrganizationStatus
from supervision import services
from supervision.choices import AnnualReportStatus
from supervision.models import AnnualReport

from ..registry.factories import make_org_user, make_organization
from .factories import REPORT_DATA, make_report, make_submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(places):
    return make_organization(places.community11, name="夕阳红服务队", established_on=dt.date(2018, 3, 1))


@pytest.fixture
def org_user(org):
    return make_org_user(org)


def test_organization_files_and_bureau_concludes(org, org_user, users):
    report = make_report(org, 2025, by=org_user)
    assert report.status == AnnualReportStatus.DRAFT
    assert report.due_on == dt.date(2026, 6, 1)  # 31 May 2026 is a Sunday: the next working day
    assert report.income == Decimal("12000.50")
    report = services.annual_report_update(report=report, by=org_user, activities="开展助老服务15次", activity_count=15)
    report = services.annual_report_submit(report=report, by=org_user)
    assert report.status == AnnualReportStatus.SUBMITTED
    assert report.submitted_by == org_user
    report = services.annual_report_conclude(report=report, by=users["bureau_staff"], conclusion="pass")
    assert report.status == AnnualReportStatus.CONCLUDED
    assert report.get_conclusion_display() == "合格"
    actions = list(
        AuditRecord.objects.filter(object_id=str(report.pk), content_type__model="annualreport")
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "transition", "transition"]


@override_settings(REGISTRY_ANNUAL_REPORT_DUE="06-30")
def test_due_date_is_configurable(org, org_user):
    assert make_report(org, 2024, by=org_user).due_on == dt.date(2025, 6, 30)


def test_return_and_resubmit(org, org_user, users):
    report = make_submitted_report(org, by=org_user)
    with pytest.raises(ValidationError) as error:
        services.annual_report_return(report=report, by=users["bureau_staff"], reason=" ")
    assert list(error.value.message_dict) == ["reason"]
    report = services.annual_report_return(report=report, by=users["bureau_staff"], reason="收支数据不一致")
    assert report.status == AnnualReportStatus.RETURNED
    report = services.annual_report_update(report=report, by=org_user, expenditure="9000")
    report = services.annual_report_submit(report=report, by=org_user)
    assert report.status == AnnualReportStatus.SUBMITTED
    assert report.review_reason == ""


def test_double_submission_yields_one_transition(org, org_user):
    report = make_report(org, by=org_user)
    services.annual_report_submit(report=report, by=org_user)
    with pytest.raises(ValidationError) as error:
        services.annual_report_submit(report=report, by=org_user)
    assert error.value.message_dict == {"status": ["该年度报告已报送。"]}
    assert (
        AuditRecord.objects.filter(
            object_id=str(report.pk), action="transition", content_type__model="annualreport"
        ).count()
        == 1
    )


def test_submission_requires_the_particulars(org, org_user):
    report = services.annual_report_create(organization=org, year=2025, by=org_user)
    with pytest.raises(ValidationError) as error:
        services.annual_report_submit(report=report, by=org_user)
    assert error.value.message_dict["activities"] == ["报送前必须填写主要活动情况。"]
    assert set(error.value.message_dict) == {"activities", "income", "expenditure", "net_assets", "party_status"}


def test_create_refusals(org, org_user, users, places):
    make_report(org, 2025, by=org_user)
    with pytest.raises(ValidationError) as error:
        make_report(org, 2025, by=org_user)
    assert error.value.message_dict == {"year": ["夕阳红服务队 已有 2025 年度报告。"]}
    with pytest.raises(ValidationError) as error:
        make_report(org, 2017, by=org_user)
    assert "2018" in error.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as error:
        make_report(org, 2099, by=org_user)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_report(org, 2024, by=org_user, income="-1")
    assert error.value.message_dict == {"income": ["收入（元）不能为负数。"]}
    with pytest.raises(ValidationError) as error:
        make_report(org, 2024, by=org_user, income="很多")
    assert error.value.message_dict == {"income": ["收入（元）必须是金额。"]}
    other = make_organization(places.community12)
    with pytest.raises(PermissionDenied):
        make_report(other, 2025, by=org_user)
    for name in ("street_officer", "community_party", "bureau_viewer", "expert", "other_district_staff"):
        with pytest.raises(PermissionDenied):
            make_report(org, 2024, by=users[name])
    make_report(org, 2024, by=users["bureau_staff"])  # on the organization's behalf


def test_inactive_organization_files_no_report(org, org_user, users):
    from registry.services import organization_set_status

    organization_set_status(org=org, by=users["bureau_admin"], status=OrganizationStatus.DEREGISTERED)
    org.refresh_from_db()
    with pytest.raises(PermissionDenied, match="正常"):
        make_report(org, 2025, by=org_user)


def test_submitted_report_cannot_be_edited(org, org_user):
    report = make_submitted_report(org, by=org_user)
    with pytest.raises(PermissionDenied, match="已报送的报告不能修改"):
        services.annual_report_update(report=report, by=org_user, activities="改")


def test_conclusion_refusals(org, org_user, users):
    report = make_report(org, by=org_user)
    with pytest.raises(ValidationError) as error:
        services.annual_report_conclude(report=report, by=users["bureau_staff"], conclusion="pass")
    assert "status" in error.value.message_dict
    report = services.annual_report_submit(report=report, by=org_user)
    with pytest.raises(PermissionDenied):
        services.annual_report_conclude(report=report, by=org_user, conclusion="pass")
    with pytest.raises(PermissionDenied):
        services.annual_report_conclude(report=report, by=users["bureau_viewer"], conclusion="pass")
    with pytest.raises(PermissionDenied):
        services.annual_report_conclude(report=report, by=users["other_district_staff"], conclusion="pass")
    with pytest.raises(ValidationError) as error:
        services.annual_report_conclude(report=report, by=users["bureau_staff"], conclusion="excellent")
    assert "conclusion" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.annual_report_conclude(report=report, by=users["bureau_staff"], conclusion="fail")
    assert error.value.message_dict == {"conclusion_remarks": ["结论不是合格时必须填写意见。"]}
    report = services.annual_report_conclude(
        report=report, by=users["bureau_admin"], conclusion="basic_pass", remarks="财务制度待完善"
    )
    assert report.get_conclusion_display() == "基本合格"
    with pytest.raises(ValidationError):
        services.annual_report_conclude(report=report, by=users["bureau_admin"], conclusion="pass")


def test_scoping(org, org_user, users, places):
    report = make_report(org, by=org_user)
    other_org = make_organization(places.community21)
    other_report = make_report(other_org, by=None)

    def visible(name):
        return set(AnnualReport.objects.restrict(users[name]).values_list("pk", flat=True))

    assert visible("bureau_viewer") == {report.pk, other_report.pk}
    assert visible("street_officer") == {report.pk}
    assert visible("other_street_officer") == {other_report.pk}
    assert visible("community_party") == {report.pk}
    assert visible("other_district_admin") == set()
    assert visible("expert") == set()
    assert set(AnnualReport.objects.restrict(org_user).values_list("pk", flat=True)) == {report.pk}
    assert REPORT_DATA["activities"] in report.activities
