"""`manage.py bench` finds the registry's benchmarks, prints the table and leaves no rows behind."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Region
from registry.models import Organization


@pytest.mark.django_db
def test_bench_prints_the_roster_import_row_first():
    out = io.StringIO()
    call_command("bench", "--scale", "0.002", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:4] == ["app", "benchmark", "rows", "seconds"]
    assert lines[2].split()[:3] == ["registry", "Roster", "import:"]
    assert " 40 " in lines[2]
    # The daily listing job over the imported organizations is supervision's row.
    daily = next(line for line in lines if "Daily listing job over them" in line)
    assert daily.split()[0] == "supervision" and " 40 " in daily
    assert not Organization.objects.exists()
    assert not Region.objects.filter(name="基准测试区").exists()
