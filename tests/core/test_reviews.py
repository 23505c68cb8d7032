"""Whoever created or submitted an item may not decide it (issue 8, item 7): applications, annual
report conclusions, ledger and quarter acceptance, budget adjustments; the page says why."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projects import services as project_services
from registry import services as registry_services
from registry.choices import ApplicationKind, ApplicationState
from supervision import services as supervision_services
from supervision.choices import AnnualReportConclusion, AnnualReportStatus

from ..accounts.factories import make_user
from ..projects.factories import make_project
from ..registry.factories import make_application, make_org_user, make_organization, make_uscc
from ..supervision.factories import make_submitted_report

REFUSAL = "您创建或提交了此事项，须由他人作出决定。"


def test_a_clerk_who_filed_an_application_may_not_approve_it_but_a_colleague_may(users, places, client_for):
    clerk, colleague = users["bureau_staff"], users["bureau_admin"]
    application = make_application(clerk, kind=ApplicationKind.ESTABLISH, region=places.community11)
    application = registry_services.application_submit(application=application, by=clerk)
    assert application.state == ApplicationState.BUREAU_REVIEW

    page = client_for("bureau_staff").get(reverse("registry:application_detail", args=[application.pk]))
    content = page.content.decode()
    assert REFUSAL in content
    assert f'action="{reverse("registry:application_transition", args=[application.pk, "approve"])}"' not in content

    response = client_for("bureau_staff").post(
        reverse("registry:application_transition", args=[application.pk, "approve"])
    )
    assert response.status_code in (302, 403)
    application.refresh_from_db()
    assert application.state == ApplicationState.BUREAU_REVIEW

    with pytest.raises(PermissionDenied):
        registry_services.application_transition(application=application, by=clerk, action="approve")
    approved = registry_services.application_transition(
        application=application, by=colleague, action="approve", uscc=make_uscc()
    )
    assert approved.state == ApplicationState.APPROVED


def test_the_submitter_of_a_filing_is_an_author_too(users, places):
    """Clerk A drafts, clerk B submits: neither decides."""
    drafter = users["bureau_staff"]
    submitter = make_user("bureau_staff", places.district)
    application = make_application(drafter, kind=ApplicationKind.ESTABLISH, region=places.community11)
    application = registry_services.application_submit(application=application, by=submitter)
    for author in (drafter, submitter):
        with pytest.raises(PermissionDenied) as refusal:
            registry_services.application_transition(application=application, by=author, action="return", reason="补正")
        assert str(refusal.value) == REFUSAL
    application.refresh_from_db()
    assert application.state == ApplicationState.BUREAU_REVIEW


def test_an_annual_report_filed_on_the_organizations_behalf_is_concluded_by_someone_else(users, places, client_for):
    clerk = users["bureau_staff"]
    org = make_organization(places.community11)
    report = make_submitted_report(org, by=clerk)
    page = client_for("bureau_staff").get(reverse("supervision:annualreport_detail", args=[report.pk]))
    assert REFUSAL in page.content.decode()
    with pytest.raises(PermissionDenied):
        supervision_services.annual_report_conclude(report=report, by=clerk, conclusion=AnnualReportConclusion.PASS)
    with pytest.raises(PermissionDenied):
        supervision_services.annual_report_return(report=report, by=clerk, reason="请补充")
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.SUBMITTED
    concluded = supervision_services.annual_report_conclude(
        report=report, by=users["bureau_admin"], conclusion=AnnualReportConclusion.PASS
    )
    assert concluded.status == AnnualReportStatus.CONCLUDED


def test_a_funder_who_proposed_a_budget_adjustment_may_not_approve_it(users, places, client_for):
    org = make_organization(places.community11)
    make_org_user(org)
    clerk = users["bureau_staff"]
    project = make_project(org, places.district)
    lines = list(project.budget_lines.order_by("pk"))
    adjustment = project_services.budget_adjustment_propose(
        project=project, by=clerk, from_line=lines[0], to_line=lines[1], amount="1000", reason="调整人员费"
    )
    page = client_for("bureau_staff").get(project.get_absolute_url())
    content = page.content.decode()
    assert REFUSAL in content
    assert reverse("projects:budgetadjustment_decide", args=[adjustment.pk, "approve"]) not in content
    with pytest.raises(PermissionDenied):
        project_services.budget_adjustment_approve(adjustment=adjustment, by=clerk)
    adjustment.refresh_from_db()
    assert adjustment.status == "proposed"
    assert project_services.budget_adjustment_approve(adjustment=adjustment, by=users["bureau_admin"]).status == (
        "approved"
    )
    # The colleague sees the buttons.
    other_page = client_for("bureau_admin").get(project.get_absolute_url())
    assert REFUSAL not in other_page.content.decode()


def test_the_rule_itself(users):
    from core import reviews

    clerk, colleague = users["bureau_staff"], users["bureau_admin"]

    class Item:
        created_by_id = clerk.pk
        submitted_by_id = None

    assert reviews.authors_of(Item()) == {clerk.pk}
    assert reviews.may_decide(clerk, reviews.authors_of(Item())) == (False, REFUSAL)
    assert reviews.may_decide(colleague, reviews.authors_of(Item())) == (True, "")
    assert reviews.may_decide(None, {clerk.pk}) == (True, "")
