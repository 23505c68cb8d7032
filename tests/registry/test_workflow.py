"""Applications on the shared workflow engine (core.workflows): a decision is told to the
organization (core.notifications), the page and the API list the steps from the same
`APPLICATION.offers`, each allowed or with the reason it is not."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from core.models import Notification
from core.workflows import StaleTransition
from registry import services
from registry.choices import ApplicationKind, ApplicationState
from registry.workflows import APPLICATION

from ..accounts.factories import make_user
from .factories import make_application, make_org_user, make_organization


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def filing(users):
    application = make_application(users["org_user"], ApplicationKind.FILE, name="一社区银龄互助队")
    return services.application_submit(application=application, by=users["org_user"])


def notices(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_the_bureaus_approval_of_a_filing_is_told_to_the_organizations_user(filing, users):
    org_user = users["org_user"]
    assert notices(org_user) == []  # the submission is the organization's own step
    filing = services.application_approve(application=filing, by=users["street_officer"])
    assert len(notices(org_user)) == 1 and "民政局审核" in notices(org_user)[0]
    services.application_approve(application=filing, by=users["bureau_staff"])
    latest = Notification.objects.filter(recipient=org_user).latest("pk")
    assert "已核准" in latest.title and filing.number in latest.title and "一社区银龄互助队" in latest.title
    assert latest.url == filing.get_absolute_url()
    # Nobody is told of their own step, and the reviewers are not the audience.
    assert notices(users["bureau_staff"]) == [] and notices(users["street_officer"]) == []


def test_a_rejection_is_told_with_its_reason(filing, users):
    services.application_reject(application=filing, by=users["street_officer"], reason="活动场所证明不实")
    (title,) = notices(users["org_user"])
    assert "不予核准" in title and "活动场所证明不实" in title


def test_every_account_of_an_existing_organization_is_told(users, places):
    org = make_organization(places.community11, name="二社区书画社")
    first, second = make_org_user(org), make_org_user(org)
    application = make_application(
        first, ApplicationKind.CHANGE, organization=org, phone="0571-86012345", member_count=40
    )
    application = services.application_submit(application=application, by=first)
    services.application_return(application=application, by=users["bureau_staff"], reason="请补充理事会决议")
    for user in (first, second):
        (title,) = notices(user)
        assert "退回" in title
        assert "请补充理事会决议" in title


def test_refusals_and_a_double_click_tell_nobody(filing, users):
    with pytest.raises(PermissionDenied):
        services.application_approve(application=filing, by=users["bureau_staff"])  # the street's step
    with pytest.raises(ValidationError) as missing:
        services.application_reject(application=filing, by=users["street_officer"], reason=" ")
    assert "原因" in " ".join(missing.value.messages)
    services.application_approve(application=filing, by=users["street_officer"])
    with pytest.raises(StaleTransition):
        services.application_approve(application=filing, by=users["street_officer"])
    assert len(notices(users["org_user"])) == 1


def test_the_street_never_reviews_a_registration(users, places):
    """The street's rule depends on what the application is, not on its state: a registration goes
    to the bureau, and a street officer's "approve" is refused (403), not "already handled"."""
    clerk = users["bureau_staff"]
    application = make_application(clerk, ApplicationKind.ESTABLISH, region=places.community11)
    application = services.application_submit(application=application, by=clerk)
    assert application.state == ApplicationState.BUREAU_REVIEW
    with pytest.raises(PermissionDenied) as refusal:
        services.application_approve(application=application, by=users["street_officer"])
    assert not isinstance(refusal.value, StaleTransition)
    response = api(users["street_officer"]).post(reverse("api:application-approve", args=[application.pk]))
    assert response.status_code == 403


def test_api_detail_lists_the_steps_with_the_reason_for_a_refused_one(filing, users):
    url = reverse("api:application-detail", args=[filing.pk])
    street = api(users["street_officer"]).get(url).json()["transitions"]
    assert [(t["name"], t["allowed"], t["needs_reason"]) for t in street] == [
        ("approve", True, False),
        ("return", True, True),
        ("reject", True, True),
    ]
    assert street[0]["label"] == str(APPLICATION.find("approve", ApplicationState.STREET_REVIEW).label)
    applicant = api(users["org_user"]).get(url).json()["transitions"]
    assert {t["name"] for t in applicant} == {"approve", "return", "reject"}
    assert not any(t["allowed"] for t in applicant)
    assert all("街道" in t["reason"] for t in applicant)
    # The action's answer carries the steps of the new state, for the one who took it.
    moved = api(users["street_officer"]).post(reverse("api:application-approve", args=[filing.pk]), {}, format="json")
    assert moved.status_code == 200
    after = moved.json()["transitions"]
    assert after and not any(t["allowed"] for t in after)


def test_api_refuses_a_decision_by_its_author(users, places):
    clerk = users["bureau_staff"]
    application = make_application(clerk, ApplicationKind.ESTABLISH, region=places.community11)
    application = services.application_submit(application=application, by=clerk)
    body = api(clerk).get(reverse("api:application-detail", args=[application.pk])).json()
    approve = next(t for t in body["transitions"] if t["name"] == "approve")
    assert approve["allowed"] is False and "须由他人作出决定" in approve["reason"]
    colleague = make_user("bureau_admin", places.district)
    allowed = api(colleague).get(reverse("api:application-detail", args=[application.pk])).json()["transitions"]
    assert all(t["allowed"] for t in allowed)
    missing = api(colleague).post(reverse("api:application-reject", args=[application.pk]), {}, format="json")
    assert missing.status_code == 400 and "原因" in str(missing.json())


def test_the_page_renders_the_steps_with_the_core_fragment(filing, users, client_for):
    page = client_for("street_officer").get(filing.get_absolute_url()).content.decode()
    assert 'id="transitions"' in page
    for name in ("approve", "return", "reject"):
        assert f'id="transition-{name}"' in page
        assert f'action="{reverse("registry:application_transition", args=[filing.pk, name])}"' in page
    assert 'id="reason-approve"' in page  # an optional opinion on passing it on
    applicant_page = client_for("org_user").get(filing.get_absolute_url()).content.decode()
    assert 'id="transition-approve"' not in applicant_page
    assert 'id="why-not-approve"' in applicant_page
