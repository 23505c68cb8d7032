"""Founders (发起人) of an establishment application: residents or units of the community, at least
one before it is submitted; checked with messages naming the founder and the field; on the
application page, its form, the API and the export."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from core.models import AuditRecord
from registry import services
from registry.choices import ApplicationKind, ApplicationState, LegalForm
from registry.models import Application, Founder

from .factories import founder_rows, founders_for, make_application, make_organization, new_organization_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def text(error: ValidationError) -> str:
    return " ".join(error.messages)


def founder(**fields) -> dict:
    return {"name": "王大妈", "kind": "resident", "community": None, "address": "一街道5号", "contact": "13900000009",
            **fields}  # fmt: skip


# ------------------------------------------------------------------------------------- services


def test_an_establishment_is_submitted_only_with_a_founder(users, places):
    staff = users["bureau_staff"]
    application = make_application(staff, ApplicationKind.ESTABLISH, region=places.community11, founders=[])
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=staff)
    assert "founders" in error.value.message_dict
    assert "发起人" in text(error.value) and "至少" in text(error.value)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    services.application_update(application=application, by=staff, founders=founders_for(places.community11))
    application = services.application_submit(application=application, by=staff)
    assert application.state == ApplicationState.BUREAU_REVIEW
    assert [(f.name, f.kind, f.community) for f in application.founders.all()] == [
        ("刘居民", "resident", places.community11),
        ("社区物业服务中心", "unit", places.community11),
    ]


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (founder(name=""), "发起人1：请填写居民姓名或单位名称。"),
        (founder(kind="alien"), "发起人1：请选择发起人是社区居民还是驻区单位。"),
        (founder(address="", community=None), "发起人1：请选择发起人所在社区或填写地址。"),
        (founder(contact=" "), "发起人1：请填写联系电话或其他联系方式。"),
        (founder(name="长" * 101), "发起人1：姓名或名称最多100个字。"),
        (founder(community="x"), "发起人1：请选择本区的社区。"),
    ],
)
def test_each_bad_founder_is_refused_naming_the_founder_and_the_field(users, places, row, said):
    with pytest.raises(ValidationError) as error:
        make_application(users["bureau_staff"], ApplicationKind.ESTABLISH, region=places.community11, founders=[row])
    assert error.value.message_dict == {"founders": [said]}
    assert not Application.objects.exists()


def test_a_founder_in_another_district_or_a_street_is_not_of_the_community(users, places):
    for region in (places.other_community, places.street1):
        with pytest.raises(ValidationError) as error:
            make_application(
                users["bureau_staff"],
                ApplicationKind.ESTABLISH,
                region=places.community11,
                founders=[founder(community=region.pk)],
            )
        assert error.value.message_dict == {"founders": ["发起人1：请选择本区的社区。"]}


def test_a_founder_named_twice_and_blank_rows(users, places):
    with pytest.raises(ValidationError) as error:
        make_application(
            users["bureau_staff"], ApplicationKind.ESTABLISH, region=places.community11,
            founders=[founder(), {"name": "", "kind": "", "contact": ""}, founder()],
        )  # fmt: skip
    assert error.value.message_dict == {"founders": ["发起人2：王大妈重复填写。"]}


def test_only_an_establishment_names_founders(users, places):
    with pytest.raises(ValidationError) as error:
        make_application(users["bureau_staff"], ApplicationKind.FILE, region=places.community11, founders=[founder()])
    assert error.value.message_dict == {"founders": ["发起人：只有成立登记申请需要填写发起人。"]}


def test_founders_are_replaced_while_the_application_can_change_and_audited(users, places):
    staff = users["bureau_staff"]
    application = make_application(staff, ApplicationKind.ESTABLISH, region=places.community11)
    first = list(application.founders.values_list("pk", flat=True))
    services.application_update(application=application, by=staff, founders=founders_for(places.community11))
    assert list(application.founders.values_list("pk", flat=True)) == first  # unchanged: not rewritten
    services.application_update(application=application, by=staff, founders=[founder(name="赵单元长")])
    assert list(application.founders.values_list("name", flat=True)) == ["赵单元长"]
    assert AuditRecord.objects.filter(content_type__model="founder", action="delete").count() == 2
    assert AuditRecord.objects.filter(content_type__model="founder", action="create").count() == 3
    assert AuditRecord.objects.filter(object_id=str(application.pk), message="发起人：赵单元长").exists()
    services.application_submit(application=application, by=staff)
    with pytest.raises(PermissionDenied):  # a submitted application is not changed
        services.application_update(application=application, by=staff, founders=[founder(name="迟到者")])
    assert list(application.founders.values_list("name", flat=True)) == ["赵单元长"]


# ---------------------------------------------------------------------------------------- pages


def _establishment_post(places, **extra):
    return {**new_organization_data(places.community11, legal_form=LegalForm.SOCIAL_GROUP), **extra}


def test_the_form_takes_the_founders_and_the_page_shows_them(users, places, client_for):
    url = reverse("registry:application_create", args=["establish"])
    client = client_for("bureau_staff")
    page = client.get(url).content.decode()
    assert 'name="founders-0-name"' in page and "发起人" in page
    rows = [
        {"name": "刘居民", "kind": "resident", "community": places.community11.pk, "address": "", "contact": "139"},
        {"name": "一社区卫生服务站", "kind": "unit", "community": "", "address": "一社区路1号", "contact": "0571-1"},
        {"name": "", "kind": "", "community": "", "address": "", "contact": ""},
    ]
    response = client.post(url, _establishment_post(places, **founder_rows(places.community11, rows)))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert [f.name for f in application.founders.all()] == ["刘居民", "一社区卫生服务站"]
    detail = client.get(application.get_absolute_url()).content.decode()
    assert 'id="application-founders"' in detail
    assert "刘居民" in detail and "社区居民" in detail and "一街道一社区" in detail
    assert "一社区卫生服务站" in detail and "驻区单位" in detail and "一社区路1号" in detail
    edit = client.get(reverse("registry:application_edit", args=[application.pk])).content.decode()
    assert 'value="一社区卫生服务站"' in edit


def test_the_form_refuses_an_establishment_without_founders(users, places, client_for):
    url = reverse("registry:application_create", args=["establish"])
    blank = [{"name": "", "kind": "", "community": "", "address": "", "contact": ""}]
    response = client_for("bureau_staff").post(url, _establishment_post(places, **founder_rows(None, blank)))
    assert response.status_code == 200
    assert "发起人：请至少填写一名发起成立该组织的社区居民或驻区单位。" in response.content.decode()
    no_kind = founder_rows(None, [founder(kind="")])
    response = client_for("bureau_staff").post(url, _establishment_post(places, **no_kind))
    assert "发起人1：请选择发起人是社区居民还是驻区单位。" in response.content.decode()
    assert not Application.objects.exists()


def test_filing_and_change_forms_have_no_founders(users, places, client_for):
    page = client_for("bureau_staff").get(reverse("registry:application_create", args=["file"])).content.decode()
    assert "founders-0-name" not in page
    application = make_application(users["bureau_staff"], ApplicationKind.FILE, region=places.community11)
    detail = client_for("bureau_staff").get(application.get_absolute_url()).content.decode()
    assert 'id="application-founders"' not in detail


def test_other_district_and_other_street_do_not_see_the_founders(users, places, client_for):
    application = make_application(users["bureau_staff"], ApplicationKind.ESTABLISH, region=places.community11)
    assert client_for("other_district_admin").get(application.get_absolute_url()).status_code == 404
    assert client_for("other_street_officer").get(application.get_absolute_url()).status_code == 404
    assert "刘居民" in client_for("street_officer").get(application.get_absolute_url()).content.decode()


def test_the_export_has_the_founders(users, places, client_for):
    make_application(users["bureau_staff"], ApplicationKind.ESTABLISH, region=places.community11, name="甲协会")
    org = make_organization(places.community11)
    make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=org)
    response = client_for("bureau_staff").get(reverse("registry:application_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headers = [cell.value for cell in sheet[1]]
    name, founders = headers.index("社会组织"), headers.index("发起人")
    rows = {row[name]: row[founders] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["甲协会"] == "刘居民、社区物业服务中心"
    assert rows[org.name] is None
    page = client_for("bureau_staff").get(reverse("registry:application_list")).content.decode()
    assert "刘居民、社区物业服务中心" in page


# ------------------------------------------------------------------------------------------ API


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["bureau_staff"])
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def test_the_api_takes_and_shows_the_founders(api, places):
    data = new_organization_data(places.community11, legal_form=LegalForm.SOCIAL_GROUP)
    body = {"kind": "establish", "data": data, "founders": [founder(community=places.community11.pk, address="")]}
    response = api.post(reverse("api:application-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["founders"] == [
        {"name": "王大妈", "kind": "resident", "kind_display": "社区居民", "community": places.community11.pk,
         "community_name": "一街道一社区", "address": "", "contact": "13900000009"},
    ]  # fmt: skip
    url = reverse("api:application-detail", args=[response.json()["id"]])
    patched = api.patch(url, {"founders": [founder(name="新发起人")]}, format="json")
    assert [f["name"] for f in patched.json()["founders"]] == ["新发起人"]
    assert [f["name"] for f in api.get(url).json()["founders"]] == ["新发起人"]
    bad = api.patch(url, {"founders": [founder(address="", community=None)]}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"]["founders"] == ["发起人1：请选择发起人所在社区或填写地址。"]
    assert Founder.objects.get().name == "新发起人"
