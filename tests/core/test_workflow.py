"""A workflow step someone else has already taken: the loser is told “已由他人处理” and the state now —
a message and a redirect on the pages, 409 in the API — in every workflow, never a 403; a step the
user never had is still refused as before."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Role
from core.models import AuditRecord
from core.testing import run_concurrently, split_outcomes
from core.workflows import StaleTransition, reachable
from projects import services as project_services
from registry import services as registry_services
from registry.choices import ApplicationAction, ApplicationState

from ..accounts.factories import make_user
from ..projects.factories import make_entry, make_project
from ..registry.factories import make_application, make_org_user, make_organization
from ..supervision.factories import make_submitted_report


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_reachable_follows_transitions_from_the_sources():
    edges = [("draft", "submitted"), ("submitted", "accepted"), ("submitted", "returned"), ("returned", "submitted")]
    assert reachable(edges, ["submitted"]) == {"accepted", "returned", "submitted"}
    assert reachable(edges, ["accepted"]) == frozenset()
    assert "draft" not in reachable(edges, ["draft"])


# ---------------------------------------------------------------------------------------- registry


@pytest.fixture
def filing(users):
    application = make_application(users["org_user"])
    return registry_services.application_submit(application=application, by=users["org_user"])


@pytest.fixture
def second_officer(places):
    return make_user(Role.STREET_OFFICER, places.street1, full_name="街道干部乙")


def test_second_street_officer_is_told_the_filing_was_passed_on(filing, users, second_officer):
    url = reverse("registry:application_transition", args=[filing.pk, "approve"])
    assert logged_in(users["street_officer"]).post(url).status_code == 302
    loser = logged_in(second_officer).post(url, follow=True)
    # Not a 403 page: the application page, with what happened.
    assert loser.status_code == 200
    assert loser.redirect_chain == [(filing.get_absolute_url(), 302)]
    content = loser.content.decode()
    assert "已由他人处理，当前状态：民政局审核" in content
    assert str(users["street_officer"]) in content
    filing.refresh_from_db()
    assert filing.state == ApplicationState.BUREAU_REVIEW
    assert filing.steps.filter(action=ApplicationAction.APPROVE).count() == 1


def test_second_bureau_approval_is_told_it_is_approved(filing, users):
    filing = registry_services.application_approve(application=filing, by=users["street_officer"])
    url = reverse("registry:application_transition", args=[filing.pk, "approve"])
    assert logged_in(users["bureau_staff"]).post(url).status_code == 302
    loser = logged_in(users["bureau_admin"]).post(url, follow=True)
    assert loser.status_code == 200
    assert any(m.startswith("已由他人处理，当前状态：已核准") for m in page_messages(loser))
    assert filing.steps.filter(action=ApplicationAction.APPROVE).count() == 2  # street, then bureau


def test_api_answers_409_to_the_second_approval(filing, users, second_officer):
    url = reverse("api:application-approve", args=[filing.pk])
    assert api(users["street_officer"]).post(url, {}, format="json").status_code == 200
    loser = api(second_officer).post(url, {}, format="json")
    assert loser.status_code == 409
    body = loser.json()
    assert body["detail"].startswith("已由他人处理，当前状态：民政局审核")
    assert body["errors"]["state"] == [body["detail"]]


def test_a_step_the_user_never_had_is_still_refused(filing, users):
    # The bureau does not take the street's step: 403 as before, not "handled".
    url = reverse("registry:application_transition", args=[filing.pk, "approve"])
    assert logged_in(users["bureau_staff"]).post(url).status_code == 403
    assert api(users["bureau_staff"]).post(reverse("api:application-approve", args=[filing.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        registry_services.application_approve(application=filing, by=users["bureau_staff"])
    filing.refresh_from_db()
    assert filing.state == ApplicationState.STREET_REVIEW


@pytest.mark.django_db(transaction=True)
def test_two_street_officers_approve_at_once(places):
    org_user = make_user(Role.ORG_USER, places.community11)
    officers = [make_user(Role.STREET_OFFICER, places.street1, full_name=f"街道干部{n}") for n in "甲乙"]
    application = registry_services.application_submit(application=make_application(org_user), by=org_user)
    results = run_concurrently(
        *[lambda o=o: registry_services.application_approve(application=application, by=o) for o in officers]
    )
    winners, losers = split_outcomes(results)
    assert len(winners) == 1 and len(losers) == 1
    # The loser waited for the winner's row lock and found the application passed on: not a 403.
    assert isinstance(losers[0], StaleTransition), losers[0]
    assert losers[0].messages[0].startswith("已由他人处理，当前状态：民政局审核")
    assert application.steps.filter(action=ApplicationAction.APPROVE).count() == 1


# ---------------------------------------------------------------------------------------- projects


@pytest.fixture
def project_world(places):
    org = make_organization(places.community11, name="一社区为老服务社")
    org_user = make_org_user(org)
    return org, org_user, make_project(org, places.street1, title="银龄互助项目")


def test_second_acceptance_of_a_ledger_entry_through_the_page_and_the_api(project_world, users, second_officer):
    _org, org_user, project = project_world
    entry = make_entry(project, org_user, submit=True)
    url = reverse("projects:ledgerentry_action", args=[entry.pk, "accept"])
    assert logged_in(users["street_officer"]).post(url).status_code == 302
    loser = logged_in(second_officer).post(url, follow=True)
    assert loser.status_code == 200
    assert loser.redirect_chain[0][1] == 302
    assert any(m.startswith("已由他人处理，当前状态：已受理") for m in page_messages(loser))
    response = api(second_officer).post(f"/api/v1/ledger-entries/{entry.pk}/return/", {"reason": "缺少签到表"})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("已由他人处理，当前状态：已受理")
    entry.refresh_from_db()
    assert entry.status == "accepted" and entry.review_reason == ""
    transitions = AuditRecord.objects.filter(
        content_type__model="ledgerentry", object_id=str(entry.pk), action="transition"
    )
    assert transitions.count() == 2  # submit, accept


def test_a_draft_entry_cannot_be_accepted_and_that_is_not_a_conflict(project_world, users):
    _org, org_user, project = project_world
    entry = make_entry(project, org_user)
    response = api(users["street_officer"]).post(f"/api/v1/ledger-entries/{entry.pk}/accept/")
    assert response.status_code == 400
    assert "已由他人处理" not in response.json()["detail"]


def test_second_project_transition_and_budget_adjustment_decision(project_world, users, second_officer):
    _org, org_user, project = project_world
    close = reverse("projects:project_transition", args=[project.pk, "terminate"])
    assert logged_in(users["street_officer"]).post(close, {"reason": "组织无力继续实施"}).status_code == 302
    loser = logged_in(second_officer).post(close, {"reason": "重复操作"}, follow=True)
    assert loser.status_code == 200
    assert any(m.startswith("已由他人处理，当前状态：已终止") for m in page_messages(loser))
    response = api(second_officer).post(f"/api/v1/projects/{project.pk}/transition/", {"name": "start"})
    assert response.status_code == 409 and "当前状态：已终止" in response.json()["detail"]

    running = make_project(project.organization, project.funder, title="睦邻项目")
    lines = list(running.budget_lines.order_by("pk"))
    adjustment = project_services.budget_adjustment_propose(
        project=running, by=org_user, from_line=lines[0], to_line=lines[1], amount="100.00", reason="活动调整"
    )
    decide = reverse("projects:budgetadjustment_decide", args=[adjustment.pk, "approve"])
    assert logged_in(users["street_officer"]).post(decide).status_code == 302
    loser = logged_in(second_officer).post(decide, follow=True)
    assert loser.status_code == 200
    assert any(m.startswith("已由他人处理，当前状态：已批准") for m in page_messages(loser))


def test_second_decision_on_a_major_activity_report(project_world, users):
    org, org_user, _project = project_world
    report = project_services.major_activity_report_create(
        by=org_user,
        organization=org,
        title="社区邻里节",
        place="社区广场",
        planned_date=timezone.localdate() + dt.timedelta(days=30),
        expected_participants=300,
        content="邻里节游园活动",
    )
    url = reverse("projects:majoractivity_action", args=[report.pk, "acknowledge"])
    assert logged_in(users["bureau_staff"]).post(url).status_code == 302
    loser = logged_in(users["bureau_admin"]).post(url, follow=True)
    assert loser.status_code == 200
    assert any(m.startswith("已由他人处理，当前状态：已知悉") for m in page_messages(loser))
    response = api(users["bureau_admin"]).post(f"/api/v1/major-activities/{report.pk}/object/", {"reason": "场地不足"})
    assert response.status_code == 409


# ---------------------------------------------------------------------------------- annual reports


def test_second_review_of_an_annual_report(places, users):
    org = make_organization(places.community11)
    report = make_submitted_report(org, by=make_org_user(org))
    url = reverse("supervision:annualreport_transition", args=[report.pk, "conclude"])
    decision = {"conclusion": "pass", "remarks": ""}
    assert logged_in(users["bureau_staff"]).post(url, decision).status_code == 302
    returning = reverse("supervision:annualreport_transition", args=[report.pk, "return"])
    loser = logged_in(users["bureau_admin"]).post(returning, {"reason": "请补充"}, follow=True)
    assert loser.status_code == 200
    assert any(m.startswith("已由他人处理，当前状态：已出结论") for m in page_messages(loser))
    response = api(users["bureau_admin"]).post(
        f"/api/v1/annual-reports/{report.pk}/conclude/", {"conclusion": "fail", "remarks": "不合格"}
    )
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.conclusion == "pass" and report.review_reason == ""
