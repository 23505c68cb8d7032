"""seed_demo gains projects with a year of entries. (Running it twice changes no row of any table:
tests/core/test_frame.py.)"""

import pytest

from accounts.models import User
from projects.models import LedgerEntry, Payment, Project, QuarterlySubmission

pytestmark = pytest.mark.django_db


def test_seed_demo_projects_are_realistic(seeded_demo):
    assert Project.objects.count() == 5  # four in the first district, one in 滨江区
    assert LedgerEntry.objects.count() >= 60 and QuarterlySubmission.objects.count() >= 8
    org = User.objects.get(username="org")
    mine = Project.objects.restrict(org)
    assert mine.count() == 1
    project = mine.get()
    assert project.ledger_entries.filter(status="accepted").exists()
    assert project.quarterly_submissions.filter(status="submitted").count() == 1  # awaits the street officer
    assert Project.objects.restrict(User.objects.get(username="street")).filter(pk=project.pk).exists()


def test_demo_org_home_and_street_officer_queue(seeded_demo, client):
    client.force_login(User.objects.get(username="org"))
    page = client.get("/").content.decode()
    assert "宝石社区“银龄互助”邻里守望项目" in page and "我的项目及近期待报送事项" in page
    client.force_login(User.objects.get(username="street"))
    response = client.get("/projects/quarterly-submissions/", {"awaiting_me": "true"})
    assert len(response.context["table"].data) == 1
    client.force_login(User.objects.get(username="staff"))
    page = client.get("/projects/timeliness/").content.decode()
    assert "北山街道" in page and "西溪街道" in page


def test_demo_funder_account_sees_its_contract_with_one_tranche_paid(seeded_demo, client):
    """The welfare-lottery fund's account: the children's project, a contract of three tranches,
    the first accepted and paid, the second awaiting its acceptance."""
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
