"""The read-replica router (core.db): inside replica() reads go to the alias `replica` (here a test
mirror of default: the same database through a connection of its own), writes to default; outside it,
inside a transaction on default, or with no replica configured, everything is default's."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Region
from core.db import replica
from reports.choices import WorkbookStatus
from reports.services import workbooks

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica_reads(settings):
    settings.DATABASE_REPLICA_READS = True


def captured(alias):
    return CaptureQueriesContext(connections[alias])


def sql_of(context, verb: str) -> list[str]:
    return [q["sql"] for q in context.captured_queries if q["sql"].lstrip().upper().startswith(verb)]


def test_reads_inside_replica_go_to_the_replica_and_writes_to_default(replica_reads, places):
    with captured("replica") as on_replica, captured("default") as on_default, replica() as alias:
        assert alias == "replica"
        names = list(Region.objects.filter(pk=places.district.pk).values_list("name", flat=True))
        Region.objects.filter(pk=places.district.pk).update(name="改名区")
    assert names == [places.district.name]  # the mirror sees default's committed rows
    assert len(sql_of(on_replica, "SELECT")) == 1 and "accounts_region" in sql_of(on_replica, "SELECT")[0]
    assert sql_of(on_replica, "UPDATE") == []
    assert sql_of(on_default, "SELECT") == []
    assert len(sql_of(on_default, "UPDATE")) == 1
    assert Region.objects.get(pk=places.district.pk).name == "改名区"


def test_outside_replica_and_inside_a_transaction_reads_stay_on_default(replica_reads, places):
    with captured("replica") as on_replica, captured("default") as on_default:
        assert Region.objects.filter(pk=places.district.pk).exists()
        with transaction.atomic(), replica() as alias:
            # A read after a write in the same transaction must see it: the replica would not.
            assert alias == "default"
            Region.objects.filter(pk=places.district.pk).update(name="改名区")
            assert Region.objects.get(pk=places.district.pk).name == "改名区"
    assert on_replica.captured_queries == []
    assert len(sql_of(on_default, "SELECT")) == 2


def test_with_replica_reads_off_everything_uses_default(places):
    assert settings.DATABASE_REPLICA_READS is False  # the suite's setting: other tests never touch the alias
    with captured("replica") as on_replica, replica() as alias:
        assert alias == "default"
        assert Region.objects.filter(pk=places.district.pk).exists()
    assert on_replica.captured_queries == []


def test_the_workbook_build_reads_its_sheets_from_the_replica(replica_reads, places, users):
    workbook = workbooks.workbook_request(places.district, 2026, 2, users["bureau_staff"])
    with captured("replica") as on_replica, captured("default") as on_default:
        built = workbooks.workbook_build(workbook.pk)
    assert built.status == WorkbookStatus.READY
    assert len(sql_of(on_replica, "SELECT")) > 3
    # Only reads there (plain, or through a server-side cursor: DECLARE … CURSOR FOR SELECT).
    verbs = {q["sql"].split()[0].upper() for q in on_replica.captured_queries}
    assert verbs <= {"SELECT", "DECLARE"}
    # The row's progress and its end are written to default.
    assert any("reports_quarterlyworkbook" in sql for sql in sql_of(on_default, "UPDATE"))


def routing_in_a_fresh_process(**env) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; from core.db import replica; "
        "from accounts.models import Region\n"
        "with replica():\n"
        "    print(Region.objects.all().db, Region.objects.all()._db or '', sorted(settings.DATABASES),"
        " settings.DATABASES.get('replica', {}).get('HOST', '-'), settings.DATABASE_ROUTERS)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.local", **env)
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip()


def test_the_alias_comes_from_database_replica_url_and_without_it_reads_stay_on_default():
    without = routing_in_a_fresh_process()
    assert without.startswith("default  ['default'] -")
    with_replica = routing_in_a_fresh_process(DATABASE_REPLICA_URL="postgres://postgres@10.0.0.9:5432/community_orgs")
    assert with_replica.startswith("replica  ['default', 'replica'] 10.0.0.9")
