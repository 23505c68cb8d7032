"""API: /api/v1/party-organizations/, party-coverages/, contact-records/, party-activities/,
joint-meetings/ — scoped per role and district, writes through the services, bad input a 400 with
Chinese field messages, another district's id a 404."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from party.models import ContactRecord, PartyCoverage, PartyOrganization
from registry.choices import PartyForm

from ..registry.factories import PDF, make_org_user, make_organization, upload
from .factories import make_activity, make_area_body, make_contact, make_coverage, make_meeting, make_secretary

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(users):
    def get(name_or_user):
        client = APIClient()
        if name_or_user is not None:
            client.force_authenticate(users[name_or_user] if isinstance(name_or_user, str) else name_or_user)
        return client

    return get


@pytest.fixture
def world(places):
    """An organization with coverage, a contact, an activity and a meeting in community 1-1, the
    same in street 2's community and in the other district."""
    rows = {}
    for key, region in (("a", places.community11), ("b", places.community21), ("x", places.other_community)):
        org = make_organization(region, name=f"{key}协会")
        body = make_area_body(region)
        rows[key] = {
            "org": org,
            "body": body,
            "coverage": make_coverage(org, form=PartyForm.INSTRUCTOR, instructor="王指导员"),
            "contact": make_contact(org),
            "activity": make_activity(body, organizations=[org]),
            "meeting": make_meeting(body, organizations=[org], decisions=[{"content": "共建"}]),
        }
    return rows


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


RESOURCES = (
    ("party-organizations", "body"),
    ("party-coverages", "coverage"),
    ("contact-records", "contact"),
    ("party-activities", "activity"),
    ("joint-meetings", "meeting"),
)


@pytest.mark.parametrize(("resource", "key"), RESOURCES)
def test_each_resource_is_scoped_per_role_and_district(world, places, users, api_for, resource, key):
    url = f"/api/v1/{resource}/"
    a, b, x = (world[k][key].pk for k in "abx")
    assert ids(api_for("bureau_viewer").get(url)) == {a, b}
    assert ids(api_for("street_officer").get(url)) == {a}
    assert ids(api_for("community_party").get(url)) == {a}
    assert ids(api_for(make_secretary(places.street2)).get(url)) == {b}
    assert ids(api_for("other_district_admin").get(url)) == {x}
    assert api_for("other_district_admin").get(f"{url}{a}/").status_code == 404
    assert api_for("community_party").get(f"{url}{b}/").status_code == 404
    assert api_for("expert").get(url).status_code == 403
    assert api_for(None).get(url).status_code in (401, 403)
    org_api = api_for(make_org_user(world["a"]["org"]))
    if resource in ("party-coverages", "contact-records"):
        assert ids(org_api.get(url)) == {a}
    else:
        assert org_api.get(url).status_code == 403


def test_coverage_list_current_by_default_and_as_of_a_date(world, api_for):
    org = world["a"]["org"]
    old = world["a"]["coverage"]
    PartyCoverage.objects.filter(pk=old.pk).update(valid_from=dt.date(2024, 1, 1))
    new = make_coverage(org, valid_from=dt.date(2025, 7, 1), form=PartyForm.NONE)
    api = api_for("community_party")
    assert ids(api.get("/api/v1/party-coverages/")) == {new.pk}
    assert ids(api.get("/api/v1/party-coverages/", {"date": "2025-06-30"})) == {old.pk}
    assert ids(api.get("/api/v1/party-coverages/", {"date": "2023-01-01"})) == set()
    assert api.get(f"/api/v1/party-coverages/{old.pk}/").json()["is_current"] is False
    response = api.get("/api/v1/party-coverages/", {"date": "2025-13-40"})
    assert response.status_code == 400 and "date" in response.json()["errors"]


