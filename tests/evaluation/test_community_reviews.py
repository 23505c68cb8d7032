"""The annual 评估评议 of filed community organizations (issue 12): scored by the organization's
street, given its opinion by the community party secretary (never the scorer), concluded from the
total at exactly 90 / 75 / 60; one a year; registered organizations take grades instead."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import Role
from core.models import AuditRecord
from evaluation.choices import CommunityReviewStatus, ReviewConclusion
from evaluation.models import CommunityReview
from evaluation.services.community import (
    community_review_opinion,
    community_review_score,
    community_review_update,
)
from registry.choices import LegalForm

from ..accounts.factories import make_user
from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1


@pytest.fixture
def filed(places):
    return make_organization(places.community11, name="一社区夕阳红舞蹈队", legal_form=LegalForm.COMMUNITY_FILED)


def parts(total):
    """Four parts of at most 25 adding up to `total`."""
    quarter, rest = divmod(total, 4)
    return {
        name: quarter + (1 if i < rest else 0)
        for i, name in enumerate(("governance", "activities", "contribution", "residents_view"))
    }


def score(org, by, total=80, year=YEAR, **extra):
    values = {"year": year, **parts(total), "street_opinion": "活动正常，群众认可。", **extra}
    return community_review_score(org, by=by, **values)


@pytest.mark.parametrize(
    ("total", "conclusion", "label"),
    [
        (100, ReviewConclusion.EXCELLENT, "优秀"),
        (90, ReviewConclusion.EXCELLENT, "优秀"),
        (89, ReviewConclusion.QUALIFIED, "合格"),
        (75, ReviewConclusion.QUALIFIED, "合格"),
        (74, ReviewConclusion.BASIC, "基本合格"),
        (60, ReviewConclusion.BASIC, "基本合格"),
        (59, ReviewConclusion.UNQUALIFIED, "不合格"),
        (0, ReviewConclusion.UNQUALIFIED, "不合格"),
    ],
)
def test_the_conclusion_follows_the_total(filed, users, total, conclusion, label):
    review = score(filed, users["street_officer"], total=total)
    assert (review.total, review.conclusion, review.get_conclusion_display()) == (total, conclusion, label)
    assert review.status == CommunityReviewStatus.SCORED and review.scored_by == users["street_officer"]


def test_the_street_scores_and_the_party_secretary_concludes(filed, users):
    review = score(filed, users["street_officer"], total=88)
    record = AuditRecord.objects.get(content_type__model="communityreview", object_id=str(review.pk), action="create")
    assert record.actor == users["street_officer"]
    final = community_review_opinion(review, by=users["community_party"], opinion="同意街道评议意见。")
    assert final.status == CommunityReviewStatus.FINAL
    assert (final.party_opinion, final.party_opinion_by) == ("同意街道评议意见。", users["community_party"])
    assert final.party_opinion_at is not None
    assert AuditRecord.objects.filter(
        content_type__model="communityreview", object_id=str(review.pk), action="transition"
    ).exists()
    with pytest.raises(ValidationError):  # the opinion is given once
        community_review_opinion(final, by=users["community_party"], opinion="再次")


def test_the_scorer_does_not_give_the_party_opinion(filed, users):
    review = score(filed, users["street_officer"])
    with pytest.raises(PermissionDenied):
        community_review_opinion(review, by=users["street_officer"], opinion="同意")
    # Even a party secretary who scored it (a bureau admin cannot hold both roles; the rule holds anyway).
    secretary = users["community_party"]
    CommunityReview.objects.filter(pk=review.pk).update(scored_by=secretary)
    with pytest.raises(PermissionDenied) as error:
        community_review_opinion(review, by=secretary, opinion="同意")
    assert str(error.value) == "评分人不能同时给出党组织意见。"
    review.refresh_from_db()
    assert review.status == CommunityReviewStatus.SCORED


def test_the_opinion_is_the_secretary_of_the_organizations_own_subtree(filed, users, places):
    review = score(filed, users["street_officer"])
    elsewhere = make_user(Role.COMMUNITY_PARTY, places.community12)
    for who in (elsewhere, users["bureau_admin"], users["org_user"]):
        with pytest.raises(PermissionDenied):
            community_review_opinion(review, by=who, opinion="同意")
    with pytest.raises(ValidationError) as error:
        community_review_opinion(review, by=users["community_party"], opinion="  ")
    assert list(error.value.message_dict) == ["reason"]


def test_a_registered_organization_takes_grades_not_this_review(places, users):
    registered = make_organization(places.community11, name="一社区社工服务社", legal_form=LegalForm.SOCIAL_SERVICE)
    with pytest.raises(ValidationError) as error:
        score(registered, users["street_officer"])
    assert error.value.message_dict == {
        "organization": [
            "社会组织：一社区社工服务社是登记的社会组织；年度评估评议面向备案的社区社会组织（登记的参加等级评估）。"
        ]
    }
    assert not CommunityReview.objects.exists()


def test_one_review_a_year(filed, users):
    score(filed, users["street_officer"])
    with pytest.raises(ValidationError) as error:
        score(filed, users["bureau_admin"], total=95)
    assert error.value.message_dict == {"year": [f"年度：一社区夕阳红舞蹈队{YEAR}年度的评估评议已经登记。"]}
    assert score(filed, users["street_officer"], year=YEAR - 1).year == YEAR - 1
    assert CommunityReview.objects.count() == 2


def test_another_streets_officer_is_refused(filed, users):
    for who in ("other_street_officer", "other_district_admin", "community_party", "bureau_staff", "org_user"):
        with pytest.raises(PermissionDenied):
            score(filed, users[who])
    assert not CommunityReview.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"governance": 26}, "governance", "组织建设与管理：请输入 0 至 25 的整数分。"),
        ({"activities": -1}, "activities", "活动开展：请输入 0 至 25 的整数分。"),
        ({"contribution": "二十"}, "contribution", "社区作用发挥：请输入 0 至 25 的整数分。"),
        ({"residents_view": 12.5}, "residents_view", "居民评价：请输入 0 至 25 的整数分。"),
        ({"year": dt.date.today().year + 1}, "year", "年度：年度不能晚于今年。"),
        ({"year": 1999}, "year", "年度：请输入年度，例如 2026。"),
        ({"street_opinion": " "}, "street_opinion", "街道意见：请填写此项。"),
    ],
)
def test_bad_values_are_refused_naming_the_field(filed, users, values, field, message):
    data = {"year": YEAR, **parts(80), "street_opinion": "良好", **values}
    with pytest.raises(ValidationError) as error:
        community_review_score(filed, by=users["street_officer"], **data)
    assert error.value.message_dict == {field: [message]}
    assert not CommunityReview.objects.exists()


def test_the_street_corrects_its_score_until_the_opinion(filed, users):
    review = score(filed, users["street_officer"], total=74)
    assert review.conclusion == ReviewConclusion.BASIC
    review = community_review_update(review, by=users["street_officer"], governance=review.governance + 1)
    assert (review.total, review.conclusion) == (75, ReviewConclusion.QUALIFIED)
    with pytest.raises(PermissionDenied):
        community_review_update(review, by=users["other_street_officer"], governance=25)
    final = community_review_opinion(review, by=users["community_party"], opinion="同意")
    with pytest.raises(ValidationError) as error:
        community_review_update(final, by=users["street_officer"], governance=25)
    assert error.value.message_dict == {"status": ["状态：党组织已给出意见，评议结果已确定。"]}
    final.refresh_from_db()
    assert final.total == 75


def test_an_update_keeps_one_review_a_year(filed, users):
    score(filed, users["street_officer"], year=YEAR - 1)
    review = score(filed, users["street_officer"])
    with pytest.raises(ValidationError) as error:
        community_review_update(review, by=users["street_officer"], year=YEAR - 1)
    assert list(error.value.message_dict) == ["year"]
    review.refresh_from_db()
    assert review.year == YEAR
