"""Choices among many rows (core.autocomplete): the endpoint answers at most 20 options among the
rows the user may see, and the filters render only the chosen option, never every row."""

import re

import pytest
from django.urls import reverse

from core import autocomplete
from core.testing import assert_num_queries
from projects.models import Project
from tests.projects.factories import make_project
from tests.registry.factories import make_org_user, make_organization

pytestmark = pytest.mark.django_db

CONTACTS = reverse("party:contactrecord_list")
LEDGER = reverse("projects:ledgerentry_list")
OPTION = re.compile(r"<option\b")


def url(kind, q=None):
    address = reverse("core:autocomplete", args=[kind])
    return address if q is None else f"{address}?q={q}"


def names(response):
    assert response.status_code == 200, response.content
    return [row["text"] for row in response.json()["results"]]


def test_options_are_the_users_districts_rows(places, client_for):
    ours = make_organization(places.community11, name="甲区养老服务中心")
    street2 = make_organization(places.community21, name="甲区养老互助会")
    theirs = make_organization(places.other_community, name="乙区养老服务中心")
    make_organization(places.community11, name="甲区读书会")

    response = client_for("bureau_staff").get(url("organization", "养老"))
    assert response.json()["more"] is False
    assert sorted(names(response)) == sorted([f"甲区养老服务中心（{ours.uscc}）", f"甲区养老互助会（{street2.uscc}）"])
    assert {row["id"] for row in response.json()["results"]} == {ours.pk, street2.pk}
    # The other district's bureau sees its own only; a street officer only their street's.
    assert names(client_for("other_district_admin").get(url("organization", "养老"))) == [
        f"乙区养老服务中心（{theirs.uscc}）"
    ]
    assert names(client_for("street_officer").get(url("organization", "养老"))) == [f"甲区养老服务中心（{ours.uscc}）"]
    # By the start of the credit code too; blank text lists the first rows.
    assert names(client_for("bureau_staff").get(url("organization", theirs.uscc))) == []
    assert names(client_for("bureau_staff").get(url("organization", ours.uscc))) == [f"甲区养老服务中心（{ours.uscc}）"]
    assert len(names(client_for("bureau_staff").get(url("organization")))) == 3


def test_projects_of_an_organization_account_are_its_own(places, users, client_for):
    mine = make_organization(places.community11, name="银龄互助会")
    other = make_organization(places.community11, name="阳光志愿队")
    own = make_project(mine, places.street1, title="敬老服务项目")
    make_project(other, places.street1, title="敬老助餐项目")
    account = make_org_user(mine)
    client = client_for(None)
    client.force_login(account)

    response = client.get(url("project", "敬老"))
    assert response.json() == {"results": [{"id": own.pk, "text": f"{own.code} 敬老服务项目"}], "more": False}
    assert len(names(client_for("bureau_staff").get(url("project", "敬老")))) == 2
    assert names(client_for("bureau_staff").get(url("project", own.code))) == [f"{own.code} 敬老服务项目"]
    assert names(client_for("other_district_admin").get(url("project", "敬老"))) == []


def test_at_most_twenty_options_in_a_stable_order(places, client_for):
    for n in reversed(range(23)):
        make_organization(places.community11, name=f"互助会{n:02d}号")
    body = client_for("bureau_staff").get(url("organization", "互助")).json()
    assert len(body["results"]) == autocomplete.LIMIT == 20
    assert body["more"] is True
    assert [row["text"].split("（")[0] for row in body["results"]] == [f"互助会{n:02d}号" for n in range(20)]
    assert [
        row["text"].split("（")[0]
        for row in client_for("bureau_staff").get(url("organization", "会22")).json()["results"]
    ] == ["互助会22号"]


