"""Funders as their own records, and funder accounts: the bureau keeps the register and creates the
accounts; a funder's account sees its funder's projects and what awaits it, and nothing else."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import override

from accounts.choices import Role
from accounts.models import User
from core.models import AuditRecord
from projects import permissions, services
from projects.choices import FunderKind
from projects.models import Funder, FunderMember

from ..accounts.factories import Jurisdiction, make_user
from ..registry.factories import make_org_user, make_organization
from .factories import make_entry, make_project
from .purchase import deliver, make_contract, make_funder, make_funder_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


@pytest.fixture
def foundation(places):
    return make_funder(places.district, name="西湖公益基金会", kind=FunderKind.FOUNDATION, contact_person="周主任")


@pytest.fixture
def funded(world, foundation):
    """A project of the world's organization paid for by the foundation, with a contract."""
    project = make_project(world.org, foundation, title="基金会助老项目")
    make_contract(project)
    return project


def test_funder_register_list_filter_sort_export(world, places, foundation, client_for):
    make_funder(places.district, name="区卫健局", kind=FunderKind.GOVERNMENT_DEPARTMENT)
    make_funder(places.other_district, name="乙区基金会")
    client = client_for("bureau_staff")
    response = client.get(reverse("projects:funder_list"), {"kind": "foundation"})
    names = [f.name for f in response.context["table"].data]
    assert names == ["西湖公益基金会"]
    response = client.get(reverse("projects:funder_list"), {"sort": "-name"})
    names = [f.name for f in response.context["table"].data]
    assert "区卫健局" in names and "乙区基金会" not in names and names == sorted(names, reverse=True)
    response = client.get(reverse("projects:funder_list"), {"region": places.district.pk, "is_active": "true"})
    assert response.status_code == 200
    export = client.get(reverse("projects:funder_list"), {"export": "xlsx"})
    body = b"".join(export.streaming_content) if export.streaming else export.content
    cells = [
        c for row in openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True) for c in row
    ]
    assert "西湖公益基金会" in cells and "乙区基金会" not in cells
    assert client_for("org_user").get(reverse("projects:funder_list")).status_code == 403


def test_funder_pages_add_edit_and_history(world, places, foundation, funded, client_for):
    client = client_for("bureau_staff")
    response = client.post(
        reverse("projects:funder_add"),
        {"name": "区残联", "kind": "government_department", "region": places.street1.pk},
    )
    assert "区县" in response.content.decode() or "所属区域" in response.content.decode()  # sits at the district
    response = client.post(
        reverse("projects:funder_add"),
        {"name": "区残联", "kind": "government_department", "region": places.district.pk},
        follow=True,
    )
    funder = Funder.objects.get(name="区残联")
    assert response.redirect_chain[-1][0] == funder.get_absolute_url()
    edit = client.post(
        reverse("projects:funder_edit", args=[funder.pk]),
        {"name": "区残疾人联合会", "kind": "government_department", "region": places.district.pk, "is_active": ""},
    )
    assert edit.status_code == 302
    funder.refresh_from_db()
    assert funder.name == "区残疾人联合会" and not funder.is_active
    assert AuditRecord.objects.filter(content_type__model="funder", object_id=str(funder.pk), action="update").exists()
    page = client.get(foundation.get_absolute_url()).content.decode()
    assert "基金会助老项目" in page and "周主任" in page and "/core/history/" in page
    assert client_for("street_officer").get(reverse("projects:funder_add")).status_code == 403
    assert client_for("street_officer").get(foundation.get_absolute_url()).status_code == 200  # reads its district's
    other = make_funder(places.other_district, name="乙区基金会")
    assert client_for("bureau_staff").get(reverse("projects:funder_edit", args=[other.pk])).status_code == 404
    assert client_for("bureau_viewer").get(reverse("projects:funder_edit", args=[foundation.pk])).status_code == 403


