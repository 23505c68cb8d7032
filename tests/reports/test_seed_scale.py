"""`manage.py seed_scale` at a tiny size: the counts, valid credit codes and filing numbers, 1% in the
bench district and the rest spread evenly, ledger versions consistent, sequences past the ids, the
seeded accounts' pages showing rows, and a second run refused."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from accounts.models import Region, User
from core.models import AuditRecord
from party.models import PartyCoverage
from projects.models import Contract, LedgerEntry, Milestone, Project, QuarterlySubmission
from registry import uscc
from registry.models import Organization
from reports.scale import places
from supervision.models import AnnualReport

pytestmark = pytest.mark.django_db

ORGS, LEDGER = 300, 3000


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module, in a transaction rolled back after its last test (each test runs
    in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", orgs=ORGS, ledger=LEDGER, stdout=io.StringIO())
        yield Region.objects.get(code=f"{places.CITY_CODE[:4]}01")
        transaction.set_rollback(True)


def test_counts_and_constraints(seeded):
    assert Organization.objects.count() == ORGS
    assert Project.objects.count() == ORGS // 10
    assert LedgerEntry.objects.count() == LEDGER
    assert Contract.objects.filter(is_current=True).count() == ORGS // 10
    assert Milestone.objects.count() == 3 * (ORGS // 10)
    assert Region.objects.filter(level="community").count() == places.DISTRICTS * 100
    assert (
        PartyCoverage.objects.filter(valid_to__isnull=True).count()
        == Organization.objects.filter(status="active").count()
    )
    assert AnnualReport.objects.exists() and QuarterlySubmission.objects.exists()
    assert AuditRecord.objects.filter(action="import").count() == ORGS

    registered = Organization.objects.filter(registration_level="registered")
    assert registered.exists()
    for org in registered:
        assert uscc.check_positions(uscc.validate(org.uscc), org.legal_form) == org.uscc
    filed = Organization.objects.filter(registration_level="filed")
    assert not filed.filter(filing_number__isnull=True).exists() and not filed.filter(uscc__isnull=False).exists()

    # 1% in the bench district (the first), the others within one of each other.
    per_district = Counter(Organization.objects.values_list("district__code", flat=True))
    assert per_district.pop(seeded.code) == ORGS // 100
    assert max(per_district.values()) - min(per_district.values()) <= 1

    # Each corrected entry: its old version not current, the new one naming it.
    old = LedgerEntry.objects.filter(is_current=False)
    assert old.exists()
    assert set(old.values_list("pk", flat=True)) == set(
        LedgerEntry.objects.filter(previous_version__isnull=False).values_list("previous_version_id", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM projects_ledgerentry_id_seq")
        assert cursor.fetchone()[0] == LedgerEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]


def test_seeded_accounts_see_rows(seeded, client):
    staff = User.objects.get(username="scale_staff")
    assert staff.check_password("Demo@2026")
    client.force_login(staff)
    bench_org = Organization.objects.filter(district=seeded).order_by("name").first()
    page = client.get(reverse("registry:organization_list"))
    assert page.status_code == 200
    assert bench_org.name in page.content.decode()
    other = Organization.objects.exclude(district=seeded).first()
    assert other.name not in page.content.decode()

    latest = LedgerEntry.objects.filter(project__organization__district=seeded).order_by("-date", "-pk").first()
    page = client.get(reverse("projects:ledgerentry_list"))
    assert page.status_code == 200
    assert reverse("projects:ledgerentry_detail", args=[latest.pk]) in page.content.decode()

    client.force_login(User.objects.get(username="scale_org"))
    project = Project.objects.filter(organization__members__user__username="scale_org").get()
    assert project.ledger_entries.exists()
    page = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert page.status_code == 200
    assert project.code in page.content.decode()


def test_second_run_refuses(seeded):
    with pytest.raises(CommandError, match="already holds 300 organizations"):
        call_command("seed_scale", orgs=ORGS, ledger=10, stdout=io.StringIO())
    assert Organization.objects.count() == ORGS
