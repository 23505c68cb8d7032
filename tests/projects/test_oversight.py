"""Oversight of projects: the funder's mid-term and final reviews (a project closes only after its
final review), supervision visits with their rectifications (overdue ones in the to-do list and a
daily reminder), and indicators from beneficiary feedback that the organization cannot type."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import User
from core.models import AuditRecord, Notification
from core.testing import assert_num_queries, run_concurrently, split_outcomes
from projects import services, tasks
from projects.choices import IndicatorSource, ProjectStatus
from projects.models import Indicator, Project, ProjectReview, SupervisionVisit
from projects.selectors import indicator_progress

from ..accounts.factories import make_city, make_user
from .factories import make_project

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


def messages(error, field):
    return " ".join(error.message_dict[field])


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def review(world, by=None, project=None, **overrides):
    data = {"stage": "mid_term", "conclusion": "good", "score": "86.5", "remarks": "按计划推进"}
    data.update(overrides)
    return services.project_review_record(by=by or world.street_officer, project=project or world.project, **data)


def to_final_review(project):
    for name in ("mid_term_review", "final_review"):
        project = services.project_transition(project=project, by=None, name=name)
    return project


def visit(world, by=None, project=None, **overrides):
    data = {
        "kind": "professional",
        "visited_on": dt.date(2026, 3, 10),
        "supervisor": "王督导",
        "findings": "签到表缺少服务对象签名",
        "rectification": "补齐签到表",
        "rectification_due": dt.date(2026, 4, 10),
    }
    data.update(overrides)
    return services.supervision_visit_record(by=by or world.street_officer, project=project or world.project, **data)


def todo_count(client, label) -> int:
    page = client.get("/").content.decode()
    found = re.search(re.escape(label) + r' <span class="badge[^"]*">(\d+)<', page)
    return int(found.group(1)) if found else 0


# ---------------------------------------------------------------------------------------- reviews


def test_the_funder_records_the_mid_term_review_once(world, users):
    recorded = review(world)
    assert recorded.stage == "mid_term" and recorded.score == Decimal("86.50") and recorded.reviewed_on == TODAY
    assert recorded.created_by == world.street_officer
    assert AuditRecord.objects.filter(object_id=str(recorded.pk), content_type__model="projectreview").exists()
    assert Notification.objects.filter(recipient=world.org_user, kind="projects.project_review").exists()
    with pytest.raises(ValidationError) as error:
        review(world, conclusion="excellent", score="99")
    assert "已于" in messages(error.value, "stage") and "每个阶段只录入一次" in messages(error.value, "stage")
    assert ProjectReview.objects.filter(project=world.project).count() == 1
    # The bureau funds the district project: its clerks review that one.
    assert review(world, by=users["bureau_staff"], project=world.district_project).pk


@pytest.mark.django_db(transaction=True)
def test_a_double_submission_makes_one_review(world, places):
    second = make_user(Role.STREET_OFFICER, places.street1, full_name="街道干部乙")
    results = run_concurrently(lambda: review(world), lambda: review(world, by=second))
    winners, losers = split_outcomes(results)
    assert len(winners) == 1 and len(losers) == 1 and isinstance(losers[0], ValidationError)
    assert ProjectReview.objects.filter(project=world.project).count() == 1


def test_only_the_funder_reviews(world, users):
    city_admin = make_user(Role.BUREAU_ADMIN, make_city())
    for user in (
        world.org_user,
        world.other_org_user,
        users["bureau_staff"],  # the street funds this project, not the bureau
        users["bureau_admin"],
        users["bureau_viewer"],
        users["other_street_officer"],
        users["other_district_admin"],
        users["community_party"],
        city_admin,
    ):
        with pytest.raises(PermissionDenied):
            review(world, by=user)
    with pytest.raises(PermissionDenied) as error:
        review(world, by=city_admin)
    assert "市民政局" in str(error.value)
    assert not ProjectReview.objects.exists()


def test_each_stage_in_its_state(world):
    with pytest.raises(ValidationError) as error:
        review(world, stage="final")
    assert "结项评估阶段" in messages(error.value, "stage")
    project = to_final_review(world.project)
    with pytest.raises(ValidationError) as error:
        review(world, project=project)
    assert "中期评审" in messages(error.value, "stage") and "结项评估" in messages(error.value, "stage")
    assert review(world, project=project, stage="final", conclusion="excellent", score="95").stage == "final"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("score", "abc", "评分"),
        ("score", "101", "评分"),
        ("score", "-1", "评分"),
        ("score", "86.555", "评分"),
        ("score", "NaN", "评分"),
        ("score", "", "评分"),
        ("conclusion", "perfect", "评审结论"),
        ("stage", "half_term", "评审阶段"),
        ("reviewed_on", "2026-02-30", "评审日期"),
        ("reviewed_on", dt.date(2025, 12, 31), "评审日期"),
        ("reviewed_on", TODAY + dt.timedelta(days=1), "将来"),
        ("remarks", "很" * 5001, "备注"),
    ],
)
def test_malformed_reviews_are_refused_naming_the_field(world, field, value, words):
    with pytest.raises(ValidationError) as error:
        review(world, **{field: value})
    assert words in messages(error.value, field)
    assert not ProjectReview.objects.exists()


def test_a_project_closes_only_after_its_final_review(world, client_as):
    project = to_final_review(world.project)
    with pytest.raises(PermissionDenied) as error:
        services.project_transition(project=project, by=world.street_officer, name="close")
    assert "结项评审结论" in str(error.value)
    page = client_as(world.street_officer).get(project.get_absolute_url()).content.decode()
    assert 'id="why-not-close"' in page and "尚未录入结项评审结论" in page
    assert 'id="transition-close"' not in page
    response = client_as(world.street_officer).post(reverse("projects:project_transition", args=[project.pk, "close"]))
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.FINAL_REVIEW
    review(world, project=project, stage="final", conclusion="good", score="88")
    page = client_as(world.street_officer).get(project.get_absolute_url()).content.decode()
    assert 'id="transition-close"' in page and 'id="why-not-close"' not in page
    assert services.project_transition(project=project, by=world.street_officer, name="close").status == "closed"


def test_review_pages_and_the_project_list_export(world, client_as, client_for):
    review(world, score="90")
    project = to_final_review(world.project)
    officer = client_as(world.street_officer)
    add_url = reverse("projects:projectreview_add", args=[project.pk])
    page = officer.get(project.get_absolute_url()).content.decode()
    assert f'href="{add_url}"' in page and 'data-stage="mid_term"' in page
    assert f'href="{add_url}"' not in client_as(world.org_user).get(project.get_absolute_url()).content.decode()
    assert client_as(world.org_user).get(add_url).status_code == 403
    assert client_for("bureau_staff").post(add_url, {"stage": "final"}).status_code == 403
    assert client_for("other_district_admin").get(add_url).status_code == 404
    # Malformed input: the form shows the service's message naming the field; nothing written.
    page = officer.post(add_url, {"stage": "final", "conclusion": "good", "score": "一百"}).content.decode()
    assert "评分：请输入 0 至 100" in page and ProjectReview.objects.count() == 1
    response = officer.post(add_url, {"stage": "final", "conclusion": "excellent", "score": "96.25", "remarks": "好"})
    final = ProjectReview.objects.get(stage="final")
    assert response.status_code == 302 and response["Location"] == final.get_absolute_url()
    # Submitted twice (a second tab): refused, the page says why; one row stays.
    assert officer.get(add_url).status_code == 403
    assert ProjectReview.objects.filter(stage="final").count() == 1
    detail = client_as(world.org_user).get(final.get_absolute_url()).content.decode()
    assert "优秀" in detail and "96.25" in detail and "中期评估" in detail  # the other stage, linked
    assert client_as(world.other_org_user).get(final.get_absolute_url()).status_code == 404
    assert client_for("other_district_admin").get(final.get_absolute_url()).status_code == 404
    page = client_as(world.org_user).get(project.get_absolute_url()).content.decode()
    reviews_table = page.split('id="project-reviews"')[1].split("</table>")[0]
    assert "优秀" in reviews_table and "良好" in reviews_table
    # The list: filter by stage and conclusion, sort, export.
    listing = officer.get(reverse("projects:projectreview_list"), {"stage": "final", "conclusion": "excellent"})
    assert [row.record for row in listing.context["table"].page.object_list] == [final]
    assert officer.get(reverse("projects:projectreview_list"), {"sort": "-score"}).status_code == 200
    export = officer.get(reverse("projects:projectreview_list"), {"export": "xlsx"})
    assert "优秀" in _xlsx_text(export)
    rows = _xlsx_rows(officer.get(reverse("projects:project_list"), {"export": "xlsx"}))
    header = next(row for row in rows if "结项评审结论" in row)
    line = next(row for row in rows if project.code in row)
    assert line[header.index("结项评审结论")] == "优秀" and line[header.index("中期评审结论")] == "良好"
    sorted_page = officer.get(reverse("projects:project_list"), {"sort": "final_conclusion"})
    assert sorted_page.status_code == 200


def test_the_review_api(world, users):
    url = "/api/v1/project-reviews/"
    body = {"project": world.project.pk, "stage": "mid_term", "conclusion": "pass", "score": "75"}
    assert api_client(world.org_user).post(url, body, format="json").status_code == 403
    assert api_client(users["other_district_admin"]).post(url, body, format="json").status_code == 400
    bad = api_client(world.street_officer).post(url, {**body, "score": "120"}, format="json")
    assert bad.status_code == 400 and "评分" in bad.json()["errors"]["score"][0]
    created = api_client(world.street_officer).post(url, body, format="json")
    assert created.status_code == 201 and created.json()["conclusion_display"] == "合格"
    again = api_client(world.street_officer).post(url, body, format="json")
    assert again.status_code == 400 and "已于" in again.json()["errors"]["stage"][0]
    listed = api_client(world.org_user).get(url, {"stage": "mid_term"}).json()
    assert [row["id"] for row in listed["results"]] == [created.json()["id"]]
    assert api_client(world.other_org_user).get(url).json()["count"] == 0
    assert api_client(world.other_org_user).get(f"{url}{created.json()['id']}/").status_code == 404


# ---------------------------------------------------------------------------- supervision visits


def test_supervisors_record_visits_to_running_projects(world, users):
    recorded = visit(world)
    assert recorded.recorded_by == world.street_officer and recorded.rectification_open
    assert Notification.objects.filter(recipient=world.org_user, kind="projects.supervision_visit").exists()
    assert visit(world, by=users["bureau_staff"], rectification="", rectification_due=None).pk
    assert visit(world, by=users["bureau_admin"], project=world.other_project, kind="follow_up").pk
    city_admin = make_user(Role.BUREAU_ADMIN, make_city())
    for user in (
        world.org_user,
        users["bureau_viewer"],
        users["community_party"],
        users["other_street_officer"],  # another street's organization
        users["other_district_admin"],
        city_admin,
    ):
        with pytest.raises(PermissionDenied):
            visit(world, by=user)
    applied = make_project(world.org, world.places.street1, transitions=())
    with pytest.raises(PermissionDenied) as error:
        visit(world, project=applied)
    assert "项目实施期间" in str(error.value)
    assert SupervisionVisit.objects.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"visited_on": None}, "visited_on", "走访日期"),
        ({"visited_on": "2026-13-01"}, "visited_on", "走访日期"),
        ({"visited_on": dt.date(2025, 12, 31)}, "visited_on", "超出项目周期"),
        ({"visited_on": TODAY + dt.timedelta(days=1)}, "visited_on", "将来"),
        ({"kind": "casual"}, "kind", "类型"),
        ({"supervisor": "  "}, "supervisor", "督导人"),
        ({"findings": ""}, "findings", "发现的问题"),
        ({"rectification_due": None}, "rectification_due", "整改期限"),
        ({"rectification": ""}, "rectification", "整改要求"),
        ({"rectification_due": dt.date(2026, 3, 1)}, "rectification_due", "早于走访日期"),
        ({"findings": "问" * 5001}, "findings", "发现的问题"),
    ],
)
def test_malformed_visits_are_refused_naming_the_field(world, overrides, field, words):
    with pytest.raises(ValidationError) as error:
        visit(world, **overrides)
    assert words in messages(error.value, field)
    assert not SupervisionVisit.objects.exists()


def test_the_organization_reports_the_rectification_once(world, users, client_as):
    recorded = visit(world)
    for user in (world.other_org_user, users["bureau_viewer"], users["other_street_officer"]):
        with pytest.raises(PermissionDenied):
            services.supervision_visit_rectify(by=user, visit=recorded, rectified_on=TODAY, note="已整改")
    with pytest.raises(ValidationError) as error:
        services.supervision_visit_rectify(by=world.org_user, visit=recorded, rectified_on=TODAY, note=" ")
    assert "整改情况说明" in messages(error.value, "rectification_note")
    with pytest.raises(ValidationError) as error:
        services.supervision_visit_rectify(
            by=world.org_user, visit=recorded, rectified_on=dt.date(2026, 3, 1), note="已整改"
        )
    assert "早于走访日期" in messages(error.value, "rectified_on")
    done = services.supervision_visit_rectify(
        by=world.org_user, visit=recorded, rectified_on=dt.date(2026, 4, 8), note="已补齐签到表"
    )
    assert done.rectified_on == dt.date(2026, 4, 8) and not done.rectification_open
    assert Notification.objects.filter(recipient=world.street_officer, kind="projects.supervision_visit").exists()
    with pytest.raises(ValidationError) as error:  # the officer, meanwhile, or a second click
        services.supervision_visit_rectify(by=world.street_officer, visit=recorded, rectified_on=TODAY, note="复查")
    assert "已于" in messages(error.value, "rectified_on")
    # A visit that asked for nothing has nothing to rectify.
    plain = visit(world, rectification="", rectification_due=None)
    with pytest.raises(ValidationError):
        services.supervision_visit_rectify(by=world.street_officer, visit=plain, rectified_on=TODAY, note="x")


def test_overdue_rectifications_are_to_dos_of_the_supervisors_and_the_organization(world, users, client_as, client_for):
    label = "逾期未整改的督导事项"
    overdue = visit(world)  # due 10 April 2026
    visit(world, rectification_due=TODAY + dt.timedelta(days=10))  # not yet due
    visit(world, by=users["bureau_staff"], project=world.other_project)  # another street, overdue
    assert todo_count(client_as(world.street_officer), label) == 1
    assert todo_count(client_as(world.org_user), label) == 1
    assert todo_count(client_for("bureau_staff"), label) == 2
    assert todo_count(client_for("other_street_officer"), label) == 1
    assert todo_count(client_as(world.other_org_user), label) == 1
    assert todo_count(client_for("other_district_admin"), label) == 0
    assert todo_count(client_for("bureau_viewer"), label) == 0  # reads the list, has nothing to do
    listing = client_as(world.street_officer).get(reverse("projects:supervisionvisit_list"), {"overdue": "1"})
    assert [row.record for row in listing.context["table"].page.object_list] == [overdue]
    services.supervision_visit_rectify(by=world.street_officer, visit=overdue, rectified_on=TODAY, note="复查已整改")
    assert todo_count(client_as(world.street_officer), label) == 0 and todo_count(client_as(world.org_user), label) == 0


def test_the_daily_reminder_of_overdue_rectifications(world, users, django_capture_on_commit_callbacks):
    from core import periodic

    assert periodic.get("projects-rectification-reminders").task == "projects.tasks.send_rectification_reminders"
    overdue = visit(world)
    visit(world, rectification_due=TODAY + dt.timedelta(days=4))  # not yet due in 3 days: no reminder
    done = visit(world, by=users["bureau_staff"])
    services.supervision_visit_rectify(by=world.org_user, visit=done, rectified_on=TODAY, note="已整改")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_rectification_reminders.apply().get()
        second = tasks.send_rectification_reminders.apply().get()
    assert first == 2 and second == 0  # the organization's account and the officer, once a day
    reminders = Notification.objects.filter(kind="rectification-due", item_key=f"rectification:{overdue.pk}")
    assert {n.recipient for n in reminders} == {world.org_user, world.street_officer}
    assert "已逾期" in reminders.first().title and reminders.first().url == overdue.get_absolute_url()
    assert [m.to for m in mail.outbox] and all("已逾期" in m.subject for m in mail.outbox)
    later = services.rectification_reminders_send(today=TODAY + dt.timedelta(days=1))
    assert later == 4  # the overdue one again, and the other now due in 3 days


def test_visit_pages(world, client_as, client_for):
    officer = client_as(world.street_officer)
    add_url = reverse("projects:supervisionvisit_add", args=[world.project.pk])
    assert f'href="{add_url}"' in officer.get(world.project.get_absolute_url()).content.decode()
    assert f'href="{add_url}"' not in client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    assert client_as(world.org_user).get(add_url).status_code == 403
    assert client_for("other_street_officer").get(add_url).status_code == 404  # not its street's project
    assert client_for("other_district_admin").get(add_url).status_code == 404
    form = {"kind": "professional", "visited_on": "2026-03-10", "supervisor": "王督导", "findings": "台账不全"}
    page = officer.post(add_url, {**form, "rectification": "补齐台账"}).content.decode()
    assert "整改期限：提出整改要求时须填写整改期限" in page and not SupervisionVisit.objects.exists()
    response = officer.post(add_url, {**form, "rectification": "补齐台账", "rectification_due": "2026-04-10"})
    recorded = SupervisionVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == recorded.get_absolute_url()
    project_page = client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    assert "补齐台账" in project_page.split('id="project-visits"')[1] and "已逾期" in project_page
    detail = client_as(world.org_user).get(recorded.get_absolute_url()).content.decode()
    assert 'id="rectification-overdue"' in detail and 'id="submit-rectification"' in detail
    assert (
        'id="submit-rectification"' not in client_for("bureau_viewer").get(recorded.get_absolute_url()).content.decode()
    )
    assert client_as(world.other_org_user).get(recorded.get_absolute_url()).status_code == 404
    rectify = reverse("projects:supervisionvisit_rectify", args=[recorded.pk])
    assert client_as(world.other_org_user).post(rectify, {"rectified_on": "2026-04-08"}).status_code == 404
    assert client_for("bureau_viewer").post(rectify, {"rectified_on": "2026-04-08"}).status_code == 403
    page = client_as(world.org_user).post(rectify, {"rectified_on": "2026-04-08", "rectification_note": ""})
    assert "整改情况说明" in page.content.decode()
    done = client_as(world.org_user).post(rectify, {"rectified_on": "2026-04-08", "rectification_note": "已补齐"})
    assert done.status_code == 302
    again = client_as(world.org_user).post(rectify, {"rectified_on": "2026-04-09", "rectification_note": "再报"})
    assert "已于" in again.content.decode()
    recorded.refresh_from_db()
    assert recorded.rectified_on == dt.date(2026, 4, 8) and recorded.rectification_note == "已补齐"
    listing = officer.get(reverse("projects:supervisionvisit_list"), {"kind": "professional", "sort": "-visited_on"})
    assert [row.record for row in listing.context["table"].page.object_list] == [recorded]
    assert "王督导" in _xlsx_text(officer.get(reverse("projects:supervisionvisit_list"), {"export": "xlsx"}))
    bad = officer.get(reverse("projects:supervisionvisit_list"), {"overdue": "maybe", "export": "xlsx"})
    assert bad.status_code == 400 and "整改已逾期" in bad.content.decode()


def test_the_visit_api(world, users):
    url = "/api/v1/supervision-visits/"
    body = {
        "project": world.project.pk,
        "kind": "follow_up",
        "visited_on": "2026-03-10",
        "supervisor": "李督导",
        "findings": "台账不全",
        "rectification": "补齐台账",
        "rectification_due": "2026-04-10",
    }
    assert api_client(world.org_user).post(url, body, format="json").status_code == 403
    assert api_client(users["bureau_viewer"]).post(url, body, format="json").status_code == 403
    bad = api_client(world.street_officer).post(url, {**body, "rectification_due": None}, format="json")
    assert bad.status_code == 400 and "整改期限" in bad.json()["errors"]["rectification_due"][0]
    created = api_client(world.street_officer).post(url, body, format="json")
    assert created.status_code == 201 and created.json()["rectification_open"] is True
    pk = created.json()["id"]
    overdue = api_client(world.org_user).get(url, {"overdue": "1"}).json()
    assert [row["id"] for row in overdue["results"]] == [pk]
    assert api_client(world.other_org_user).get(url, {"overdue": "1"}).json()["count"] == 0
    rectify = f"{url}{pk}/rectify/"
    assert api_client(world.other_org_user).post(rectify, {}, format="json").status_code == 404
    done = api_client(world.org_user).post(
        rectify, {"rectified_on": "2026-04-09", "rectification_note": "已补齐"}, format="json"
    )
    assert done.status_code == 200 and done.json()["rectified_on"] == "2026-04-09"
    again = api_client(world.street_officer).post(
        rectify, {"rectified_on": "2026-04-09", "rectification_note": "复查"}, format="json"
    )
    assert again.status_code == 400 and "已于" in again.json()["errors"]["rectified_on"][0]


# ----------------------------------------------------------------- indicators from beneficiary feedback


def test_satisfaction_cannot_be_created_as_typed_by_the_organization(world):
    for name in ("服务对象满意度", "居民满意率", "项目知晓率"):
        with pytest.raises(ValidationError) as error:
            services.indicator_create(
                project=world.project, by=None, name=name, unit="%", target="90", source=IndicatorSource.ENTERED
            )
        assert "来源" in messages(error.value, "source") and name in messages(error.value, "source")
        assert "来自服务对象反馈" in messages(error.value, "source")
    created = services.indicator_create(
        project=world.project,
        by=None,
        name="服务对象满意度",
        unit="%",
        target="90",
        source=IndicatorSource.BENEFICIARY_FEEDBACK,
    )
    assert created.source == "beneficiary_feedback"


@pytest.fixture
def satisfaction(world):
    return services.indicator_create(
        project=world.project,
        by=None,
        name="服务对象满意度",
        unit="%",
        target="90",
        source=IndicatorSource.BENEFICIARY_FEEDBACK,
    )


def test_the_organization_can_no_longer_type_its_own_satisfaction(world, satisfaction, client_as):
    """The issue's case: the org user typed 100% satisfaction for itself."""
    with pytest.raises(PermissionDenied) as error:
        services.indicator_enter_value(indicator=satisfaction, by=world.org_user, value="100")
    assert "服务对象满意度" in str(error.value) and "服务对象反馈" in str(error.value)
    # The page offers it no input, and a forged post changes nothing.
    page = client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    row = page.split('data-indicator="服务对象满意度"')[1].split("indicator-row")[0]
    assert 'name="value"' not in row and "由资助方录入调查结果" in row
    url = reverse("projects:indicator_value", args=[satisfaction.pk])
    response = client_as(world.org_user).post(url, {"value": "100"}, follow=True)
    assert "服务对象反馈" in response.content.decode()
    # And the API refuses alike.
    refused = api_client(world.org_user).post(f"/api/v1/indicators/{satisfaction.pk}/value/", {"value": "100"})
    assert refused.status_code == 403 and "服务对象满意度" in refused.json()["detail"]
    satisfaction.refresh_from_db()
    assert satisfaction.entered_value is None


