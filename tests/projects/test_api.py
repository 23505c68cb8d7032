"""API of the projects app: scoped like the pages, services behind every write, JSON errors."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditRecord
from projects import services
from projects.models import LedgerEntry, QuarterlySubmission

from .factories import make_entry

pytestmark = pytest.mark.django_db

RESOURCES = [
    "projects",
    "budget-lines",
    "indicators",
    "ledger-entries",
    "expenditures",
    "quarterly-submissions",
    "major-activities",
]


@pytest.fixture
def api():
    def get(user):
        client = APIClient()
        client.force_authenticate(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
        return client

    return get


@pytest.mark.parametrize("resource", RESOURCES)
def test_org_lists_only_its_own_rows_and_cannot_fetch_others(world, api, resource):
    make_entry(world.project, world.org_user, submit=True)
    make_entry(world.other_project, world.other_org_user, submit=True)
    for project, user in ((world.project, world.org_user), (world.other_project, world.other_org_user)):
        services.quarterly_submission_submit(project=project, by=user, year=2026, quarter=1, narrative="x")
        services.expenditure_create(
            project=project,
            by=user,
            budget_line=project.budget_lines.first(),
            date=dt.date(2026, 2, 1),
            amount="10",
            payee="x",
            voucher_number="1",
        )
        services.major_activity_report_create(
            by=user,
            organization=project.organization,
            title="t",
            planned_date=dt.date(2030, 1, 1),
            place="p",
            expected_participants=500,
            content="c",
        )
    client = api(world.other_org_user)
    response = client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows
    own_projects = {world.other_project.pk}
    for row in rows:
        if resource == "projects":
            assert row["id"] in own_projects
        elif resource == "major-activities":
            assert row["organization"] == world.other_org.pk
        else:
            assert row["project"] in own_projects
    # Guessing the ids of the other organization's rows: 404.
    mine_client = api(world.org_user)
    for row in mine_client.get(f"/api/v1/{resource}/").json()["results"]:
        assert client.get(f"/api/v1/{resource}/{row['id']}/").status_code == 404


def test_api_entry_lifecycle_and_chinese_field_errors(world, api):
    org = api(world.org_user)
    response = org.post(
        "/api/v1/ledger-entries/",
        {"project": world.project.pk, "date": "2026-03-02", "kind": "meeting", "title": "议事会", "participants": -1},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "人数不能为负数" in body["errors"]["participants"][0]
    response = org.post(
        "/api/v1/ledger-entries/",
        {"project": world.project.pk, "date": "2026-03-02", "kind": "meeting", "title": "议事会", "participants": 12},
        format="json",
    )
    assert response.status_code == 201
    entry_id = response.json()["id"]
    assert (
        org.patch(f"/api/v1/ledger-entries/{entry_id}/", {"title": "居民议事会"}, format="json").json()["title"]
        == "居民议事会"
    )
    assert org.post(f"/api/v1/ledger-entries/{entry_id}/submit/").json()["status"] == "submitted"
    response = org.patch(f"/api/v1/ledger-entries/{entry_id}/", {"title": "再改"}, format="json")
    assert response.status_code == 400 and "不能直接修改" in response.json()["errors"]["status"][0]
    assert org.delete(f"/api/v1/ledger-entries/{entry_id}/").status_code in (403, 405)
    # Acceptance by a non-funder: 403; return without reason: 400; the funder returns, the org corrects.
    assert api(world.users["bureau_staff"]).post(f"/api/v1/ledger-entries/{entry_id}/accept/").status_code == 403
    officer = api(world.street_officer)
    assert officer.post(f"/api/v1/ledger-entries/{entry_id}/return/", {"reason": ""}, format="json").status_code == 400
    response = officer.post(f"/api/v1/ledger-entries/{entry_id}/return/", {"reason": "缺少签到表"}, format="json")
    assert response.json()["status"] == "returned"
    response = org.post(f"/api/v1/ledger-entries/{entry_id}/correct/", {"participants": 13}, format="json")
    assert response.status_code == 201 and response.json()["version"] == 2
    correction_id = response.json()["id"]
    assert org.post(f"/api/v1/ledger-entries/{correction_id}/submit/").json()["status"] == "resubmitted"
    assert officer.post(f"/api/v1/ledger-entries/{correction_id}/accept/").json()["status"] == "accepted"
    assert LedgerEntry.objects.get(pk=entry_id).participants == 12


def test_api_entry_for_another_orgs_project_is_refused(world, api):
    response = api(world.other_org_user).post(
        "/api/v1/ledger-entries/",
        {"project": world.project.pk, "date": "2026-03-02", "kind": "meeting", "title": "x"},
        format="json",
    )
    assert response.status_code == 400 and "project" in response.json()["errors"]


def test_api_expenditure_overspend(world, api):
    line = world.project.budget_lines.get(name="人员费")
    response = api(world.org_user).post(
        "/api/v1/expenditures/",
        {
            "project": world.project.pk,
            "budget_line": line.pk,
            "date": "2026-02-01",
            "amount": "40000.01",
            "payee": "社工",
            "voucher_number": "1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "40,000.00 元" in response.json()["errors"]["amount"][0]


def test_api_quarterly_submission_and_review(world, api):
    org = api(world.org_user)
    data = {"project": world.project.pk, "year": 2026, "quarter": 2, "narrative": "第二季度"}
    response = org.post("/api/v1/quarterly-submissions/", data, format="json")
    assert response.status_code == 201
    submission_id = response.json()["id"]
    response = org.post("/api/v1/quarterly-submissions/", data, format="json")
    assert response.status_code == 400 and "不能重复提交" in response.json()["errors"]["quarter"][0]
    assert (
        api(world.users["other_street_officer"])
        .post(f"/api/v1/quarterly-submissions/{submission_id}/accept/")
        .status_code
        == 404
    )
    officer = api(world.street_officer)
    assert officer.post(f"/api/v1/quarterly-submissions/{submission_id}/accept/").json()["status"] == "accepted"
    response = officer.post(f"/api/v1/quarterly-submissions/{submission_id}/accept/")
    # The loser of a double acceptance is told it was handled, and the state now: 409 Conflict.
    assert response.status_code == 409
    assert response.json()["detail"].startswith("已由他人处理，当前状态：已受理")
    assert QuarterlySubmission.objects.filter(project=world.project).count() == 1
    assert AuditRecord.objects.filter(content_type__model="quarterlysubmission", action="transition").count() == 1


def test_api_projects_create_transition_and_filters(world, api, places):
    officer = api(world.street_officer)
    response = officer.post(
        "/api/v1/projects/",
        {
            "organization": world.org.pk,
            "title": "API项目",
            "funding_source": "award",
            "funder": services.office_funder(places.street1).pk,
            "amount": "1000.00",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    project_id = response.json()["id"]
    response = officer.post(f"/api/v1/projects/{project_id}/transition/", {"name": "approve"}, format="json")
    assert response.status_code == 400 and "预算科目" in response.json()["errors"]["amount"][0]
    assert api(world.org_user).post("/api/v1/projects/", {}, format="json").status_code == 403
    listed = officer.get("/api/v1/projects/", {"status": "applied"}).json()["results"]
    assert [row["title"] for row in listed] == ["API项目"]
    assert api(world.users["expert"]).get("/api/v1/projects/").status_code == 403


def test_api_major_activity(world, api):
    org = api(world.org_user)
    response = org.post(
        "/api/v1/major-activities/",
        {
            "title": "外籍志愿者交流",
            "planned_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "place": "社区中心",
            "expected_participants": 50,
            "foreign_involvement": True,
            "foreign_details": "3名外籍志愿者",
            "content": "交流",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["is_late"] is True
    report_id = response.json()["id"]
    staff = api(world.users["bureau_staff"])
    assert api(world.street_officer).post(f"/api/v1/major-activities/{report_id}/acknowledge/").status_code == 403
    assert staff.post(f"/api/v1/major-activities/{report_id}/acknowledge/").json()["status"] == "acknowledged"
    assert api(world.users["bureau_staff"]).post("/api/v1/major-activities/", {}, format="json").status_code == 403


def test_openapi_schema_lists_the_projects_resources(client):
    schema = client.get("/api/schema/?format=json").json()
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in schema["paths"], resource
    assert "/api/v1/ledger-entries/{id}/accept/" in schema["paths"]
    assert "/api/v1/ledger-entries/{id}/return/" in schema["paths"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_api_list_query_count_does_not_grow(world, api, resource):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing import assert_num_queries

    client = api(world.org_user)

    def add(day):
        make_entry(world.project, world.org_user, submit=True, date=dt.date(2026, 5, day))
        services.expenditure_create(
            project=world.project,
            by=world.org_user,
            budget_line=world.project.budget_lines.first(),
            date=dt.date(2026, 5, day),
            amount="10",
            payee="店",
            voucher_number=str(day),
        )
        services.major_activity_report_create(
            by=world.org_user,
            organization=world.org,
            title=f"活动{day}",
            planned_date=dt.date(2030, 1, day),
            place="广场",
            expected_participants=300,
            content="x",
        )

    add(1)
    services.quarterly_submission_submit(project=world.project, by=world.org_user, year=2026, quarter=1, narrative="x")
    client.get(f"/api/v1/{resource}/")
    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/api/v1/{resource}/").status_code == 200
    for day in range(2, 7):
        add(day)
    services.quarterly_submission_submit(project=world.project, by=world.org_user, year=2026, quarter=2, narrative="x")
    with assert_num_queries(len(first.captured_queries)):
        assert client.get(f"/api/v1/{resource}/").status_code == 200
