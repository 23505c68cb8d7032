"""The workbook archive pages: who sees and builds what (role matrix, another district → 404), the
progress fragment polled by htmx, downloads served only through the views under a Chinese name
(the newest ready version of a quarter), and malformed parameters answered 400/404."""

import io
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from core.testing import assert_role_matrix
from reports.choices import WorkbookStatus
from reports.models import QuarterlyWorkbook
from reports.services import workbooks as services

from ..accounts.factories import Jurisdiction, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("reports:workbook_list")
REQUEST = reverse("reports:workbook_request")
LATEST = reverse("reports:workbook_latest")


def _ready(region, by, year=2026, quarter=2):
    return services.workbook_build(services.workbook_request(region, year, quarter, by).pk)


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    return unquote(disposition.split("filename*=utf-8''", 1)[1]) if "filename*=" in disposition else disposition


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_role_matrix_of_the_archive(places, users, client_for):
    workbook = _ready(places.district, users["bureau_staff"])
    detail = workbook.get_absolute_url()
    download = reverse("reports:workbook_download", args=[workbook.pk])
    readers = {"bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 200}
    others = {"street_officer": 403, "community_party": 403, "org_user": 403, "expert": 403, None: 302}
    assert_role_matrix(client_for, "get", LIST, {**readers, **others})
    assert_role_matrix(client_for, "get", detail, {**readers, **others, "other_district_admin": 404})
    assert_role_matrix(client_for, "get", download, {**readers, **others, "other_district_staff": 404})
    listing = client_for("bureau_viewer").get(LIST).content.decode()
    assert "2026年第2季度" in listing and "甲区" in listing
    assert 'id="workbook-request-form"' not in listing  # a viewer reads, does not build
    assert 'id="workbook-request-form"' in client_for("bureau_staff").get(LIST).content.decode()
    assert f"/reports/workbooks/{workbook.pk}/" not in client_for("other_district_admin").get(LIST).content.decode()


def test_staff_build_a_quarter_now_once(places, users, client_for):
    data = {"region": places.district.pk, "quarter": "2026Q2"}
    assert_role_matrix(
        client_for,
        "post",
        REQUEST,
        {"bureau_viewer": 403, "street_officer": 403, "org_user": 403, "expert": 403, None: 302},
        data=data,
    )
    assert not QuarterlyWorkbook.objects.exists()
    staff = client_for("bureau_staff")
    response = staff.post(REQUEST, data)
    workbook = QuarterlyWorkbook.objects.get()
    assert response.status_code == 302 and response["Location"] == workbook.get_absolute_url()
    assert (workbook.version, workbook.status, workbook.requested_by) == (1, "queued", users["bureau_staff"])
    # A double click while it is queued: refused with the reason, nothing new.
    again = staff.post(REQUEST, data, follow=True)
    assert "第1版正在生成" in again.content.decode()
    assert QuarterlyWorkbook.objects.count() == 1


def test_a_request_for_another_district_or_a_malformed_quarter_is_refused(places, users, client_for):
    other = client_for("other_district_admin")
    response = other.post(REQUEST, {"region": places.district.pk, "quarter": "2026Q2"}, follow=True)
    assert response.status_code == 200 and "所属区划：" in response.content.decode()
    for quarter in ("2026Q9", "abc", "", "2026Q2'--"):
        response = client_for("bureau_admin").post(REQUEST, {"region": places.district.pk, "quarter": quarter})
        assert response.status_code == 302 and response["Location"] == LIST, quarter
    response = client_for("bureau_admin").post(REQUEST, {"region": "x", "quarter": "2026Q2"}, follow=True)
    assert "所属区划：" in response.content.decode()
    assert not QuarterlyWorkbook.objects.exists()


def test_progress_fragment_polls_until_ready(places, users, client_for):
    workbook = services.workbook_request(places.district, 2026, 2, users["bureau_staff"])
    staff = client_for("bureau_staff")
    page = staff.get(workbook.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'aria-valuenow="0"' in page
    QuarterlyWorkbook.objects.filter(pk=workbook.pk).update(status="building", progress=42, stage="台账报送情况")
    fragment = staff.get(workbook.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="workbook-progress"') and "<html" not in fragment
    assert 'aria-valuenow="42"' in fragment and "台账报送情况" in fragment and "every 2s" in fragment
    QuarterlyWorkbook.objects.filter(pk=workbook.pk).update(status="queued", progress=0)
    services.workbook_build(workbook.pk)
    done = staff.get(workbook.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and 'id="workbook-download"' in done


def test_download_serves_the_file_under_its_chinese_name_and_the_newest_ready_version(places, users, client_for):
    first = _ready(places.district, users["bureau_staff"])
    second = _ready(places.district, users["bureau_staff"])
    viewer = client_for("bureau_viewer")
    response = viewer.get(reverse("reports:workbook_download", args=[first.pk]))
    assert response.status_code == 200
    assert _filename(response) == "甲区2026年第2季度评审工作簿v1.xlsx"
    assert load_workbook(io.BytesIO(_body(response))).sheetnames[0] == "概览"
    query = {"region": places.district.code, "quarter": "2026Q2"}
    assert _filename(viewer.get(LATEST, query)) == "甲区2026年第2季度评审工作簿v2.xlsx"
    # A third build fails: the newest ready version is still v2, and v1 still downloads.
    third = services.workbook_request(places.district, 2026, 2, users["bureau_staff"])
    QuarterlyWorkbook.objects.filter(pk=third.pk).update(status=WorkbookStatus.FAILED, error="生成失败")
    assert _filename(viewer.get(LATEST, query)) == "甲区2026年第2季度评审工作簿v2.xlsx"
    assert viewer.get(reverse("reports:workbook_download", args=[third.pk])).status_code == 404
    assert viewer.get(reverse("reports:workbook_download", args=[first.pk])).status_code == 200
    assert second.file.name != first.file.name


def test_malformed_and_foreign_parameters_are_400_or_404(places, users, client_for):
    _ready(places.district, users["bureau_staff"])
    viewer = client_for("bureau_viewer")
    for bad in ("abc", "0", "-1", "99999999999999999999", "1.5"):
        assert viewer.get(f"/reports/workbooks/{bad}/").status_code == 404, bad
        assert viewer.get(f"/reports/workbooks/{bad}/download/").status_code == 404, bad
    assert viewer.get(LATEST, {"region": places.district.code}).status_code == 400
    assert viewer.get(LATEST, {"region": places.district.code, "quarter": "2026Q9"}).status_code == 400
    assert viewer.get(LATEST, {"region": places.district.code, "quarter": "2026Q3"}).status_code == 404
    assert viewer.get(LATEST, {"region": "<script>", "quarter": "2026Q2"}).status_code == 404
    # Another district's bureau gets nothing of district A's, as if it did not exist.
    other = client_for("other_district_admin")
    assert other.get(LATEST, {"region": places.district.code, "quarter": "2026Q2"}).status_code == 404
    # Filters: a malformed or foreign value is a form error on the page, never a 500.
    for query in ({"quarter": "2026Q9"}, {"region": places.other_district.pk}, {"status": "x"}, {"region": "abc"}):
        response = viewer.get(LIST, query)
        assert response.status_code == 200 and "筛选条件有误" in response.content.decode(), query


def test_list_filters_and_order(places, users, client_for):
    staff = users["bureau_staff"]
    first = _ready(places.district, staff, quarter=1)
    second = _ready(places.district, staff, quarter=2)
    failed = services.workbook_request(places.district, 2026, 2, staff)
    QuarterlyWorkbook.objects.filter(pk=failed.pk).update(status=WorkbookStatus.FAILED)
    viewer = client_for("bureau_viewer")
    page = viewer.get(LIST).content.decode()
    # Newest first.
    assert page.index(f"/reports/workbooks/{failed.pk}/") < page.index(f"/reports/workbooks/{second.pk}/")
    assert page.index(f"/reports/workbooks/{second.pk}/") < page.index(f"/reports/workbooks/{first.pk}/")
    only_ready_q2 = viewer.get(LIST, {"quarter": "2026Q2", "status": "ready"}).content.decode()
    assert f"/reports/workbooks/{second.pk}/" in only_ready_q2
    assert f'/reports/workbooks/{failed.pk}/"' not in only_ready_q2
    assert f'/reports/workbooks/{first.pk}/"' not in only_ready_q2
    region = viewer.get(LIST, {"region": places.district.pk}).content.decode()
    assert f"/reports/workbooks/{first.pk}/" in region


def test_a_city_bureau_reads_the_city_and_its_districts_a_district_never_the_city():
    places = Jurisdiction(city=True)
    city_admin = make_user(Role.BUREAU_ADMIN, places.city)
    district_admin = make_user(Role.BUREAU_ADMIN, places.district)
    city_book = _ready(places.city, city_admin)
    district_book = _ready(places.district, district_admin)
    other_book = _ready(places.other_district, make_user(Role.BUREAU_STAFF, places.other_district))
    city_client, district_client = Client(), Client()
    city_client.force_login(city_admin)
    district_client.force_login(district_admin)
    for book in (city_book, district_book, other_book):
        assert city_client.get(reverse("reports:workbook_download", args=[book.pk])).status_code == 200
    assert district_client.get(city_book.get_absolute_url()).status_code == 404
    assert district_client.get(other_book.get_absolute_url()).status_code == 404
    assert district_client.get(district_book.get_absolute_url()).status_code == 200
    # The city's request form offers the city and its districts; a district's only itself.
    form = city_client.get(LIST).content.decode()
    assert all(f'value="{r.pk}"' in form for r in (places.city, places.district, places.other_district))
    response = city_client.post(REQUEST, {"region": places.city.pk, "quarter": "2026Q1"})
    assert response.status_code == 302
    assert QuarterlyWorkbook.objects.filter(region=places.city, quarter=1).count() == 1
    response = district_client.post(REQUEST, {"region": places.city.pk, "quarter": "2026Q1"}, follow=True)
    assert "所属区划：" in response.content.decode()


def test_the_archive_exports_its_rows(places, users, client_for):
    workbook = _ready(places.district, users["bureau_staff"])
    response = client_for("bureau_viewer").get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(_body(response))).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("季度", "所属区划", "版本", "状态")
    assert rows[1][:4] == ("2026年第2季度", "甲区", 1, "已生成") and rows[1][-1] == workbook.size
