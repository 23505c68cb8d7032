"""Revocation (撤销登记) and licence revocation (吊销登记证书) of a registered organization: a legal
basis, a decision number and date; proposed by a clerk, decided by another person on the workflow
engine; the decision revokes the organization, lists it on the serious-violation list, tells its
accounts and shows on the public register. Filed organizations, other districts, the city and the
wrong roles are refused with the reason."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Role
from core.models import AuditRecord, Notification
from registry.choices import LegalForm, OrganizationStatus
from supervision import services
from supervision.choices import RevocationStatus, SeriousListingEndReason
from supervision.models import Revocation, SeriousViolationListing

from ..accounts.factories import Jurisdiction, make_user
from ..registry.factories import make_org_user, make_organization

pytestmark = pytest.mark.django_db

DECIDED_ON = dt.date(2026, 3, 2)


def particulars(**fields) -> dict:
    return {
        "kind": "revoke_licence",
        "legal_basis": "《民办非企业单位登记管理暂行条例》第二十五条",
        "facts": "超出章程规定的业务范围开展经营活动，情节严重。",
        "decision_number": "甲民罚字〔2026〕7号",
        "decision_date": DECIDED_ON,
        **fields,
    }


@pytest.fixture
def org(places):
    return make_organization(places.community11, name="一街道家政服务中心", legal_form=LegalForm.SOCIAL_SERVICE)


@pytest.fixture
def member(org):
    return make_org_user(org, email="jiazheng@example.com")


@pytest.fixture
def clerk2(places):
    return make_user(Role.BUREAU_STAFF, places.district, full_name="第二业务员")


def proposed(org, by, **fields):
    revocation = services.revocation_create(organization=org, by=by, **particulars(**fields))
    return services.revocation_submit(revocation=revocation, by=by)


# ------------------------------------------------------------------------------------- services


def test_proposed_by_a_clerk_decided_by_another_the_organization_is_revoked_and_listed(
    org, member, users, clerk2, django_capture_on_commit_callbacks, mailoutbox
):
    staff = users["bureau_staff"]
    revocation = proposed(org, staff)
    assert revocation.status == RevocationStatus.SUBMITTED
    assert Notification.objects.filter(recipient=member).count() == 0  # the bureau's deliberation
    with django_capture_on_commit_callbacks(execute=True):
        revocation = services.revocation_approve(revocation=revocation, by=clerk2)
    assert (revocation.status, revocation.reviewed_by) == (RevocationStatus.APPROVED, clerk2)
    org.refresh_from_db()
    assert (org.status, org.status_changed_on, org.status_document) == (
        OrganizationStatus.LICENCE_REVOKED,
        DECIDED_ON,
        "甲民罚字〔2026〕7号",
    )
    listing = revocation.serious_listing
    assert (listing.organization, listing.reason, listing.listed_on, listing.is_active) == (
        org, "revoked", DECIDED_ON, True)  # fmt: skip
    assert listing.get_reason_display() == "被撤销登记或吊销登记证书"
    notice = Notification.objects.get(recipient=member)
    assert notice.title == "吊销登记证书：一街道家政服务中心，决定文号 甲民罚字〔2026〕7号，2026年3月2日。"
    assert notice.url == revocation.get_absolute_url()
    assert [m.to for m in mailoutbox] == [["jiazheng@example.com"]]
    assert AuditRecord.objects.filter(content_type__model="organization", object_id=str(org.pk), action="update",
                                      message="吊销登记证书（决定文号 甲民罚字〔2026〕7号）").exists()  # fmt: skip
    # The two years of the serious-violation list run from the decision.
    assert services.serious_removable_from(listing) == dt.date(2028, 3, 2)


def test_revoking_registration_and_an_existing_serious_listing_superseded(org, users, clerk2):
    staff = users["bureau_staff"]
    earlier = services.serious_listing_create(
        organization=org, note="严重违法", by=staff, listed_on=dt.date(2025, 1, 5)
    )
    revocation = services.revocation_approve(revocation=proposed(org, staff, kind="revoke"), by=clerk2)
    org.refresh_from_db()
    assert org.status == OrganizationStatus.REVOKED
    earlier.refresh_from_db()
    assert (earlier.is_active, earlier.end_reason) == (False, SeriousListingEndReason.SUPERSEDED)
    active = SeriousViolationListing.objects.get(organization=org, ended_on__isnull=True)
    assert active == revocation.serious_listing and active.listed_on == DECIDED_ON
    # A listing superseded by the system is not a reason a person may choose.
    with pytest.raises(ValidationError):
        services.serious_listing_remove(listing=active, by=staff, end_reason="superseded", note="x")


def test_whoever_drafted_or_proposed_may_not_decide(org, users, clerk2):
    admin, staff = users["bureau_admin"], users["bureau_staff"]
    revocation = services.revocation_create(organization=org, by=admin, **particulars())
    revocation = services.revocation_submit(revocation=revocation, by=staff)
    for author in (admin, staff):
        with pytest.raises(PermissionDenied) as refused:
            services.revocation_approve(revocation=revocation, by=author)
        assert str(refused.value) == "您创建或提交了此事项，须由他人作出决定。"
    assert services.revocation_approve(revocation=revocation, by=clerk2).status == RevocationStatus.APPROVED


def test_the_wrong_roles_and_other_districts_are_refused(org, users, clerk2, member):
    staff = users["bureau_staff"]
    for name in ("bureau_viewer", "street_officer", "community_party", "expert", "other_district_staff",
                 "other_district_admin"):  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.revocation_create(organization=org, by=users[name], **particulars())
    with pytest.raises(PermissionDenied):
        services.revocation_create(organization=org, by=member, **particulars())
    revocation = proposed(org, staff)
    for who in (users["bureau_viewer"], users["street_officer"], users["other_district_admin"], member):
        with pytest.raises(PermissionDenied):
            services.revocation_approve(revocation=revocation, by=who)
    assert Revocation.objects.get().status == RevocationStatus.SUBMITTED


def test_the_city_reads_and_does_not_act():
    places = Jurisdiction(city=True)
    org = make_organization(places.community11, name="市里看得见的协会")
    city_admin = make_user(Role.BUREAU_ADMIN, places.city)
    clerk = make_user(Role.BUREAU_STAFF, places.district)
    with pytest.raises(PermissionDenied) as refused:
        services.revocation_create(organization=org, by=city_admin, **particulars())
    assert str(refused.value) == "市民政局查阅各区的记录，办理由区民政局进行。"
    revocation = proposed(org, clerk)
    with pytest.raises(PermissionDenied) as refused:
        services.revocation_approve(revocation=revocation, by=city_admin)
    assert str(refused.value) == "市民政局查阅各区的记录，办理由区民政局进行。"
    assert list(Revocation.objects.restrict(city_admin)) == [revocation]


def test_a_filed_organization_is_not_revoked_this_way(places, users):
    filed = make_organization(places.community11, name="银龄队", legal_form=LegalForm.COMMUNITY_FILED)
    with pytest.raises(PermissionDenied) as refused:
        services.revocation_create(organization=filed, by=users["bureau_staff"], **particulars())
    assert str(refused.value) == "备案的社区社会组织没有可撤销的登记，也没有可吊销的登记证书；请注销其备案。"


def test_the_particulars_are_checked_field_by_field(org, users, places):
    staff = users["bureau_staff"]
    with pytest.raises(ValidationError) as error:
        services.revocation_create(
            organization=org, by=staff, kind="ban", legal_basis=" ", facts="", decision_number="",
            decision_date=timezone.localdate() + dt.timedelta(days=1),
        )  # fmt: skip
    assert error.value.message_dict == {"kind": ["决定类型：请选择撤销登记或吊销登记证书。"]}
    with pytest.raises(ValidationError) as error:
        services.revocation_create(
            organization=org, by=staff, **particulars(legal_basis=" ", facts="", decision_number="",
                                                       decision_date=timezone.localdate() + dt.timedelta(days=1)),
        )  # fmt: skip
    assert error.value.message_dict == {
        "legal_basis": ["法律依据：请填写。"],
        "facts": ["认定的违法事实：请填写。"],
        "decision_number": ["决定文号：请填写。"],
        "decision_date": ["决定日期：决定日期不能晚于今天。"],
    }
    proposed(org, staff)
    other = make_organization(places.community12, name="另一中心", legal_form=LegalForm.SOCIAL_SERVICE)
    with pytest.raises(ValidationError) as error:
        services.revocation_create(organization=other, by=staff, **particulars())
    assert error.value.message_dict == {"decision_number": ["决定文号：甲民罚字〔2026〕7号已被另一项决定使用。"]}
    assert Revocation.objects.count() == 1


def test_double_submission_and_double_decision(org, users, clerk2):
    staff = users["bureau_staff"]
    services.revocation_create(organization=org, by=staff, **particulars())
    with pytest.raises(ValidationError) as error:  # a second draft for the same organization
        services.revocation_create(organization=org, by=staff, **particulars(decision_number="另一文号"))
    assert error.value.message_dict == {"organization": ["一街道家政服务中心 已有一项正在办理的撤销或吊销。"]}
    revocation = services.revocation_submit(revocation=Revocation.objects.get(), by=staff)
    with pytest.raises(ValidationError):
        services.revocation_submit(revocation=revocation, by=staff)
    services.revocation_approve(revocation=revocation, by=clerk2)
    with pytest.raises(ValidationError) as error:
        services.revocation_approve(revocation=revocation, by=users["bureau_admin"])
    assert "已由他人处理" in error.value.messages[0]
    assert SeriousViolationListing.objects.filter(organization=org).count() == 1
    # Decided: the organization is no longer active, so nothing more can be proposed.
    with pytest.raises(PermissionDenied):
        services.revocation_create(organization=org, by=staff, **particulars(decision_number="再一文号"))


def test_returned_or_rejected_the_clerk_is_told_the_organization_is_not(org, member, users, clerk2):
    staff = users["bureau_staff"]
    revocation = proposed(org, staff)
    with pytest.raises(ValidationError):
        services.revocation_return(revocation=revocation, by=clerk2, reason="")
    revocation = services.revocation_return(revocation=revocation, by=clerk2, reason="请补充调查笔录")
    assert Notification.objects.get(recipient=staff).title.endswith("退回补正：请补充调查笔录")
    revocation = services.revocation_update(revocation=revocation, by=staff, facts="补充：两次约谈记录在案。")
    revocation = services.revocation_submit(revocation=revocation, by=staff)
    revocation = services.revocation_reject(revocation=revocation, by=clerk2, reason="证据不足")
    assert revocation.status == RevocationStatus.REJECTED
    assert not Notification.objects.filter(recipient=member).exists()
    org.refresh_from_db()
    assert org.status == OrganizationStatus.ACTIVE and not SeriousViolationListing.objects.exists()
    # Rejected: a new proposal may be made, even under the same number.
    assert proposed(org, staff).status == RevocationStatus.SUBMITTED


# ---------------------------------------------------------------------------------------- pages


def test_from_the_organization_page_to_the_decision_and_the_public_register(org, member, users, client_for, clerk2):
    page = client_for("bureau_staff").get(org.get_absolute_url()).content.decode()
    create = f"{reverse('supervision:revocation_create')}?organization={org.pk}"
    assert create.replace("&", "&amp;") in page or create in page
    assert create not in client_for("bureau_viewer").get(org.get_absolute_url()).content.decode()
    response = client_for("bureau_staff").post(create, {"organization": org.pk, **particulars()})
    revocation = Revocation.objects.get()
    assert response["Location"] == revocation.get_absolute_url()
    client_for("bureau_staff").post(reverse("supervision:revocation_transition", args=[revocation.pk, "submit"]))
    own = client_for("bureau_staff").get(revocation.get_absolute_url()).content.decode()
    assert 'id="transition-approve"' not in own and "您创建或提交了此事项" in own
    url = reverse("supervision:revocation_transition", args=[revocation.pk, "approve"])
    assert client_for("bureau_staff").post(url).status_code == 403
    # Before the decision, neither the street nor the organization sees the bureau's proposal.
    assert client_for("street_officer").get(revocation.get_absolute_url()).status_code == 404
    clerk = client_for(None)
    clerk.force_login(clerk2)
    detail = clerk.get(revocation.get_absolute_url()).content.decode()
    assert 'id="transition-approve"' in detail
    clerk.post(url)
    revocation.refresh_from_db()
    assert revocation.status == RevocationStatus.APPROVED
    assert client_for("street_officer").get(revocation.get_absolute_url()).status_code == 200
    own_client = client_for(None)
    own_client.force_login(member)
    assert own_client.get(revocation.get_absolute_url()).status_code == 200
    public = client_for(None).get(reverse("registry_public:organization_detail", args=[org.pk])).content.decode()
    assert "吊销" in public and "甲民罚字〔2026〕7号" in public and 'id="public-serious"' in public
    assert "2026年3月2日" in public
    internal = client_for("bureau_viewer").get(org.get_absolute_url()).content.decode()
    assert 'id="org-revocations"' in internal and "甲民罚字〔2026〕7号" in internal


def test_the_list_its_filter_export_and_to_do(org, users, places, client_for):
    staff = users["bureau_staff"]
    proposed(org, staff)
    make_organization(places.other_community, name="乙区协会")
    response = client_for("bureau_admin").get("/")
    todos = {todo["label"]: todo["count"] for todo in response.context["todos"]}
    assert todos["待决定的撤销与吊销"] == 1
    rows = client_for("bureau_admin").get(reverse("supervision:revocation_list"), {"status": "submitted"})
    assert [row.record.organization for row in rows.context["table"].page.object_list] == [org]
    assert client_for("other_district_admin").get(reverse("supervision:revocation_list")).context[
        "table"].paginator.count == 0  # fmt: skip
    export = client_for("bureau_viewer").get(reverse("supervision:revocation_list"), {"export": "xlsx", "q": "甲民罚"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["决定文号", "社会组织", "决定类型", "决定日期"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["甲民罚字〔2026〕7号"]


# ------------------------------------------------------------------------------------------ API


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def test_the_api(org, users, clerk2, places):
    staff = api(users["bureau_staff"])
    body = {**particulars(), "organization": org.pk, "decision_date": DECIDED_ON.isoformat()}
    response = staff.post("/api/v1/revocations/", body)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["kind_display"] == "吊销登记证书"
    assert staff.patch(f"/api/v1/revocations/{pk}/", {"facts": "补充事实"}).json()["facts"] == "补充事实"
    assert staff.post(f"/api/v1/revocations/{pk}/submit/").json()["status"] == "submitted"
    refused = staff.post(f"/api/v1/revocations/{pk}/approve/")
    assert refused.status_code == 403
    assert api(users["street_officer"]).post(f"/api/v1/revocations/{pk}/approve/").status_code == 403
    decided = api(clerk2).post(f"/api/v1/revocations/{pk}/approve/")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert api(clerk2).post(f"/api/v1/revocations/{pk}/approve/").status_code == 409
    organization = api(users["bureau_viewer"]).get(f"/api/v1/organizations/{org.pk}/").json()
    assert (organization["status"], organization["status_document"], organization["in_serious_list"]) == (
        "licence_revoked", "甲民罚字〔2026〕7号", True)  # fmt: skip
    filed = make_organization(places.community12, name="备案队", legal_form=LegalForm.COMMUNITY_FILED)
    response = staff.post("/api/v1/revocations/", {**body, "organization": filed.pk, "decision_number": "X1"})
    assert response.status_code == 403
    other = make_organization(places.other_community, name="乙区中心", legal_form=LegalForm.SOCIAL_SERVICE)
    assert staff.post("/api/v1/revocations/", {**body, "organization": other.pk}).status_code == 404


def test_the_list_page_s_query_count_does_not_grow_with_its_rows(places, users, client_for):
    staff = users["bureau_staff"]

    def add(n):
        for _ in range(n):
            org = make_organization(places.community11, legal_form=LegalForm.SOCIAL_SERVICE)
            proposed(org, staff, decision_number=f"文号{org.pk}")

    client, url = client_for("bureau_admin"), reverse("supervision:revocation_list")
    add(2)
    client.get(url)
    with_two = len(_queries(client, url))
    add(5)
    assert len(_queries(client, url)) == with_two


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return context.captured_queries
