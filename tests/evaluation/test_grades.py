"""Organization grades (issue 12): validity from 1 January after the award through 31 December of
the fifth year, the current grade (latest in force, not revoked), in one query for a list, the
grades about to lapse, and the bureau's award and revocation with their refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditRecord
from evaluation import grading
from evaluation.choices import Grade
from evaluation.models import OrgGrade
from evaluation.services.grades import grade_award, grade_revoke
from registry.choices import LegalForm
from registry.models import Organization

from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("awarded_on", "valid_from", "valid_until"),
    [
        (dt.date(2024, 11, 15), dt.date(2025, 1, 1), dt.date(2029, 12, 31)),
        (dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2029, 12, 31)),
        (dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2029, 12, 31)),
        (dt.date(2020, 2, 29), dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_grade_validity(awarded_on, valid_from, valid_until):
    assert grading.grade_validity(awarded_on) == (valid_from, valid_until)


@pytest.fixture
def org(places):
    return make_organization(places.community11, name="一社区养老服务中心", legal_form=LegalForm.SOCIAL_SERVICE)


def award(org, by, awarded_on, grade=Grade.FOUR, score="856.5", **extra):
    return grade_award(org, by=by, score=score, grade=grade, awarded_on=awarded_on, **extra)


def test_the_bureau_awards_a_grade_with_its_validity(org, users):
    grade = award(org, users["bureau_staff"], dt.date(2024, 11, 15), decision_number="民评〔2024〕12号")
    assert (grade.grade, grade.score, grade.valid_from, grade.valid_until) == (
        4,
        Decimal("856.5"),
        dt.date(2025, 1, 1),
        dt.date(2029, 12, 31),
    )
    assert grade.get_grade_display() == "4A"
    record = AuditRecord.objects.get(content_type__model="orggrade", object_id=str(grade.pk))
    assert record.actor == users["bureau_staff"] and record.after["valid_until"] == "2029-12-31"


def test_the_current_grade_is_the_latest_in_force(org, users):
    staff = users["bureau_staff"]
    assert grading.current_grade(org, today=dt.date(2025, 6, 1)) is None
    old = award(org, staff, dt.date(2019, 12, 1), grade=Grade.THREE)  # 2020–2024
    new = award(org, staff, dt.date(2022, 10, 1), grade=Grade.FIVE, score="950")  # 2023–2027
    assert grading.current_grade(org, today=dt.date(2022, 12, 31)) == old  # the newer not yet in force
    assert grading.current_grade(org, today=dt.date(2023, 1, 1)) == new  # supersedes the older
    assert grading.current_grade(org, today=dt.date(2027, 12, 31)) == new
    assert grading.current_grade(org, today=dt.date(2028, 1, 1)) is None
    assert grading.current_grade(org, today=dt.date(2019, 12, 31)) is None  # awarded, not yet valid


def test_a_revoked_grade_is_not_current_and_the_reason_is_kept(org, users):
    old = award(org, users["bureau_staff"], dt.date(2020, 5, 1), grade=Grade.TWO)  # 2021–2025
    grade = award(org, users["bureau_staff"], dt.date(2023, 5, 1))  # 2024–2028
    revoked = grade_revoke(grade, by=users["bureau_admin"], reason="年检不合格")
    assert (revoked.revoked_on, revoked.revocation_reason) == (dt.date.today(), "年检不合格")
    assert grading.current_grade(org) == (old if dt.date.today() <= dt.date(2025, 12, 31) else None)
    assert OrgGrade.objects.filter(pk=grade.pk).exists()
    with pytest.raises(ValidationError) as error:
        grade_revoke(grade, by=users["bureau_admin"], reason="再次撤销")
    assert error.value.message_dict == {"reason": ["原因：该等级已被撤销。"]}
    assert AuditRecord.objects.filter(content_type__model="orggrade", object_id=str(grade.pk)).count() == 2


def test_a_revocation_needs_a_reason_and_the_bureau(org, users):
    grade = award(org, users["bureau_staff"], dt.date(2024, 5, 1))
    with pytest.raises(ValidationError) as error:
        grade_revoke(grade, by=users["bureau_admin"], reason=" ")
    assert error.value.message_dict == {"reason": ["原因：请填写撤销等级的原因。"]}
    for who in ("street_officer", "org_user", "bureau_viewer", "other_district_admin"):
        with pytest.raises(PermissionDenied):
            grade_revoke(grade, by=users[who], reason="无")
    grade.refresh_from_db()
    assert grade.revoked_on is None


def test_a_filed_community_organization_receives_no_grade(places, users):
    filed = make_organization(places.community11, name="一社区文体队", legal_form=LegalForm.COMMUNITY_FILED)
    with pytest.raises(ValidationError) as error:
        award(filed, users["bureau_staff"], dt.date(2024, 5, 1))
    assert error.value.message_dict == {
        "organization": [
            "社会组织：一社区文体队是备案的社区社会组织；等级评估只面向登记的社会组织（备案的参加年度评估评议）。"
        ]
    }
    assert not OrgGrade.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"score": "1000.1"}, "score", "评估得分：请输入 0 至 1000 之间的分数。"),
        ({"score": "-1"}, "score", "评估得分：请输入 0 至 1000 之间的分数。"),
        ({"score": "856.55"}, "score", "评估得分：最多保留一位小数。"),
        ({"score": "很高"}, "score", "评估得分：请输入数字，例如 856.5。"),
        ({"score": "NaN"}, "score", "评估得分：请输入数字，例如 856.5。"),
        ({"grade": 6}, "grade", "等级：请从 1A 至 5A 中选择。"),
        ({"grade": "0A"}, "grade", "等级：请从 1A 至 5A 中选择。"),
        ({"awarded_on": dt.date.today() + dt.timedelta(days=1)}, "awarded_on", "评定日期：日期不能晚于今天。"),
        ({"awarded_on": "2024-13-01"}, "awarded_on", "评定日期：请输入日期，例如 2026-03-01。"),
        ({"decision_number": "号" * 61}, "decision_number", "决定文号：最多 60 个字符。"),
    ],
)
def test_an_award_out_of_bounds_is_refused_naming_the_field(org, users, values, field, message):
    data = {"score": "856.5", "grade": Grade.FOUR, "awarded_on": dt.date(2024, 5, 1), **values}
    with pytest.raises(ValidationError) as error:
        grade_award(org, by=users["bureau_staff"], **data)
    assert error.value.message_dict == {field: [message]}
    assert not OrgGrade.objects.exists()


def test_the_bounds_themselves_are_accepted(org, users):
    assert award(org, users["bureau_staff"], dt.date(2024, 5, 1), score="1000", grade="5A").grade == 5
    assert award(org, users["bureau_staff"], dt.date.today(), score="0", grade=1).score == Decimal("0.0")


def test_the_same_award_is_recorded_once(org, users):
    award(org, users["bureau_staff"], dt.date(2024, 5, 1))
    with pytest.raises(ValidationError) as error:
        award(org, users["bureau_admin"], dt.date(2024, 5, 1))
    assert error.value.message_dict == {"awarded_on": ["评定日期：一社区养老服务中心于该日评定的4A等级已经登记。"]}
    assert OrgGrade.objects.count() == 1


@pytest.mark.parametrize("who", ["street_officer", "community_party", "org_user", "bureau_viewer", "expert"])
def test_only_the_bureau_awards_grades(org, users, who):
    with pytest.raises(PermissionDenied):
        award(org, users[who], dt.date(2024, 5, 1))


def test_another_districts_bureau_awards_no_grade_here(org, users):
    with pytest.raises(PermissionDenied):
        award(org, users["other_district_staff"], dt.date(2024, 5, 1))


def test_the_current_grade_of_a_list_in_one_query(places, users, django_assert_num_queries):
    orgs = [make_organization(places.community11) for _i in range(4)]
    staff = users["bureau_staff"]
    award(orgs[0], staff, dt.date(2019, 6, 1), grade=Grade.TWO)  # 2020–2024
    award(orgs[0], staff, dt.date(2023, 6, 1), grade=Grade.THREE)  # 2024–2028: supersedes
    award(orgs[1], staff, dt.date(2018, 6, 1), grade=Grade.FIVE)  # lapsed at the end of 2023
    revoked = award(orgs[2], staff, dt.date(2023, 6, 1), grade=Grade.FOUR)
    OrgGrade.objects.filter(pk=revoked.pk).update(revoked_on=dt.date(2024, 3, 1))
    today = dt.date(2024, 6, 1)
    with django_assert_num_queries(1):
        rows = list(
            grading.with_current_grade(Organization.objects.filter(pk__in=[o.pk for o in orgs]), today=today)
            .order_by("pk")
            .values_list("current_grade", "current_grade_valid_until")
        )
    assert rows == [(3, dt.date(2028, 12, 31)), (None, None), (None, None), (None, None)]
    with django_assert_num_queries(1):
        current = grading.current_grades([o.pk for o in orgs], today=today)
    assert {pk: grade.grade for pk, grade in current.items()} == {orgs[0].pk: 3}
    before_revocation = grading.current_grades([orgs[2].pk], today=dt.date(2024, 2, 29))
    assert before_revocation[orgs[2].pk] == revoked


def test_grades_expiring_within_180_days(places, users):
    staff = users["bureau_staff"]
    lapsing, renewed, later, gone = (make_organization(places.community11) for _i in range(4))
    soon = award(lapsing, staff, dt.date(2020, 6, 1))  # valid until 2025-12-31
    award(renewed, staff, dt.date(2020, 6, 1))
    award(renewed, staff, dt.date(2025, 3, 1))  # the renewal follows: not flagged
    award(later, staff, dt.date(2021, 6, 1))  # until 2026-12-31
    award(gone, staff, dt.date(2019, 6, 1))  # lapsed at the end of 2024
    last_day = dt.date(2025, 12, 31)
    assert list(grading.expiring(today=last_day - dt.timedelta(days=181))) == []
    assert list(grading.expiring(today=last_day - dt.timedelta(days=180))) == [soon]
    assert list(grading.expiring(today=last_day)) == [soon]
    assert list(grading.expiring(today=last_day + dt.timedelta(days=1))) == []
    assert list(grading.expiring(OrgGrade.objects.filter(organization=later), today=last_day)) == []
    assert list(grading.expiring(today=last_day - dt.timedelta(days=30), days=30)) == [soon]
    assert list(grading.expiring(today=last_day - dt.timedelta(days=31), days=30)) == []
