"""The five projects workflows on the one engine: the organization is told of each decision on its
records (with the reason), the one who decided is not, a refused step tells no one, and the pages
and the API offer the steps from the same declaration."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from rest_framework.test import APIClient

from core.models import AuditRecord, Notification
from core.workflows import StaleTransition
from projects import services
from projects.choices import EntryStatus

from .factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def notices(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_returning_an_entry_tells_the_organization_why_and_not_the_reviewer(world):
    entry = make_entry(world.project, world.org_user, submit=True, title="重阳敬老")
    services.ledger_entry_return(entry=entry, by=world.street_officer, reason="缺少签到表")
    [notice] = notices(world.org_user, "projects.ledger_entry")
    assert "缺少签到表" in notice.title and "重阳敬老" in notice.title
    assert notice.url == entry.get_absolute_url()
    assert not Notification.objects.filter(recipient=world.street_officer).exists()
    assert not notices(world.other_org_user, "projects.ledger_entry")


def test_refused_decisions_tell_no_one(world, users):
    entry = make_entry(world.project, world.org_user, submit=True)
    with pytest.raises(PermissionDenied):
        services.ledger_entry_return(entry=entry, by=users["bureau_staff"], reason="缺少签到表")
    with pytest.raises(ValidationError):
        services.ledger_entry_return(entry=entry, by=world.street_officer, reason="  ")
    services.ledger_entry_accept(entry=entry, by=world.street_officer)
    with pytest.raises(StaleTransition):
        services.ledger_entry_return(entry=entry, by=world.street_officer, reason="晚了")
    assert len(notices(world.org_user, "projects.ledger_entry")) == 1  # the acceptance only
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACCEPTED and entry.reviewed_by == world.street_officer


def test_the_submitter_is_not_told_of_their_own_submission(world):
    make_entry(world.project, world.org_user, submit=True)
    assert not Notification.objects.filter(kind="projects.ledger_entry").exists()


def test_an_approved_project_is_announced_to_its_organization(world):
    titles = [n.title for n in notices(world.org_user, "projects.project") if world.project.title in n.title]
    assert len(titles) == 1 and "批准" in titles[0]  # approved, then started: only the decision is told


def test_quarter_adjustment_and_major_activity_decisions_reach_the_organization(world, users):
    make_entry(world.project, world.org_user, date=dt.date(2026, 2, 2))
    submission = services.quarterly_submission_submit(
        project=world.project, by=world.org_user, year=2026, quarter=1, narrative="开展活动"
    )
    services.quarterly_submission_return(submission=submission, by=world.street_officer, reason="叙述过简")
    services.quarterly_submission_submit(
        project=world.project, by=world.org_user, year=2026, quarter=1, narrative="补充叙述"
    )
    services.quarterly_submission_accept(submission=submission, by=world.street_officer)
    titles = [n.title for n in notices(world.org_user, "projects.quarterly_submission")]
    assert len(titles) == 2 and any("叙述过简" in title for title in titles)

    lines = {line.name: line for line in world.project.budget_lines.all()}
    adjustment = services.budget_adjustment_propose(
        project=world.project,
        by=world.org_user,
        from_line=lines["活动费"],
        to_line=lines["人员费"],
        amount="100",
        reason="增加社工服务",
    )
    services.budget_adjustment_reject(adjustment=adjustment, by=world.street_officer, reason="理由不足")
    [notice] = notices(world.org_user, "projects.budget_adjustment")
    assert "理由不足" in notice.title

    report = services.major_activity_report_create(
        by=world.org_user,
        organization=world.org,
        title="社区邻里节",
        place="社区广场",
        planned_date=timezone.localdate() + dt.timedelta(days=30),
        expected_participants=300,
        content="邻里节游园活动",
    )
    services.major_activity_object(report=report, by=users["bureau_staff"], reason="场地容量不足")
    [notice] = notices(world.org_user, "projects.major_activity")
    assert "场地容量不足" in notice.title
    assert not Notification.objects.filter(recipient__in=[world.street_officer, users["bureau_staff"]]).exists()


def test_api_detail_of_an_entry_lists_its_transitions(world, users):
    entry = make_entry(world.project, world.org_user, submit=True)
    url = f"/api/v1/ledger-entries/{entry.pk}/"
    offered = {t["name"]: t for t in api(world.street_officer).get(url).json()["transitions"]}
    assert set(offered) == {"accept", "return"}
    assert offered["accept"]["allowed"] and offered["return"]["needs_reason"]
    assert offered["return"]["label"] == "退回"
    mine = {t["name"]: t for t in api(world.org_user).get(url).json()["transitions"]}
    assert not mine["accept"]["allowed"] and "资助方" in mine["accept"]["reason"]
    # Once decided, nothing is offered.
    api(world.street_officer).post(f"{url}accept/")
    assert api(world.street_officer).get(url).json()["transitions"] == []
    draft = make_entry(world.project, world.org_user)
    [submit] = api(world.org_user).get(f"/api/v1/ledger-entries/{draft.pk}/").json()["transitions"]
    assert submit["name"] == "submit" and submit["allowed"]


def test_entry_page_offers_the_steps_and_a_returned_entry_shows_why(world, client_as):
    entry = make_entry(world.project, world.org_user, submit=True)
    page = client_as(world.street_officer).get(entry.get_absolute_url()).content.decode()
    assert 'id="transition-accept"' in page and 'id="transition-return"' in page
    assert reverse("projects:ledgerentry_action", args=[entry.pk, "return"]) in page
    own = client_as(world.org_user).get(entry.get_absolute_url()).content.decode()
    assert 'id="transition-accept"' not in own
    response = client_as(world.street_officer).post(
        reverse("projects:ledgerentry_action", args=[entry.pk, "return"]), {"reason": "缺少签到表"}
    )
    assert response.status_code == 302
    page = client_as(world.org_user).get(entry.get_absolute_url()).content.decode()
    assert "缺少签到表" in page
    audit = AuditRecord.objects.filter(object_id=str(entry.pk), action="transition").order_by("pk")
    assert [r.message for r in audit][-1] == "退回：缺少签到表"
