"""Rounds: opening, projects with their surveys, manual and automatic assignment, and the moves
draft → scoring → publicity → closed with their preconditions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import Role
from core.models import AuditRecord, Notification
from evaluation.choices import AffiliationKind, AssignmentStatus, Dimension, ObjectionStatus, RoundStatus
from evaluation.models import Assignment, Objection, Round, RoundProject, Survey, SurveyResponse
from evaluation.selectors import completion
from evaluation.services.rounds import (
    assign_expert,
    auto_assign,
    round_add_projects,
    round_close,
    round_create,
    round_publish,
    round_recompute,
    round_remove_project,
    round_start_scoring,
    round_update,
    unassign,
)
from evaluation.services.scoring import scores_save, scores_submit
from projects.services import office_funder

from ..accounts.factories import Jurisdiction, make_user
from ..projects.factories import make_project
from ..registry.factories import make_organization
from .factories import (
    AssignmentFactory,
    ExpertFactory,
    RoundFactory,
    SchemeFactory,
    default_scheme,
    district_scheme,
    published_entry,
)

TECH, MEDIA = Dimension.TECHNICAL, Dimension.MEDIA


@pytest.fixture
def orgs(places):
    return (
        make_organization(places.community11, name="一社区为老服务社"),
        make_organization(places.community21, name="二街道邻里互助会"),
    )


@pytest.fixture
def projects(orgs, places):
    first, second = orgs
    return [
        make_project(first, places.street1, title="银龄互助项目"),
        make_project(second, places.street2, title="睦邻项目"),
        make_project(first, places.district, title="社区议事厅项目"),
    ]


@pytest.fixture
def scheme(places):
    return SchemeFactory(
        places.district,
        indicators=[("项目质量", "expert", 60), ("满意度", "satisfaction", 40)],
        dimensions=[(TECH, 50), (MEDIA, 50), (Dimension.RESIDENT, 0)],
    )


@pytest.fixture
def round_(places, scheme, users):
    return round_create(
        by=users["bureau_staff"], region=places.district, name="2026年度星级评定", year=2026, scheme=scheme
    )


def staff(users):
    return users["bureau_staff"]


# ------------------------------------------------------------------------------------------ open


def test_staff_open_a_round_with_an_audit_record(round_, scheme, places):
    assert (round_.status, round_.region, round_.scheme, round_.experts_per_dimension, round_.publicity_days) == (
        RoundStatus.DRAFT,
        places.district,
        scheme,
        1,
        7,
    )
    assert AuditRecord.objects.filter(object_id=str(round_.pk), action="create").exists()


def test_the_default_scheme_may_be_used(users, places):
    round_ = round_create(
        by=staff(users), region=places.district, name="默认方案轮次", year=2026, scheme=default_scheme()
    )
    assert round_.scheme == default_scheme()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "2026年度星级评定"}, "name"),  # taken in the district
        ({"year": 1800}, "year"),
        ({"year": "二〇二六"}, "year"),
        ({"publicity_days": 0}, "publicity_days"),
        ({"experts_per_dimension": 11}, "experts_per_dimension"),
        ({"scoring_due": "2026-13-01"}, "scoring_due"),
    ],
)
def test_bad_input_names_the_field(round_, users, places, scheme, overrides, field):
    values = {"by": staff(users), "region": places.district, "name": "第二轮", "year": 2026, "scheme": scheme}
    values.update(overrides)
    with pytest.raises(ValidationError) as excinfo:
        round_create(**values)
    assert field in excinfo.value.message_dict


def test_another_districts_or_an_inactive_scheme_is_refused(users, places, scheme):
    theirs = district_scheme(places.other_district)
    with pytest.raises(ValidationError) as excinfo:
        round_create(by=staff(users), region=places.district, name="轮次", year=2026, scheme=theirs)
    assert "scheme" in excinfo.value.message_dict
    scheme.is_active = False
    scheme.save()
    with pytest.raises(ValidationError):
        round_create(by=staff(users), region=places.district, name="轮次", year=2026, scheme=scheme)


@pytest.mark.parametrize("who", ["bureau_viewer", "street_officer", "org_user", "expert", "other_district_staff"])
def test_only_the_districts_staff_open_rounds(users, places, scheme, who):
    with pytest.raises(PermissionDenied):
        round_create(by=users[who], region=places.district, name="轮次", year=2026, scheme=scheme)


def test_a_city_user_is_refused(db):
    city_places = Jurisdiction(city=True)
    city_staff = make_user(Role.BUREAU_ADMIN, city_places.city)
    with pytest.raises(PermissionDenied):
        round_create(by=city_staff, region=city_places.district, name="轮次", year=2026, scheme=default_scheme())


def test_update_in_draft_and_the_scheme_fixed_once_scoring(round_, users, projects, places):
    round_ = round_update(round_, by=staff(users), name="2026年度评定（一）", experts_per_dimension=2)
    assert (round_.name, round_.experts_per_dimension) == ("2026年度评定（一）", 2)
    round_ = round_update(round_, by=staff(users), experts_per_dimension=1)
    round_add_projects(round_, by=staff(users), projects=projects[:1])
    ExpertFactory(places.district, dimension=TECH)
    ExpertFactory(places.district, dimension=MEDIA)
    auto_assign(round_, by=staff(users))
    round_start_scoring(round_, by=staff(users))
    round_ = round_update(round_, by=staff(users), notes="请按时评分")
    assert round_.notes == "请按时评分"
    with pytest.raises(ValidationError) as excinfo:
        round_update(round_, by=staff(users), scheme=default_scheme())
    assert "scheme" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        round_update(round_, by=users["other_district_staff"], notes="外区")


# -------------------------------------------------------------------------------------- projects


def test_projects_are_added_each_with_its_survey(round_, users, projects):
    entries = round_add_projects(round_, by=staff(users), projects=projects)
    assert [e.project for e in entries] == projects
    tokens = list(Survey.objects.filter(round_project__round=round_).values_list("token", flat=True))
    assert len(tokens) == 3 and len(set(tokens)) == 3
    assert all(len(token) == 43 for token in tokens)
    with pytest.raises(ValidationError) as excinfo:
        round_add_projects(round_, by=staff(users), projects=[projects[0]])
    assert "银龄互助项目" in excinfo.value.message_dict["projects"][0]


def test_projects_of_another_district_or_not_yet_approved_are_refused(round_, users, places):
    elsewhere = make_project(make_organization(places.other_community), places.other_street)
    with pytest.raises(ValidationError) as excinfo:
        round_add_projects(round_, by=staff(users), projects=[elsewhere])
    assert elsewhere.title in excinfo.value.message_dict["projects"][0]
    applied = make_project(make_organization(places.community12), places.street1, transitions=())
    with pytest.raises(ValidationError) as excinfo:
        round_add_projects(round_, by=staff(users), projects=[applied])
    assert applied.title in excinfo.value.message_dict["projects"][0]
    with pytest.raises(ValidationError):
        round_add_projects(round_, by=staff(users), projects=[])
    assert not RoundProject.objects.filter(round=round_).exists()


def test_removing_a_project_in_draft(round_, users, projects, places):
    first, second = round_add_projects(round_, by=staff(users), projects=projects[:2])
    AssignmentFactory(first, ExpertFactory(places.district))
    round_remove_project(first, by=staff(users))
    assert list(RoundProject.objects.filter(round=round_)) == [second]
    assert not Assignment.objects.filter(round=round_).exists()
    assert not Survey.objects.filter(round_project_id=first.pk).exists()
    SurveyResponse.objects.create(
        survey=second.survey, knew=True, took_part=True, satisfaction=5, channel="online", submitted_at=timezone.now()
    )
    with pytest.raises(ValidationError) as excinfo:  # answers are never thrown away
        round_remove_project(second, by=staff(users))
    assert "睦邻项目" in excinfo.value.message_dict["projects"][0]


# ------------------------------------------------------------------------------------ assigning


def test_manual_assignment_refuses_a_conflict_with_the_reason(round_, users, projects, orgs, places):
    entry, *_ = round_add_projects(round_, by=staff(users), projects=projects[:1])
    insider = ExpertFactory(
        places.district, name="赵会长", affiliation_kind=AffiliationKind.ORGANIZATION, organization=orgs[0]
    )
    with pytest.raises(ValidationError) as excinfo:
        assign_expert(entry, insider, by=staff(users))
    message = excinfo.value.message_dict["expert"][0]
    assert "赵会长" in message and "一社区为老服务社" in message
    payer = ExpertFactory(places.district, name="钱科长", funder=office_funder(places.street1))
    with pytest.raises(ValidationError) as excinfo:
        assign_expert(entry, payer, by=staff(users))
    assert "钱科长" in excinfo.value.message_dict["expert"][0]
    assert not Assignment.objects.exists()

    expert = ExpertFactory(places.district, name="孙专家")
    assignment = assign_expert(entry, expert, by=staff(users))
    assert (assignment.dimension, assignment.method, assignment.status) == ("technical", "manual", "assigned")
    with pytest.raises(ValidationError) as excinfo:  # twice
        assign_expert(entry, expert, by=staff(users))
    assert "孙专家" in excinfo.value.message_dict["expert"][0]


def test_manual_assignment_other_refusals(round_, users, projects, places):
    entry, *_ = round_add_projects(round_, by=staff(users), projects=projects[:1])
    with pytest.raises(ValidationError):  # another district's expert
        assign_expert(entry, ExpertFactory(places.other_district), by=staff(users))
    with pytest.raises(ValidationError):  # inactive
        assign_expert(entry, ExpertFactory(places.district, is_active=False), by=staff(users))
    with pytest.raises(ValidationError):  # the scheme does not rate by residents (weight 0)
        assign_expert(entry, ExpertFactory(places.district, dimension=Dimension.RESIDENT), by=staff(users))
    with pytest.raises(PermissionDenied):
        assign_expert(entry, ExpertFactory(places.district), by=users["bureau_viewer"])
    with pytest.raises(PermissionDenied):
        assign_expert(entry, ExpertFactory(places.district), by=users["other_district_staff"])


def test_unassign_only_before_scores(round_, users, projects, places):
    entry, *_ = round_add_projects(round_, by=staff(users), projects=projects[:1])
    assignment = assign_expert(entry, ExpertFactory(places.district), by=staff(users))
    unassign(assignment, by=staff(users))
    assert not Assignment.objects.exists()


def test_auto_assign_balances_load_skips_conflicts_and_is_idempotent(round_, users, projects, orgs, places):
    round_add_projects(round_, by=staff(users), projects=projects)
    tech_a = ExpertFactory(places.district, name="技术甲")
    tech_b = ExpertFactory(places.district, name="技术乙")
    ExpertFactory(places.district, name="停用专家", is_active=False)
    ExpertFactory(places.other_district, name="外区专家")
    # The only media expert belongs to the first organization: never rates its two projects.
    media = ExpertFactory(
        places.district,
        name="记者丙",
        dimension=MEDIA,
        affiliation_kind=AffiliationKind.ORGANIZATION,
        organization=orgs[0],
    )
    result = auto_assign(round_, by=staff(users))
    assert result["created"] == 4
    by_project = {
        (a.round_project.project.title, a.dimension): a.expert.name
        for a in Assignment.objects.filter(round=round_).select_related("round_project__project", "expert")
    }
    # projects in code order; technical load 0/0 → 甲, then 乙 (least loaded), then 甲 (tie → lower pk)
    ordered = sorted(projects, key=lambda p: (p.code, p.pk))
    assert [by_project[(p.title, "technical")] for p in ordered] == ["技术甲", "技术乙", "技术甲"]
    assert by_project[("睦邻项目", "media")] == "记者丙"
    assert ("银龄互助项目", "media") not in by_project
    assert sorted(result["shortfalls"]) == sorted(
        [
            "银龄互助项目：新闻媒体 维度只有 0 名可用专家，需要 1 名",
            "社区议事厅项目：新闻媒体 维度只有 0 名可用专家，需要 1 名",
        ]
    )
    assert {a.method for a in Assignment.objects.filter(round=round_)} == {"automatic"}
    assert {tech_a.pk, tech_b.pk, media.pk} == set(Assignment.objects.values_list("expert_id", flat=True))

    again = auto_assign(round_, by=staff(users))
    assert again["created"] == 0
    assert sorted(again["shortfalls"]) == sorted(result["shortfalls"])
    assert Assignment.objects.filter(round=round_).count() == 4

    with pytest.raises(PermissionDenied):
        auto_assign(round_, by=users["expert"])


def test_auto_assign_tops_up_to_k(round_, users, projects, places):
    round_update(round_, by=staff(users), experts_per_dimension=2)
    round_add_projects(round_, by=staff(users), projects=projects[:1])
    for name in ("甲", "乙", "丙"):
        ExpertFactory(places.district, name=f"技术{name}")
    ExpertFactory(places.district, name="记者", dimension=MEDIA)
    result = auto_assign(round_, by=staff(users))
    assert result["created"] == 3
    assert result["shortfalls"] == ["银龄互助项目：新闻媒体 维度只有 1 名可用专家，需要 2 名"]


# ---------------------------------------------------------------------------------- the moves


def staffed_round(round_, users, projects, places, n_projects=1):
    round_add_projects(round_, by=staff(users), projects=projects[:n_projects])
    tech = ExpertFactory(places.district, name="技术专家", with_user=True)
    media = ExpertFactory(places.district, name="媒体专家", dimension=MEDIA, with_user=True)
    auto_assign(round_, by=staff(users))
    return tech, media


def test_start_scoring_needs_projects_and_a_full_panel(round_, users, projects, places):
    with pytest.raises(ValidationError) as excinfo:
        round_start_scoring(round_, by=staff(users))
    assert "status" in excinfo.value.message_dict
    round_add_projects(round_, by=staff(users), projects=projects[:1])
    tech = ExpertFactory(places.district, name="技术专家", with_user=True)
    auto_assign(round_, by=staff(users))
    with pytest.raises(ValidationError) as excinfo:
        round_start_scoring(round_, by=staff(users))
    assert "新闻媒体" in excinfo.value.message_dict["status"][0]
    media = ExpertFactory(places.district, name="媒体专家", dimension=MEDIA, with_user=True)
    auto_assign(round_, by=staff(users))
    with pytest.raises(PermissionDenied):
        round_start_scoring(round_, by=users["bureau_viewer"])
    with pytest.raises(PermissionDenied):
        round_start_scoring(round_, by=users["other_district_staff"])
    round_ = round_start_scoring(round_, by=staff(users))
    assert round_.status == RoundStatus.SCORING
    notices = Notification.objects.filter(kind="evaluation_assignment")
    assert {n.recipient for n in notices} == {tech.user, media.user}
    assert AuditRecord.objects.filter(object_id=str(round_.pk), action="transition").exists()


def submit_all(round_, score="85"):
    pending = Assignment.objects.filter(round=round_, status=AssignmentStatus.ASSIGNED)
    for assignment in pending.select_related("expert__user", "round__scheme"):
        indicators = round_.scheme.indicators.filter(source="expert")
        scores_save(assignment, by=assignment.expert.user, values={i.pk: {"value": score} for i in indicators})
        scores_submit(assignment, by=assignment.expert.user)


def test_publish_needs_every_score_then_computes_and_dates_publicity(round_, users, projects, places):
    tech, _media = staffed_round(round_, users, projects, places, n_projects=2)
    round_start_scoring(round_, by=staff(users))
    first = Assignment.objects.filter(round=round_, expert=tech).order_by("pk").first()
    indicator = round_.scheme.indicators.get(source="expert")
    scores_save(first, by=tech.user, values={indicator.pk: {"value": "90"}})
    scores_submit(first, by=tech.user)
    with pytest.raises(ValidationError) as excinfo:
        round_publish(round_, by=staff(users))
    message = excinfo.value.message_dict["status"][0]
    assert "技术专家（1）" in message and "媒体专家（2）" in message
    submit_all(round_, score="90")
    round_ = round_publish(round_, by=staff(users))
    today = timezone.localdate()
    assert round_.status == RoundStatus.PUBLICITY
    assert (round_.publicity_starts_on, round_.publicity_ends_on) == (today, today + dt.timedelta(days=6))
    assert round_.computed_at is not None
    for entry in RoundProject.objects.filter(round=round_):
        # quality 90 · 0.6 = 54; satisfaction without answers 0 → 54.0, one star
        assert entry.final_score == Decimal("54.0")
        assert entry.stars == 1
        assert entry.computation["final_score"] == "54.0"
        assert entry.computed_at is not None


def test_recompute_during_publicity_only(users, projects, places):
    entry = published_entry(places.district, projects[0], by=users["bureau_staff"])
    round_ = entry.round
    with pytest.raises(PermissionDenied):
        round_recompute(round_, by=users["street_officer"])
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=entry.survey,
            knew=True,
            took_part=True,
            satisfaction=5,
            channel="online",
            submitted_at=timezone.now(),
        )
        for _i in range(10)
    )
    round_recompute(round_, by=staff(users))
    entry.refresh_from_db()
    satisfaction = next(i for i in entry.computation["indicators"] if i["source"] == "satisfaction")
    assert satisfaction["score"] == "100.00"


def test_close_after_publicity_with_every_objection_answered(users, projects, places):
    entry = published_entry(places.district, projects[0])
    round_ = entry.round
    with pytest.raises(ValidationError) as excinfo:  # publicity still running (its last day included)
        round_close(round_, by=staff(users))
    assert round_.publicity_ends_on.isoformat() in excinfo.value.message_dict["status"][0]
    Round.objects.filter(pk=round_.pk).update(publicity_ends_on=timezone.localdate())
    with pytest.raises(ValidationError):  # today is the last day
        round_close(round_, by=staff(users))
    Round.objects.filter(pk=round_.pk).update(publicity_ends_on=timezone.localdate() - dt.timedelta(days=1))
    objection = Objection.objects.create(round_project=entry, name="居民", contact="13900000000", content="分数偏低")
    with pytest.raises(ValidationError) as excinfo:
        round_close(round_, by=staff(users))
    assert "1" in excinfo.value.message_dict["status"][0]
    Objection.objects.filter(pk=objection.pk).update(status=ObjectionStatus.ANSWERED)
    with pytest.raises(PermissionDenied):
        round_close(round_, by=users["other_district_staff"])
    round_ = round_close(round_, by=staff(users))
    assert round_.status == RoundStatus.CLOSED
    assert round_.closed_at is not None


def test_assignments_are_refused_after_scoring(users, projects, places):
    entry = published_entry(places.district, projects[0])
    with pytest.raises(ValidationError):
        assign_expert(entry, ExpertFactory(places.district), by=staff(users))
    with pytest.raises(ValidationError):
        auto_assign(entry.round, by=staff(users))
    with pytest.raises(ValidationError):
        round_add_projects(entry.round, by=staff(users), projects=projects[1:2])


# -------------------------------------------------------------------------------------- completion


def test_completion_per_expert_in_one_query(round_, users, projects, places, django_assert_num_queries):
    tech, media = staffed_round(round_, users, projects, places, n_projects=3)
    round_start_scoring(round_, by=staff(users))
    assignment = Assignment.objects.filter(round=round_, expert=tech).order_by("pk").first()
    indicator = round_.scheme.indicators.get(source="expert")
    scores_save(assignment, by=tech.user, values={indicator.pk: {"value": "80"}})
    scores_submit(assignment, by=tech.user)
    other_round = RoundFactory(places.district, scheme=round_.scheme)
    ExpertFactory(places.district, name="未参与专家")
    with django_assert_num_queries(1):
        rows = completion(round_)
        summary = [(r["expert"].name, r["assigned"], r["submitted"], r["pending"], r["expert"].user_id) for r in rows]
    # by dimension (its key), then name
    assert summary == [("媒体专家", 3, 0, 3, media.user_id), ("技术专家", 3, 1, 2, tech.user_id)]
    assert completion(other_round) == []
    assert Assignment.objects.filter(status=AssignmentStatus.SUBMITTED).count() == 1
