"""Pages of beneficiary feedback kept by the bureau: the survey's page (public link, QR, counts), the
poster and QR image, respondent-code slips, paper batches (all or nothing, row errors named in
Chinese), and the review of answers set aside (count / leave out, by role and district)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_role_matrix
from evaluation.choices import ResponseChannel, ResponseStatus, RoundStatus
from evaluation.models import PaperBatch, RespondentCode, SurveyResponse
from evaluation.services.feedback import codes_issue, response_submit

from ..projects.factories import make_project
from ..registry.factories import make_organization
from .factories import RoundFactory, RoundProjectFactory

pytestmark = pytest.mark.django_db

ANSWER = {"knew": True, "took_part": False, "satisfaction": 4}


@pytest.fixture
def entry(places):
    organization = make_organization(places.community11, name="一社区夕阳红服务队")
    project = make_project(organization, places.district, title="银龄助餐服务项目")
    round_ = RoundFactory(places.district, name="2026年度项目星级评定", status=RoundStatus.SCORING)
    return RoundProjectFactory(round_, project)


def _held(survey, n=2):
    """A burst from one device: the answers beyond the flood limit are set aside."""
    now = timezone.now()
    for i in range(5 + n):
        response_submit(survey, client_key="tablet", now=now + dt.timedelta(seconds=i), **ANSWER)
    return list(SurveyResponse.objects.filter(survey=survey, status=ResponseStatus.HELD).order_by("pk"))


def test_survey_page_shows_link_qr_and_counts(entry, client_for):
    survey = entry.survey
    response_submit(survey, client_key="a", **ANSWER)
    response_submit(survey, client_key="b", knew=False, took_part=True, satisfaction=2)
    codes_issue(survey, by=None, count=3)
    page = client_for("bureau_staff").get(reverse("evaluation:survey_detail", args=[survey.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert f"/public/evaluation/surveys/{survey.token}/" in content
    assert "<svg" in content and "<?xml" not in content
    assert page.context["summary"]["counted"] == 2
    assert page.context["rates"] == {"awareness": 50.0, "participation": 50.0, "satisfaction": 60.0}
    assert page.context["codes"] == {"issued": 3, "used": 0}
    url = reverse("evaluation:survey_detail", args=[survey.pk])
    assert_role_matrix(
        client_for,
        "get",
        url,
        {"bureau_viewer": 200, "org_user": 403, "street_officer": 403, "other_district_staff": 404, None: 302},
    )


def test_poster_and_qr(entry, client_for):
    survey = entry.survey
    poster = client_for("bureau_staff").get(reverse("evaluation:survey_poster", args=[survey.pk]))
    assert poster.status_code == 200 and poster["Content-Type"].startswith("text/html")
    content = poster.content.decode()
    assert "银龄助餐服务项目" in content and "一社区夕阳红服务队" in content
    assert "<svg" in content and "evaluation/print.css" in content
    assert f"http://testserver/public/evaluation/surveys/{survey.token}/" in content
    qr = client_for("bureau_staff").get(reverse("evaluation:survey_qr", args=[survey.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    for name in ("survey_qr", "survey_poster"):
        assert_role_matrix(
            client_for,
            "get",
            reverse(f"evaluation:{name}", args=[survey.pk]),
            {"other_district_staff": 404, "org_user": 404, None: 302},
        )
    assert client_for("bureau_staff").get(reverse("evaluation:survey_qr", args=[999999])).status_code == 404


def test_codes_issue_and_slips(entry, client_for):
    survey = entry.survey
    url = reverse("evaluation:survey_codes", args=[survey.pk])
    staff = client_for("bureau_staff")
    assert staff.post(url, {"count": "0"}).status_code == 200
    assert not RespondentCode.objects.filter(survey=survey).exists()
    bad = staff.post(url, {"count": "abc"})
    assert "请输入" in bad.content.decode() or "整数" in bad.content.decode()
    assert staff.post(url, {"count": "4"}).status_code == 302
    codes = list(RespondentCode.objects.filter(survey=survey).order_by("pk"))
    assert len(codes) == 4
    response_submit(survey, code=codes[0].code, **ANSWER)
    page = staff.get(url)
    slips = page.content.decode()
    for code in codes:
        assert f'data-code="{code.code}"' in slips
    # Each slip's QR code carries the link with its code (the form is prefilled by a scan).
    assert {slip["url"].rsplit("?code=", 1)[1] for slip in page.context["slips"]} == {c.code for c in codes}
    assert slips.count("slip-used") >= 1 and "已使用" in slips
    unused = staff.get(url, {"unused": "1"}).content.decode()
    assert codes[0].code not in unused and codes[1].code in unused
    # The viewer reads the slips but issues none; another district does not see the survey.
    assert client_for("bureau_viewer").get(url).status_code == 200
    assert client_for("bureau_viewer").post(url, {"count": "2"}).status_code == 403
    assert client_for("other_district_staff").post(url, {"count": "2"}).status_code == 404
    assert RespondentCode.objects.filter(survey=survey).count() == 4


def _rows(*rows, extra=1):
    data = {"row-TOTAL_FORMS": str(len(rows) + extra), "row-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"row-{index}-{key}"] = value
    return data


def test_paper_batch_all_or_nothing(entry, client_for, users):
    survey = entry.survey
    url = reverse("evaluation:paperbatch_create", args=[survey.pk])
    staff = client_for("bureau_staff")
    form = staff.get(url, {"rows": "5"})
    assert form.status_code == 200 and form.context["formset"].total_form_count() == 5
    assert staff.get(url, {"rows": "0"}).status_code == 400
    assert staff.get(url, {"rows": "x"}).status_code == 400
    header = {"collected_on": "2026-03-01", "place": "社区活动中心"}
    bad = staff.post(
        url,
        {
            **header,
            **_rows(
                {"knew": "1", "took_part": "1", "satisfaction": "5", "comment": "很好"},
                {"knew": "0", "took_part": "1", "satisfaction": ""},
                {"knew": "1", "took_part": "0", "satisfaction": "3"},
            ),
        },
    )
    assert bad.status_code == 200
    assert "第2行：请填写满意度" in bad.content.decode()
    assert not PaperBatch.objects.exists() and not SurveyResponse.objects.exists()
    future = staff.post(
        url, {"collected_on": "2099-01-01", **_rows({"knew": "1", "took_part": "1", "satisfaction": "4"})}
    )
    assert future.status_code == 200 and not PaperBatch.objects.exists()
    assert future.context["form"].errors["collected_on"]
    empty = staff.post(url, {**header, **_rows(extra=3)})
    assert empty.status_code == 200 and not PaperBatch.objects.exists()
    good = staff.post(
        url,
        {
            **header,
            **_rows(
                {"knew": "1", "took_part": "1", "satisfaction": "5", "comment": "很好"},
                {"knew": "0", "took_part": "1", "satisfaction": "2"},
                {"knew": "1", "took_part": "0", "satisfaction": "3"},
            ),
        },
    )
    batch = PaperBatch.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("evaluation:paperbatch_detail", args=[batch.pk])
    assert batch.count == 3 and batch.entered_by == users["bureau_staff"]
    assert set(batch.responses.values_list("channel", "status")) == {(ResponseChannel.PAPER, ResponseStatus.COUNTED)}
    detail = staff.get(good["Location"]).content.decode()
    assert users["bureau_staff"].username in detail or (users["bureau_staff"].full_name or "") in detail
    assert "很好" in detail
    assert_role_matrix(
        client_for,
        "get",
        url,
        {"bureau_viewer": 403, "org_user": 403, "other_district_staff": 404, None: 302},
    )
    assert_role_matrix(
        client_for,
        "get",
        good["Location"],
        {"bureau_viewer": 200, "org_user": 403, "other_district_staff": 404},
    )


def test_held_answers_reviewed_by_staff_only(entry, client_for, users):
    survey = entry.survey
    first, second = _held(survey)
    assert first.hold_reason
    list_url = reverse("evaluation:surveyresponse_list")
    page = client_for("bureau_staff").get(list_url, {"status": "held"})
    rows = list(page.context["table"].page.object_list)
    assert [r.record.pk for r in rows] == [second.pk, first.pk]
    assert f'id="count-{first.pk}"' in page.content.decode()
    # Held first in the unfiltered list too.
    everything = [r.record.status for r in client_for("bureau_staff").get(list_url).context["table"].page.object_list]
    assert everything[:2] == [ResponseStatus.HELD, ResponseStatus.HELD]
    # The viewer sees no buttons and may not decide.
    viewer_page = client_for("bureau_viewer").get(list_url, {"status": "held"}).content.decode()
    assert f'id="count-{first.pk}"' not in viewer_page
    count_url = reverse("evaluation:surveyresponse_transition", args=[first.pk, "count"])
    assert client_for("bureau_viewer").post(count_url).status_code == 403
    assert client_for("other_district_staff").post(count_url).status_code == 404
    assert client_for("org_user").post(count_url).status_code in (403, 404)
    assert (
        client_for("bureau_staff")
        .post(reverse("evaluation:surveyresponse_transition", args=[first.pk, "nope"]))
        .status_code
        == 404
    )
    first.refresh_from_db()
    assert first.status == ResponseStatus.HELD
    back = client_for("bureau_staff").post(count_url, {"next": reverse("evaluation:survey_detail", args=[survey.pk])})
    assert back.status_code == 302 and back["Location"] == reverse("evaluation:survey_detail", args=[survey.pk])
    first.refresh_from_db()
    assert first.status == ResponseStatus.COUNTED and first.reviewed_by == users["bureau_staff"]
    # Twice: already handled, nothing changes.
    client_for("bureau_staff").post(count_url)
    exclude_url = reverse("evaluation:surveyresponse_transition", args=[second.pk, "exclude"])
    followed = client_for("bureau_staff").post(exclude_url, {"reason": ""}, follow=True)
    assert "原因" in followed.content.decode()
    second.refresh_from_db()
    assert second.status == ResponseStatus.HELD
    client_for("bureau_staff").post(exclude_url, {"reason": "同一设备短时间内重复提交"})
    second.refresh_from_db()
    assert second.status == ResponseStatus.EXCLUDED and second.review_reason == "同一设备短时间内重复提交"
    # An offsite "next" is not followed.
    _held(survey, n=1)
    third = SurveyResponse.objects.filter(status=ResponseStatus.HELD).latest("pk")
    offsite = client_for("bureau_staff").post(
        reverse("evaluation:surveyresponse_transition", args=[third.pk, "count"]), {"next": "https://evil.example/"}
    )
    assert offsite["Location"] == list_url


def test_response_list_query_count_does_not_grow(entry, client_for, django_assert_max_num_queries):
    client = client_for("bureau_staff")
    url = reverse("evaluation:surveyresponse_list")
    _held(entry.survey, n=1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _held(entry.survey, n=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
