"""Bounds of the projects app: numbers, dates and text a person could mean, refused alike by the
form, the API and the workbook's dry run with a Chinese message naming the field; parameters in
the URL that cannot be meant are a 400 or 404. Each refusal changes nothing."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from rest_framework.test import APIClient

from core.models import AuditRecord
from projects import ledger_xlsx, services
from projects.models import LedgerEntry, MajorActivityReport, Project, QuarterlySubmission

from .factories import entry_data, make_entry

pytestmark = pytest.mark.django_db

TOO_MANY = 3_000_000_000
PARTICIPANTS_ERROR = "参与人数：确保该值小于或等于1000000。"


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def entry_form(**overrides):
    data = {**entry_data(), "date": "2026-03-15", **overrides}
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def unchanged():
    """unchanged() → a check that no ledger entry, major activity, submission or audit record appeared."""

    def snapshot():
        return (
            LedgerEntry.objects.count(),
            MajorActivityReport.objects.count(),
            QuarterlySubmission.objects.count(),
            AuditRecord.objects.count(),
        )

    before = snapshot()
    return lambda: snapshot() == before


# ------------------------------------------------------------------------------- URL parameters


@pytest.mark.parametrize(("year", "quarter"), [(2026, 5), (2026, 0), (0, 1), (99999, 1)])
def test_quarter_submit_page_for_an_impossible_quarter_is_404(world, client_as, unchanged, year, quarter):
    client = client_as(world.org_user)
    url = f"/projects/{world.project.pk}/quarters/{year}/{quarter}/submit/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"narrative": "本季度开展活动"}).status_code == 404
    assert unchanged()


@pytest.mark.parametrize("year", ["0", "10000", "99999999999", "²"])
def test_project_list_year_out_of_range_is_a_form_error_a_400_export_and_a_400_in_the_api(
    world, users, client_for, year
):
    page = client_for("bureau_admin").get("/projects/", {"year": year})
    assert page.status_code == 200
    assert "year" in page.context["filterset"].errors
    assert not list(page.context["table"].rows)
    export = client_for("bureau_admin").get("/projects/", {"year": year, "export": "xlsx"})
    assert export.status_code == 400
    response = api_as(users["bureau_admin"]).get("/api/v1/projects/", {"year": year})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["year"]


def test_project_list_year_in_range_still_filters(world, client_for):
    page = client_for("bureau_admin").get("/projects/", {"year": "2026"})
    assert page.status_code == 200 and len(list(page.context["table"].rows)) == 3
    assert "年度：确保该值大于或等于2000。" in client_for("bureau_admin").get("/projects/?year=0").content.decode()


def test_quarterly_submission_list_year_out_of_range_is_refused(world, users, client_for):
    page = client_for("bureau_admin").get("/projects/quarterly-submissions/", {"year": "99999999999"})
    assert page.status_code == 200 and "year" in page.context["filterset"].errors
    response = api_as(users["bureau_admin"]).get("/api/v1/quarterly-submissions/", {"year": "0"})
    assert response.status_code == 400


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "99999"}, {"quarter": "5"}, {"quarter": "²"}])
def test_timeliness_with_a_bad_year_or_quarter_is_400(world, client_for, query):
    response = client_for("bureau_admin").get(reverse("projects:timeliness"), query)
    assert response.status_code == 400
    assert "请输入" in response.content.decode()


@pytest.mark.parametrize("query", [{"year": "2026", "quarter": "9"}, {"year": "0", "quarter": "1"}, {}])
def test_ledger_quarter_export_with_a_bad_quarter_is_400(world, client_as, query):
    response = client_as(world.org_user).get(reverse("projects:ledger_quarter_export", args=[world.project.pk]), query)
    assert response.status_code == 400


def test_api_transition_with_an_unknown_name_is_400_and_changes_nothing(world, users, unchanged):
    response = api_as(users["bureau_admin"]).post(
        f"/api/v1/projects/{world.project.pk}/transition/", {"name": "bogus"}, format="json"
    )
    assert response.status_code == 400
    assert "approve" in response.json()["errors"]["name"][0]
    assert Project.objects.get(pk=world.project.pk).status == world.project.status
    assert unchanged()


# ------------------------------------------------------------------------------------ head counts


def test_service_refuses_a_head_count_beyond_the_bound_naming_the_field(world):
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_create(project=world.project, by=world.org_user, **entry_data(participants=TOO_MANY))
    assert error.value.message_dict == {"participants": [PARTICIPANTS_ERROR]}
    entry = services.ledger_entry_create(project=world.project, by=world.org_user, **entry_data(participants=1_000_000))
    assert entry.participants == 1_000_000


def test_api_refuses_participants_beyond_the_bound(world, unchanged):
    data = {**entry_form(participants=TOO_MANY), "project": world.project.pk}
    response = api_as(world.org_user).post("/api/v1/ledger-entries/", data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["participants"] == [PARTICIPANTS_ERROR]
    assert unchanged()


def test_form_refuses_participants_beyond_the_bound(world, client_as, unchanged):
    response = client_as(world.org_user).post(
        reverse("projects:ledgerentry_add", args=[world.project.pk]), entry_form(participants=TOO_MANY)
    )
    assert response.status_code == 200
    assert PARTICIPANTS_ERROR in response.content.decode()
    assert unchanged()


def test_correction_refuses_participants_beyond_the_bound_on_the_page_and_in_the_api(world, client_as):
    entry = make_entry(world.project, world.org_user, submit=True)
    before = (LedgerEntry.objects.count(), AuditRecord.objects.count())
    response = client_as(world.org_user).post(
        reverse("projects:ledgerentry_correct", args=[entry.pk]), entry_form(beneficiaries=TOO_MANY)
    )
    assert response.status_code == 200
    assert "受益人数：确保该值小于或等于1000000。" in response.content.decode()
    response = api_as(world.org_user).post(
        f"/api/v1/ledger-entries/{entry.pk}/correct/", {"volunteers": TOO_MANY}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["volunteers"] == ["志愿者数：确保该值小于或等于1000000。"]
    assert (LedgerEntry.objects.count(), AuditRecord.objects.count()) == before


def workbook_with(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    with translation.override("zh-hans"):
        sheet.append([str(label) for _name, label in ledger_xlsx.COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def test_workbook_dry_run_reports_the_bound_per_row_and_confirm_imports_nothing(world, client_as, unchanged):
    client = client_as(world.org_user)
    upload = workbook_with(
        [None, dt.date(2026, 4, 3), "培训", "志愿者培训", "会议室", 20, 0, 2, 4, ""],
        [None, dt.date(2026, 4, 4), "培训", "万人培训", "会议室", TOO_MANY, 0, 2, 4, ""],
    )
    response = client.post(reverse("projects:ledger_upload", args=[world.project.pk]), {"file": upload})
    plan = response.context["plan"]
    assert [row.action for row in plan] == ["create", "error"]
    assert plan[1].number == 3 and plan[1].error_text == PARTICIPANTS_ERROR
    assert PARTICIPANTS_ERROR in response.content.decode()
    response = client.post(
        reverse("projects:ledger_upload_confirm", args=[world.project.pk]), {"token": response.context["token"]}
    )
    assert response.status_code == 302
    assert unchanged()


def test_workbook_entry_number_that_cannot_be_an_id_is_a_row_error(world, client_as):
    upload = workbook_with(["99999999999999999999999", dt.date(2026, 4, 3), "培训", "培训", "", 2, 0, 0, 0, ""])
    response = client_as(world.org_user).post(
        reverse("projects:ledger_upload", args=[world.project.pk]), {"file": upload}
    )
    assert response.status_code == 200
    assert [row.action for row in response.context["plan"]] == ["error"]
    assert "id" in response.context["plan"][0].errors


def test_volunteer_hours_beyond_any_column_are_refused_not_a_500(world):
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_create(project=world.project, by=world.org_user, **entry_data(volunteer_hours="1e30"))
    assert list(error.value.message_dict) == ["volunteer_hours"]
    assert error.value.message_dict["volunteer_hours"][0].startswith("志愿服务时长（小时）：")


# ------------------------------------------------------------------------------- major activities


def major_activity(**overrides):
    return {
        "title": "邻里节",
        "planned_date": "2027-05-01",
        "place": "社区广场",
        "expected_participants": 800,
        "content": "文艺演出与义诊",
        **overrides,
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("expected_participants", TOO_MANY, "预计参与人数：确保该值小于或等于1000000。"),
        ("planned_date", "9999-12-31", "计划日期：确保该值小于或等于2100-12-31。"),
        ("content", "长" * 5001, "活动内容："),
    ],
)
def test_major_activity_out_of_bounds_is_refused_by_form_and_api(world, client_as, unchanged, field, value, message):
    page = client_as(world.org_user).post(reverse("projects:majoractivity_add"), major_activity(**{field: value}))
    assert page.status_code == 200 and message in page.content.decode()
    response = api_as(world.org_user).post("/api/v1/major-activities/", major_activity(**{field: value}), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)
    assert unchanged()
    assert api_as(world.org_user).post("/api/v1/major-activities/", major_activity(), format="json").status_code == 201


# ------------------------------------------------------------------------------------------ text


def test_a_megabyte_summary_is_refused_everywhere(world, client_as, unchanged):
    summary = "x" * 1_000_000  # a megabyte: within the request size limit, far beyond a summary
    response = api_as(world.org_user).post(
        "/api/v1/ledger-entries/", {**entry_form(summary=summary), "project": world.project.pk}, format="json"
    )
    assert response.status_code == 400
    message = response.json()["errors"]["summary"][0]
    assert message.startswith("活动摘要：") and "5000" in message
    page = client_as(world.org_user).post(
        reverse("projects:ledgerentry_add", args=[world.project.pk]), entry_form(summary=summary)
    )
    assert page.status_code == 200 and "活动摘要：" in page.content.decode()
    assert unchanged()


def test_an_overlong_return_reason_is_refused_and_the_entry_stays_submitted(world, client_as):
    entry = make_entry(world.project, world.org_user, submit=True)
    before = AuditRecord.objects.count()
    response = client_as(world.street_officer).post(
        reverse("projects:ledgerentry_action", args=[entry.pk, "return"]), {"reason": "理" * 2001}, follow=True
    )
    assert "原因：最多 2000 个字符。" in response.content.decode()
    response = api_as(world.street_officer).post(
        f"/api/v1/ledger-entries/{entry.pk}/return/", {"reason": "理" * 2001}, format="json"
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["reason"]
    entry.refresh_from_db()
    assert entry.status == "submitted" and AuditRecord.objects.count() == before


def test_an_overlong_quarter_narrative_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.quarterly_submission_submit(
            project=world.project, by=world.org_user, year=2026, quarter=1, narrative="述" * 5001
        )
    assert list(error.value.message_dict) == ["narrative"]
    assert not QuarterlySubmission.objects.exists()