def test_party_organization_create_update_dissolve(world, places, api_for):
    api = api_for("community_party")
    org1, org2 = world["a"]["org"], make_organization(places.community11, name="第二协会")
    response = api.post(
        "/api/v1/party-organizations/",
        {"name": "联合党支部", "level": "branch", "formation": "joint", "region": places.community11.pk,
         "established_on": "2022-01-01", "full_member_count": 4, "organizations": [org1.pk, org2.pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {o["name"] for o in body["organizations"]} == {"a协会", "第二协会"}
    assert [t["name"] for t in body["transitions"]] == ["dissolve"]
    assert PartyCoverage.objects.current().get(organization=org1).form == PartyForm.JOINT
    response = api.patch(f"/api/v1/party-organizations/{body['id']}/", {"secretary": "赵书记"}, format="json")
    assert response.json()["secretary"] == "赵书记"
    response = api.post(f"/api/v1/party-organizations/{body['id']}/dissolve/", {"reason": "合并"}, format="json")
    assert response.status_code == 400 and "仍覆盖" in response.json()["errors"]["status"][0]
    org_api = api_for("org_user")
    assert org_api.post(f"/api/v1/party-organizations/{body['id']}/dissolve/", {"reason": "x"}).status_code == 403


def test_party_organization_refusals_are_400_with_chinese_field_messages(world, places, api_for):
    api = api_for("community_party")
    response = api.post(
        "/api/v1/party-organizations/",
        {"name": "单独党支部", "level": "branch", "formation": "standalone", "region": places.community11.pk,
         "established_on": "2022-01-01", "full_member_count": 2, "organizations": [world["a"]["org"].pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"]["full_member_count"][0].startswith(
        "正式党员数：单独组建的党组织至少要有3名正式党员"
    )
    response = api.post(
        "/api/v1/party-organizations/",
        {"name": "", "level": "nope", "formation": "joint", "region": places.community11.pk,
         "established_on": "yesterday", "full_member_count": -5},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"name", "level", "established_on", "full_member_count"}
    assert all(re.search("[\u4e00-\u9fff]", message) for messages in errors.values() for message in messages)
    # Another district's region or organization answers like one that does not exist.
    response = api.post(
        "/api/v1/party-organizations/",
        {"name": "x", "level": "branch", "formation": "joint", "region": places.other_community.pk,
         "established_on": "2022-01-01", "organizations": [world["x"]["org"].pk, world["a"]["org"].pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and {"region", "organizations"} <= set(response.json()["errors"])
    assert not PartyOrganization.objects.filter(name="x").exists()


def test_contact_through_the_api(world, places, api_for):
    api = api_for("community_party")
    org = world["a"]["org"]
    data = {"organization": org.pk, "contacted_on": timezone.localdate().isoformat(), "form": "visit",
            "topics": "了解党员发展", "attachments": [upload("记录.pdf", PDF)]}  # fmt: skip
    response = api.post("/api/v1/contact-records/", data, format="multipart")
    assert response.status_code == 201, response.json()
    contact = response.json()
    assert contact["party_organization"] == world["a"]["body"].pk
    assert [a["original_name"] for a in contact["attachments"]] == ["记录.pdf"]
    # The same form twice: a 400 saying it is recorded, not a 500 nor a second record.
    data["attachments"] = [upload("记录.pdf", PDF)]
    response = api.post("/api/v1/contact-records/", data, format="multipart")
    assert response.status_code == 400 and "已经记录" in response.json()["errors"]["contacted_on"][0]
    assert ContactRecord.objects.filter(organization=org).count() == 2  # the world's and this one
    # Outside the secretary's subtree: 403 with the reason; another district's organization: 400.
    response = api.post("/api/v1/contact-records/", {**data, "organization": world["b"]["org"].pk, "attachments": []},
                        format="multipart")  # fmt: skip
    assert response.status_code in (400, 403)
    response = api.post("/api/v1/contact-records/", {"organization": org.pk, "contacted_on": "2099-01-01",
                                                     "form": "letter", "topics": ""}, format="json")  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"form", "topics"} or set(errors) >= {"form", "topics"}
    response = api.patch(f"/api/v1/contact-records/{contact['id']}/", {"follow_up": "再访"}, format="json")
    assert response.json()["follow_up"] == "再访"
    response = api.post(f"/api/v1/contact-records/{contact['id']}/attach/", {"file": upload("x.pdf", b"MZ")},
                        format="multipart")  # fmt: skip
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert (
        api_for("other_district_admin")
        .patch(f"/api/v1/contact-records/{contact['id']}/", {"follow_up": "x"}, format="json")
        .status_code
        == 404
    )
    org_api = api_for(make_org_user(org))
    assert org_api.post("/api/v1/contact-records/", {**data, "attachments": []}, format="multipart").status_code == 403


def test_a_street_secretary_records_for_the_streets_community(world, places, api_for):
    api = api_for(make_secretary(places.street1))
    data = {"organization": world["a"]["org"].pk, "form": "phone", "contacted_on": timezone.localdate().isoformat(),
            "topics": "电话了解"}  # fmt: skip
    response = api.post("/api/v1/contact-records/", data, format="json")
    assert response.status_code == 201, response.json()


def test_coverage_activity_and_meeting_writes(world, places, api_for):
    api = api_for("community_party")
    org = world["a"]["org"]
    response = api.post("/api/v1/party-coverages/", {"organization": org.pk, "form": "none", "full_party_members": 3,
                                                    "no_party_reason": "党员流动"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["instructor"] == "王指导员"  # carried over
    response = api.post("/api/v1/party-coverages/", {"organization": org.pk, "form": "joint"}, format="json")
    assert response.status_code == 400 and "党组织" in response.json()["errors"]["party_organization"][0]
    response = api.post("/api/v1/party-coverages/", {"organization": world["x"]["org"].pk, "form": "none"},
                        format="json")  # fmt: skip
    assert response.status_code == 400 and "organization" in response.json()["errors"]
    body = world["a"]["body"]
    response = api.post("/api/v1/party-activities/", {"kind": "party_lesson", "held_on": "2026-01-10",
                        "host": body.pk, "topic": "党课", "head_count": 12, "organizations": [org.pk]},
                        format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == places.community11.pk
    response = api.post("/api/v1/party-activities/", {"kind": "party_lesson", "held_on": "2026-01-10",
                        "host": body.pk, "topic": "党课", "head_count": 10**7}, format="json")  # fmt: skip
    assert response.status_code == 400 and "head_count" in response.json()["errors"]
    response = api.post("/api/v1/joint-meetings/", {"host": body.pk, "held_on": "2026-01-10", "topic": "联席会",
                        "decisions": [{"content": "共建阵地", "due_on": "2026-06-30"}]}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    meeting = response.json()
    decision = meeting["decisions"][0]
    assert decision["status"] == "open" and [t["name"] for t in decision["transitions"]] == ["complete"]
    url = f"/api/v1/joint-meetings/{meeting['id']}/complete/"
    response = api.post(url, {"decision": decision["id"], "follow_up": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = api.post(url, {"decision": decision["id"], "follow_up": "已落实"}, format="json")
    assert response.json()["decisions"][0]["status"] == "done"
    other_decision = world["b"]["meeting"].decisions.get()
    assert api.post(url, {"decision": other_decision.pk, "follow_up": "x"}, format="json").status_code == 404
    response = api.post(f"/api/v1/joint-meetings/{meeting['id']}/decisions/", {"content": "再议"}, format="json")
    assert response.status_code == 201 and len(response.json()["decisions"]) == 2
    assert (
        api_for("other_district_admin")
        .post(f"/api/v1/joint-meetings/{meeting['id']}/decisions/", {"content": "x"}, format="json")
        .status_code
        == 404
    )


def test_malformed_references_and_bodies_are_400_not_500(world, places, api_for):
    api = api_for("community_party")
    body = world["a"]["body"].pk
    for url, data in (
        ("/api/v1/party-organizations/", {"region": 10**12, "organizations": ["abc"], "parent": -1}),
        ("/api/v1/party-organizations/", {"organizations": "x", "established_on": "2022-02-30"}),
        ("/api/v1/party-coverages/", {"organization": 10**15, "valid_from": "1800-01-01"}),
        ("/api/v1/contact-records/", {"organization": "NaN", "contacted_on": ""}),
        ("/api/v1/joint-meetings/", {"host": body, "held_on": "2026-01-01", "topic": "x", "decisions": "x"}),
        ("/api/v1/joint-meetings/", {"host": body, "held_on": "2026-01-01", "topic": "x", "decisions": [{}]}),
        (f"/api/v1/joint-meetings/{world['a']['meeting'].pk}/complete/", {"decision": 10**12}),
    ):
        response = api.post(url, data, format="json")
        assert response.status_code == 400, (url, response.content)
