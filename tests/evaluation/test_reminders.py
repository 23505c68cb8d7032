"""The daily evaluation reminders (issue 12): experts with unsubmitted scores from 3 days before the
round's scoring is due and every day after; organization grades exactly 180, 90, 30 and 7 days
before they lapse, to the organization's accounts and its district's bureau. Once a day."""

import datetime as dt

import pytest

from accounts.choices import Role
from core.models import Notification
from evaluation import reminders, tasks
from evaluation.choices import AssignmentStatus, Dimension, Grade, RoundStatus
from evaluation.models import OrgGrade
from registry.choices import LegalForm

from ..accounts.factories import make_user
from ..projects.factories import make_project
from ..registry.factories import make_org_user, make_organization
from .factories import AssignmentFactory, ExpertFactory, RoundFactory, RoundProjectFactory

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 6, 30)


def _told(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


@pytest.fixture
def scoring(places):
    """A scoring round due on DUE: one expert pending, one submitted, one without an account; a draft
    round and a round without a due date, both with a pending expert."""
    organization = make_organization(places.community11)
    round_ = RoundFactory(places.district, status=RoundStatus.SCORING, scoring_due=DUE, name="2026年度星级评定")
    entry = RoundProjectFactory(round_, make_project(organization, places.district, title="一社区助老服务"))
    pending = ExpertFactory(places.district, with_user=True, name="李专家")
    done = ExpertFactory(places.district, with_user=True, dimension=Dimension.MEDIA)
    AssignmentFactory(entry, pending)
    AssignmentFactory(entry, done, status=AssignmentStatus.SUBMITTED)
    AssignmentFactory(entry, ExpertFactory(places.district, dimension=Dimension.RESIDENT))
    idle = ExpertFactory(places.district, with_user=True)
    for status, due in ((RoundStatus.DRAFT, DUE), (RoundStatus.SCORING, None)):
        other = RoundFactory(places.district, status=status, scoring_due=due)
        AssignmentFactory(RoundProjectFactory(other, make_project(organization, places.district)), idle)
    return {"pending": pending.user, "done": done.user, "idle": idle.user}


@pytest.mark.parametrize(
    ("today", "sent"),
    [
        (DUE - dt.timedelta(days=4), 0),
        (DUE - dt.timedelta(days=3), 1),
        (DUE - dt.timedelta(days=1), 1),
        (DUE, 1),
        (DUE + dt.timedelta(days=10), 1),  # overdue: every day
    ],
)
def test_experts_are_reminded_from_three_days_before_scoring_is_due(scoring, today, sent):
    assert reminders.scoring_reminders_send(today=today) == sent
    assert len(_told(scoring["pending"])) == sent
    assert _told(scoring["done"]) == [] and _told(scoring["idle"]) == []


def test_the_expert_reminder_names_the_round_and_the_project(scoring):
    reminders.scoring_reminders_send(today=DUE)
    (notice,) = _told(scoring["pending"])
    assert "2026年度星级评定" in notice.title and "一社区助老服务" in notice.title
    assert notice.url.startswith("/evaluation/")


def test_experts_are_reminded_once_a_day_and_again_the_next(scoring):
    assert reminders.scoring_reminders_send(today=DUE) == 1
    assert reminders.scoring_reminders_send(today=DUE) == 0
    assert reminders.scoring_reminders_send(today=DUE + dt.timedelta(days=1)) == 1
    assert len(_told(scoring["pending"])) == 2


@pytest.fixture
def graded(places, users):
    """A registered organization with an account, its 4A grade valid until 2029-12-31; an
    organization in the other district with the same validity; a grade revoked; a grade renewed."""
    organization = make_organization(places.community11, name="一社区社工服务社", legal_form=LegalForm.SOCIAL_SERVICE)
    account = make_org_user(organization)

    def grade(org, awarded_on, **extra):
        return OrgGrade.objects.create(
            organization=org,
            score="850.0",
            grade=extra.pop("grade", Grade.FOUR),
            awarded_on=awarded_on,
            valid_from=dt.date(awarded_on.year + 1, 1, 1),
            valid_until=dt.date(awarded_on.year + 5, 12, 31),
            **extra,
        )

    current = grade(organization, dt.date(2024, 11, 15))
    other_org = make_organization(places.other_community, name="乙区社工服务社")
    other_account = make_org_user(other_org)
    other = grade(other_org, dt.date(2024, 11, 15), grade=Grade.THREE)
    grade(make_organization(places.community12), dt.date(2024, 3, 1), revoked_on=dt.date(2025, 1, 1))
    renewed = make_organization(places.community12)
    grade(renewed, dt.date(2024, 3, 1))
    grade(renewed, dt.date(2029, 3, 1))
    other_staff = users["other_district_staff"]
    return {"grade": current, "account": account, "other": other, "other_account": other_account, "staff": other_staff}


LAPSES = dt.date(2029, 12, 31)


@pytest.mark.parametrize(
    ("days_before", "reminded"),
    [
        (181, False),
        (180, True),
        (179, False),
        (91, False),
        (90, True),
        (89, False),
        (30, True),
        (8, False),
        (7, True),
        (6, False),
        (0, False),
    ],
)
def test_grades_are_reminded_exactly_180_90_30_and_7_days_before_they_lapse(graded, users, days_before, reminded):
    today = LAPSES - dt.timedelta(days=days_before)
    sent = reminders.grade_reminders_send(today=today)
    told = {Role.ORG_USER: graded["account"], "admin": users["bureau_admin"], "staff": users["bureau_staff"]}
    # This district's grade reaches its account and the bureau's admin and clerk; the other district's
    # grade its account and the other district's bureau (admin and clerk); the renewed and revoked: nobody.
    assert sent == (6 if reminded else 0)
    for user in told.values():
        assert len(_told(user)) == (1 if reminded else 0)
    assert _told(users["bureau_viewer"]) == [] and _told(users["street_officer"]) == []


def test_the_grade_reminder_says_which_grade_lapses_when(graded, users):
    reminders.grade_reminders_send(today=LAPSES - dt.timedelta(days=30))
    (notice,) = _told(graded["account"])
    assert notice.title == "一社区社工服务社的4A等级将于2029年12月31日到期（还有30天）"
    assert notice.url == graded["grade"].get_absolute_url()
    (notice,) = _told(graded["other_account"])
    assert "乙区社工服务社" in notice.title and "3A" in notice.title
    assert all("乙区" in n.title for n in _told(graded["staff"]))
    assert all("乙区" not in n.title for n in _told(users["bureau_admin"]))


def test_a_second_run_the_same_day_sends_nothing_new(graded, scoring, users):
    today = LAPSES - dt.timedelta(days=7)
    first = reminders.reminders_send(today=today)
    assert first == {"scoring": 1, "grades": 6}
    assert reminders.reminders_send(today=today) == {"scoring": 0, "grades": 0}
    assert Notification.objects.count() == 7


def test_the_grade_warning_days_is_a_setting(graded, settings):
    settings.EVALUATION_GRADE_WARNING_DAYS = 120
    assert reminders.grade_reminder_days() == [120, 90, 30, 7]
    assert reminders.grade_reminders_send(today=LAPSES - dt.timedelta(days=180)) == 0
    assert reminders.grade_reminders_send(today=LAPSES - dt.timedelta(days=120)) == 6


def test_the_beat_job_calls_the_reminders_once_a_day(graded):
    from core import periodic

    assert periodic.get("evaluation-reminders").task == tasks.send_reminders.name == "evaluation.tasks.send_reminders"
    assert tasks.send_reminders.apply().get() == {"scoring": 0, "grades": 0}


def test_an_inactive_account_is_not_told(graded, places):
    stranger = make_user(Role.BUREAU_STAFF, places.other_district)
    type(stranger).objects.filter(pk=stranger.pk).update(is_active=False)
    reminders.grade_reminders_send(today=LAPSES - dt.timedelta(days=90))
    assert _told(stranger) == []
