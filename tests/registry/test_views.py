"""Registry pages: the role × view matrix, scoping (other street / district → 404), the
application path through the browser-facing views, exports, receipts, the public register,
and query counts that do not grow with rows."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from accounts.choices import Role
from core.testing import assert_num_queries, assert_role_matrix
from registry import services
from registry.choices import ApplicationKind, ApplicationState, LegalForm, OrganizationStatus
from registry.models import Application, Organization

from ..accounts.factories import make_user
from .factories import PDF, founder_rows, make_application, make_organization, upload

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
def world(users, places):
    """An organization at community 1-1 whose account is users["org_user"], and one at community 1-2."""
    org = make_organization(places.community11, name="宝石社区邻里互助会")
    services.organization_member_link(user=users["org_user"], organization=org)
    users["org_user"].__dict__.pop("organization_id", None)
    other = make_organization(places.community12, name="一街道二社区舞蹈队", legal_form=LegalForm.COMMUNITY_FILED)
    return {"org": org, "other": other}


def test_organization_list_matrix(world, client_for):
    expected = dict.fromkeys(ALL, 200)
    expected.update({"expert": 403, None: 302})
    assert_role_matrix(client_for, "get", reverse("registry:organization_list"), expected)


def test_organization_list_is_scoped(world, client_for, places):
    make_organization(places.other_community, name="乙区的组织")
    make_organization(places.community21, name="二街道的组织")

    def names(who):
        response = client_for(who).get(reverse("registry:organization_list"))
        return {row.record.name for row in response.context["table"].page.object_list}

    assert names("bureau_staff") == {"宝石社区邻里互助会", "一街道二社区舞蹈队", "二街道的组织"}
    assert names("street_officer") == {"宝石社区邻里互助会", "一街道二社区舞蹈队"}
    assert names("community_party") == {"宝石社区邻里互助会"}
    assert names("org_user") == {"宝石社区邻里互助会"}
    assert names("other_street_officer") == {"二街道的组织"}
    assert names("other_district_admin") == {"乙区的组织"}


def test_organization_detail_matrix(world, client_for):
    url = world["org"].get_absolute_url()
    expected = dict.fromkeys(ALL, 200)
    expected.update({"expert": 403, "other_street_officer": 404, "other_district_admin": 404, None: 302})
    assert_role_matrix(client_for, "get", url, expected)
    other = world["other"].get_absolute_url()
    assert_role_matrix(client_for, "get", other, {"community_party": 404, "org_user": 404, "street_officer": 200})


def test_organization_detail_shows_profile_and_offers_change_only_to_its_side(world, client_for):
    url = world["org"].get_absolute_url()
    with translation.override("zh-hans"):
        page = client_for("org_user").get(url).content.decode()
        assert "宝石社区邻里互助会" in page
        assert world["org"].uscc in page
        assert 'id="apply-change"' in page
        assert 'id="apply-change"' in client_for("bureau_staff").get(url).content.decode()
        assert 'id="apply-change"' not in client_for("street_officer").get(url).content.decode()
        assert 'id="apply-change"' not in client_for("bureau_viewer").get(url).content.decode()


def test_organization_detail_links_oversight_forms_to_those_who_may_use_them(world, client_for):
    url = world["org"].get_absolute_url()
    staff_page = client_for("bureau_staff").get(url).content.decode()
    assert 'id="list-abnormal"' in staff_page and "列入活动异常名录" in staff_page
    viewer_page = client_for("bureau_viewer").get(url).content.decode()
    assert 'id="list-abnormal"' not in viewer_page and 'id="file-annual-report"' not in viewer_page
    org_page = client_for("org_user").get(url).content.decode()
    assert 'id="list-abnormal"' not in org_page and 'id="file-annual-report"' in org_page
    form = (
        client_for("bureau_staff")
        .get(reverse("supervision:abnormallisting_create") + f"?organization={world['org'].pk}")
        .content.decode()
    )
    assert f'value="{world["org"].pk}" selected' in form


def test_organization_filters(world, client_for, places):
    make_organization(
        places.community21, name="二街道文体队", category="culture_sports", status=OrganizationStatus.REVOKED
    )
    client = client_for("bureau_staff")
    url = reverse("registry:organization_list")

    def names(**params):
        return {r.record.name for r in client.get(url, params).context["table"].page.object_list}

    assert names(q="邻里") == {"宝石社区邻里互助会"}
    assert names(uscc=world["org"].uscc.lower()) == {"宝石社区邻里互助会"}
    assert names(legal_form=LegalForm.COMMUNITY_FILED) == {"一街道二社区舞蹈队"}
    assert names(category="culture_sports") == {"二街道文体队"}
    assert names(status=OrganizationStatus.REVOKED) == {"二街道文体队"}
    assert names(street=places.street2.pk) == {"二街道文体队"}
    assert names(community=places.community12.pk) == {"一街道二社区舞蹈队"}
    assert names(overlay="none") == {"宝石社区邻里互助会", "一街道二社区舞蹈队", "二街道文体队"}
    assert names(overlay="abnormal") == set()
    Organization.objects.filter(name="二街道文体队").update(established_on="2019-03-05")
    assert names(established_from="2019-01-01", established_to="2019-12-31") == {"二街道文体队"}
    assert names(sort="-name")  # sorting works
    # Another street's officer may not filter by a street outside their own
    response = client_for("street_officer").get(url, {"street": places.street2.pk})
    assert list(response.context["table"].page.object_list) == []


def test_organization_export_has_the_filtered_scoped_rows(world, client_for, places):
    make_organization(places.other_community, name="乙区的组织")
    response = client_for("street_officer").get(reverse("registry:organization_list"), {"export": "xlsx", "q": "互助"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    assert "名称" in header[0] or "name" in header[0]
    names = [r[0] for r in rows[1:] if r[0]]
    assert names == ["宝石社区邻里互助会"]


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # Each includes the header's count of unread notifications.
        ("registry:organization_list", 7),
        ("registry:application_list", 7),
    ],
)
def test_list_page_query_count_does_not_grow_with_rows(users, places, client_for, url_name, queries):
    staff = users["bureau_staff"]

    def add(n):
        for _ in range(n):
            org = make_organization(places.community11)
            make_application(staff, ApplicationKind.CHANGE, organization=org)

    client = client_for("bureau_staff")
    url = reverse(url_name)
    add(2)
    with assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add(8)
    with assert_num_queries(queries):
        response = client.get(url)
    assert response.context["table"].paginator.count == 10


# --- applications through the pages --------------------------------------------------------


def test_application_list_and_detail_matrix(world, client_for, users):
    application = make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=world["org"])
    expected = dict.fromkeys(ALL, 200)
    expected.update({"expert": 403, None: 302})
    assert_role_matrix(client_for, "get", reverse("registry:application_list"), expected)
    expected.update({"other_street_officer": 404, "other_district_admin": 404})
    assert_role_matrix(client_for, "get", application.get_absolute_url(), expected)
    other = make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=world["other"])
    assert_role_matrix(client_for, "get", other.get_absolute_url(), {"org_user": 404, "community_party": 404})


def test_application_create_matrix(world, client_for, users, places):
    url = reverse("registry:application_create", args=["file"])
    lone = make_user(Role.ORG_USER, places.community11)
    expected = {
        "bureau_admin": 200,
        "bureau_staff": 200,
        "bureau_viewer": 403,
        "street_officer": 403,
        "community_party": 403,
        "expert": 403,
        "other_district_admin": 200,
        "org_user": 403,
        None: 302,
    }  # org_user already acts for an organization
    assert_role_matrix(client_for, "get", url, expected)
    from django.test import Client

    client = Client()
    client.force_login(lone)
    assert client.get(url).status_code == 200
    change = reverse("registry:application_create", args=["change"]) + f"?organization={world['org'].pk}"
    assert_role_matrix(
        client_for,
        "get",
        change,
        {"org_user": 200, "bureau_staff": 200, "street_officer": 403, "other_district_admin": 404},
    )
    other_change = reverse("registry:application_create", args=["change"]) + f"?organization={world['other'].pk}"
    assert_role_matrix(client_for, "get", other_change, {"org_user": 404})
    assert client_for("bureau_staff").get(reverse("registry:application_create", args=["nonsense"])).status_code == 404


def test_filing_through_the_pages(users, places, client_for):
    org_client, street, bureau = client_for("org_user"), client_for("street_officer"), client_for("bureau_staff")
    response = org_client.post(
        reverse("registry:application_create", args=["file"]),
        {
            "name": "宝石社区夕阳红服务队",
            "legal_form": LegalForm.COMMUNITY_FILED,
            "category": "resident_services",
            "region": places.community11.pk,
            "legal_representative": "赵六",
            "phone": "13800000000",
            "address": "宝石社区活动室",
            "member_count": "15",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    detail = application.get_absolute_url()
    assert response["Location"] == detail
    # Submitting without the required files is refused with a message naming them
    with translation.override("zh-hans"):
        response = org_client.post(
            reverse("registry:application_transition", args=[application.pk, "submit"]), follow=True
        )
    assert "章程" in response.content.decode()
    for kind in ("articles", "identity"):
        response = org_client.post(
            reverse("registry:attachment_upload", args=[application.pk]),
            {"kind": kind, "file": upload(f"{kind}.pdf", PDF)},
        )
        assert response.status_code == 302
    fake = org_client.post(
        reverse("registry:attachment_upload", args=[application.pk]),
        {"kind": "other", "file": upload("假的.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert "假的.pdf" in fake.content.decode()
    assert application.attachments.count() == 2
    org_client.post(reverse("registry:application_transition", args=[application.pk, "submit"]))
    application.refresh_from_db()
    assert application.state == ApplicationState.STREET_REVIEW
    # A bureau clerk cannot take the street's step; another street cannot see it at all
    assert bureau.post(reverse("registry:application_transition", args=[application.pk, "approve"])).status_code == 403
    assert (
        client_for("other_street_officer")
        .post(reverse("registry:application_transition", args=[application.pk, "approve"]))
        .status_code
        == 404
    )
    # Return needs a reason
    street.post(reverse("registry:application_transition", args=[application.pk, "return"]), {"reason": ""})
    application.refresh_from_db()
    assert application.state == ApplicationState.STREET_REVIEW
    street.post(reverse("registry:application_transition", args=[application.pk, "approve"]))
    bureau.post(reverse("registry:application_transition", args=[application.pk, "approve"]))
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    with translation.override("zh-hans"):
        page = org_client.get(detail).content.decode()
    path = page[page.index('id="application-path"') :]
    for who in ("org_user", "street_officer", "bureau_staff"):
        assert str(users[who]) in path
    assert path.count("<tr>") == 5  # header, created, submitted, passed by the street, approved
    receipt = org_client.get(reverse("registry:application_receipt", args=[application.pk]))
    assert receipt.status_code == 200
    assert application.organization.filing_number in receipt.content.decode()
    assert "css/receipt.css" in receipt.content.decode()
    assert (
        client_for("other_district_admin")
        .get(reverse("registry:application_receipt", args=[application.pk]))
        .status_code
        == 404
    )


def test_change_form_shows_current_and_reviewer_sees_diff(world, client_for):
    org = world["org"]
    url = reverse("registry:application_create", args=["change"]) + f"?organization={org.pk}"
    page = client_for("org_user").get(url)
    assert page.status_code == 200
    assert org.phone in page.content.decode()
    data = {
        name: field.value() or "" for name, field in ((n, page.context["form"][n]) for n in page.context["form"].fields)
    }
    data.update({"phone": "0571-99999999", "organization": org.pk})
    response = client_for("org_user").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get(kind=ApplicationKind.CHANGE)
    assert application.data == {"phone": "0571-99999999"}
    detail = client_for("bureau_staff").get(application.get_absolute_url()).content.decode()
    assert 'data-field="phone"' in detail
    assert org.phone in detail and "0571-99999999" in detail


def test_invalid_uscc_shows_on_the_form_in_chinese(users, client_for, places):
    with translation.override("zh-hans"):
        response = client_for("bureau_staff").post(
            reverse("registry:application_create", args=["establish"]) + "?",
            {
                "name": "某协会",
                "legal_form": LegalForm.SOCIAL_GROUP,
                "category": "charity",
                "region": places.community11.pk,
                "legal_representative": "钱七",
                "phone": "1",
                "address": "某处",
                "uscc": "51330106MJ0000001X",
                **founder_rows(places.community11),
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    assert "校验码应为T" in response.content.decode()


def test_attachment_download_is_scoped(world, users, client_for):
    application = make_application(users["bureau_staff"], ApplicationKind.FILE, region=world["org"].region)
    attachment = application.attachments.first()
    url = reverse("registry:attachment_download", args=[attachment.pk])
    response = client_for("street_officer").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_role_matrix(
        client_for, "get", url, {"other_street_officer": 404, "other_district_admin": 404, "expert": 404, None: 302}
    )


# --- public register -------------------------------------------------------------------------


def test_public_register_search_and_page(world, client, places):
    make_organization(places.other_community, name="乙区阳光志愿者协会")
    url = reverse("registry_public:organization_list")

    def names(**params):
        return {r.record.name for r in client.get(url, params).context["table"].page.object_list}

    assert names() == {"宝石社区邻里互助会", "一街道二社区舞蹈队", "乙区阳光志愿者协会"}
    assert names(q="互助") == {"宝石社区邻里互助会"}
    assert names(q="阳光志愿") == {"乙区阳光志愿者协会"}
    assert names(uscc=world["org"].uscc) == {"宝石社区邻里互助会"}
    assert names(category="resident_services", street=places.street1.pk) == {"宝石社区邻里互助会", "一街道二社区舞蹈队"}
    page = client.get(reverse("registry_public:organization_detail", args=[world["org"].pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert world["org"].uscc in content
    assert world["org"].phone not in content  # phone is not a public field
    assert client.get(reverse("registry_public:organization_detail", args=[999999])).status_code == 404


def test_public_register_query_count_does_not_grow(places, client):
    for _ in range(2):
        make_organization(places.community11)
    url = reverse("registry_public:organization_list")
    with assert_num_queries(3):
        client.get(url)
    for _ in range(8):
        make_organization(places.community12)
    with assert_num_queries(3):
        client.get(url)


# --- the rest of the role × view matrix --------------------------------------------------------


def _filing(users, places, submit=True):
    application = make_application(users["bureau_staff"], ApplicationKind.FILE, region=places.community11)
    if submit:
        application = services.application_submit(application=application, by=users["bureau_staff"])
    return application


def test_street_step_matrix(world, users, places, client_for):
    expected = {
        "bureau_admin": 403,
        "bureau_staff": 403,
        "bureau_viewer": 403,
        "street_officer": 302,
        "community_party": 403,
        "org_user": 404,
        "expert": 404,
        "other_street_officer": 404,
        "other_district_admin": 404,
        None: 302,
    }
    for who, status in expected.items():
        application = _filing(users, places)
        url = reverse("registry:application_transition", args=[application.pk, "approve"])
        response = client_for(who).post(url)
        assert response.status_code == status, who
        application.refresh_from_db()
        moved = application.state == ApplicationState.BUREAU_REVIEW
        assert moved == (who == "street_officer"), who


def test_bureau_step_matrix(world, users, places, client_for):
    expected = {
        "bureau_admin": 302,
        "bureau_staff": 403,  # filed it: someone else decides
        "bureau_viewer": 403,
        "street_officer": 302,  # it passed the application on: told it has been handled, nothing changes
        "community_party": 403,
        "other_street_officer": 404,
        "other_district_admin": 404,
    }
    for who, status in expected.items():
        application = services.application_approve(application=_filing(users, places), by=users["street_officer"])
        response = client_for(who).post(reverse("registry:application_transition", args=[application.pk, "approve"]))
        assert response.status_code == status, who
        application.refresh_from_db()
        assert (application.state == ApplicationState.APPROVED) == (status == 302 and who != "street_officer"), who


def test_unknown_action_and_get_are_refused(users, places, client_for):
    application = _filing(users, places)
    assert (
        client_for("street_officer")
        .post(reverse("registry:application_transition", args=[application.pk, "destroy"]))
        .status_code
        == 404
    )
    assert (
        client_for("street_officer")
        .get(reverse("registry:application_transition", args=[application.pk, "approve"]))
        .status_code
        == 405
    )


def test_edit_matrix(world, users, places, client_for):
    application = _filing(users, places, submit=False)
    url = reverse("registry:application_edit", args=[application.pk])
    assert_role_matrix(
        client_for,
        "get",
        url,
        {
            "bureau_admin": 200,
            "bureau_staff": 200,
            "bureau_viewer": 403,
            "street_officer": 403,
            "community_party": 403,
            "org_user": 404,
            "expert": 403,
            "other_street_officer": 404,
            "other_district_admin": 404,
            None: 302,
        },
    )
    services.application_submit(application=application, by=users["bureau_staff"])
    assert_role_matrix(client_for, "get", url, {"bureau_staff": 403, "bureau_admin": 403})


def test_edit_saves_through_the_service(users, places, client_for):
    application = _filing(users, places, submit=False)
    url = reverse("registry:application_edit", args=[application.pk])
    form = client_for("bureau_staff").get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["phone"] = "13911112222"
    response = client_for("bureau_staff").post(url, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.data["phone"] == "13911112222"


def test_attachment_upload_and_remove_matrix(world, users, places, client_for):
    application = _filing(users, places, submit=False)
    url = reverse("registry:attachment_upload", args=[application.pk])
    expected = {
        "bureau_admin": 302,
        "bureau_staff": 302,
        "bureau_viewer": 403,
        "street_officer": 403,
        "community_party": 403,
        "org_user": 404,
        "expert": 404,
        "other_street_officer": 404,
        "other_district_admin": 404,
    }
    for who, status in expected.items():
        response = client_for(who).post(url, {"kind": "other", "file": upload(f"{who}.pdf", PDF)})
        assert response.status_code == status, who
    assert set(application.attachments.filter(kind="other").values_list("original_name", flat=True)) == {
        "bureau_admin.pdf",
        "bureau_staff.pdf",
    }
    attachment = application.attachments.get(original_name="bureau_admin.pdf")
    remove = reverse("registry:attachment_remove", args=[attachment.pk])
    assert client_for("street_officer").post(remove).status_code == 403
    assert client_for("other_district_admin").post(remove).status_code == 404
    assert client_for("bureau_staff").post(remove).status_code == 302
    attachment.refresh_from_db()
    assert attachment.is_removed


def test_receipt_matrix(world, users, places, client_for):
    application = services.application_approve(application=_filing(users, places), by=users["street_officer"])
    url = reverse("registry:application_receipt", args=[application.pk])
    assert client_for("bureau_staff").get(url).status_code == 404  # not approved yet
    services.application_approve(application=application, by=users["bureau_admin"])
    assert_role_matrix(
        client_for,
        "get",
        url,
        {
            "bureau_admin": 200,
            "bureau_staff": 200,
            "bureau_viewer": 200,
            "street_officer": 200,
            "community_party": 200,
            "org_user": 404,
            "expert": 404,
            "other_street_officer": 404,
            "other_district_admin": 404,
            None: 302,
        },
    )


def test_public_pages_are_open_and_show_no_private_fields(world, client_for):
    url = reverse("registry_public:organization_detail", args=[world["org"].pk])
    assert_role_matrix(client_for, "get", url, {None: 200, "expert": 200, "other_district_admin": 200})
    assert_role_matrix(client_for, "get", reverse("registry_public:organization_list"), {None: 200, "org_user": 200})


def test_admin_is_scoped_and_read_only(world, places, client_for):
    make_organization(places.other_community, name="乙区的组织")
    response = client_for("bureau_admin").get(reverse("admin:registry_organization_changelist"))
    assert response.status_code == 200
    shown = {org.name for org in response.context["cl"].result_list}
    assert shown == {"宝石社区邻里互助会", "一街道二社区舞蹈队"}
    change = reverse("admin:registry_organization_change", args=[world["org"].pk])
    assert client_for("bureau_admin").post(change, {"name": "改名"}).status_code == 403
    assert client_for("bureau_admin").get(reverse("admin:registry_organization_add")).status_code == 403


def test_establishment_approved_on_the_page_with_its_credit_code(users, places, client_for):
    from registry.uscc import complete

    staff = users["bureau_staff"]
    application = make_application(
        staff,
        ApplicationKind.ESTABLISH,
        region=places.street1,
        name="一街道公益服务中心",
        legal_form=LegalForm.SOCIAL_SERVICE,
    )
    services.application_submit(application=application, by=staff)
    url = reverse("registry:application_transition", args=[application.pk, "approve"])
    with translation.override("zh-hans"):
        page = client_for("bureau_admin").get(application.get_absolute_url()).content.decode()
        assert 'name="uscc"' in page and 'name="uscc_override_reason"' in page
        refused = client_for("bureau_admin").post(url, follow=True).content.decode()
    assert "统一社会信用代码" in refused
    code = complete("52110101MJ0000099")
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)
    client_for("bureau_admin").post(url, {"uscc": fullwidth})
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    assert application.organization.uscc == code
    with translation.override("zh-hans"):
        receipt = client_for("street_officer").get(reverse("registry:application_receipt", args=[application.pk]))
    content = receipt.content.decode()
    assert "登记回执" in content and code in content and "一街道公益服务中心" in content


def test_bureau_admin_overrides_a_pilot_code_on_approval(users, places, client_for):
    staff = users["bureau_staff"]
    application = make_application(staff, ApplicationKind.ESTABLISH, region=places.street1)
    services.application_submit(application=application, by=staff)
    pilot = "51110101MJ0000001" + "0"
    url = reverse("registry:application_transition", args=[application.pk, "approve"])
    client_for("bureau_staff").post(url, {"uscc": pilot, "uscc_override_reason": "试点赋码"})
    application.refresh_from_db()
    assert application.state == ApplicationState.BUREAU_REVIEW  # a clerk may not override
    client_for("bureau_admin").post(url, {"uscc": pilot, "uscc_override_reason": "2015年试点赋码，经核实无误"})
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    assert application.organization.uscc_override_reason == "2015年试点赋码，经核实无误"


def test_organization_page_says_why_no_change_can_be_applied_for(world, users, client_for):
    make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=world["org"])
    with translation.override("zh-hans"):
        page = client_for("org_user").get(world["org"].get_absolute_url()).content.decode()
        viewer_page = client_for("bureau_viewer").get(world["org"].get_absolute_url()).content.decode()
    assert 'id="apply-change"' not in page
    assert "已有正在办理的申请" in page
    assert "已有正在办理的申请" not in viewer_page


def test_home_page_counts_what_awaits_each_reviewer_and_links_to_the_same_rows(users, places, client_for):
    application = _filing(users, places)  # a filing: the street reviews first
    street_home = client_for("street_officer").get("/").content.decode()
    assert "待我审核的申请" in street_home and '<span class="badge text-bg-danger">1</span>' in street_home
    listing = (
        client_for("street_officer").get(reverse("registry:application_list") + "?awaiting_me=true").content.decode()
    )
    assert application.number in listing
    # The other street's officer and the bureau (not yet its turn) have nothing waiting.
    assert "暂无待办事项" in client_for("other_street_officer").get("/").content.decode()
    assert "待我审核的申请" not in client_for("bureau_staff").get("/").content.decode()
    services.application_approve(application=application, by=users["street_officer"])
    assert "待我审核的申请" not in client_for("street_officer").get("/").content.decode()
    assert "待我审核的申请" in client_for("bureau_staff").get("/").content.decode()