def test_refusals(users, client_for):
    anonymous = client_for(None).get(url("organization", "养老"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # An expert reads no organization at all: refused, not an empty list that looks like "no match".
    assert client_for("expert").get(url("organization", "养老")).status_code == 403
    assert client_for("bureau_staff").get(url("nosuchkind", "养老")).status_code == 404
    assert client_for("bureau_staff").post(url("organization", "养老")).status_code == 405

    too_long = client_for("bureau_staff").get(url("organization", "养" * 101))
    assert too_long.status_code == 400
    assert "搜索" in too_long.json()["error"] and "100" in too_long.json()["error"]
    assert client_for("bureau_staff").get(url("organization", "养%00老")).status_code == 400
    assert client_for("bureau_staff").get(url("organization", "养" * 100)).status_code == 200


def _filter_select(html, name):
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return match.group(1)


def test_a_list_page_renders_only_the_chosen_organization(places, client_for):
    organizations = [make_organization(places.community11, name=f"社会组织{n:03d}") for n in range(200)]
    foreign = make_organization(places.other_community, name="乙区的组织")
    client = client_for("bureau_staff")
    client.get(CONTACTS)  # warm the session and the caches

    with assert_num_queries(_queries(client, CONTACTS)):
        page = client.get(CONTACTS)
    html = page.content.decode()
    assert page.status_code == 200
    select = _filter_select(html, "organization")
    assert len(OPTION.findall(select)) == 1 and "全部" in select
    assert len(OPTION.findall(html)) < 30
    # The search box is a labelled combobox controlling its listbox, shown by static JS.
    assert 'role="combobox"' in html and 'aria-controls="id_organization_listbox"' in html
    assert 'role="listbox"' in html and "js/autocomplete.js" in html
    assert reverse("core:autocomplete", args=["organization"]) in html

    chosen = organizations[123]
    page = client.get(f"{CONTACTS}?organization={chosen.pk}")
    select = _filter_select(page.content.decode(), "organization")
    assert len(OPTION.findall(select)) == 2
    assert re.search(rf'<option value="{chosen.pk}" selected>社会组织123（{chosen.uscc}）</option>', select)

    # Another district's id answers as a missing one: not a valid choice, and its name shows nowhere.
    for pk in (foreign.pk, 99999999):
        page = client.get(f"{CONTACTS}?organization={pk}")
        html = page.content.decode()
        assert "选择一个有效的选项" in html
        assert "乙区的组织" not in html
        assert len(OPTION.findall(_filter_select(html, "organization"))) == 1


def _queries(client, address):
    """How many queries the page takes (measured), checked to be independent of the options."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(address)
    assert not any("社会组织" in q["sql"] for q in captured.captured_queries)
    return len(captured.captured_queries)


def test_the_ledger_filter_queries_no_project_list(places, users, client_for):
    organization = make_organization(places.community11, name="银龄互助会")
    project = make_project(organization, places.street1, title="银龄互助项目")
    client = client_for("bureau_staff")
    client.get(LEDGER)
    queries = _queries(client, LEDGER)
    chosen = _queries(client, f"{LEDGER}?project={project.pk}")
    # Choosing a project costs the query of its own option, nothing that grows with the projects.
    for n in range(3):
        make_project(organization, places.street1, title=f"另一个项目{n}")
    with assert_num_queries(queries):
        page = client.get(LEDGER)
    assert len(OPTION.findall(_filter_select(page.content.decode(), "project"))) == 1
    with assert_num_queries(chosen):
        page = client.get(f"{LEDGER}?project={project.pk}")
    select = _filter_select(page.content.decode(), "project")
    assert f"{project.code} 银龄互助项目" in select and "另一个项目" not in select
    assert Project.objects.count() == 4


def test_regions_are_looked_up_in_the_users_subtree_and_filters_render_no_region_list(places, client_for):
    """A city holds thousands of streets and communities: the user list's region filter and the
    organization list's community filter render only the chosen node and look the others up."""
    staff = client_for("bureau_staff")
    found = staff.get(url("region", places.community11.name)).json()["results"]
    assert [row["id"] for row in found] == [places.community11.pk]
    assert staff.get(url("region", places.other_community.name)).json()["results"] == []
    # `community` offers communities only.
    streets = staff.get(url("community", places.street1.name)).json()["results"]
    assert places.street1.pk not in [row["id"] for row in streets]
    assert {row["id"] for row in streets} >= {places.community11.pk}

    page = staff.get(reverse("accounts:user_list"), {"region": places.community11.pk}).content.decode()
    select = re.search(r'<select name="region".*?</select>', page, re.S).group(0)
    assert len(OPTION.findall(select)) == 2 and places.community11.name in select  # 全部 and the chosen
    page = staff.get(reverse("registry:organization_list")).content.decode()
    select = re.search(r'<select name="community".*?</select>', page, re.S).group(0)
    assert len(OPTION.findall(select)) == 1
    # Another district's community is no valid choice, and its name does not appear.
    page = staff.get(reverse("registry:organization_list"), {"community": places.other_community.pk})
    assert places.other_community.name not in page.content.decode()
