"""seed_demo gains projects with a year of entries; running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from projects.models import (
    Contract,
    Expenditure,
    Funder,
    LedgerEntry,
    MajorActivityReport,
    Milestone,
    Payment,
    Project,
    QuarterlySubmission,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_projects_are_realistic_and_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    counts = [
        Project.objects.count(),
        LedgerEntry.objects.count(),
        Expenditure.objects.count(),
        QuarterlySubmission.objects.count(),
        MajorActivityReport.objects.count(),
        Funder.objects.count(),
        Contract.objects.count(),
        Milestone.objects.count(),
        Payment.objects.count(),
        User.objects.count(),
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
        Funder.objects.count(),
        Contract.objects.count(),
        Milestone.objects.count(),
        Payment.objects.count(),
        User.objects.count(),
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


def test_demo_funder_account_sees_its_contract_with_one_tranche_paid(client):
    """The welfare-lottery fund's account: the children's project, a contract of three tranches,
    the first accepted and paid, the second awaiting its acceptance."""
    call_command("seed_demo", stdout=io.StringIO())
    account = User.objects.get(username="funder")
    assert account.role == "funder_user" and account.check_password("Demo@2026")
    project = Project.objects.restrict(account).get()
    assert project.title == "北山街道困境儿童关爱项目" and project.funder.kind == "welfare_lottery"
    contract = project.contracts.get()
    assert list(contract.milestones.order_by("sequence").values_list("status", flat=True)) == [
        "accepted",
        "submitted",
        "pending",
    ]
    payment = Payment.objects.get(project=project)
    assert payment.amount == contract.milestones.get(sequence=1).amount == contract.amount * 30 / 100
    client.force_login(account)
    page = client.get("/").content.decode()
    assert "待我验收的合同节点" in page
    page = client.get(project.get_absolute_url()).content.decode()
    assert contract.number in page and "45,000.00" in page
