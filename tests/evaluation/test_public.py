"""Public pages: the beneficiary survey through the client (an answer counts; a code answers once; a
closed survey; a bad link; a flood is still thanked), the publicity of published rounds only, the
public objection form, and the public register's current grade and star ratings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.choices import ResponseChannel, ResponseStatus, RoundStatus
from evaluation.models import Objection, OrgGrade, RespondentCode, RoundProject, SurveyResponse
from evaluation.services.feedback import codes_issue

from ..projects.factories import make_project
from ..registry.factories import make_organization
from .factories import RoundFactory, RoundProjectFactory

pytestmark = pytest.mark.django_db

ANSWER = {"knew": "yes", "took_part": "no", "satisfaction": "4", "comment": "希望多办几次"}


@pytest.fixture
def organization(places):
    return make_organization(places.community11, name="一社区夕阳红服务队")


@pytest.fixture
def entry(places, organization):
    project = make_project(organization, places.district, title="银龄助餐服务项目")
    return RoundProjectFactory(RoundFactory(places.district, status=RoundStatus.SCORING), project)


def published(places, organization, status=RoundStatus.PUBLICITY, stars=4, score="84.5", name="2025年度项目星级评定"):
    today = timezone.localdate()
    round_ = RoundFactory(places.district, name=name, status=status, year=2025)
    round_.__class__.objects.filter(pk=round_.pk).update(
        publicity_starts_on=today - dt.timedelta(days=2), publicity_ends_on=today + dt.timedelta(days=4)
    )
    round_.refresh_from_db()
    project = make_project(organization, places.district, title=f"社区议事厅项目{name}")
    result = RoundProjectFactory(round_, project)
    computation = {
        "indicators": [
            {"name": "项目质量", "source": "expert", "rule": "专家评分的均值", "weight": "40", "score": "86.00",
             "weighted": "34.40"},
        ]
    }  # fmt: skip
    RoundProject.objects.filter(pk=result.pk).update(final_score=Decimal(score), stars=stars, computation=computation)
    result.refresh_from_db()
    return result


def test_survey_page_is_large_and_prefills_the_code(entry):
    page = Client().get(reverse("evaluation_public:survey", args=[entry.survey.token]), {"code": "ABCD2345"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "银龄助餐服务项目" in content and "一社区夕阳红服务队" in content
    assert "evaluation/survey.css" in content
    assert 'value="ABCD2345"' in content
    assert "您是否知道这个项目" in content and "很不满意" in content and "很满意" in content
    assert 'type="radio"' in content and "csrfmiddlewaretoken" in content


def test_answer_is_counted_and_thanked(entry):
    client = Client()
    url = reverse("evaluation_public:survey", args=[entry.survey.token])
    response = client.post(url, ANSWER)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation_public:survey_thanks", args=[entry.survey.token])
    answer = SurveyResponse.objects.get()
    assert (answer.knew, answer.took_part, answer.satisfaction) == (True, False, 4)
    assert answer.channel == ResponseChannel.ONLINE and answer.status == ResponseStatus.COUNTED
    assert answer.client_key and len(answer.client_key) == 64
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "感谢" in thanks.content.decode()
    # Missing answers: a Chinese message naming the question, nothing saved.
    missing = client.post(url, {"knew": "yes"})
    assert missing.status_code == 200 and SurveyResponse.objects.count() == 1
    assert "满意" in missing.content.decode()
    assert client.post(url, {**ANSWER, "satisfaction": "9"}).status_code == 200
    assert SurveyResponse.objects.count() == 1


def test_csrf_is_kept(entry):
    client = Client(enforce_csrf_checks=True)
    url = reverse("evaluation_public:survey", args=[entry.survey.token])
    assert client.post(url, ANSWER).status_code == 403
    client.get(url)
    token = client.cookies["csrftoken"].value
    assert client.post(url, {**ANSWER, "csrfmiddlewaretoken": token}).status_code == 302


def test_a_code_answers_once(entry):
    code = codes_issue(entry.survey, by=None, count=1)[0]
    url = reverse("evaluation_public:survey", args=[entry.survey.token])
    assert Client().post(url, {**ANSWER, "code": code.code.lower()}).status_code == 302
    answer = SurveyResponse.objects.get()
    assert answer.channel == ResponseChannel.CODE and answer.code_id == code.pk
    code.refresh_from_db()
    assert code.used_at is not None
    again = Client().post(url, {**ANSWER, "code": code.code})
    assert again.status_code == 200 and "已" in again.content.decode()
    wrong = Client().post(url, {**ANSWER, "code": "ZZZZ2222"})
    assert wrong.status_code == 200
    assert SurveyResponse.objects.count() == 1


def test_flood_is_still_thanked(entry):
    client = Client(HTTP_USER_AGENT="community-centre-tablet")
    url = reverse("evaluation_public:survey", args=[entry.survey.token])
    for _ in range(7):
        response = client.post(url, ANSWER)
        assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    statuses = list(SurveyResponse.objects.order_by("pk").values_list("status", flat=True))
    assert statuses.count(ResponseStatus.COUNTED) == 5 and statuses.count(ResponseStatus.HELD) == 2


def test_closed_survey_and_bad_token(places, organization, entry):
    entry.round.__class__.objects.filter(pk=entry.round_id).update(status=RoundStatus.PUBLICITY)
    url = reverse("evaluation_public:survey", args=[entry.survey.token])
    page = Client().get(url)
    assert page.status_code == 200 and 'id="survey-closed"' in page.content.decode()
    posted = Client().post(url, ANSWER)
    assert posted.status_code == 200 and 'id="survey-closed"' in posted.content.decode()
    assert not SurveyResponse.objects.exists()
    assert Client().get(reverse("evaluation_public:survey", args=["not-a-token"])).status_code == 404
    assert Client().post(reverse("evaluation_public:survey", args=["not-a-token"]), ANSWER).status_code == 404
    assert Client().get(reverse("evaluation_public:survey_thanks", args=["not-a-token"])).status_code == 404
    assert not RespondentCode.objects.exists()


def test_only_published_rounds_are_public(places, organization, entry):
    result = published(places, organization)
    closed = published(places, organization, status=RoundStatus.CLOSED, stars=5, score="91.0", name="2024年度评定")
    client = Client()
    listing = client.get(reverse("evaluation_public:round_list")).content.decode()
    assert result.round.name in listing and closed.round.name in listing
    assert entry.round.name not in listing
    detail = client.get(reverse("evaluation_public:round_detail", args=[result.round_id]))
    content = detail.content.decode()
    assert detail.status_code == 200
    assert "★★★★☆" in content and "84.5" in content and "项目质量" in content and "86.00" in content
    assert (timezone.localdate() - dt.timedelta(days=2)).isoformat() in content
    assert reverse("evaluation_public:objection_create", args=[result.pk]) in content
    closed_page = client.get(reverse("evaluation_public:round_detail", args=[closed.round_id])).content.decode()
    assert "★★★★★" in closed_page and "objection" not in closed_page.split("</h1>")[1]
    for status in (RoundStatus.DRAFT, RoundStatus.SCORING):
        entry.round.__class__.objects.filter(pk=entry.round_id).update(status=status)
        assert client.get(reverse("evaluation_public:round_detail", args=[entry.round_id])).status_code == 404
        assert client.get(reverse("evaluation_public:objection_create", args=[entry.pk])).status_code == 404
    assert client.get(reverse("evaluation_public:round_detail", args=[999999])).status_code == 404


def test_public_objection(places, organization):
    result = published(places, organization)
    url = reverse("evaluation_public:objection_create", args=[result.pk])
    client = Client()
    assert client.get(url).status_code == 200
    missing = client.post(url, {"name": "", "contact": "", "content": "评分偏低"})
    assert missing.status_code == 200 and not Objection.objects.exists()
    done = client.post(url, {"name": "李大爷", "contact": "13900001111", "content": "活动参加人数统计有误"})
    assert done.status_code == 302
    objection = Objection.objects.get()
    assert objection.lodged_by is None and objection.name == "李大爷" and objection.round_project == result
    # The same again within minutes: refused, nothing added.
    twice = client.post(url, {"name": "李大爷", "contact": "13900001111", "content": "活动参加人数统计有误"})
    assert twice.status_code == 200 and Objection.objects.count() == 1
    closed = published(places, organization, status=RoundStatus.CLOSED, name="2023年度评定")
    closed_url = reverse("evaluation_public:objection_create", args=[closed.pk])
    page = client.get(closed_url).content.decode()
    assert 'id="objection-closed"' in page and 'id="objection-form"' not in page
    client.post(closed_url, {"name": "王", "contact": "139", "content": "不服"})
    assert Objection.objects.count() == 1


def test_public_register_shows_current_grade_and_stars(places, organization, entry):
    url = reverse("registry_public:organization_detail", args=[organization.pk])
    assert "未评" in Client().get(url).content.decode() or "not rated" in Client().get(url).content.decode()
    OrgGrade.objects.create(
        organization=organization, score=Decimal("820.0"), grade=4, awarded_on=dt.date(2024, 11, 5),
        valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2029, 12, 31),
    )  # fmt: skip
    published(places, organization, stars=4, score="84.5")
    published(places, organization, status=RoundStatus.CLOSED, stars=3, score="72.0", name="2024年度评定")
    RoundProject.objects.filter(pk=entry.pk).update(stars=1, final_score=Decimal("10.0"))  # not published
    content = Client().get(url).content.decode()
    grade_badge = content.split('id="public-grade">')[1].split("</span>")[0]
    assert "4A" in grade_badge
    ratings = content.split('id="public-ratings"')[1]
    assert "★★★★☆" in ratings and "84.5" in ratings and "★★★☆☆" in ratings and "72.0" in ratings
    assert "10.0" not in ratings and "★☆☆☆☆" not in ratings
    # A revoked grade is not shown as current.
    OrgGrade.objects.filter(organization=organization).update(revoked_on=dt.date(2025, 6, 1))
    badge = Client().get(url).content.decode().split('id="public-grade">')[1].split("</span>")[0]
    assert "4A" not in badge
