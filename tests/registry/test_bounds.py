"""Bounds of the registry: proposed values are judged at creation by the rules the approval
applies; years, counts and text have limits a person could mean; links carrying a malformed id or
year are a 400 in Chinese. Each refusal changes nothing."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditRecord
from registry import services
from registry.choices import ApplicationKind, ApplicationState
from registry.forms import OrganizationField
from registry.models import Application, Organization
from supervision import services as supervision_services
from supervision.models import AbnormalListing, AnnualReport

from .factories import make_application, make_organization, new_organization_data

pytestmark = pytest.mark.django_db

HUGE = 2**40
MEMBERS_ERROR = "会员数：确保该值小于或等于1000000。"
YEAR_ERROR = "年度：请输入 2000 至 2100 之间的整数。"


@pytest.fixture
def org(users, places):
    organization = make_organization(places.community11, name="宝石社区邻里互助会")
    services.organization_member_link(user=users["org_user"], organization=organization)
    users["org_user"].__dict__.pop("organization_id", None)
    return organization


@pytest.fixture
def unchanged():
    def snapshot():
        return (
            Application.objects.count(),
            AnnualReport.objects.count(),
            AbnormalListing.objects.count(),
            AuditRecord.objects.count(),
        )

    before = snapshot()
    return lambda: snapshot() == before


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


# ------------------------------------------------------------------------------- URL parameters


@pytest.mark.parametrize("year", ["9999", "²", "1999", "abc", "99999999999999999999999"])
def test_owing_reports_page_with_an_impossible_year_is_400(org, client_for, year):
    response = client_for("bureau_staff").get(reverse("supervision:annualreport_owing"), {"year": year})
    assert response.status_code == 400
    assert YEAR_ERROR in response.content.decode()


def test_owing_reports_page_with_a_year_still_works(org, client_for):
    response = client_for("bureau_staff").get(reverse("supervision:annualreport_owing"), {"year": "2025"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/registry/applications/new/change/",
        "/registry/annual-reports/new/",
        "/registry/abnormal-list/new/",
        "/registry/serious-list/new/",
    ],
)
def test_a_create_form_linked_with_a_malformed_organization_is_400(org, client_for, unchanged, url):
    client = client_for("bureau_admin")
    for value in ("²", "１", "-1", "abc"):
        response = client.get(url, {"organization": value})
        assert response.status_code == 400
        assert f"社会组织：“{value}”不是有效的编号。" in response.content.decode()
    assert client.get(url, {"organization": org.pk}).status_code == 200
    assert unchanged()


def test_a_prefilled_annual_report_form_takes_the_linked_organization_and_year(org, client_for):
    response = client_for("bureau_staff").get(
        reverse("supervision:annualreport_create"), {"organization": org.pk, "year": "2024"}
    )
    assert response.context["form"].initial["organization"] == org.pk
    assert response.context["form"].initial["year"] == 2024


def test_organization_text_box_shows_back_a_typed_superscript_without_failing(org, users):
    field = OrganizationField(queryset=Organization.objects.restrict(users["bureau_staff"]))
    field.widget = forms.TextInput()
    assert field.prepare_value("²") == "²"
    assert field.prepare_value(org.pk) == org.number
    with pytest.raises(ValidationError):
        field.clean("²")


def test_lists_filtered_by_an_impossible_year_refuse_it(org, users, client_for):
    page = client_for("bureau_staff").get(reverse("supervision:annualreport_list"), {"year": "0"})
    assert page.status_code == 200 and "year" in page.context["filterset"].errors
    response = api_as(users["bureau_staff"]).get("/api/v1/annual-reports/", {"year": "99999"})
    assert response.status_code == 400 and "year" in response.json()["errors"]
    response = api_as(users["bureau_staff"]).get("/api/v1/abnormal-listings/", {"report_year": "99999"})
    assert response.status_code == 400 and "report_year" in response.json()["errors"]


# -------------------------------------------------------------------- applications (item 7)


def test_a_change_proposing_an_impossible_member_count_is_refused_at_creation(org, users, unchanged):
    with pytest.raises(ValidationError) as error:
        services.application_create(
            by=users["org_user"], kind=ApplicationKind.CHANGE, organization=org, data={"member_count": HUGE}
        )
    assert error.value.message_dict == {"member_count": [MEMBERS_ERROR]}
    response = api_as(users["org_user"]).post(
        "/api/v1/applications/",
        {"kind": "change", "organization": org.pk, "data": {"member_count": HUGE}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["member_count"] == [MEMBERS_ERROR]
    assert unchanged()


def test_the_change_form_refuses_an_impossible_member_count(org, client_for, unchanged):
    url = reverse("registry:application_create", args=["change"]) + f"?organization={org.pk}"
    page = client_for("org_user").get(url)
    data = {name: page.context["form"][name].value() or "" for name in page.context["form"].fields}
    data.update({"member_count": str(HUGE), "organization": org.pk})
    response = client_for("org_user").post(url, data)
    assert response.status_code == 200
    assert "member_count" in response.context["form"].errors
    assert unchanged()


def test_a_new_organization_with_impossible_values_is_refused_at_creation(users, places, unchanged):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.application_create(
            by=users["org_user"],
            kind=ApplicationKind.FILE,
            data=new_organization_data(
                places.community11,
                staff_count=HUGE,
                established_on=tomorrow.isoformat(),
                business_scope="业" * 2001,
                funds="-1",
            ),
        )
    errors = error.value.message_dict
    assert errors["staff_count"] == ["从业人员数：确保该值小于或等于1000000。"]
    assert errors["established_on"] == ["成立日期不能晚于今天。"]
    assert errors["business_scope"][0].startswith("业务范围：")
    assert "funds" in errors
    assert unchanged()


def test_an_edit_proposing_an_impossible_member_count_changes_nothing(org, users):
    application = make_application(users["org_user"], kind=ApplicationKind.CHANGE, organization=org)
    before = (application.data, AuditRecord.objects.count())
    with pytest.raises(ValidationError):
        services.application_update(application=application, by=users["org_user"], data={"volunteer_count": HUGE})
    application.refresh_from_db()
    assert (application.data, AuditRecord.objects.count()) == before


def test_a_valid_change_still_passes_every_step(org, users):
    application = make_application(
        users["org_user"], kind=ApplicationKind.CHANGE, organization=org, member_count=1_000_000
    )
    services.application_submit(application=application, by=users["org_user"])
    application = services.application_approve(application=application, by=users["bureau_staff"])
    assert application.state == ApplicationState.APPROVED
    org.refresh_from_db()
    assert org.member_count == 1_000_000


def test_an_overlong_review_reason_is_refused_and_the_state_stays(org, users, client_for):
    application = make_application(users["org_user"], kind=ApplicationKind.CHANGE, organization=org)
    services.application_submit(application=application, by=users["org_user"])
    application.refresh_from_db()
    state, audit_count = application.state, AuditRecord.objects.count()
    url = reverse("registry:application_transition", args=[application.pk, "return"])
    response = client_for("bureau_staff").post(url, {"reason": "补" * 2001}, follow=True)
    assert "原因：最多 2000 个字符" in response.content.decode()
    application.refresh_from_db()
    assert application.state == state and AuditRecord.objects.count() == audit_count


# ------------------------------------------------------------------- annual reports and lists


def test_annual_report_counts_beyond_the_bound_are_refused(org, users, unchanged):
    with pytest.raises(ValidationError) as error:
        supervision_services.annual_report_create(
            organization=org, year=2025, by=users["org_user"], activity_count=HUGE
        )
    assert "activity_count" in error.value.message_dict
    assert unchanged()


def test_an_abnormal_listing_for_an_impossible_report_year_is_refused(org, users, client_for, unchanged):
    with pytest.raises(ValidationError) as error:
        supervision_services.abnormal_listing_create(
            organization=org, reason="no_annual_report", note="未报送", report_year=99999, by=users["bureau_staff"]
        )
    assert error.value.message_dict["report_year"] == ["报告年度：确保该值小于或等于2100。"]
    response = client_for("bureau_staff").post(
        reverse("supervision:abnormallisting_create"),
        {"organization": org.pk, "reason": "no_annual_report", "report_year": "99999", "listing_note": "未报送"},
    )
    assert response.status_code == 200 and "report_year" in response.context["form"].errors
    assert unchanged()