def test_the_funder_enters_the_survey_result(world, satisfaction, client_as, users):
    page = client_as(world.street_officer).get(world.project.get_absolute_url()).content.decode()
    assert 'name="value"' in page.split('data-indicator="服务对象满意度"')[1].split("indicator-row")[0]
    url = reverse("projects:indicator_value", args=[satisfaction.pk])
    client_as(world.street_officer).post(url, {"value": "92.5"})
    satisfaction.refresh_from_db()
    assert satisfaction.entered_value == Decimal("92.50")
    rows = {row["indicator"].name: row for row in indicator_progress(world.project)}
    assert rows["服务对象满意度"]["actual"] == Decimal("92.50")
    answer = api_client(world.street_officer).post(f"/api/v1/indicators/{satisfaction.pk}/value/", {"value": "93"})
    assert answer.status_code == 200 and answer.json()["entered_value"] == "93.00"
    with pytest.raises(PermissionDenied):  # the bureau does not fund this project
        services.indicator_enter_value(indicator=satisfaction, by=users["bureau_staff"], value="1")
    bad = api_client(world.street_officer).post(f"/api/v1/indicators/{satisfaction.pk}/value/", {"value": "很好"})
    assert bad.status_code == 400 and "填报值" in bad.json()["errors"]["entered_value"][0]


