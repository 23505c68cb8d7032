"""Pages of organization grades (registered organizations only; a filed one is refused and told why;
validity dates; revocation with a reason; the list's filters and the expiring flag) and of the annual
review of filed community organizations (the street scores, the community party secretary gives the
opinion), with the organization page's evaluation panel. Wrong role → 403, other district → 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_role_matrix
from evaluation.choices import CommunityReviewStatus, ReviewConclusion
from evaluation.models import CommunityReview, OrgGrade
from evaluation.services.grades import grade_award
from registry.choices import LegalForm

from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(places):
    return make_organization(places.community11, name="一社区助老服务中心", legal_form=LegalForm.SOCIAL_SERVICE)


@pytest.fixture
def filed(places):
    return make_organization(places.community11, name="一社区广场舞队", legal_form=LegalForm.COMMUNITY_FILED)


GRADE = {"grade": "4", "score": "820.5", "awarded_on": "2024-11-05", "decision_number": "西民〔2024〕12号"}


def test_award_a_grade(registered, client_for, users):
    url = f"{reverse('evaluation:orggrade_create')}?organization={registered.pk}"
    staff = client_for("bureau_staff")
    page = staff.get(url)
    assert page.status_code == 200 and 'id="grade-form"' in page.content.decode()
    bad = staff.post(url, {**GRADE, "score": "1200"})
    assert bad.status_code == 200 and not OrgGrade.objects.exists()
    assert "1000" in bad.content.decode()
    future = staff.post(url, {**GRADE, "awarded_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()})
    assert future.status_code == 200 and not OrgGrade.objects.exists()
    done = staff.post(url, GRADE)
    grade = OrgGrade.objects.get()
    assert done.status_code == 302 and done["Location"] == grade.get_absolute_url()
    assert (grade.valid_from, grade.valid_until) == (dt.date(2025, 1, 1), dt.date(2029, 12, 31))
    assert grade.score == Decimal("820.5") and grade.grade == 4
    detail = staff.get(grade.get_absolute_url()).content.decode()
    assert "4A" in detail and "2025-01-01" in detail and "2029-12-31" in detail and 'id="revoke-form"' in detail
    assert_role_matrix(
        client_for,
        "get",
        url,
        {
            "bureau_admin": 200,
            "bureau_viewer": 403,
            "street_officer": 403,
            "org_user": 404,  # not its organization: not even seen
            "other_district_staff": 404,
            None: 302,
        },
    )
    assert staff.get(f"{reverse('evaluation:orggrade_create')}?organization=abc").status_code == 400
    assert staff.get(reverse("evaluation:orggrade_create")).status_code == 404
    assert_role_matrix(
        client_for,
        "get",
        grade.get_absolute_url(),
        {
            "bureau_viewer": 200,
            "street_officer": 200,
            "community_party": 200,
            "other_district_staff": 404,
            "expert": 403,
        },
    )


def test_a_filed_organization_is_refused_with_the_reason(filed, client_for):
    url = f"{reverse('evaluation:orggrade_create')}?organization={filed.pk}"
    page = client_for("bureau_staff").get(url)
    content = page.content.decode()
    assert page.status_code == 200 and 'id="grade-refused"' in content and "评估评议" in content
    assert 'id="save"' not in content
    posted = client_for("bureau_staff").post(url, GRADE)
    assert posted.status_code == 200 and not OrgGrade.objects.exists()
    assert 'id="form-errors"' in posted.content.decode()


def test_revoke_with_a_reason(registered, client_for, users):
    grade = grade_award(registered, by=None, score="700", grade=3, awarded_on=dt.date(2023, 6, 1))
    url = reverse("evaluation:orggrade_revoke", args=[grade.pk])
    assert client_for("street_officer").post(url, {"reason": "弄虚作假"}).status_code == 403
    assert client_for("other_district_staff").post(url, {"reason": "弄虚作假"}).status_code == 404
    empty = client_for("bureau_staff").post(url, {"reason": ""}, follow=True)
    assert "撤销" in empty.content.decode() or "原因" in empty.content.decode()
    grade.refresh_from_db()
    assert grade.revoked_on is None
    client_for("bureau_staff").post(url, {"reason": "评估材料弄虚作假"})
    grade.refresh_from_db()
    assert grade.revoked_on == timezone.localdate() and grade.revocation_reason == "评估材料弄虚作假"
    assert 'id="revoke-form"' not in client_for("bureau_staff").get(grade.get_absolute_url()).content.decode()


def test_grade_list_filters_and_expiring_flag(places, registered, client_for, django_assert_max_num_queries):
    today = timezone.localdate()
    other = make_organization(places.community21, name="二街道文体协会", legal_form=LegalForm.SOCIAL_GROUP)
    # Awarded five years ago: lapses at the end of this year (within 180 days from July on).
    old = grade_award(registered, by=None, score="650", grade=3, awarded_on=dt.date(today.year - 5, 3, 1))
    OrgGrade.objects.filter(pk=old.pk).update(valid_until=today + dt.timedelta(days=30))
    fresh = grade_award(other, by=None, score="900", grade=5, awarded_on=today - dt.timedelta(days=1))
    url = reverse("evaluation:orggrade_list")
    client = client_for("bureau_staff")

    def pks(**params):
        return {row.record.pk for row in client.get(url, params).context["table"].page.object_list}

    assert pks() == {old.pk, fresh.pk}
    assert pks(grade="5") == {fresh.pk}
    assert pks(street=places.street1.pk) == {old.pk}
    assert pks(expiring="true") == {old.pk}
    assert client.get(url, {"grade": "9"}).context["table"].page.object_list == [] or pks(grade="9") == set()
    page = client.get(url).content.decode()
    assert "即将到期" in page
    assert client.get(url, {"export": "xlsx"}).status_code == 200
    assert client_for("other_district_staff").get(url).context["table"].paginator.count == 0
    with django_assert_max_num_queries(12):
        client.get(url)


REVIEW = {
    "year": "2025",
    "governance": "22",
    "activities": "20",
    "contribution": "23",
    "residents_view": "21",
    "street_opinion": "活动经常，居民认可。",
}


def test_community_review_flow(places, filed, registered, client_for, users):
    create = f"{reverse('evaluation:communityreview_create')}?organization={filed.pk}"
    assert_role_matrix(
        client_for,
        "get",
        create,
        {
            "street_officer": 200,
            "bureau_staff": 403,
            "community_party": 403,
            "org_user": 404,
            "other_street_officer": 404,
            "other_district_admin": 404,
        },
    )
    street = client_for("street_officer")
    refused = street.get(f"{reverse('evaluation:communityreview_create')}?organization={registered.pk}")
    assert 'id="review-refused"' in refused.content.decode()
    bad = street.post(create, {**REVIEW, "governance": "30"})
    assert bad.status_code == 200 and not CommunityReview.objects.exists()
    done = street.post(create, REVIEW)
    review = CommunityReview.objects.get()
    assert done.status_code == 302
    assert review.total == 86 and review.conclusion == ReviewConclusion.QUALIFIED
    assert review.scored_by == users["street_officer"]
    # Once a year.
    assert street.post(create, REVIEW).status_code == 200 and CommunityReview.objects.count() == 1
    # The street corrects it while it awaits the opinion.
    update = reverse("evaluation:communityreview_update", args=[review.pk])
    street.post(update, {**REVIEW, "governance": "25", "activities": "25"})
    review.refresh_from_db()
    assert review.total == 94 and review.conclusion == ReviewConclusion.EXCELLENT
    detail = reverse("evaluation:communityreview_detail", args=[review.pk])
    assert 'id="opinion-form"' not in street.get(detail).content.decode()
    party_page = client_for("community_party").get(detail).content.decode()
    assert 'id="opinion-form"' in party_page
    opinion = reverse("evaluation:communityreview_transition", args=[review.pk, "give_opinion"])
    assert street.post(opinion, {"reason": "同意"}).status_code == 403
    assert client_for("other_district_admin").post(opinion, {"reason": "同意"}).status_code == 404
    client_for("community_party").post(opinion, {"reason": ""})
    review.refresh_from_db()
    assert review.status == CommunityReviewStatus.SCORED
    client_for("community_party").post(opinion, {"reason": "社区党组织同意街道评议意见。"})
    review.refresh_from_db()
    assert review.status == CommunityReviewStatus.FINAL and review.party_opinion == "社区党组织同意街道评议意见。"
    assert review.party_opinion_by == users["community_party"]
    assert street.get(update).status_code == 403
    # Lists: filters.
    listing = reverse("evaluation:communityreview_list")
    rows = client_for("bureau_viewer").get(listing, {"year": "2025", "conclusion": "excellent"}).context["table"]
    assert [r.record.pk for r in rows.page.object_list] == [review.pk]
    assert client_for("bureau_viewer").get(listing, {"year": "1900"}).context["table"].paginator.count == 0
    assert client_for("other_district_admin").get(listing).context["table"].paginator.count == 0


def test_organization_page_panel(places, registered, filed, client_for):
    grade_award(registered, by=None, score="820", grade=4, awarded_on=dt.date(2024, 11, 5))
    page = client_for("bureau_staff").get(registered.get_absolute_url()).content.decode()
    assert 'id="org-evaluation"' in page and 'id="org-current-grade"' in page and "4A" in page
    assert reverse("evaluation:orggrade_create") in page
    filed_page = client_for("street_officer").get(filed.get_absolute_url()).content.decode()
    assert reverse("evaluation:communityreview_create") in filed_page
    assert reverse("evaluation:orggrade_create") not in filed_page