def test_the_bureau_administrator_creates_a_funder_account(world, foundation, client_for, password):
    url = reverse("projects:funderaccount_add", args=[foundation.pk])
    assert client_for("bureau_staff").get(url).status_code == 403  # clerks do not keep users
    admin = client_for("bureau_admin")
    form = {"username": "jjh", "full_name": "周主任", "password1": password, "password2": password + "x"}
    assert "不一致" in admin.post(url, form).content.decode()
    form["password2"] = password
    response = admin.post(url, form, follow=True)
    assert response.redirect_chain[-1][0] == foundation.get_absolute_url()
    user = User.objects.get(username="jjh")
    assert user.role == Role.FUNDER_USER and user.region == foundation.region and user.funder_id == foundation.pk
    assert AuditRecord.objects.filter(content_type__model="fundermember", action="create").exists()
    assert "jjh" in admin.get(foundation.get_absolute_url()).content.decode()
    assert "jjh" not in client_for("street_officer").get(foundation.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        services.funder_account_create(
            funder=foundation, by=world.users["bureau_admin"], username="JJH", password=password
        )


def test_a_funder_account_sees_its_funder_and_nothing_else(world, places, foundation, funded, client_as):
    user = make_funder_user(foundation)
    other_funder_user = make_funder_user(make_funder(places.district, name="另一基金会"))
    client = client_as(user)
    home = client.get("/").content.decode()
    for item in ("项目", "购买服务合同", "合同节点", "资金拨付"):
        assert item in home
    projects = client.get(reverse("projects:project_list")).context["table"].data
    assert [p.pk for p in projects] == [funded.pk]
    assert client.get(funded.get_absolute_url()).status_code == 200
    assert client.get(world.project.get_absolute_url()).status_code == 404  # street-funded: not theirs
    assert client.get(world.other_project.get_absolute_url()).status_code == 404
    assert client_as(other_funder_user).get(funded.get_absolute_url()).status_code == 404
    contract = funded.contracts.get()
    assert client_as(other_funder_user).get(contract.get_absolute_url()).status_code == 404
    assert client_as(other_funder_user).get(reverse("projects:contract_file", args=[contract.pk])).status_code == 404
    funders = client.get(reverse("projects:funder_list")).context["table"].data
    assert [f.pk for f in funders] == [foundation.pk]
    # Wrong role for the page: a funder account sets up no contract and keeps no register.
    assert client.get(reverse("projects:funder_add")).status_code == 403
    assert client.get(reverse("projects:contract_amend", args=[contract.pk])).status_code == 403
    # Another district's funder account finds nothing here.
    other_district_user = make_funder_user(make_funder(places.other_district, name="乙区基金会"))
    assert client_as(other_district_user).get(funded.get_absolute_url()).status_code == 404
    assert client_as(other_district_user).get(reverse("projects:project_list")).context["table"].data.data.count() == 0


def test_a_funder_accounts_to_dos(world, foundation, funded, client_as):
    user = make_funder_user(foundation)
    deliver(funded.contracts.get().milestones.get(sequence=1), world.org_user)
    make_entry(funded, world.org_user, submit=True, title="助老活动", date=dt.date(2026, 2, 10))
    services.quarterly_submission_submit(project=funded, by=world.org_user, year=2026, quarter=1, narrative="一季度")
    home = client_as(user).get("/").content.decode()
    assert "待我验收的合同节点" in home and "待我审核的台账" in home and "待我受理的季度报送" in home
    rows = client_as(user).get(reverse("projects:quarterlysubmission_list"), {"awaiting_me": "true"})
    assert len(rows.context["table"].data) == 1
    entries = client_as(user).get(reverse("projects:ledgerentry_list"), {"awaiting_me": "true"})
    assert [e.title for e in entries.context["table"].data] == ["助老活动"]
    # The funder account reviews through the same pages.
    entry = entries.context["table"].data.data.get()
    client_as(user).post(reverse("projects:ledgerentry_action", args=[entry.pk, "accept"]))
    entry.refresh_from_db()
    assert entry.status == "accepted" and entry.reviewed_by == user


def test_the_bureau_and_streets_see_no_milestone_of_a_foundation_as_their_to_do(world, users, funded, client_for):
    deliver(funded.contracts.get().milestones.get(sequence=1), world.org_user)
    for name in ("bureau_staff", "street_officer"):
        home = client_for(name).get("/").content.decode()
        assert "待我验收的合同节点" not in home


def test_city_users_are_refused_the_districts_funders_and_payments(db):
    places = Jurisdiction(city=True)
    city_admin = make_user(Role.BUREAU_ADMIN, places.city)
    allowed, reason = services.may_manage_funders(city_admin, places.district)
    assert not allowed and "市" in reason
    with pytest.raises(PermissionDenied):
        services.funder_create(by=city_admin, name="市基金会", kind="foundation", region=places.district)
    org = make_organization(places.community11)
    make_org_user(org)
    project = make_project(org, places.district)
    assert not permissions.may_record_payment(city_admin, project)[0]
    assert not permissions.may_set_up_contract(city_admin, project)[0]


def test_api_funders(world, places, foundation, client_for):
    api = client_for("bureau_staff")
    listing = api.get("/api/v1/funders/", {"kind": "foundation"}).json()
    assert [f["name"] for f in listing["results"]] == ["西湖公益基金会"]
    created = api.post(
        "/api/v1/funders/",
        {"name": "区民政福彩公益金", "kind": "welfare_lottery", "region": places.district.pk},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind_display"] == "福利彩票公益金"
    refused = client_for("street_officer").post(
        "/api/v1/funders/",
        {"name": "x", "kind": "foundation", "region": places.district.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    other = make_funder(places.other_district, name="乙区基金会")
    assert api.get(f"/api/v1/funders/{other.pk}/").status_code == 404
    assert FunderMember.objects.count() == 0
