"""Scoring: only the assigned expert saves and submits, submitted scores lock, laggards are
reminded once a day; the project summary an expert scores from and their own assignments."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditRecord, Notification
from evaluation.choices import AssignmentStatus, Dimension, RoundStatus
from evaluation.models import Round, Score
from evaluation.selectors import expert_assignments, project_summary
from evaluation.services.rounds import round_add_projects, round_start_scoring
from evaluation.services.scoring import remind_laggards, scores_save, scores_submit
from projects.choices import EntryStatus
from projects.models import LedgerEntry

from ..projects.factories import make_entry, make_project
from ..registry.factories import make_org_user, make_organization
from .factories import AssignmentFactory, ExpertFactory, RoundFactory, SchemeFactory


@pytest.fixture
def project(places):
    organization = make_organization(places.community11, name="一社区为老服务社")
    project = make_project(organization, places.street1, title="银龄互助项目")
    project.account = make_org_user(organization)
    return project


@pytest.fixture
def scheme(places):
    return SchemeFactory(
        places.district,
        indicators=[("项目设计", "expert", 30), ("服务成效", "expert", 30), ("满意度", "satisfaction", 40)],
        dimensions=[(Dimension.TECHNICAL, 100)],
    )


@pytest.fixture
def panel(places, project, scheme, users):
    """A scoring round with the project and two technical experts with accounts."""
    round_ = RoundFactory(places.district, scheme=scheme, scoring_due=dt.date(2026, 12, 10))
    (entry,) = round_add_projects(round_, by=users["bureau_staff"], projects=[project])
    first = AssignmentFactory(entry, ExpertFactory(places.district, name="甲专家", with_user=True))
    second = AssignmentFactory(entry, ExpertFactory(places.district, name="乙专家", with_user=True))
    round_start_scoring(round_, by=users["bureau_staff"])
    design, effect = scheme.indicators.filter(source="expert").order_by("sequence")
    return {"round": round_, "entry": entry, "first": first, "second": second, "design": design, "effect": effect}


def values(panel, design="85", effect="90.5"):
    return {
        panel["design"].pk: {"value": design, "comment": "设计合理"},
        str(panel["effect"].pk): {"value": effect, "comment": ""},
    }


def test_the_expert_saves_then_submits_and_the_scores_lock(panel):
    assignment = panel["first"]
    user = assignment.expert.user
    scores = scores_save(assignment, by=user, values=values(panel))
    assert {(s.indicator.name, str(s.value), s.comment) for s in scores} == {
        ("项目设计", "85.00", "设计合理"),
        ("服务成效", "90.50", ""),
    }
    scores_save(assignment, by=user, values={panel["design"].pk: {"value": "86", "comment": "再议"}})
    assert Score.objects.get(assignment=assignment, indicator=panel["design"]).value == 86
    assert AuditRecord.objects.filter(content_type__model="score", action="update").exists()

    assignment = scores_submit(assignment, by=user)
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert assignment.submitted_at is not None
    with pytest.raises(PermissionDenied) as excinfo:  # a save after submit
        scores_save(assignment, by=user, values=values(panel, design="10"))
    assert "锁定" in str(excinfo.value)
    with pytest.raises(PermissionDenied):  # submitting twice
        scores_submit(assignment, by=user)
    assert Score.objects.get(assignment=assignment, indicator=panel["design"]).value == 86


@pytest.mark.parametrize(
    ("design", "effect"),
    [("101", "90"), ("-1", "90"), ("85.555", "90"), ("八十五", "90"), ("85", "1e400")],
)
def test_bad_values_name_the_indicator_and_save_nothing(panel, design, effect):
    assignment = panel["first"]
    with pytest.raises(ValidationError) as excinfo:
        scores_save(assignment, by=assignment.expert.user, values=values(panel, design=design, effect=effect))
    field = f"score_{panel['design'].pk}" if design != "85" else f"score_{panel['effect'].pk}"
    assert field in excinfo.value.message_dict
    assert not Score.objects.exists()


def test_an_unknown_indicator_is_refused(panel, scheme):
    assignment = panel["first"]
    satisfaction = scheme.indicators.get(source="satisfaction")
    with pytest.raises(ValidationError) as excinfo:
        scores_save(assignment, by=assignment.expert.user, values={satisfaction.pk: {"value": "80"}})
    assert "values" in excinfo.value.message_dict


def test_submit_needs_every_expert_indicator(panel):
    assignment = panel["first"]
    scores_save(assignment, by=assignment.expert.user, values={panel["design"].pk: {"value": "80"}})
    with pytest.raises(ValidationError) as excinfo:
        scores_submit(assignment, by=assignment.expert.user)
    assert list(excinfo.value.message_dict) == [f"score_{panel['effect'].pk}"]
    assert "服务成效" in excinfo.value.message_dict[f"score_{panel['effect'].pk}"][0]


def test_only_the_assigned_expert_scores(panel, users):
    assignment = panel["first"]
    for user in (panel["second"].expert.user, users["expert"], users["bureau_staff"], users["bureau_admin"]):
        with pytest.raises(PermissionDenied):
            scores_save(assignment, by=user, values=values(panel))
        with pytest.raises(PermissionDenied):
            scores_submit(assignment, by=user)
    assert not Score.objects.exists()


def test_no_scoring_unless_the_round_is_scoring(panel):
    assignment = panel["first"]
    Round.objects.filter(pk=panel["round"].pk).update(status=RoundStatus.DRAFT)
    with pytest.raises(PermissionDenied) as excinfo:
        scores_save(assignment, by=assignment.expert.user, values=values(panel))
    assert "评分" in str(excinfo.value)
    Round.objects.filter(pk=panel["round"].pk).update(status=RoundStatus.PUBLICITY)
    with pytest.raises(PermissionDenied):
        scores_submit(assignment, by=assignment.expert.user)


# ------------------------------------------------------------------------------------- reminders


def test_laggards_are_reminded_once_per_assignment_and_day(panel, users):
    first, second = panel["first"], panel["second"]
    scores_save(first, by=first.expert.user, values=values(panel))
    scores_submit(first, by=first.expert.user)
    today = dt.date(2026, 12, 8)
    assert remind_laggards(panel["round"], by=users["bureau_staff"], today=today) == 1
    assert remind_laggards(panel["round"], by=users["bureau_staff"], today=today) == 0
    reminder = Notification.objects.get(kind="evaluation-scoring-due", recipient=second.expert.user)
    assert "银龄互助项目" in reminder.title
    assert "2026-12-10" in reminder.body
    second.refresh_from_db()
    assert second.last_reminded_on == today
    assert not Notification.objects.filter(kind="evaluation-scoring-due", recipient=first.expert.user).exists()
    assert remind_laggards(panel["round"], today=today + dt.timedelta(days=1)) == 1  # the daily job (by None)
    with pytest.raises(PermissionDenied):
        remind_laggards(panel["round"], by=users["bureau_viewer"], today=today)
    with pytest.raises(PermissionDenied):
        remind_laggards(panel["round"], by=users["other_district_staff"], today=today)


def test_reminders_only_while_scoring(places, scheme, users):
    round_ = RoundFactory(places.district, scheme=scheme)
    with pytest.raises(ValidationError):
        remind_laggards(round_, by=users["bureau_staff"])


# ---------------------------------------------------------------------------------------- reads


def test_the_project_summary_in_a_fixed_number_of_queries(project, django_assert_num_queries):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            summary = project_summary(project, today=dt.date(2026, 8, 20))
        return len(captured), summary

    count_queries()  # the working-day calendar is read once per process and cached
    few, summary = count_queries()
    assert few <= 9
    assert summary["ledger"]["participants"] == 0
    for n in range(4):
        entry = make_entry(project, project.account, participants=10 + n, date=dt.date(2026, 3 + n, 15))
        LedgerEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.ACCEPTED)
    many, summary = count_queries()
    assert many == few
    assert summary["ledger"]["participants"] == 10 + 11 + 12 + 13
    assert summary["ledger"]["activities"] == 4
    assert [row["indicator"].name for row in summary["progress"]] == ["服务活动场次", "服务人次", "志愿服务时长"]
    assert summary["timeliness"] == {"judged": 2, "on_time": 0, "late": 0, "missing": 2}
    assert summary["budget"]["amount"] == 100000
    assert summary["visits"] == [] and summary["reviews"] == []


def test_an_expert_sees_their_own_assignments(panel, users, places, django_assert_num_queries):
    first = panel["first"]
    user = first.expert.user
    with django_assert_num_queries(1):
        mine = list(expert_assignments(user))
        [(a.round.name, a.round_project.project.title, a.expert.name) for a in mine]
    assert mine == [first]
    assert list(expert_assignments(users["bureau_staff"])) == []
    assert list(expert_assignments(None)) == []
    assert timezone.now()
