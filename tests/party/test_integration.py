"""The annual report's party section pre-filled from party coverage, and a difference flagged to the
reviewer (issue 11) — through the registry's extension point, supervision never importing party."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from party.choices import Formation, PartyLevel
from party.models import PartyCoverage, PartyOrganization
from registry import extensions
from registry.choices import LegalForm, PartyForm
from supervision import services
from supervision.choices import AnnualReportStatus

from ..registry.factories import make_org_user, make_organization
from ..supervision.factories import REPORT_DATA

pytestmark = pytest.mark.django_db

WITHOUT_PARTY = {k: v for k, v in REPORT_DATA.items() if k not in ("party_status", "party_member_count")}


def _party_organization(region, name="联合党支部"):
    return PartyOrganization.objects.create(
        name=name, level=PartyLevel.BRANCH, formation=Formation.JOINT, region=region,
        established_on=dt.date(2015, 1, 1), full_member_count=5,
    )  # fmt: skip


@pytest.fixture
def org(places):
    """Covered by a joint branch with 2 + 1 party members through 2025; since 1 March 2026 by an
    instructor only, with 1 member (the current row differs from the one in force at the end of 2025)."""
    org = make_organization(places.community11, name="夕阳红服务队", established_on=dt.date(2018, 3, 1))
    branch = _party_organization(places.community11)
    PartyCoverage.objects.create(
        organization=org, form=PartyForm.JOINT, party_organization=branch, full_party_members=2,
        probationary_party_members=1, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2026, 3, 1),
    )  # fmt: skip
    PartyCoverage.objects.create(
        organization=org, form=PartyForm.INSTRUCTOR, instructor="王指导", full_party_members=1,
        valid_from=dt.date(2026, 3, 1),
    )  # fmt: skip
    return org


@pytest.fixture
def org_user(org):
    return make_org_user(org)


def test_supervision_does_not_import_party():
    for path in (Path(settings.BASE_DIR) / "supervision").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not any(n == "party" or n.startswith("party.") for n in names), path


def test_party_facts_are_the_coverage_in_force_on_the_day(org, places):
    assert extensions.party_facts(org, dt.date(2025, 12, 31)) == {"party_status": "joint", "party_member_count": 3}
    assert extensions.party_facts(org, dt.date(2026, 3, 1)) == {"party_status": "instructor", "party_member_count": 1}
    assert extensions.party_facts(org, dt.date(2019, 12, 31)) is None  # nothing recorded yet
    other = make_organization(places.community12)
    assert extensions.party_facts(other, dt.date(2025, 12, 31)) is None


def test_new_report_is_prefilled_from_coverage_at_the_year_end(org, org_user):
    report = services.annual_report_create(organization=org, year=2025, by=org_user, **WITHOUT_PARTY)
    assert (report.party_status, report.party_member_count) == ("joint", 3)
    # The party section left blank on a form is filled in the same way.
    report = services.annual_report_create(
        organization=org, year=2024, by=org_user, **WITHOUT_PARTY, party_status="", party_member_count=0
    )
    assert (report.party_status, report.party_member_count) == ("joint", 3)


def test_values_the_organization_gives_are_kept(org, org_user):
    report = services.annual_report_create(
        organization=org, year=2025, by=org_user, **WITHOUT_PARTY, party_status="none", party_member_count=0
    )
    assert (report.party_status, report.party_member_count) == ("none", 0)


def test_without_coverage_nothing_is_prefilled(places):
    org = make_organization(places.community12, established_on=dt.date(2018, 1, 1))
    user = make_org_user(org)
    report = services.annual_report_create(organization=org, year=2025, by=user, **WITHOUT_PARTY)
    assert (report.party_status, report.party_member_count) == ("", 0)


def test_status_report_of_a_filed_organization_is_prefilled_too(places):
    org = make_organization(
        places.community12, legal_form=LegalForm.COMMUNITY_FILED, established_on=dt.date(2019, 1, 1)
    )
    PartyCoverage.objects.create(
        organization=org, form=PartyForm.INSTRUCTOR, instructor="李指导", full_party_members=1,
        valid_from=dt.date(2024, 6, 1),
    )  # fmt: skip
    report = services.annual_report_create(organization=org, year=2025, by=make_org_user(org), activities="巡逻")
    assert report.is_status_report
    assert (report.party_status, report.party_member_count) == ("instructor", 1)


def test_the_form_shows_the_prefilled_party_section(org, org_user, client):
    client.force_login(org_user)
    page = client.get(reverse("supervision:annualreport_create"), {"organization": org.pk, "year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="joint" selected>' in html
    assert 'name="party_member_count" value="3"' in html
    assert "2025年末" in html  # the help text names where the values come from
    # A year before any coverage was recorded: nothing to fill in.
    page = client.get(reverse("supervision:annualreport_create"), {"organization": org.pk, "year": 2019})
    html = page.content.decode()
    assert '<option value="" selected>' in html.split('name="party_status"')[1].split("</select>")[0]
    assert "2019年末" not in html


def _submitted(org, user, **party):
    report = services.annual_report_create(organization=org, year=2025, by=user, **WITHOUT_PARTY, **party)
    return services.annual_report_submit(report=report, by=user)


def test_reviewer_sees_the_difference_with_both_values(org, org_user, client_for):
    report = _submitted(org, org_user, party_status="standalone", party_member_count=5)
    html = client_for("bureau_staff").get(report.get_absolute_url()).content.decode()
    assert 'id="party-difference"' in html
    assert "2025年12月31日" in html
    row = html.split('id="party-difference-party_status"')[1].split("</tr>")[0]
    assert str(PartyForm.STANDALONE.label) in row and str(PartyForm.JOINT.label) in row
    row = html.split('id="party-difference-party_member_count"')[1].split("</tr>")[0]
    assert "<td>5</td><td>3</td>" in row


def test_only_the_count_differing_is_flagged(org, org_user, client_for):
    report = _submitted(org, org_user, party_status="joint", party_member_count=4)
    html = client_for("bureau_staff").get(report.get_absolute_url()).content.decode()
    assert 'id="party-difference"' in html
    assert "<td>4</td><td>3</td>" in html


def test_no_warning_when_the_report_agrees_or_nothing_is_on_record(org, org_user, client_for, places):
    report = _submitted(org, org_user)  # pre-filled, unchanged
    assert report.status == AnnualReportStatus.SUBMITTED
    assert 'id="party-difference"' not in client_for("bureau_staff").get(report.get_absolute_url()).content.decode()
    bare = make_organization(places.community12, established_on=dt.date(2018, 1, 1))
    report = _submitted(bare, make_org_user(bare), party_status="joint", party_member_count=2)
    assert 'id="party-difference"' not in client_for("bureau_staff").get(report.get_absolute_url()).content.decode()


def test_a_draft_is_not_flagged(org, org_user, client_for):
    report = services.annual_report_create(
        organization=org, year=2025, by=org_user, **WITHOUT_PARTY, party_status="none", party_member_count=0
    )
    client = client_for("bureau_staff")
    assert 'id="party-difference"' not in client.get(report.get_absolute_url()).content.decode()
    services.annual_report_submit(report=report, by=org_user)
    assert 'id="party-difference"' in client.get(report.get_absolute_url()).content.decode()


def test_the_api_prefills_a_new_report_too(org, org_user):
    api = APIClient()
    api.force_authenticate(org_user)
    response = api.post("/api/v1/annual-reports/", {"organization": org.pk, "year": 2025, **WITHOUT_PARTY})
    assert response.status_code == 201, response.json()
    assert (response.json()["party_status"], response.json()["party_member_count"]) == ("joint", 3)
