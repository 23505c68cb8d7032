"""seed_demo gains projects with a year of entries; running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from projects.models import Expenditure, LedgerEntry, MajorActivityReport, Project, QuarterlySubmission

pytestmark = pytest.mark.django_db


def test_seed_demo_projects_are_realistic_and_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    counts = [
        Project.objects.count(),
        LedgerEntry.objects.count(),
        Expenditure.objects.count(),
        QuarterlySubmission.objects.count(),
        MajorActivityReport.objects.count(),
    ]
    assert counts[0] == 5 and counts[1] >= 60  # four in the first district, one in 滨江区 and counts[3] >= 8
    org = User.objects.get(username="org")
    mine = Project.objects.restrict(org)
    assert mine.count() == 1
    project = mine.get()
    assert project.ledger_entries.filter(status="accepted").exists()
    assert project.quarterly_submissions.filter(status="submitted").count() == 1  # awaits the street officer
    assert Project.objects.restrict(User.objects.get(username="street")).filter(pk=project.pk).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert [
        Project.objects.count(),
        LedgerEntry.objects.count(),
        Expenditure.objects.count(),
        QuarterlySubmission.objects.count(),
        MajorActivityReport.objects.count(),
    ] == counts


def test_demo_org_home_and_street_officer_queue(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="org"))
    page = client.get("/").content.decode()
    assert "宝石社区“银龄互助”邻里守望项目" in page and "我的项目及近期待报送事项" in page
    client.force_login(User.objects.get(username="street"))
    response = client.get("/projects/quarterly-submissions/", {"awaiting_me": "true"})
    assert len(response.context["table"].data) == 1
    client.force_login(User.objects.get(username="staff"))
    page = client.get("/projects/timeliness/").content.decode()
    assert "北山街道" in page and "西溪街道" in page
