"""Beneficiary feedback (issue 12): one-time respondent codes, a shared tablet, a flood set aside
(never deleted, never told), the review of held answers, paper batches (all or nothing), a closed
survey, the client key, the survey's counts in one query and the QR code."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone

from core.models import AuditRecord
from evaluation import qr, surveys
from evaluation.choices import ResponseChannel, ResponseStatus, RoundStatus
from evaluation.models import PaperBatch, RespondentCode, SurveyResponse
from evaluation.services import feedback

from ..projects.factories import make_project
from ..registry.factories import make_organization
from .factories import RoundFactory, RoundProjectFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 5, 20, 10, 0))


@pytest.fixture
def entry(places):
    organization = make_organization(places.community11, name="一社区助老服务社")
    project = make_project(organization, places.district)
    round_ = RoundFactory(places.district, status=RoundStatus.SCORING)
    return RoundProjectFactory(round_, project)


@pytest.fixture
def survey(entry):
    return entry.survey


def answer(survey, *, code="", client_key="tablet", now=NOW, satisfaction=5, **extra):
    return feedback.response_submit(
        survey,
        knew=True,
        took_part=False,
        satisfaction=satisfaction,
        code=code,
        client_key=client_key,
        now=now,
        **extra,
    )


def test_codes_are_issued_in_the_unambiguous_alphabet(survey, users):
    codes = feedback.codes_issue(survey, by=users["bureau_staff"], count=50)
    assert len({code.code for code in codes}) == 50
    for code in codes:
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", code.code)
    assert not set("01OIL") & set(surveys.CODE_ALPHABET)
    assert (
        AuditRecord.objects.filter(
            content_type__model="respondentcode", object_id__in=[str(c.pk) for c in codes]
        ).count()
        == 50
    )


@pytest.mark.parametrize("count", [0, 501, "十", None])
def test_codes_issue_refuses_counts_outside_1_to_500(survey, users, count):
    with pytest.raises(ValidationError) as error:
        feedback.codes_issue(survey, by=users["bureau_staff"], count=count)
    assert error.value.message_dict["count"] == ["编码数量：请输入 1 至 500 之间的整数。"]
    assert not RespondentCode.objects.exists()


@pytest.mark.parametrize("who", ["street_officer", "org_user", "expert", "bureau_viewer", "other_district_staff"])
def test_only_the_district_bureau_issues_codes(survey, users, who):
    with pytest.raises(PermissionDenied):
        feedback.codes_issue(survey, by=users[who], count=5)
    assert not RespondentCode.objects.exists()


def test_a_code_answers_once(survey, users):
    (code,) = feedback.codes_issue(survey, by=users["bureau_staff"], count=1)
    response = answer(survey, code=code.code)
    assert (response.channel, response.status, response.code) == (ResponseChannel.CODE, ResponseStatus.COUNTED, code)
    code.refresh_from_db()
    assert code.used_at == NOW
    with pytest.raises(ValidationError) as error:
        answer(survey, code=code.code)
    assert error.value.message_dict == {"code": ["答卷编码：该编码已经使用过。"]}
    assert SurveyResponse.objects.count() == 1


def test_a_code_is_read_as_printed_whatever_the_case_and_spaces(survey, users):
    (code,) = feedback.codes_issue(survey, by=users["bureau_staff"], count=1)
    typed = f"  {code.code[:4].lower()} {code.code[4:].lower()}\n"
    assert answer(survey, code=typed).code == code


def test_another_surveys_code_or_a_made_up_one_is_refused(survey, entry, users, places):
    other = RoundProjectFactory(entry.round, make_project(make_organization(places.community12), places.district))
    (foreign,) = feedback.codes_issue(other.survey, by=users["bureau_staff"], count=1)
    for code in (foreign.code, "ABCDEFGH", "0OIL1234", "ABC"):
        with pytest.raises(ValidationError) as error:
            answer(survey, code=code)
        assert error.value.message_dict == {"code": ["答卷编码：编码无效，请核对纸条上的编码。"]}
    assert not SurveyResponse.objects.exists()
    foreign.refresh_from_db()
    assert foreign.used_at is None


def test_one_tablet_used_by_thirty_residents_with_codes_counts_every_answer(survey, users):
    codes = feedback.codes_issue(survey, by=users["bureau_staff"], count=30)
    for i, code in enumerate(codes):
        answer(survey, code=code.code, now=NOW + dt.timedelta(seconds=20 * i))
    assert SurveyResponse.objects.filter(status=ResponseStatus.COUNTED, channel=ResponseChannel.CODE).count() == 30
    assert surveys.feedback_summary(survey)["counted"] == 30


def test_a_burst_without_codes_is_set_aside_not_deleted(survey, settings):
    limit = settings.EVALUATION_FLOOD_LIMIT = 5
    responses = [answer(survey, now=NOW + dt.timedelta(seconds=10 * i)) for i in range(20)]
    statuses = [response.status for response in responses]
    assert statuses == [ResponseStatus.COUNTED] * limit + [ResponseStatus.HELD] * (20 - limit)
    assert SurveyResponse.objects.filter(survey=survey).count() == 20
    held = responses[-1]
    assert held.hold_reason == "同一设备10分钟内提交超过5份无编码答卷，已暂存待审核。"
    # Another device at the same time is not affected; the same device after the window counts again.
    assert answer(survey, client_key="phone", now=NOW + dt.timedelta(minutes=1)).status == ResponseStatus.COUNTED
    later = NOW + dt.timedelta(seconds=100, minutes=10)  # the window reaches back to 110 s
    assert answer(survey, now=later).status == ResponseStatus.HELD  # the held ones within the window still count
    assert answer(survey, now=NOW + dt.timedelta(hours=1)).status == ResponseStatus.COUNTED
    summary = surveys.feedback_summary(survey)
    assert (summary["counted"], summary["held"], summary["excluded"]) == (7, 16, 0)


def test_the_flood_limit_is_a_setting(survey, settings):
    settings.EVALUATION_FLOOD_LIMIT = 2
    statuses = [answer(survey, now=NOW + dt.timedelta(seconds=i)).status for i in range(3)]
    assert statuses == [ResponseStatus.COUNTED, ResponseStatus.COUNTED, ResponseStatus.HELD]


def test_answers_with_codes_are_never_held_even_in_a_burst(survey, users):
    for i in range(6):
        answer(survey, now=NOW + dt.timedelta(seconds=i))
    (code,) = feedback.codes_issue(survey, by=users["bureau_staff"], count=1)
    assert answer(survey, code=code.code, now=NOW + dt.timedelta(seconds=7)).status == ResponseStatus.COUNTED


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"satisfaction": 0}, "satisfaction", "满意度：请选择 1 至 5。"),
        ({"satisfaction": 6}, "satisfaction", "满意度：请选择 1 至 5。"),
        ({"satisfaction": "很好"}, "satisfaction", "满意度：请选择 1 至 5。"),
        ({"knew": "maybe"}, "knew", "是否知晓项目：请回答是或否。"),
        ({"took_part": None}, "took_part", "是否参与：请回答是或否。"),
        ({"comment": "好" * 2001}, "comment", "意见建议：最多 2000 个字符。"),
    ],
)
def test_a_malformed_answer_is_refused_naming_the_field(survey, values, field, message):
    data = {"knew": True, "took_part": True, "satisfaction": 4, "comment": "", **values}
    with pytest.raises(ValidationError) as error:
        feedback.response_submit(survey, client_key="x", now=NOW, **data)
    assert error.value.message_dict == {field: [message]}
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("status", [RoundStatus.PUBLICITY, RoundStatus.CLOSED])
def test_a_published_rounds_survey_takes_no_answers(survey, users, status):
    (code,) = feedback.codes_issue(survey, by=users["bureau_staff"], count=1)
    type(survey.round_project.round).objects.filter(pk=survey.round_project.round_id).update(status=status)
    for code_text in ("", code.code):
        with pytest.raises(ValidationError) as error:
            answer(survey, code=code_text)
        assert error.value.message_dict == {"survey": ["问卷：本项目的评定结果已公示，问卷不再接收回答。"]}
    with pytest.raises(ValidationError):
        feedback.codes_issue(survey, by=users["bureau_staff"], count=1)
    assert not SurveyResponse.objects.exists()
    survey.round_project.round.refresh_from_db()
    assert not surveys.survey_open(survey)


def test_a_draft_rounds_survey_is_open(survey):
    type(survey.round_project.round).objects.filter(pk=survey.round_project.round_id).update(status=RoundStatus.DRAFT)
    assert answer(survey).status == ResponseStatus.COUNTED


def _held(survey, n=6):
    return [answer(survey, now=NOW + dt.timedelta(seconds=i)) for i in range(n)][-1]


def test_staff_count_a_held_answer(survey, users):
    held = _held(survey)
    assert held.status == ResponseStatus.HELD
    counted = feedback.response_count(held, by=users["bureau_staff"])
    assert counted.status == ResponseStatus.COUNTED
    assert counted.reviewed_by == users["bureau_staff"]
    assert AuditRecord.objects.filter(
        content_type__model="surveyresponse", object_id=str(held.pk), action="transition"
    ).exists()
    with pytest.raises(ValidationError):  # decided once
        feedback.response_count(held, by=users["bureau_admin"])


def test_staff_leave_a_held_answer_out_with_a_reason(survey, users):
    held = _held(survey)
    with pytest.raises(ValidationError) as error:
        feedback.response_exclude(held, by=users["bureau_admin"], reason="  ")
    assert "reason" in error.value.message_dict
    excluded = feedback.response_exclude(held, by=users["bureau_admin"], reason="同一时间连续提交，疑似刷票")
    assert (excluded.status, excluded.review_reason) == (ResponseStatus.EXCLUDED, "同一时间连续提交，疑似刷票")
    assert SurveyResponse.objects.filter(pk=held.pk).exists()
    assert surveys.feedback_summary(survey)["excluded"] == 1


@pytest.mark.parametrize("who", ["street_officer", "bureau_viewer", "expert", "org_user", "other_district_staff"])
def test_only_the_district_bureau_reviews_held_answers(survey, users, who):
    held = _held(survey)
    with pytest.raises(PermissionDenied):
        feedback.response_count(held, by=users[who])
    with pytest.raises(PermissionDenied):
        feedback.response_exclude(held, by=users[who], reason="无效")
    held.refresh_from_db()
    assert held.status == ResponseStatus.HELD


def test_a_counted_answer_is_not_reviewed(survey, users):
    counted = answer(survey)
    with pytest.raises(ValidationError):
        feedback.response_exclude(counted, by=users["bureau_staff"], reason="不喜欢")


ROWS = [
    {"knew": True, "took_part": True, "satisfaction": 5, "comment": "很好"},
    {"knew": "是", "took_part": "否", "satisfaction": "4", "comment": ""},
    {"knew": False, "took_part": False, "satisfaction": 3},
]


def test_a_paper_batch_is_entered_with_who_entered_it(survey, users):
    batch = feedback.paper_batch_enter(
        survey, by=users["bureau_staff"], collected_on=dt.date(2026, 5, 18), rows=ROWS, place="社区活动中心"
    )
    assert (batch.count, batch.entered_by, batch.place) == (3, users["bureau_staff"], "社区活动中心")
    responses = list(batch.responses.order_by("pk"))
    assert [(r.knew, r.took_part, r.satisfaction) for r in responses] == [
        (True, True, 5),
        (True, False, 4),
        (False, False, 3),
    ]
    assert {(r.channel, r.status) for r in responses} == {(ResponseChannel.PAPER, ResponseStatus.COUNTED)}
    assert AuditRecord.objects.filter(
        content_type__model="paperbatch", object_id=str(batch.pk), actor=users["bureau_staff"]
    ).exists()
    assert (
        AuditRecord.objects.filter(
            content_type__model="surveyresponse", object_id__in=[str(r.pk) for r in responses]
        ).count()
        == 3
    )
    assert surveys.feedback_summary(survey)["by_channel"] == {"online": 0, "code": 0, "paper": 3}


def test_a_paper_batch_with_bad_rows_saves_nothing_and_names_them(survey, users):
    rows = [
        *ROWS,
        {"knew": True, "took_part": True, "satisfaction": 7},
        {"knew": "?", "took_part": True, "satisfaction": 2},
    ]
    with pytest.raises(ValidationError) as error:
        feedback.paper_batch_enter(survey, by=users["bureau_staff"], collected_on=dt.date(2026, 5, 18), rows=rows)
    assert error.value.message_dict == {
        "rows": ["第4行：满意度：请选择 1 至 5。", "第5行：是否知晓项目：请回答是或否。"]
    }
    assert not PaperBatch.objects.exists()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"rows": []}, "rows"),
        ({"rows": ROWS * 167}, "rows"),
        ({"collected_on": "昨天"}, "collected_on"),
        ({"collected_on": dt.date(2099, 1, 1)}, "collected_on"),
        ({"collected_on": dt.date(1999, 12, 31)}, "collected_on"),
    ],
)
def test_a_paper_batch_needs_1_to_500_rows_and_a_plausible_date(survey, users, values, field):
    data = {"collected_on": dt.date(2026, 5, 18), "rows": ROWS, **values}
    with pytest.raises(ValidationError) as error:
        feedback.paper_batch_enter(survey, by=users["bureau_staff"], **data)
    assert list(error.value.message_dict) == [field]
    assert not PaperBatch.objects.exists()


def test_only_the_district_bureau_enters_paper_batches(survey, users):
    for who in ("street_officer", "org_user", "other_district_staff", "bureau_viewer"):
        with pytest.raises(PermissionDenied):
            feedback.paper_batch_enter(survey, by=users[who], collected_on=dt.date(2026, 5, 18), rows=ROWS)
    assert not PaperBatch.objects.exists()


def test_the_anonymous_answer_is_audited(survey):
    response = answer(survey)
    record = AuditRecord.objects.get(content_type__model="surveyresponse", object_id=str(response.pk), action="create")
    assert record.actor is None and record.after["client_key"] == "tablet"


def test_the_summary_is_one_query(survey, users, django_assert_num_queries):
    for i in range(7):
        answer(survey, now=NOW + dt.timedelta(seconds=i), satisfaction=[5, 4, 4, 3, 5, 2, 1][i])
    feedback.paper_batch_enter(survey, by=users["bureau_staff"], collected_on=dt.date(2026, 5, 18), rows=ROWS)
    with django_assert_num_queries(1):
        summary = surveys.feedback_summary(survey)
    # Counted: the first five online (5, 4, 4, 3, 5) and the paper three (5, 4, 3); two held.
    assert summary == {
        "counted": 8,
        "held": 2,
        "excluded": 0,
        "knew": 7,
        "took_part": 1,
        "satisfaction_mean": surveys.Decimal("4.13"),
        "by_channel": {"online": 5, "code": 0, "paper": 3},
    }


def test_the_client_key_is_a_keyed_hash_of_the_address_and_browser(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Pad")
    key = surveys.client_key(request)
    assert re.fullmatch(r"[0-9a-f]{64}", key) and "203.0.113.9" not in key
    assert surveys.client_key(factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Pad")) == key
    assert surveys.client_key(factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Phone")) != key
    assert surveys.client_key(factory.get("/", REMOTE_ADDR="203.0.113.10", HTTP_USER_AGENT="Pad")) != key
    settings.SECRET_KEY = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
    assert surveys.client_key(request) != key


def test_the_client_key_reads_the_address_behind_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()

    def key(forwarded):
        return surveys.client_key(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded))

    assert key("1.1.1.1, 203.0.113.9") == key("9.9.9.9, 203.0.113.9")  # the spoofable left part is ignored
    assert key("203.0.113.9") != key("203.0.113.10")


def test_the_qr_code_is_an_svg_sized_for_a_poster():
    svg = qr.qr_svg("https://example.org/public/evaluation/surveys/" + "a" * 43 + "/").decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    size = re.search(r'width="([\d.]+)mm" height="([\d.]+)mm" viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert size is not None
    width = float(size[1])
    assert size[1] == size[2] == size[3] == size[4]
    assert 80 <= width <= 160  # about a hand's width on an A4 poster
    modules = width / 2.5 - 8  # 2.5 mm a module, a quiet zone of 4 modules on each side
    assert modules >= 21 and (modules - 17) % 4 == 0  # a QR symbol is 17 + 4 × version modules wide


def test_one_code_makes_one_answer_even_past_the_lock(survey, users):
    """The service locks the code's row, so a second simultaneous post waits and is told the code
    was used; underneath, the database holds one answer per code whatever the caller does."""
    (code,) = feedback.codes_issue(survey, by=users["bureau_staff"], count=1)
    first = answer(survey, code=code.code)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            survey=survey, knew=True, took_part=True, satisfaction=3, channel=ResponseChannel.CODE,
            code=code, submitted_at=NOW,
        )  # fmt: skip
    assert list(SurveyResponse.objects.filter(code=code)) == [first]
