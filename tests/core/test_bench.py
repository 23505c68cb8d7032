"""`manage.py bench --current` on a small database: a row for every discovered list (first page,
and the last page of a list longer than a page) with its numbers, searches, the export against
bare openpyxl, the reports' rows; refusals reported instead of timed; nothing left behind."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

from accounts.choices import Role
from core.benchmarks.lists import PUBLIC_REGISTER, discover
from core.models import AuditRecord
from registry.models import Organization

from ..accounts.factories import Jurisdiction, make_user
from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db

ORGANIZATIONS = 30  # more than a page of 25: the organization list has a last page


def test_current_bench_json(tmp_path):
    places = Jurisdiction(city=True)
    staff = make_user(Role.BUREAU_STAFF, places.district)
    for n in range(ORGANIZATIONS):
        make_organization(places.community11, name=f"{'养老服务' if n % 3 else '邻里'}中心{n:02d}")
    before = (Organization.objects.count(), AuditRecord.objects.count(), Session.objects.count())
    out = tmp_path / "bench.json"
    call_command(
        "bench", "--current", "--runs", "2", "--json", str(out), "--accounts", f"{staff.username},nobody_here",
        "--export-sizes", "20,1000", "--max-seconds", "2",
    )  # fmt: skip
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]

    routes = discover()
    assert {r.kind for r in routes} == {"page", "api"}
    assert any(r.name == "registry:organization_list" for r in routes)
    first = {(f["label"], f["role"]): f for f in figures if f["section"] in ("list", "api") and f["page"] == "first"}
    for route in routes:
        role = "anonymous" if route.name == PUBLIC_REGISTER else staff.username
        figure = first[(route.name, role)]  # every discovered list has its row
        if figure["status"] == "ok":
            assert figure["runs"] == 2
            assert 0 < figure["p50_ms"] <= figure["p95_ms"]
            assert figure["queries"] > 0 and figure["bare_p50_ms"] > 0 and figure["ratio"] > 0
            assert figure["met"] is (figure["p95_ms"] <= 50 and figure["ratio"] <= 3)
        else:  # refused for the role: said, not timed
            assert figure["status"].startswith("HTTP 40") and figure["p50_ms"] is None
    ok = [f for f in first.values() if f["status"] == "ok"]
    assert len(ok) > len(routes) // 2
    assert first[("core:auditrecord_list", staff.username)]["status"] == "HTTP 403"
    assert first[(PUBLIC_REGISTER, "anonymous")]["status"] == "ok"

    deep = {f["label"]: f for f in figures if f["role"] == staff.username and f["page"] not in ("first", "")}
    assert deep["registry:organization_list"]["page"] == "last"
    assert deep["registry:organization_list"]["status"] == "ok" and deep["registry:organization_list"]["p50_ms"] > 0
    assert deep["registry:application_list"]["status"] == "one page"
    assert any(f["label"] == "(every list)" and f["status"] == "no such account" for f in figures)

    searches = [f for f in figures if f["section"] == "search"]
    assert {(f["role"], f["label"].split(" q=")[0]) for f in searches} == {
        (staff.username, "registry:organization_list"),
        ("anonymous", PUBLIC_REGISTER),
    }
    assert len(searches) == 4 and all(f["status"] == "ok" and f["queries"] > 0 for f in searches)

    exported, too_many = [f for f in figures if f["section"] == "export"]
    assert exported["rows"] == 20 and exported["rows_per_s"] > 0 and exported["bare_rows_per_s"] > 0
    assert exported["ratio"] > 0 and exported["peak_rss_mb"] > 0 and exported["tracemalloc_mb"] > 0
    assert too_many["status"] == f"the data has {ORGANIZATIONS} rows" and too_many["rows"] is None

    scale = {f["label"]: f for f in figures if f["section"] == "scale"}
    dashboard = scale["Reports: city dashboard"]
    assert dashboard["status"] == "ok" and dashboard["runs"] == 2 and dashboard["target"] == "p95 ≤ 300 ms"
    assert any(label.startswith("Reports: workbook of 甲区") for label in scale)
    # Everything the run wrote (sessions, audit rows) was rolled back.
    assert (Organization.objects.count(), AuditRecord.objects.count(), Session.objects.count()) == before
