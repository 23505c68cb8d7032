"""The workbook benchmark runs through `manage.py bench` at a tiny scale (its timing is not tested)."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_workbook_benchmark_runs_at_a_tiny_scale():
    out = io.StringIO()
    call_command("bench", "--only", "quarterly review workbook", "--scale", "0.01", stdout=out, stderr=io.StringIO())
    line = next(line for line in out.getvalue().splitlines() if "quarterly review workbook" in line)
    assert line.split()[0] == "reports"
    assert "30 organizations, 4 projects, 300 ledger entries:" in line
    assert "rows in 13 sheets" in line and " queries, peak traced memory " in line