def test_the_data_migration_moves_typed_satisfaction_to_beneficiary_feedback(world):
    from importlib import import_module

    migration = import_module("projects.migrations.0007_beneficiary_feedback_indicators")
    typed = Indicator.objects.create(
        project=world.project, name="居民知晓率", unit="%", target="80", source="entered", entered_value="77"
    )
    other = Indicator.objects.create(project=world.project, name="议事参与率", unit="%", target="50", source="entered")
    migration.to_beneficiary_feedback(apps, None)
    typed.refresh_from_db()
    other.refresh_from_db()
    assert typed.source == "beneficiary_feedback" and typed.entered_value == Decimal("77.00")
    assert other.source == "entered"


def test_the_demo_has_a_pending_rectification_and_a_feedback_indicator(seeded_demo):
    project = Project.objects.get(title="宝石社区“银龄互助”邻里守望项目")
    pending = project.supervision_visits.get()
    assert pending.rectification_open and pending.rectification_due >= TODAY
    assert pending.recorded_by == User.objects.get(username="street")
    assert project.indicators.get(name="服务对象满意度").source == "beneficiary_feedback"
    # seed_demo run again adds no visit (nor any other row): tests/core/test_frame.py.


# ---------------------------------------------------------------------------------------- helpers


def _xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def _xlsx_text(response) -> str:
    return " ".join(str(cell) for row in _xlsx_rows(response) for cell in row if cell is not None)


@pytest.mark.parametrize("url_name", ["projects:projectreview_list", "projects:supervisionvisit_list"])
def test_oversight_lists_do_not_grow_their_query_count_with_rows(world, users, client_for, url_name):
    review(world)
    visit(world)
    client = client_for("bureau_staff")
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(url_name)).status_code == 200
    review(world, by=users["bureau_staff"], project=world.district_project)
    review(world, by=users["bureau_staff"], project=make_project(world.other_org, world.places.district))
    for _ in range(3):
        visit(world, by=users["bureau_staff"], project=world.other_project)
    with assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200
