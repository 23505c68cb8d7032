"""The party app's demo (`manage.py seed_demo`): party organizations of each formation and the area
bodies, coverage of every kind including a 应建未建 organization, contacts with some organizations
overdue, activities and a joint meeting with a decision done; run twice, the second run adds nothing.
seed_demo is slow, so it runs once for the module (twice, to check the second run)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from core.models import AuditRecord, Notification
from party import selectors
from party.choices import DecisionStatus, Formation, PartyOrganizationStatus
from party.conf import standalone_minimum_members, term_warning_days
from party.models import (
    ContactRecord,
    JointMeeting,
    MeetingDecision,
    PartyActivity,
    PartyCoverage,
    PartyOrganization,
)
from registry.choices import PartyForm
from supervision.models import AnnualReport
from supervision.selectors import party_difference

MODELS = (PartyOrganization, PartyCoverage, ContactRecord, PartyActivity, JointMeeting, MeetingDecision)


def _counts() -> dict:
    return {
        **{model.__name__: model.objects.count() for model in MODELS},
        "notifications": Notification.objects.count(),
        "audit": AuditRecord.objects.count(),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        first = _counts()
        call_command("seed_demo", stdout=io.StringIO())
        yield {"first": first, "second": _counts()}
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


pytestmark = pytest.mark.django_db


def test_a_second_run_adds_nothing(demo):
    assert demo["second"] == demo["first"]
    assert demo["first"]["PartyOrganization"] >= 18


def test_party_organizations_of_each_formation(demo):
    active = PartyOrganization.objects.filter(status=PartyOrganizationStatus.ACTIVE, is_area_body=False)
    assert set(active.values_list("formation", flat=True)) == set(Formation.values)
    standalone = active.filter(formation=Formation.STANDALONE).first()
    assert standalone.full_member_count >= standalone_minimum_members()
    assert PartyCoverage.objects.current().filter(party_organization=standalone).count() == 1
    joint = active.get(formation=Formation.JOINT)
    assert PartyCoverage.objects.current().filter(party_organization=joint, form=PartyForm.JOINT).count() >= 2
    alliance = active.get(formation=Formation.ALLIANCE)
    assert alliance.rotation and alliance.host_organization is not None
    members = PartyCoverage.objects.current().filter(party_organization=alliance).values_list("organization", flat=True)
    assert alliance.host_organization_id in set(members) and len(members) >= 2


def test_area_bodies_and_the_secretaries(demo):
    street = PartyOrganization.objects.get(name="北山街道党工委")
    community = PartyOrganization.objects.get(name="宝石社区党委")
    assert street.is_area_body and community.is_area_body and community.parent == street
    assert street.region.code == "330106001" and community.region.code == "330106001002"
    party = User.objects.get(username="party")
    assert (party.role, party.region.code, community.secretary) == (Role.COMMUNITY_PARTY, "330106001002", "刘书记")
    streetparty = User.objects.get(username="streetparty")
    assert (streetparty.role, streetparty.region.code) == (Role.COMMUNITY_PARTY, "330106001")
    assert streetparty.check_password("Demo@2026")
    # Each demo organization's responsible party body is recorded.
    org = community.region.organizations.first()
    assert selectors.responsible_body(org) == community


def test_terms_ending_within_the_warning_days(demo):
    soon = timezone.localdate() + timezone.timedelta(days=term_warning_days())
    due = PartyOrganization.objects.filter(status=PartyOrganizationStatus.ACTIVE, term_ends_on__lte=soon)
    assert due.count() >= 2


def test_coverage_of_every_form(demo):
    current = PartyCoverage.objects.current()
    assert set(current.values_list("form", flat=True)) == set(PartyForm.values)
    for row in current.filter(form=PartyForm.NONE):
        assert row.planned_on and row.no_party_reason
    assert current.filter(form=PartyForm.INSTRUCTOR).exclude(instructor="").exists()
    # History: the coverage in force at the end of last year differs from today's for some.
    year_end = timezone.localdate().replace(month=1, day=1) - timezone.timedelta(days=1)
    assert PartyCoverage.objects.as_of(year_end).count() == current.count()
    assert (
        PartyCoverage.objects.as_of(year_end).filter(form=PartyForm.INSTRUCTOR).count()
        > current.filter(form=PartyForm.INSTRUCTOR).count()
    )


def test_an_organization_should_form_its_own(demo):
    unformed = PartyCoverage.objects.current().filter(full_party_members__gte=3).exclude(form=PartyForm.STANDALONE)
    assert list(unformed.values_list("organization__name", flat=True)) == ["翠苑街道养老服务中心"]
    row = unformed.get()
    assert row.party_organization is None and row.form == PartyForm.INSTRUCTOR


def test_some_organizations_are_overdue_and_some_not(demo):
    today = timezone.localdate()
    overdue = set(selectors.overdue_organizations(today).values_list("name", flat=True))
    assert {"宝石社区邻里互助会", "保俶塔社区文体队", "杨公堤社区平安巡防队", "学院路社区科普服务社"} <= overdue
    assert not {"西湖区北山街道社会工作服务中心", "西湖区志愿者协会", "翠苑街道养老服务中心"} & overdue
    # The demo secretary's community has one overdue (her contact to record); the street's secretary sees three.
    baoshi = ContactRecord.objects.filter(organization__name="宝石社区邻里互助会").get()
    assert baoshi.recorded_by.username == "party" and baoshi.party_organization.name == "宝石社区党委"
    assert ContactRecord.objects.filter(recorded_by__username="streetparty").exists()


def test_activities_and_a_joint_meeting_with_a_decision_done(demo):
    assert PartyActivity.objects.count() >= 3
    assert all(activity.organizations.exists() for activity in PartyActivity.objects.all())
    meeting = JointMeeting.objects.get(topic="北山街道社会组织党建联席会议")
    assert meeting.organizations.count() == 4 and meeting.minutes
    statuses = sorted(meeting.decisions.values_list("status", flat=True))
    assert statuses == sorted([DecisionStatus.DONE, DecisionStatus.OPEN])
    done = meeting.decisions.get(status=DecisionStatus.DONE)
    assert done.follow_up and done.done_on


def test_the_reviewer_sees_a_report_differing_from_coverage(demo):
    report = AnnualReport.objects.get(organization__name="保俶塔社区文体队", year=timezone.localdate().year - 1)
    difference = party_difference(report)
    assert difference is not None
    status = next(row for row in difference["rows"] if row["field"] == "party_status")
    assert status["differs"] and status["recorded"] == str(PartyForm.INSTRUCTOR.label)
