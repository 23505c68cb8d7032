"""The evaluation's demo (`manage.py seed_demo`, restored from the shared `seeded_demo` copy): the
expert pool with the demo account 孙教授, a closed round with its results, answers, objection and
stars on the public register, an open round in scoring, grades (one lapsing) and community reviews
(one awaiting the party secretary); a second run adds nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import AuditRecord, Notification
from evaluation import grading, permissions, selectors
from evaluation.choices import (
    AssignmentStatus,
    CommunityReviewStatus,
    Dimension,
    ObjectionOutcome,
    ObjectionStatus,
    ResponseChannel,
    ResponseStatus,
    RoundStatus,
)
from evaluation.demo import CLOSED, OPEN, PROJECTS
from evaluation.models import (
    Assignment,
    CommunityReview,
    Expert,
    Objection,
    OrgGrade,
    PaperBatch,
    RespondentCode,
    Round,
    RoundProject,
    Score,
    SurveyResponse,
)
from evaluation.services._assignments import shortfalls

pytestmark = pytest.mark.django_db

MODELS = (
    Expert,
    Round,
    RoundProject,
    Assignment,
    Score,
    SurveyResponse,
    RespondentCode,
    PaperBatch,
    Objection,
    OrgGrade,
    CommunityReview,
)


def _counts() -> dict:
    return {
        **{model.__name__: model.objects.count() for model in MODELS},
        "users": User.objects.count(),
        "notifications": Notification.objects.count(),
        "audit": AuditRecord.objects.count(),
    }


def _round(template: str) -> Round:
    return Round.objects.get(region__code="330106", name=template.format(year=timezone.localdate().year))


def test_a_second_run_adds_nothing(seeded_demo):
    first = _counts()
    assert first["Round"] == 2 and first["OrgGrade"] == 4 and first["CommunityReview"] == 3
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first


def test_the_expert_pool_has_the_demo_account_and_every_dimension(seeded_demo):
    sun = Expert.objects.get(name="孙教授")
    assert sun.user.username == "expert" and sun.dimension == Dimension.TECHNICAL
    pool = Expert.objects.filter(region__code="330106", is_active=True)
    for dimension in Dimension.values:
        assert pool.filter(dimension=dimension).count() >= 3, dimension
    assert pool.filter(user__isnull=True).count() >= 8
    # The lottery fund's expert is conflicted for the project the fund pays, with the reason.
    children = RoundProject.objects.filter(project__title=PROJECTS[1]).first().project
    assert selectors.conflicts(Expert.objects.get(name="吴晓燕"), children)
    assert not selectors.conflicts(sun, children)


def test_the_closed_round_has_results_answers_and_an_answered_objection(seeded_demo):
    today = timezone.localdate()
    round_ = _round(CLOSED)
    assert round_.status == RoundStatus.CLOSED and round_.closed_at is not None
    assert round_.publicity_ends_on < today and round_.publicity_starts_on <= round_.publicity_ends_on
    assert timezone.localtime(round_.closed_at).date() > round_.publicity_ends_on  # the history on its days
    entries = list(RoundProject.objects.filter(round=round_).select_related("project"))
    assert sorted(e.project.title for e in entries) == sorted(PROJECTS)
    assert all(e.final_score is not None and 1 <= e.stars <= 5 and e.computation for e in entries)
    assert len({e.stars for e in entries}) >= 2  # not every project rated alike
    assert not Assignment.objects.filter(round=round_).exclude(status=AssignmentStatus.SUBMITTED).exists()
    assert set(Assignment.objects.filter(round=round_).values_list("dimension", flat=True)) == set(Dimension.values)
    answers = SurveyResponse.objects.filter(survey__round_project__round=round_)
    assert set(answers.values_list("channel", flat=True)) == set(ResponseChannel.values)
    for entry in entries:  # enough counted answers per project for the rates to carry no warning
        assert answers.filter(survey__round_project=entry, status=ResponseStatus.COUNTED).count() >= 10
    batch = PaperBatch.objects.filter(survey__round_project__round=round_).first()
    assert batch.entered_by.username == "staff" and batch.count == 10
    objection = Objection.objects.get(round_project__round=round_)
    assert objection.lodged_by.username == "org" and objection.status == ObjectionStatus.ANSWERED
    assert objection.outcome == ObjectionOutcome.MAINTAINED and objection.answer
    lodged = timezone.localtime(objection.created_at).date()
    assert round_.publicity_starts_on <= lodged <= round_.publicity_ends_on


def test_the_closed_rounds_stars_are_public(seeded_demo, client):
    round_ = _round(CLOSED)
    entry = RoundProject.objects.select_related("project__organization").get(round=round_, project__title=PROJECTS[0])
    page = client.get(reverse("evaluation_public:round_detail", args=[round_.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert PROJECTS[0].replace("“", "&ldquo;")[:4] in text or PROJECTS[0][:4] in text
    assert str(entry.final_score) in text
    register = client.get(reverse("registry_public:organization_detail", args=[entry.project.organization.pk]))
    assert register.status_code == 200
    assert str(entry.final_score) in register.content.decode() or "★" in register.content.decode()


def test_the_open_round_is_scoring_with_the_demo_experts_work_in_progress(seeded_demo):
    round_ = _round(OPEN)
    assert round_.status == RoundStatus.SCORING and round_.scoring_due > timezone.localdate()
    assert shortfalls(round_) == []
    expert = User.objects.get(username="expert")
    mine = {a.round_project.project.title: a for a in Assignment.objects.filter(round=round_, expert__user=expert)}
    assert set(mine) == set(PROJECTS)
    assert mine[PROJECTS[0]].status == AssignmentStatus.SUBMITTED
    assert mine[PROJECTS[1]].status == AssignmentStatus.ASSIGNED and mine[PROJECTS[1]].scores.exists()
    assert not mine[PROJECTS[2]].scores.exists()
    assert permissions.may_score(expert, mine[PROJECTS[1]])[0]
    assert not permissions.may_score(expert, mine[PROJECTS[0]])[0]  # submitted: locked
    # The expert's account sees its own assignments only (both rounds).
    assert set(selectors.expert_assignments(expert).values_list("expert__user", flat=True)) == {expert.pk}
    # The other dimensions were assigned automatically, balanced over the pool.
    automatic = Assignment.objects.filter(round=round_, method="automatic")
    assert automatic.count() == 3 * 3
    # Answers are coming in; a burst from one tablet is set aside for review, not counted.
    held = SurveyResponse.objects.filter(survey__round_project__round=round_, status=ResponseStatus.HELD)
    assert held.count() == 3 and all(r.hold_reason for r in held)
    assert RespondentCode.objects.filter(survey__round_project__round=round_, used_at__isnull=True).count() > 50


def test_grades_with_one_lapsing_this_year(seeded_demo):
    today = timezone.localdate()
    grades = OrgGrade.objects.select_related("organization")
    assert {g.organization.legal_form for g in grades} <= {"social_group", "social_service", "foundation"}
    assert {g.grade for g in grades} >= {3, 4, 5}
    assert all(grading.current_grade(g.organization, today) == g for g in grades)
    lapsing = grades.get(organization__name="西湖区北山街道社会工作服务中心")
    assert lapsing.valid_until == dt.date(today.year, 12, 31)
    expected = 1 if (lapsing.valid_until - today).days <= 180 else 0
    assert grading.expiring(today=today).count() == expected


def test_community_reviews_one_awaiting_the_party_secretary(seeded_demo):
    reviews = CommunityReview.objects.select_related("organization", "scored_by")
    assert {r.year for r in reviews} == {timezone.localdate().year - 1}
    assert {r.scored_by.username for r in reviews} == {"street"}
    waiting = reviews.get(status=CommunityReviewStatus.SCORED)
    assert waiting.organization.name == "宝石社区邻里互助会"
    assert permissions.may_give_party_opinion(User.objects.get(username="party"), waiting)[0]
    assert reviews.filter(status=CommunityReviewStatus.FINAL).count() == 2
