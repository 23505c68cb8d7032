"""The party services: the formation rules, the coverage history, contacts and who may record them,
activities and meetings, the two workflows. Each refusal is asserted with the message a user sees,
and that nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditRecord
from party import services
from party.choices import ContactForm, DecisionStatus, Formation, PartyOrganizationStatus
from party.models import ContactAttachment, ContactRecord, PartyCoverage, PartyOrganization
from registry.choices import PartyForm

from ..accounts.factories import make_user
from ..registry.factories import PDF, make_organization, upload
from .factories import (
    make_area_body,
    make_contact,
    make_coverage,
    make_meeting,
    make_party_organization,
    make_secretary,
)

pytestmark = pytest.mark.django_db


def _messages(error) -> dict:
    return {field: " ".join(messages) for field, messages in error.value.message_dict.items()}


@pytest.fixture
def orgs(places):
    return {
        "a": make_organization(places.community11, name="一社区甲协会"),
        "b": make_organization(places.community11, name="一社区乙协会"),
        "c": make_organization(places.community12, name="二社区丙协会"),
        "street": make_organization(places.street1, name="一街道直属协会"),
        "other_street": make_organization(places.community21, name="二街道协会"),
        "other_district": make_organization(places.other_community, name="乙区协会"),
    }


# ------------------------------------------------------------------------- party organizations


def test_standalone_covers_its_organization_and_opens_coverage(users, places, orgs):
    body = services.party_organization_create(
        users["community_party"],
        organizations=[orgs["a"]],
        name="甲协会党支部",
        level="branch",
        formation=Formation.STANDALONE,
        region=places.community11,
        established_on=dt.date(2021, 5, 1),
        full_member_count=3,
    )
    coverage = PartyCoverage.objects.current().get(organization=orgs["a"])
    assert (coverage.form, coverage.party_organization) == (PartyForm.STANDALONE, body)
    assert services.covered_organizations(body) == [orgs["a"]]
    assert AuditRecord.objects.filter(object_id=str(body.pk), action="create").exists()


def test_standalone_with_fewer_than_three_full_members_is_refused(users, places, orgs):
    with pytest.raises(ValidationError) as error:
        services.party_organization_create(
            users["community_party"],
            organizations=[orgs["a"]],
            name="甲协会党支部",
            level="branch",
            formation=Formation.STANDALONE,
            region=places.community11,
            established_on=dt.date(2021, 5, 1),
            full_member_count=2,
        )
    assert "至少" in _messages(error)["full_member_count"] and "3" in _messages(error)["full_member_count"]
    assert not PartyOrganization.objects.exists() and not PartyCoverage.objects.exists()


def test_standalone_covering_two_organizations_is_refused(users, places, orgs):
    with pytest.raises(ValidationError) as error:
        make_party_organization(
            places.community11, by=users["community_party"], organizations=[orgs["a"], orgs["b"]],
            formation=Formation.STANDALONE,
        )  # fmt: skip
    assert "只覆盖一个" in _messages(error)["organizations"]
    assert not PartyOrganization.objects.exists()


def test_joint_covering_one_organization_is_refused(users, places, orgs):
    with pytest.raises(ValidationError) as error:
        make_party_organization(
            places.community11, by=users["community_party"], organizations=[orgs["a"]], formation=Formation.JOINT
        )
    assert "两个或以上" in _messages(error)["organizations"]
    assert not PartyCoverage.objects.exists()


def test_alliance_needs_its_host_among_its_organizations(users, places, orgs):
    with pytest.raises(ValidationError) as error:
        make_party_organization(
            places.street1, by=users["bureau_staff"], organizations=[orgs["a"], orgs["c"]],
            formation=Formation.ALLIANCE, host_organization=orgs["b"],
        )  # fmt: skip
    assert "一社区乙协会" in _messages(error)["host_organization"]


def test_covered_organizations_must_be_inside_the_node_and_the_users_subtree(users, places, orgs):
    with pytest.raises(ValidationError) as error:
        make_party_organization(
            places.community11, by=users["bureau_staff"], organizations=[orgs["a"], orgs["c"]],
        )  # fmt: skip
    assert "二社区丙协会" in _messages(error)["organizations"]
    # The bureau may cover two streets' organizations from the district; a street-level secretary
    # may not cover another street's organization, nor act at the district.
    assert make_party_organization(places.district, by=users["bureau_staff"],
                                   organizations=[orgs["a"], orgs["other_street"]]).pk  # fmt: skip
    street_secretary = make_secretary(places.street1)
    with pytest.raises(ValidationError) as error:
        make_party_organization(places.street1, by=street_secretary, organizations=[orgs["c"], orgs["other_district"]])
    assert "乙区协会" in _messages(error)["organizations"]
    with pytest.raises(PermissionDenied):
        make_party_organization(places.district, by=street_secretary, organizations=[orgs["b"], orgs["c"]])


def test_bad_values_name_their_field(users, places):
    with pytest.raises(ValidationError) as error:
        services.party_organization_create(
            users["community_party"], name="  ", level="nope", formation=Formation.JOINT, region=places.community11,
            established_on="not a date", full_member_count=-1, is_area_body=True,
        )  # fmt: skip
    messages = _messages(error)
    assert messages["name"].startswith("名称")
    assert messages["level"].startswith("层级")
    assert "2026-03-01" in messages["established_on"]
    assert messages["full_member_count"].startswith("正式党员")


def test_org_user_and_other_district_and_city_may_not_create(users, places):
    for name in ("org_user", "street_officer", "bureau_viewer", "other_district_admin"):
        with pytest.raises(PermissionDenied):
            make_area_body(places.community11, by=users[name])
    assert not PartyOrganization.objects.exists()


def test_update_changes_the_covered_set_through_coverage_history(users, places, orgs):
    body = make_party_organization(places.street1, by=users["bureau_staff"], organizations=[orgs["a"], orgs["b"]])
    make_coverage(orgs["b"], instructor="王指导员")
    before = PartyCoverage.objects.filter(organization=orgs["a"]).count()
    with pytest.raises(PermissionDenied):  # the body sits at the street, above the community's secretary
        services.party_organization_update(users["community_party"], body, name="新名称")
    body = services.party_organization_update(users["bureau_staff"], body, organizations=[orgs["b"], orgs["street"]],
                                              name="新名称")  # fmt: skip
    assert body.name == "新名称"
    a_now = PartyCoverage.objects.current().get(organization=orgs["a"])
    assert (a_now.form, a_now.party_organization) == (PartyForm.NONE, None)
    assert PartyCoverage.objects.filter(organization=orgs["a"]).count() == before + 1
    assert PartyCoverage.objects.filter(organization=orgs["a"], valid_to=timezone.localdate()).exists()
    assert sorted(o.name for o in services.covered_organizations(body)) == ["一社区乙协会", "一街道直属协会"]
    assert PartyCoverage.objects.current().get(organization=orgs["b"]).instructor == "王指导员"


def test_an_organization_covered_by_another_party_organization_is_refused(users, places, orgs):
    make_party_organization(places.community11, organizations=[orgs["a"]])
    with pytest.raises(ValidationError) as error:
        make_party_organization(places.community11, by=users["community_party"], organizations=[orgs["a"], orgs["b"]])
    assert "一社区甲协会" in _messages(error)["organizations"]


def test_dissolve_is_refused_while_covering_then_allowed(users, places, orgs):
    body = make_party_organization(places.community11, organizations=[orgs["a"], orgs["b"]])
    with pytest.raises(ValidationError) as error:
        services.party_organization_dissolve(users["community_party"], body, reason="合并")
    assert "仍覆盖" in _messages(error)["status"]
    with pytest.raises(ValidationError) as error:
        services.party_organization_dissolve(users["community_party"], body, reason="")
    assert "reason" in _messages(error)
    for organization in (orgs["a"], orgs["b"]):
        make_coverage(organization, form=PartyForm.NONE)
    with pytest.raises(PermissionDenied):
        services.party_organization_dissolve(users["org_user"], body, reason="合并")
    body = services.party_organization_dissolve(users["community_party"], body, reason="合并")
    assert body.status == PartyOrganizationStatus.DISSOLVED and body.dissolved_on == timezone.localdate()


# ------------------------------------------------------------------------------------- coverage


def test_coverage_history_as_of_a_day_before_a_change(users, places, orgs):
    first = make_coverage(orgs["a"], by=users["community_party"], valid_from=dt.date(2024, 1, 1),
                          form=PartyForm.INSTRUCTOR, instructor="王指导员", full_party_members=2)  # fmt: skip
    second = make_coverage(orgs["a"], by=users["community_party"], valid_from=dt.date(2025, 7, 1),
                           full_party_members=4, form=PartyForm.NONE, no_party_reason="指导员调离")  # fmt: skip
    first.refresh_from_db()
    assert first.valid_to == dt.date(2025, 7, 1)
    assert PartyCoverage.objects.as_of(dt.date(2025, 6, 30)).get(organization=orgs["a"]) == first
    assert PartyCoverage.objects.as_of(dt.date(2025, 7, 1)).get(organization=orgs["a"]) == second
    assert PartyCoverage.objects.current().get(organization=orgs["a"]) == second
    # Unchanged fields carry over.
    assert second.instructor == "王指导员"
    assert not PartyCoverage.objects.as_of(dt.date(2023, 12, 31)).filter(organization=orgs["a"]).exists()


def test_coverage_refusals(users, places, orgs):
    make_coverage(orgs["a"], valid_from=dt.date(2025, 7, 1))
    with pytest.raises(ValidationError) as error:
        make_coverage(orgs["a"], by=users["community_party"], valid_from=dt.date(2025, 6, 1))
    assert "生效" in _messages(error)["valid_from"]
    with pytest.raises(ValidationError) as error:
        make_coverage(orgs["a"], by=users["community_party"], form=PartyForm.JOINT)
    assert "party_organization" in _messages(error)
    with pytest.raises(ValidationError) as error:
        make_coverage(orgs["a"], by=users["community_party"], form="bogus", full_party_members="x")
    assert set(_messages(error)) == {"form", "full_party_members"}
    for name in ("org_user", "street_officer", "other_district_admin"):
        with pytest.raises(PermissionDenied):
            make_coverage(orgs["a"], by=users[name], form=PartyForm.NONE)
    assert PartyCoverage.objects.filter(organization=orgs["a"]).count() == 1


# ------------------------------------------------------------------------------------- contacts


def test_contact_stamps_the_responsible_body_and_attaches_files(users, places, orgs):
    body = make_area_body(places.community11)
    contact = services.contact_record(
        users["community_party"], orgs["a"], contacted_on=timezone.localdate(), form=ContactForm.PHONE,
        topics="了解党员情况", attachments=[upload("记录.pdf", PDF)],
    )  # fmt: skip
    assert contact.party_organization == body and contact.recorded_by == users["community_party"]
    assert contact.attachments.get().original_name == "记录.pdf"
    street_body = make_area_body(places.street1)
    assert make_contact(orgs["street"]).party_organization == street_body


def test_contact_outside_the_secretarys_subtree_is_refused(users, places, orgs):
    for organization in (orgs["c"], orgs["other_district"]):
        with pytest.raises(PermissionDenied):
            make_contact(organization, by=users["community_party"])
    assert not ContactRecord.objects.exists()


def test_a_street_level_secretary_records_for_the_streets_communities(places, orgs):
    street_secretary = make_secretary(places.street1)
    assert make_contact(orgs["a"], by=street_secretary).organization == orgs["a"]
    assert make_contact(orgs["c"], by=street_secretary).organization == orgs["c"]
    assert make_contact(orgs["street"], by=street_secretary).organization == orgs["street"]
    with pytest.raises(PermissionDenied):
        make_contact(orgs["other_street"], by=street_secretary)


def test_org_user_street_officer_staff_and_other_district_may_not_record(users, orgs):
    for name in ("org_user", "street_officer", "bureau_staff", "bureau_viewer", "other_district_admin"):
        with pytest.raises(PermissionDenied):
            make_contact(orgs["a"], by=users[name])
    assert make_contact(orgs["a"], by=users["bureau_admin"]).pk


def test_double_submission_of_the_same_contact_is_refused_not_an_error(users, orgs):
    values = {"contacted_on": timezone.localdate(), "form": ContactForm.VISIT, "topics": "走访了解"}
    services.contact_record(users["community_party"], orgs["a"], **values)
    with pytest.raises(ValidationError) as error:
        services.contact_record(users["community_party"], orgs["a"], **values)
    assert "已经记录" in _messages(error)["contacted_on"]
    assert ContactRecord.objects.count() == 1


def test_contact_bad_input_names_fields(users, orgs):
    with pytest.raises(ValidationError) as error:
        services.contact_record(
            users["community_party"], orgs["a"], contacted_on=timezone.localdate() + dt.timedelta(days=1),
            form="letter", topics="", attachments=[upload("x.exe", b"MZ\x00\x00")],
        )  # fmt: skip
    messages = _messages(error)
    assert set(messages) == {"contacted_on", "form", "topics", "attachments"}
    assert "未来" in messages["contacted_on"] and messages["topics"].startswith("联系内容")
    assert not ContactRecord.objects.exists() and not ContactAttachment.objects.exists()


def test_contact_update_and_attach(users, orgs):
    contact = make_contact(orgs["a"], by=users["community_party"])
    contact = services.contact_update(users["community_party"], contact, follow_up="下季度再访")
    assert contact.follow_up == "下季度再访"
    assert services.contact_attach(users["community_party"], contact, upload("照片.pdf", PDF)).contact == contact
    with pytest.raises(ValidationError):
        services.contact_attach(users["community_party"], contact, None)
    with pytest.raises(PermissionDenied):
        services.contact_update(users["org_user"], contact, follow_up="x")


# --------------------------------------------------------------------- activities and meetings


def test_activity_takes_the_hosts_region_and_refuses_outside_organizations(users, places, orgs):
    host = make_area_body(places.community11)
    activity = services.activity_record(
        users["community_party"], host=host, kind="party_lesson", held_on=timezone.localdate(), topic="党课",
        head_count=30, organizations=[orgs["a"], orgs["b"]],
    )  # fmt: skip
    assert activity.region == places.community11 and activity.organizations.count() == 2
    with pytest.raises(ValidationError) as error:
        services.activity_update(users["community_party"], activity, organizations=[orgs["other_district"]])
    assert "乙区协会" in _messages(error)["organizations"]
    with pytest.raises(PermissionDenied):
        services.activity_update(users["other_district_admin"], activity, topic="x")


def test_meeting_with_decisions_and_their_follow_up(users, places, orgs):
    host = make_area_body(places.street1)
    meeting = make_meeting(
        host, by=users["bureau_staff"], organizations=[orgs["a"], orgs["c"]],
        decisions=[{"content": "共建活动阵地", "responsible": "张三", "due_on": dt.date(2026, 12, 31)}],
        minutes_file=upload("纪要.pdf", PDF),
    )  # fmt: skip
    assert meeting.minutes_file.name.endswith(".pdf")
    decision = meeting.decisions.get()
    with pytest.raises(ValidationError):
        services.decision_complete(users["bureau_staff"], decision, follow_up="")
    with pytest.raises(PermissionDenied):  # the meeting is the street's, above the community's secretary
        services.decision_complete(users["community_party"], decision, follow_up="做了")
    decision = services.decision_complete(users["bureau_staff"], decision, follow_up="阵地已启用")
    assert (decision.status, decision.follow_up, decision.done_on) == (
        DecisionStatus.DONE, "阵地已启用", timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.decision_complete(users["bureau_staff"], decision, follow_up="again")
    with pytest.raises(ValidationError) as error:
        services.decision_add(users["bureau_staff"], meeting, content="")
    assert "content" in _messages(error)
    with pytest.raises(PermissionDenied):
        services.decision_add(make_user("community_party", places.community21), meeting, content="x")


def test_a_party_organization_recorded_late_covers_from_a_past_day(users, places, orgs):
    """Recording a party organization formed years ago: its organizations are covered from the day given,
    so coverage as of a past date (and the statistics of that day) count it; a day before it was formed,
    or in the future, is refused with nothing written."""
    values = {
        "name": "甲乙联合党支部",
        "level": "branch",
        "formation": Formation.JOINT,
        "region": places.community11,
        "established_on": dt.date(2021, 5, 1),
        "full_member_count": 4,
    }
    for day, words in ((dt.date(2021, 4, 30), "成立"), (timezone.localdate() + dt.timedelta(days=1), "晚于今天")):
        with pytest.raises(ValidationError) as error:
            services.party_organization_create(
                users["community_party"], organizations=[orgs["a"], orgs["b"]], covers_from=day, **values
            )
        assert words in _messages(error)["covers_from"]
    assert not PartyOrganization.objects.exists() and not PartyCoverage.objects.exists()
    body = services.party_organization_create(
        users["community_party"], organizations=[orgs["a"], orgs["b"]], covers_from=dt.date(2021, 6, 1), **values
    )
    in_force = PartyCoverage.objects.as_of(dt.date(2022, 1, 1)).filter(party_organization=body)
    assert sorted(c.organization.name for c in in_force) == ["一社区乙协会", "一社区甲协会"]
    assert not PartyCoverage.objects.as_of(dt.date(2021, 5, 31)).filter(party_organization=body).exists()
    # Letting one go cannot rewrite the history before the day its coverage began.
    with pytest.raises(ValidationError) as error:
        services.party_organization_update(
            users["community_party"], body, organizations=[orgs["a"], orgs["c"]], covers_from=dt.date(2021, 1, 1)
        )
    assert "covers_from" in _messages(error)


def test_a_node_has_one_responsible_party_body(users, places):
    """Contacts with an organization are the duty of exactly one body: a second active area body at the
    same node is refused with the first one named (and the database holds the rule too)."""
    first = make_area_body(places.community11, by=users["community_party"], name="一社区党委")
    with pytest.raises(ValidationError) as error:
        make_area_body(places.community11, by=users["community_party"], name="一社区第二党委")
    assert "一社区党委" in _messages(error)["is_area_body"]
    assert list(PartyOrganization.objects.filter(is_area_body=True, region=places.community11)) == [first]
