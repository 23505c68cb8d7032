"""Pages of the projects app: what each user sees, the bad cases, exports, uploads and query counts."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.testing import assert_num_queries, assert_role_matrix
from projects import services
from projects.models import LedgerEntry, QuarterlySubmission

from .factories import make_entry, make_project

pytestmark = pytest.mark.django_db

LISTS = [
    "projects:project_list",
    "projects:ledgerentry_list",
    "projects:expenditure_list",
    "projects:quarterlysubmission_list",
    "projects:majoractivity_list",
]


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize("url_name", LISTS)
def test_list_pages_role_matrix(world, client_for, url_name):
    assert_role_matrix(
        client_for,
        "get",
        reverse(url_name),
        {
            None: 302,
            "bureau_admin": 200,
            "bureau_staff": 200,
            "bureau_viewer": 200,
            "street_officer": 200,
            "community_party": 200,
            "org_user": 200,
            "expert": 403,
            "other_district_admin": 200,
        },
    )


def test_org_never_sees_another_orgs_project_even_by_guessing_ids(world, client_as):
    client = client_as(world.other_org_user)
    entry = make_entry(world.project, world.org_user, submit=True)
    submission = services.quarterly_submission_submit(
        project=world.project, by=world.org_user, year=2026, quarter=1, narrative="x"
    )
    for url in [
        reverse("projects:project_detail", args=[world.project.pk]),
        reverse("projects:project_edit", args=[world.project.pk]),
        reverse("projects:ledgerentry_detail", args=[entry.pk]),
        reverse("projects:ledgerentry_edit", args=[entry.pk]),
        reverse("projects:ledgerentry_add", args=[world.project.pk]),
        reverse("projects:quarterlysubmission_detail", args=[submission.pk]),
        reverse("projects:ledger_template", args=[world.project.pk]),
        reverse("projects:ledger_upload", args=[world.project.pk]),
        reverse("projects:ledger_quarter_export", args=[world.project.pk]) + "?year=2026&quarter=1",
        reverse("projects:quarterlysubmission_submit", args=[world.project.pk, 2026, 1]),
    ]:
        assert client.get(url).status_code in (403, 404), url
    for url in [
        reverse("projects:ledgerentry_action", args=[entry.pk, "submit"]),
        reverse("projects:quarterlysubmission_action", args=[submission.pk, "accept"]),
        reverse("projects:project_transition", args=[world.project.pk, "terminate"]),
    ]:
        assert client.post(url, {"reason": "x"}).status_code in (403, 404), url
    # Lists and exports hold only the organization's own rows.
    page = client.get(reverse("projects:project_list")).content.decode()
    assert "二街道睦邻项目" in page and "银龄互助项目" not in page
    rows = xlsx_rows(client.get(reverse("projects:project_list") + "?export=xlsx"))
    assert [r[1] for r in rows[1:]] == ["二街道睦邻项目"]
    rows = xlsx_rows(client.get(reverse("projects:ledgerentry_list") + "?export=xlsx"))
    assert len(rows) == 1
    # Filtering by the other project's id yields nothing and no error page.
    response = client.get(reverse("projects:ledgerentry_list"), {"project": world.project.pk})
    assert response.status_code == 200 and "重阳节敬老活动" not in response.content.decode()


def test_street_officer_of_another_street_sees_nothing_of_street_one(world, client_for):
    client = client_for("other_street_officer")
    assert client.get(reverse("projects:project_detail", args=[world.project.pk])).status_code == 404
    page = client.get(reverse("projects:project_list")).content.decode()
    assert "二街道睦邻项目" in page and "银龄互助项目" not in page
    assert (
        client_for("other_district_admin").get(reverse("projects:project_detail", args=[world.project.pk])).status_code
        == 404
    )


def test_project_detail_shows_progress_budget_and_quarters(world, client_as):
    entry = make_entry(world.project, world.org_user, submit=True, participants=60)
    services.ledger_entry_accept(entry=entry, by=world.street_officer)
    services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=world.project.budget_lines.get(name="活动费"),
        date=dt.date(2026, 2, 1),
        amount="6000",
        payee="店",
        voucher_number="1",
    )
    page = client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    assert "服务人次" in page and 'aria-valuenow="10"' in page  # 60 of 600
    assert "6,000.00" in page and "54,000.00" in page and "100,000.00 元" in page
    assert "2026年第一季度" in page and "2026年4月10日" in page
    assert "新增台账" in page


def test_project_list_filters_sorts_and_exports(world, client_for):
    client = client_for("bureau_staff")
    page = client.get(reverse("projects:project_list"), {"q": "银龄"}).content.decode()
    assert "银龄互助项目" in page and "社区议事厅项目" not in page
    assert client.get(reverse("projects:project_list"), {"sort": "-amount"}).status_code == 200
    rows = xlsx_rows(client.get(reverse("projects:project_list") + "?status=in_progress&export=xlsx"))
    assert rows[0][:3] == ["项目编号", "名称", "社会组织"]
    assert {r[1] for r in rows[1:]} == {"银龄互助项目", "社区议事厅项目", "二街道睦邻项目"}
    assert str(rows[1][5]) == "100000" or float(rows[1][5]) == 100000.0


def _add_rows(world, days, quarters=()):
    for day in days:
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
            planned_date=dt.date(2026, 12, 20),
            place="广场",
            expected_participants=300,
            content="x",
        )
        make_project(world.org, world.places.street1)
    for quarter in quarters:
        services.quarterly_submission_submit(
            project=world.project, by=world.org_user, year=2026, quarter=quarter, narrative="x"
        )


@pytest.mark.parametrize("url_name", LISTS)
def test_list_query_count_does_not_grow_with_rows(world, client_as, url_name):
    client = client_as(world.org_user)
    _add_rows(world, [1], quarters=[1])
    client.get(reverse(url_name))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(url_name)).status_code == 200
    _add_rows(world, [2, 3, 4, 5, 6], quarters=[2])
    with assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_project_detail_query_count_is_fixed(world, client_as):
    client = client_as(world.street_officer)
    url = world.project.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for day in range(1, 8):
        make_entry(world.project, world.org_user, submit=True, date=dt.date(2026, 6, day))
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second.captured_queries) == len(first.captured_queries)


def test_org_records_an_entry_with_photos_and_submits_via_the_page(world, client_as):
    client = client_as(world.org_user)
    url = reverse("projects:ledgerentry_add", args=[world.project.pk])
    data = {
        "date": "2026-03-10",
        "kind": "service_activity",
        "title": "义诊活动",
        "place": "社区卫生站",
        "participants": "40",
        "beneficiaries": "35",
        "volunteers": "6",
        "volunteer_hours": "18",
        "summary": "x",
        "photos": [SimpleUploadedFile("a.jpg", b"\xff\xd8\xffdata", content_type="image/jpeg")],
        "sign_in_sheets": [SimpleUploadedFile("签到.pdf", b"%PDF-1.4", content_type="application/pdf")],
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(title="义诊活动")
    assert entry.status == "submitted" and entry.attachments.count() == 2
    attachment = entry.attachments.get(kind="sign_in_sheet")
    assert client.get(attachment.get_absolute_url()).status_code == 200
    assert client_as(world.other_org_user).get(attachment.get_absolute_url()).status_code == 404


def test_entry_form_shows_chinese_errors_naming_the_field(world, client_as):
    client = client_as(world.org_user)
    response = client.post(
        reverse("projects:ledgerentry_add", args=[world.project.pk]),
        {
            "date": "2025-12-01",
            "kind": "service_activity",
            "title": "x",
            "participants": "-3",
            "beneficiaries": "0",
            "volunteers": "0",
            "volunteer_hours": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "超出项目周期" in page and "人数不能为负数" in page
    assert not LedgerEntry.objects.filter(title="x").exists()


def test_submitted_entry_cannot_be_edited_via_the_page(world, client_as):
    entry = make_entry(world.project, world.org_user, submit=True)
    client = client_as(world.org_user)
    response = client.post(
        reverse("projects:ledgerentry_edit", args=[entry.pk]),
        {
            "date": "2026-03-15",
            "kind": "service_activity",
            "title": "改",
            "participants": "1",
            "beneficiaries": "1",
            "volunteers": "0",
            "volunteer_hours": "0",
        },
    )
    assert "不能直接修改" in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == "重阳节敬老活动"
    # A correction through the page makes version 2 and keeps version 1.
    response = client.post(
        reverse("projects:ledgerentry_correct", args=[entry.pk]),
        {
            "date": "2026-03-15",
            "kind": "service_activity",
            "title": "更正后的标题",
            "participants": "1",
            "beneficiaries": "1",
            "volunteers": "0",
            "volunteer_hours": "0",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    correction = LedgerEntry.objects.get(previous_version=entry)
    assert correction.status == "resubmitted" and correction.version == 2
    old_page = client.get(entry.get_absolute_url()).content.decode()
    assert "重阳节敬老活动" in old_page and "已被更正版本替代" in old_page


def test_acceptance_by_a_non_funder_is_refused_via_page_and_api(world, client_for, client_as):
    entry = make_entry(world.project, world.org_user, submit=True)
    url = reverse("projects:ledgerentry_action", args=[entry.pk, "accept"])
    assert client_for("bureau_staff").post(url).status_code == 403
    assert client_as(world.org_user).post(url).status_code == 403
    assert client_for("other_street_officer").post(url).status_code == 404
    assert client_for("street_officer").post(url).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "accepted"


def test_quarter_submit_and_accept_via_pages(world, client_as):
    make_entry(world.project, world.org_user)
    client = client_as(world.org_user)
    url = reverse("projects:quarterlysubmission_submit", args=[world.project.pk, 2026, 1])
    assert "2026年第一季度" in client.get(url).content.decode()
    assert client.post(url, {"narrative": "本季度开展敬老活动。"}).status_code == 302
    response = client.post(url, {"narrative": "again"})
    assert "不能重复提交" in response.content.decode()
    submission = QuarterlySubmission.objects.get(project=world.project)
    officer = client_as(world.street_officer)
    detail = officer.get(submission.get_absolute_url()).content.decode()
    assert "transition-accept" in detail
    officer.post(reverse("projects:quarterlysubmission_action", args=[submission.pk, "accept"]))
    response = officer.post(reverse("projects:quarterlysubmission_action", args=[submission.pk, "accept"]), follow=True)
    assert "已由" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "accepted"


def test_expenditure_overspend_message_on_the_form(world, client_as):
    line = world.project.budget_lines.get(name="人员费")
    response = client_as(world.org_user).post(
        reverse("projects:expenditure_add", args=[world.project.pk]),
        {"budget_line": line.pk, "date": "2026-02-01", "amount": "40000.01", "payee": "社工", "voucher_number": "1"},
    )
    page = response.content.decode()
    assert "余额" in page and "40,000.00 元" in page


def test_project_create_by_street_officer_via_page(world, client_for, places):
    client = client_for("street_officer")
    response = client.post(
        reverse("projects:project_add"),
        {
            "organization": world.org.pk,
            "title": "新设项目",
            "funding_source": "venture_philanthropy",
            "funder": services.office_funder(places.street1).pk,
            "amount": "50000",
            "start_date": "2026-03-01",
            "end_date": "2027-02-28",
            "target_groups": ["children", "youth"],
            "service_communities": [places.community11.pk],
            "objectives": "目标",
        },
    )
    assert response.status_code == 302
    # A street officer names only their street as funder, and serves only its communities.
    form = client.get(reverse("projects:project_add")).context["form"]
    assert list(form.fields["funder"].queryset) == [services.office_funder(places.street1)]
    assert set(form.fields["service_communities"].queryset) == {places.community11, places.community12}
    assert client_for("org_user").get(reverse("projects:project_add")).status_code == 403


def test_ledger_template_upload_dry_run_and_confirm(world, client_as):
    client = client_as(world.org_user)
    template = xlsx_rows(client.get(reverse("projects:ledger_template", args=[world.project.pk])))
    header = template[0]
    assert header[1] == "日期" and header[2] == "类型"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.append([None, dt.date(2026, 4, 3), "培训", "志愿者培训", "会议室", 20, 0, 2, 4, "培训"])
    sheet.append([None, "2025-01-01", "聚餐", "", "x", -1, 0, 0, 0, ""])
    sheet.append([None, "2026年5月6日", "走访", "入户走访", "各小区", 12, 12, 3, 6.5, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)  # a user's own workbook, as they would upload it
    url = reverse("projects:ledger_upload", args=[world.project.pk])
    response = client.post(url, {"file": SimpleUploadedFile("台账.xlsx", buffer.getvalue())})
    page = response.content.decode()
    assert "超出项目周期" in page and "类型" in page and "人数不能为负数" in page
    assert "confirm-upload" not in page
    assert not LedgerEntry.objects.filter(title="志愿者培训").exists()
    # Without the bad row: dry run, then confirm creates drafts.
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(url, {"file": SimpleUploadedFile("台账.xlsx", buffer.getvalue())})
    token = response.context["token"]
    assert [row.action for row in response.context["plan"]] == ["create", "create"]
    response = client.post(reverse("projects:ledger_upload_confirm", args=[world.project.pk]), {"token": token})
    assert response.status_code == 302
    created = LedgerEntry.objects.filter(project=world.project, status="draft").order_by("date")
    assert [(e.title, e.kind, e.volunteer_hours) for e in created] == [
        ("志愿者培训", "training", 4),
        ("入户走访", "visit", 6.5),
    ]


def test_quarter_export_round_trips_through_upload(world, client_as):
    client = client_as(world.org_user)
    draft = make_entry(world.project, world.org_user, title="草稿活动", date=dt.date(2026, 2, 1))
    submitted = make_entry(world.project, world.org_user, submit=True, title="已提交活动", date=dt.date(2026, 2, 2))
    unchanged = make_entry(world.project, world.org_user, submit=True, title="不变活动", date=dt.date(2026, 2, 3))
    rows = xlsx_rows(
        client.get(reverse("projects:ledger_quarter_export", args=[world.project.pk]), {"year": 2026, "quarter": 1})
    )
    assert len(rows) == 4
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        if row[0] == draft.pk:
            row[3] = "草稿活动（改）"
        if row[0] == submitted.pk:
            row[5] = 99
        sheet.append(row)
    sheet.append([None, dt.date(2026, 3, 3), "会议", "新增会议", "会议室", 8, 0, 0, 0, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("projects:ledger_upload", args=[world.project.pk]),
        {"file": SimpleUploadedFile("q1.xlsx", buffer.getvalue())},
    )
    actions = {row.data.get("title"): row.action for row in response.context["plan"]}
    assert actions == {
        "草稿活动（改）": "update",
        "已提交活动": "correct",
        "不变活动": "unchanged",
        "新增会议": "create",
    }
    client.post(
        reverse("projects:ledger_upload_confirm", args=[world.project.pk]), {"token": response.context["token"]}
    )
    draft.refresh_from_db()
    assert draft.title == "草稿活动（改）"
    correction = LedgerEntry.objects.get(previous_version=submitted)
    assert correction.participants == 99 and correction.status == "draft"
    assert not LedgerEntry.objects.filter(previous_version=unchanged).exists()
    assert LedgerEntry.objects.filter(title="新增会议").exists()


def test_upload_of_something_that_is_not_a_workbook(world, client_as):
    response = client_as(world.org_user).post(
        reverse("projects:ledger_upload", args=[world.project.pk]),
        {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
    )
    assert "文件：x.xlsx 不是允许的文件类型（Excel (xlsx)）" in response.content.decode()


def test_timeliness_page_by_street_and_organization(world, client_for):
    services.quarterly_submission_submit(project=world.project, by=world.org_user, year=2026, quarter=1, narrative="x")
    client = client_for("bureau_staff")
    response = client.get(reverse("projects:timeliness"), {"year": 2026, "quarter": 1})
    rows = {row["label"]: row for row in response.context["rows"]}
    # 2026Q1 is long past: street 1 has two projects (one submitted late, i.e. today), street 2 one missing.
    assert rows["一街道"]["expected"] == 2 and rows["一街道"]["missing"] == 1
    assert rows["二街道"]["missing"] == 1
    by_org = client.get(reverse("projects:timeliness"), {"by": "organization", "year": 2026}).context["rows"]
    assert {r["label"] for r in by_org} == {"一社区为老服务社", "二街道邻里互助会"}
    rows = xlsx_rows(client.get(reverse("projects:timeliness"), {"year": 2026, "export": "xlsx"}))
    assert rows[0][0] == "街道" and len(rows) == 3
    assert client_for("street_officer").get(reverse("projects:timeliness")).context["rows"][0]["label"] == "一街道"
    assert client_for("org_user").get(reverse("projects:timeliness")).status_code == 403


def test_org_home_shows_projects_and_whats_due(world, client_as):
    page = client_as(world.org_user).get(reverse("home")).content.decode()
    assert "银龄互助项目" in page and "社区议事厅项目" in page and "二街道睦邻项目" not in page
    assert "2026年第一季度" in page


def test_major_activity_pages(world, client_as, client_for):
    client = client_as(world.org_user)
    response = client.post(
        reverse("projects:majoractivity_add"),
        {
            "title": "千人健步走",
            "planned_date": "2030-05-01",
            "place": "西湖边",
            "expected_participants": "1000",
            "content": "健步走",
        },
    )
    assert response.status_code == 302
    report = world.org.major_activity_reports.get()
    assert client_as(world.other_org_user).get(report.get_absolute_url()).status_code == 404
    staff = client_for("bureau_staff")
    assert "知悉" in staff.get(report.get_absolute_url()).content.decode()
    staff.post(reverse("projects:majoractivity_action", args=[report.pk, "object"]), {"reason": "安全预案不足"})
    report.refresh_from_db()
    assert report.status == "objected" and report.review_reason == "安全预案不足"
    assert client_for("bureau_staff").get(reverse("projects:majoractivity_add")).status_code == 403


def test_notifications_page_shows_only_mine(world, client_as):
    services.reminders_send(today=dt.date(2026, 4, 6))
    page = client_as(world.org_user).get(reverse("core:notification_list")).content.decode()
    assert "即将到期" in page
    other = client_as(world.other_org_user).get(reverse("core:notification_list")).content.decode()
    assert "银龄互助项目" not in other and "二街道睦邻项目" in other


def test_budget_adjustment_via_pages(world, client_as):
    activities = world.project.budget_lines.get(name="活动费")
    staff = world.project.budget_lines.get(name="人员费")
    response = client_as(world.org_user).post(
        reverse("projects:budgetadjustment_add", args=[world.project.pk]),
        {"from_line": activities.pk, "to_line": staff.pk, "amount": "2500.50", "reason": "增加社工课时"},
    )
    assert response.status_code == 302
    adjustment = world.project.budget_adjustments.get()
    url = reverse("projects:budgetadjustment_decide", args=[adjustment.pk, "approve"])
    assert client_as(world.org_user).post(url).status_code == 403
    page = client_as(world.street_officer).get(world.project.get_absolute_url()).content.decode()
    assert "增加社工课时" in page and "待审批" in page
    client_as(world.street_officer).post(url)
    staff.refresh_from_db()
    assert str(staff.amount) == "42500.50"
    page = client_as(world.street_officer).get(world.project.get_absolute_url()).content.decode()
    assert "42,500.00" not in page and "42,500.50" in page and "已批准" in page


def test_project_transitions_via_page(world, client_for):
    url = reverse("projects:project_transition", args=[world.project.pk, "terminate"])
    response = client_for("street_officer").post(url, {"reason": ""}, follow=True)
    assert "请填写“终止”的原因" in response.content.decode()
    assert client_for("bureau_viewer").post(url, {"reason": "x"}).status_code == 403
    client_for("street_officer").post(url, {"reason": "组织解散"})
    world.project.refresh_from_db()
    assert world.project.status == "terminated"
    assert "组织解散" in client_for("street_officer").get(world.project.get_absolute_url()).content.decode()


def test_history_page_of_a_ledger_entry_is_scoped(world, client_as):
    from core.templatetags.core_tags import history_url

    entry = make_entry(world.project, world.org_user, submit=True)
    url = history_url(entry)
    assert client_as(world.org_user).get(url).status_code == 200
    assert client_as(world.other_org_user).get(url).status_code == 404


def test_entry_list_hides_replaced_versions_unless_asked(world, client_as):
    entry = make_entry(world.project, world.org_user, submit=True, title="原始版本")
    correction = services.ledger_entry_correct(entry=entry, by=world.org_user, title="更正版本")
    services.ledger_entry_submit(entry=correction, by=world.org_user)
    client = client_as(world.org_user)
    page = client.get(reverse("projects:ledgerentry_list")).content.decode()
    assert "更正版本" in page and "原始版本" not in page
    page = client.get(reverse("projects:ledgerentry_list"), {"all_versions": "true"}).content.decode()
    assert "更正版本" in page and "原始版本" in page


def test_budget_line_deleted_only_while_applied(world, client_for, places):
    project = make_project(world.org, places.street1, transitions=())
    line = project.budget_lines.get(name="人员费")
    client_for("street_officer").post(reverse("projects:budgetline_delete", args=[line.pk]))
    assert not project.budget_lines.filter(pk=line.pk).exists()
    running_line = world.project.budget_lines.get(name="人员费")
    response = client_for("street_officer").post(
        reverse("projects:budgetline_delete", args=[running_line.pk]), follow=True
    )
    assert "预算调整" in response.content.decode()
    assert world.project.budget_lines.filter(pk=running_line.pk).exists()
    assert client_for("org_user").post(reverse("projects:budgetline_delete", args=[running_line.pk])).status_code in (
        403,
        404,
    )


def test_awaiting_my_review_and_voucher_download(world, client_as, client_for):
    services.quarterly_submission_submit(project=world.project, by=world.org_user, year=2026, quarter=1, narrative="x")
    services.quarterly_submission_submit(
        project=world.district_project, by=world.org_user, year=2026, quarter=1, narrative="x"
    )
    url = reverse("projects:quarterlysubmission_list")
    rows = client_as(world.street_officer).get(url, {"awaiting_me": "true"}).context["table"].data
    assert [s.project for s in rows] == [world.project]
    rows = client_for("bureau_staff").get(url, {"awaiting_me": "true"}).context["table"].data
    assert [s.project for s in rows] == [world.district_project]
    assert len(client_as(world.org_user).get(url, {"awaiting_me": "true"}).context["table"].data) == 0
    expenditure = services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=world.project.budget_lines.first(),
        date=dt.date(2026, 2, 1),
        amount="10",
        payee="店",
        voucher_number="V-1",
        voucher=SimpleUploadedFile("发票.pdf", b"%PDF-1.4"),
    )
    voucher_url = reverse("projects:expenditure_voucher", args=[expenditure.pk])
    assert client_as(world.street_officer).get(voucher_url).status_code == 200
    assert client_as(world.other_org_user).get(voucher_url).status_code == 404
    assert voucher_url in client_as(world.org_user).get(reverse("projects:expenditure_list")).content.decode()


def test_running_project_edit_page_keeps_money_and_period(world, client_for, places):
    client = client_for("street_officer")
    url = reverse("projects:project_edit", args=[world.project.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["funder"] = services.office_funder(places.street1).pk
    data["service_communities"] = []
    data["objectives"] = "更新后的目标"
    assert client.post(url, data).status_code == 302
    world.project.refresh_from_db()
    assert world.project.objectives == "更新后的目标"
    data["amount"] = "1.00"
    assert "立项后不能修改" in client.post(url, data).content.decode()


def test_action_urls_refuse_unknown_names_and_get(world, client_for):
    entry = make_entry(world.project, world.org_user, submit=True)
    client = client_for("street_officer")
    assert client.post(reverse("projects:ledgerentry_action", args=[entry.pk, "publish"])).status_code == 404
    assert client.get(reverse("projects:ledgerentry_action", args=[entry.pk, "accept"])).status_code == 405
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_home_page_shows_quarters_to_accept_and_entries_to_correct(world, client_as):
    entry = make_entry(world.project, world.org_user, submit=True)
    services.ledger_entry_return(entry=entry, by=world.street_officer, reason="签到表缺失")
    org_home = client_as(world.org_user).get("/").content.decode()
    assert "被退回补正的台账" in org_home and "status=returned" in org_home
    assert "待我受理的季度报送" not in client_as(world.street_officer).get("/").content.decode()

    make_entry(world.project, world.org_user)
    services.quarterly_submission_submit(
        project=world.project, by=world.org_user, year=2026, quarter=1, narrative="开展活动一场。"
    )
    officer_home = client_as(world.street_officer).get("/").content.decode()
    assert "待我受理的季度报送" in officer_home
    # The district's clerks fund other projects: this quarter is not theirs to accept.
    assert "待我受理的季度报送" not in client_as(world.users["bureau_staff"]).get("/").content.decode()
