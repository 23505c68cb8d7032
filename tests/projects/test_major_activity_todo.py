"""A ledger entry above the major-activity thresholds (participants, foreign involvement) without a
prior major-activity report of its organization raises a to-do for the street officer and a flag on
the entry's page (projects.selectors.unreported_major_activity)."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from projects import services

from .factories import make_entry, make_project

LIST = reverse("projects:ledgerentry_list")
TODO_LINK = f"{LIST}?unreported_major=true"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def project(world, places, today):
    """A project of street 1's organization running around today, so entries may be dated today."""
    return make_project(
        world.org, places.street1, start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60)
    )


def entry(project, by, day, **overrides):
    return make_entry(project, by, submit=True, date=day, title=overrides.pop("title", "社区邻里节"), **overrides)


def report(world, planned_date, **overrides):
    data = {
        "by": world.org_user,
        "organization": world.org,
        "title": "社区邻里节",
        "place": "社区广场",
        "planned_date": planned_date,
        "expected_participants": 300,
        "content": "游园活动",
    }
    data.update(overrides)
    return services.major_activity_report_create(**data)


def todo_count(client) -> int:
    """The number beside the to-do on the home page (0 when the to-do is not shown)."""
    page = client.get("/").content.decode()
    found = re.search(re.escape(TODO_LINK) + r'">[^<]*<span class="badge[^"]*">(\d+)<', page)
    return int(found.group(1)) if found else 0


def listed(client, query="true") -> set[str]:
    return {row.title for row in client.get(LIST, {"unreported_major": query}).context["table"].data}


def test_an_activity_above_the_participants_threshold_without_a_report(world, project, today, client_as):
    big = entry(project, world.org_user, today, title="千人广场舞", participants=201)
    entry(project, world.org_user, today, title="两百人讲座", participants=200)  # not more than 200
    officer = client_as(world.street_officer)
    assert todo_count(officer) == 1
    assert listed(officer) == {"千人广场舞"}
    assert listed(officer, "1") == {"千人广场舞"}  # the to-do's filter, also as unreported_major=1
    assert "两百人讲座" in {row.title for row in officer.get(LIST, {"unreported_major": "false"}).context["table"].data}
    page = officer.get(big.get_absolute_url()).content.decode()
    assert 'id="unreported-major"' in page and "参加人数超过 200 人" in page
    # The organization sees the flag on its entry too.
    assert 'id="unreported-major"' in client_as(world.org_user).get(big.get_absolute_url()).content.decode()
    small = project.ledger_entries.get(title="两百人讲座")
    assert 'id="unreported-major"' not in officer.get(small.get_absolute_url()).content.decode()


def test_foreign_involvement_alone_makes_an_activity_major(world, project, today, client_as):
    entry(project, world.org_user, today, title="国际志愿者交流", participants=12, foreign_involvement=True)
    assert listed(client_as(world.street_officer)) == {"国际志愿者交流"}


def test_a_prior_report_near_the_date_clears_it(world, project, today, client_as):
    report(world, today + dt.timedelta(days=3))  # planned within 3 days, reported today
    entry(project, world.org_user, today, participants=500)
    officer = client_as(world.street_officer)
    assert todo_count(officer) == 0
    assert listed(officer) == set()


def test_an_objected_report_still_counts_as_reported(world, project, today, users, client_as):
    services.major_activity_object(report=report(world, today), by=users["bureau_staff"], reason="场地不安全")
    entry(project, world.org_user, today, participants=500)
    assert listed(client_as(world.street_officer)) == set()


def test_a_report_planned_too_far_away_or_made_afterwards_does_not(world, project, today, client_as):
    report(world, today + dt.timedelta(days=4))  # outside the ±3-day window
    entry(project, world.org_user, today, title="当天活动", participants=500)
    # Reported today, after an activity held six days ago: not a prior report.
    report(world, today - dt.timedelta(days=6), title="补报")
    entry(project, world.org_user, today - dt.timedelta(days=6), title="上周活动", participants=500)
    assert listed(client_as(world.street_officer)) == {"当天活动", "上周活动"}


def test_another_organizations_report_does_not_clear_it(world, project, today, client_as):
    report(world, today, by=world.other_org_user, organization=world.other_org)
    entry(project, world.org_user, today, participants=500)
    assert todo_count(client_as(world.street_officer)) == 1


def test_a_draft_is_not_flagged(world, project, today, client_as):
    make_entry(project, world.org_user, date=today, participants=500)
    assert listed(client_as(world.street_officer)) == set()


def test_only_the_street_officer_of_the_organizations_street_has_the_to_do(world, project, today, users, client_as):
    entry(project, world.org_user, today, participants=500)
    assert todo_count(client_as(world.street_officer)) == 1
    other = client_as(users["other_street_officer"])
    assert todo_count(other) == 0
    assert listed(other) == set()
    assert todo_count(client_as(users["other_district_admin"])) == 0
    assert listed(client_as(users["other_district_staff"])) == set()
    # The bureau can filter for them but has no to-do of its own; the organization sees the flag.
    assert todo_count(client_as(users["bureau_staff"])) == 0
    assert len(listed(client_as(users["bureau_staff"]))) == 1


@override_settings(PROJECTS_MAJOR_ACTIVITY_PARTICIPANTS=50, PROJECTS_MAJOR_ACTIVITY_WINDOW_DAYS=0)
def test_the_thresholds_are_settings(world, project, today, client_as):
    report(world, today + dt.timedelta(days=1))  # a day off: outside a window of 0 days
    entry(project, world.org_user, today, title="六十人活动", participants=60)
    entry(project, world.org_user, today, title="五十人活动", participants=50)
    assert listed(client_as(world.street_officer)) == {"六十人活动"}


# ---------------------------------------------------------------- foreign involvement, as each path enters it


def test_the_entry_form_records_foreign_involvement(world, project, today, client_as):
    client = client_as(world.org_user)
    response = client.post(
        reverse("projects:ledgerentry_add", args=[project.pk]),
        {
            "date": today.isoformat(),
            "kind": "service_activity",
            "title": "国际志愿者交流会",
            "participants": 12,
            "beneficiaries": 0,
            "volunteers": 0,
            "volunteer_hours": 0,
            "foreign_involvement": "on",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = project.ledger_entries.get(title="国际志愿者交流会")
    assert entry.foreign_involvement is True
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'id="unreported-major"' in page and 'id="entry-foreign">是<' in page
    # A correction keeps the answer unless it is changed.
    correction = services.ledger_entry_correct(entry=entry, by=world.org_user, participants=15)
    assert correction.foreign_involvement is True


def test_the_api_records_foreign_involvement_and_refuses_nonsense(world, project, today):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.org_user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = {"project": project.pk, "date": today.isoformat(), "kind": "meeting", "title": "中外交流座谈"}
    response = client.post("/api/v1/ledger-entries/", {**body, "foreign_involvement": True}, format="json")
    assert response.status_code == 201 and response.json()["foreign_involvement"] is True
    response = client.post("/api/v1/ledger-entries/", {**body, "foreign_involvement": "也许"}, format="json")
    assert response.status_code == 400 and "foreign_involvement" in response.json()["errors"]


def test_the_entry_rules_refuse_an_answer_that_is_not_yes_or_no(world, project, today):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        make_entry(project, world.org_user, date=today, foreign_involvement="也许")
    assert error.value.message_dict["foreign_involvement"] == ["涉外：请回答“是”或“否”。"]


def test_the_ledger_workbook_carries_foreign_involvement(world, project, today, client_as):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook, load_workbook

    client = client_as(world.org_user)
    response = client.get(reverse("projects:ledger_template", args=[project.pk]))
    template = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in template.worksheets[0][1]]
    column = header.index("涉外（是/否）")

    def upload(*rows):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for values in rows:
            row = [None] * len(header)
            for index, value in values.items():
                row[index] = value
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        url = reverse("projects:ledger_upload", args=[project.pk])
        return client.post(url, {"file": SimpleUploadedFile("台账.xlsx", buffer.getvalue())})

    base = {1: today, 2: "会议", 5: 12}
    response = upload({**base, 3: "外宾座谈", column: "是"}, {**base, 3: "居民议事", column: "否"}, {**base, 3: "未填"})
    plan = response.context["plan"]
    assert [(row.action, row.data["foreign_involvement"]) for row in plan] == [
        ("create", True),
        ("create", False),
        ("create", False),
    ]
    response = upload({**base, 3: "说不清", column: "也许"})
    assert [row.action for row in response.context["plan"]] == ["error"]
    assert "涉外：请回答“是”或“否”。" in response.content.decode()
    # An exported entry keeps its answer when the cell is left empty.
    kept = make_entry(project, world.org_user, date=today, title="外宾参观", foreign_involvement=True)
    response = upload(
        {
            0: kept.pk,
            1: today,
            2: kept.get_kind_display(),
            3: kept.title,
            4: kept.place,
            5: 30,
            6: 25,
            7: 5,
            8: 12.5,
            9: kept.summary,
        }
    )
    assert [row.action for row in response.context["plan"]] == ["unchanged"]
