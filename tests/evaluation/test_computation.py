"""Results against hand-computed examples: expert means (trimmed from five raters, a missing
dimension re-based), the beneficiary feedback rates, the computed progress indicator, the final
rounding and the star thresholds."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from evaluation.choices import AssignmentStatus, Dimension, ResponseChannel, ResponseStatus
from evaluation.computation import TRIM_FROM, compute_result, stars_for, trimmed_mean
from evaluation.models import Score, SurveyResponse
from projects import periods
from projects.choices import EntryStatus, IndicatorSource
from projects.models import Indicator, LedgerEntry, QuarterlySubmission

from ..projects.factories import make_entry, make_project
from ..registry.factories import make_org_user, make_organization
from .factories import (
    AssignmentFactory,
    ExpertFactory,
    RoundFactory,
    RoundProjectFactory,
    SchemeFactory,
    default_scheme,
)

D = Decimal
TECH, DEPT, MEDIA, RESIDENT = Dimension.TECHNICAL, Dimension.DEPARTMENT, Dimension.MEDIA, Dimension.RESIDENT


@pytest.fixture
def org(places):
    organization = make_organization(places.community11, name="一社区为老服务社")
    organization.account = make_org_user(organization)
    return organization


@pytest.fixture
def project(org, places):
    return make_project(org, places.street1, title="银龄互助项目")


def entry_for(places, project, scheme):
    return RoundProjectFactory(RoundFactory(places.district, scheme=scheme), project)


def rate(entry, dimension, *values, submitted=True, indicator=None):
    """One expert per value, in `dimension`, scoring the scheme's first expert indicator."""
    indicator = indicator or entry.round.scheme.indicators.get(source="expert")
    for value in values:
        assignment = AssignmentFactory(entry, ExpertFactory(entry.round.region, dimension=dimension))
        Score.objects.create(assignment=assignment, indicator=indicator, value=D(value))
        if submitted:
            assignment.status = AssignmentStatus.SUBMITTED
            assignment.submitted_at = timezone.now()
            assignment.save()


def quality_scheme(places, dimensions=((TECH, 100),), **thresholds):
    return SchemeFactory(places.district, indicators=[("项目质量", "expert", 100)], dimensions=dimensions, **thresholds)


def answers(entry, n, *, knew=0, took_part=0, satisfaction=(), status=ResponseStatus.COUNTED):
    satisfaction = list(satisfaction) or [3] * n
    for i in range(n):
        SurveyResponse.objects.create(
            survey=entry.survey,
            knew=i < knew,
            took_part=i < took_part,
            satisfaction=satisfaction[i],
            channel=ResponseChannel.ONLINE,
            status=status,
            submitted_at=timezone.now(),
        )


# ------------------------------------------------------------------------------------ expert means


def test_trimmed_mean_drops_highest_and_lowest_from_five_raters():
    assert TRIM_FROM == 5
    assert trimmed_mean([D(80), D(90), D(70), D(60)]) == (D(75), [])
    mean, dropped = trimmed_mean([D(50), D(99), D(70), D(80), D(85)])
    assert dropped == [D(50), D(99)]
    assert mean == (D(70) + D(80) + D(85)) / 3
    assert trimmed_mean([]) == (None, [])


def test_untrimmed_means_weighted_by_dimension(places, project):
    # technical (60): 80, 90 → 85; media (40): 70 → (60·85 + 40·70) / 100 = 79.00
    entry = entry_for(places, project, quality_scheme(places, dimensions=((TECH, 60), (MEDIA, 40))))
    rate(entry, TECH, "80", "90")
    rate(entry, MEDIA, "70")
    result = compute_result(entry)
    assert result.final_score == D("79.0")
    assert result.stars == 3
    quality = result.indicators[0]
    assert quality["score"] == "79.00"
    assert quality["weighted"] == "79.00"
    technical, media = quality["detail"]["dimensions"]
    assert technical == {
        "dimension": "technical",
        "label": str(Dimension.TECHNICAL.label),
        "weight": "60.00",
        "scores": ["80.00", "90.00"],
        "dropped": [],
        "raters": 2,
        "mean": "85.00",
        "trimmed": False,
    }
    assert media["mean"] == "70.00"
    assert result.warnings == []


def test_five_raters_are_trimmed(places, project):
    # 50, 70, 80, 85, 99 → drop 50 and 99 → (70 + 80 + 85) / 3 = 78.333… → 78.33 → 78.3
    entry = entry_for(places, project, quality_scheme(places))
    rate(entry, TECH, "50", "70", "80", "85", "99")
    result = compute_result(entry)
    (technical,) = result.indicators[0]["detail"]["dimensions"]
    assert technical["dropped"] == ["50.00", "99.00"]
    assert technical["trimmed"] is True
    assert technical["mean"] == "78.33"
    assert result.indicators[0]["score"] == "78.33"
    assert result.final_score == D("78.3")


def test_a_missing_dimension_is_left_out_and_the_others_rebased(places, project):
    # default weights 40/30/10/20, media has no scores:
    # (40·80 + 30·90 + 20·70) / (40 + 30 + 20) = 7300 / 90 = 81.111… → 81.11; final 81.1 → 4★
    entry = entry_for(
        places, project, quality_scheme(places, dimensions=((TECH, 40), (DEPT, 30), (MEDIA, 10), (RESIDENT, 20)))
    )
    rate(entry, TECH, "80")
    rate(entry, DEPT, "90")
    rate(entry, RESIDENT, "70")
    result = compute_result(entry)
    quality = result.indicators[0]
    assert quality["score"] == "81.11"
    assert quality["detail"]["rated_weight"] == "90.00"
    media = quality["detail"]["dimensions"][2]
    assert media["mean"] is None and media["raters"] == 0
    assert result.final_score == D("81.1")
    assert result.stars == 4
    assert len(result.warnings) == 1
    assert str(Dimension.MEDIA.label) in result.warnings[0]


def test_unsubmitted_scores_do_not_count_and_no_scores_is_zero(places, project):
    entry = entry_for(places, project, quality_scheme(places))
    rate(entry, TECH, "95", submitted=False)
    result = compute_result(entry)
    assert result.indicators[0]["score"] == "0.00"
    assert result.final_score == D("0.0")
    assert result.stars == 1
    assert len(result.warnings) == 1
    assert "项目质量" in result.warnings[0]


def test_a_dimension_with_weight_zero_is_not_rated(places, project):
    entry = entry_for(places, project, quality_scheme(places, dimensions=((TECH, 100), (MEDIA, 0))))
    rate(entry, TECH, "88")
    rate(entry, MEDIA, "10")
    result = compute_result(entry)
    assert [d["dimension"] for d in result.indicators[0]["detail"]["dimensions"]] == ["technical"]
    assert result.final_score == D("88.0")


# ---------------------------------------------------------------------------------- thresholds


@pytest.mark.parametrize(
    ("score", "final", "stars"),
    [
        ("90.00", "90.0", 5),
        ("89.95", "90.0", 5),  # rounds half up to 90.0: five stars
        ("89.94", "89.9", 4),
        ("80.00", "80.0", 4),
        ("79.96", "80.0", 4),
        ("70.00", "70.0", 3),
        ("60.00", "60.0", 2),
        ("59.95", "60.0", 2),
        ("59.94", "59.9", 1),
        ("0.00", "0.0", 1),
        ("100.00", "100.0", 5),
    ],
)
def test_scores_on_the_star_thresholds(places, project, score, final, stars):
    entry = entry_for(places, project, quality_scheme(places))
    rate(entry, TECH, score)
    result = compute_result(entry)
    assert result.final_score == D(final)
    assert result.stars == stars
    assert result.as_json()["final_score"] == final


def test_stars_follow_the_schemes_own_thresholds(places):
    scheme = quality_scheme(
        places, five_star_min=D(95), four_star_min=D("85.5"), three_star_min=D(75), two_star_min=D(50)
    )
    assert [stars_for(scheme, D(v)) for v in ("95.0", "94.9", "85.5", "85.4", "75.0", "50.0", "49.9")] == [
        5,
        4,
        4,
        3,
        3,
        2,
        1,
    ]
    assert stars_for(default_scheme(), D("90.0")) == 5
    assert stars_for(default_scheme(), D("89.9")) == 4


def test_final_is_the_weighted_sum_rounded_half_up(places, project):
    # quality 40 → 81.25 · 0.4 = 32.5; satisfaction 60 → 10 answers of mean 3.5 → 70 · 0.6 = 42 → 74.5
    # (the half: 74.50 stays 74.5; a raw 74.45 would give 74.5, a raw 74.44 74.4)
    scheme = SchemeFactory(
        places.district,
        indicators=[("项目质量", "expert", 40), ("满意度", "satisfaction", 60)],
        dimensions=[(TECH, 100)],
    )
    entry = entry_for(places, project, scheme)
    rate(entry, TECH, "81.25")
    answers(entry, 10, satisfaction=[3, 4] * 5)
    result = compute_result(entry)
    assert [i["weighted"] for i in result.indicators] == ["32.50", "42.00"]
    assert result.raw_score == D("74.5")
    assert result.final_score == D("74.5")
    assert result.stars == 3


# ------------------------------------------------------------------------------------- feedback


def feedback_scheme(places):
    return SchemeFactory(
        places.district,
        indicators=[("群众知晓率", "awareness", 30), ("参与率", "participation", 30), ("满意度", "satisfaction", 40)],
    )


def accepted_entries(project, org, *participants):
    for n in participants:
        entry = make_entry(project, org.account, participants=n, beneficiaries=n)
        LedgerEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.ACCEPTED)


def test_feedback_rates_with_the_ledgers_participants_against_target(places, org, project):
    # 10 counted answers: 7 knew → 70; 4 took part → 40; satisfaction sum 42 → 4.2 · 20 = 84.
    # Target 600 participants (the project's indicator), ledger 150 + 150 accepted (a draft of 500
    # left out) → 50; participation = (40 + 50) / 2 = 45.
    # Final = (30·70 + 30·45 + 40·84) / 100 = 68.10 → 68.1 → 2★.
    entry = entry_for(places, project, feedback_scheme(places))
    answers(entry, 10, knew=7, took_part=4, satisfaction=[5, 5, 4, 4, 4, 4, 4, 4, 4, 4])
    answers(entry, 3, knew=3, took_part=3, satisfaction=[1, 1, 1], status=ResponseStatus.HELD)
    answers(entry, 2, satisfaction=[1, 1], status=ResponseStatus.EXCLUDED)
    accepted_entries(project, org, 150, 150)
    make_entry(project, org.account, participants=500, beneficiaries=500)
    result = compute_result(entry)
    awareness, participation, satisfaction = result.indicators
    assert awareness["score"] == "70.00"
    assert awareness["detail"] == {"counted": 10, "knew": 7, "rate": "70.00"}
    assert participation["detail"] == {
        "counted": 10,
        "took_part": 4,
        "survey_rate": "40.00",
        "target": "600.00",
        "ledger_participants": 300,
        "ledger_rate": "50.00",
    }
    assert participation["score"] == "45.00"
    assert satisfaction["detail"] == {"counted": 10, "satisfaction_sum": 42, "mean": "4.20"}
    assert satisfaction["score"] == "84.00"
    assert result.final_score == D("68.1")
    assert result.stars == 2
    assert result.warnings == []


def test_participation_without_a_participants_target_is_the_survey_rate(places, org):
    project = make_project(org, places.street1, indicators=(("服务活动场次", "场", "24", IndicatorSource.ACTIVITIES),))
    entry = entry_for(places, project, feedback_scheme(places))
    answers(entry, 10, knew=7, took_part=4, satisfaction=[5, 5, 4, 4, 4, 4, 4, 4, 4, 4])
    result = compute_result(entry)
    participation = result.indicators[1]
    assert participation["score"] == "40.00"
    assert participation["detail"]["target"] is None
    assert participation["detail"]["ledger_rate"] is None
    # (30·70 + 30·40 + 40·84) / 100 = 66.6
    assert result.final_score == D("66.6")


def test_few_answers_warn_and_none_count_zero(places, project):
    entry = entry_for(places, project, feedback_scheme(places))
    answers(entry, 9, knew=9, took_part=9, satisfaction=[5] * 9)
    result = compute_result(entry)
    assert result.indicators[0]["score"] == "100.00"
    assert len(result.warnings) == 1  # once, not once per feedback indicator
    assert "9" in result.warnings[0] and "10" in result.warnings[0]

    empty = entry_for(places, project, feedback_scheme(places))
    result = compute_result(empty)
    assert [i["score"] for i in result.indicators] == ["0.00", "0.00", "0.00"]
    assert result.final_score == D("0.0")
    assert len(result.warnings) == 4  # few answers + one per indicator counted as 0


# ------------------------------------------------------------------------------------- progress


def test_progress_from_completion_and_quarterly_timeliness(places, org):
    # Completion: activities 6 accepted of 24 → 25; an entered 45 of 90 → 50:
    # (25 + 50) / 2 = 37.5. Timeliness on 2026-08-20: Q1 on time 100, Q2 late 60, Q3/Q4 not due → 80.
    # Progress = (37.5 + 80) / 2 = 58.75 → final 58.8 → 1★.
    project = make_project(
        org,
        places.street1,
        indicators=(
            ("服务活动场次", "场", "24", IndicatorSource.ACTIVITIES),
            ("入户走访", "户", "90", IndicatorSource.ENTERED),
        ),
    )
    Indicator.objects.filter(project=project, name="入户走访").update(entered_value=D(45))
    accepted_entries(project, org, 10, 10, 10, 10, 10, 10)
    q1_due, q2_due = periods.due_date(2026, 1), periods.due_date(2026, 2)
    for quarter, day in ((1, q1_due), (2, q2_due + dt.timedelta(days=3))):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        QuarterlySubmission.objects.create(
            project=project, year=2026, quarter=quarter, narrative="季度小结", first_submitted_at=moment
        )
    scheme = SchemeFactory(places.district, indicators=[("进度", "progress", 100)])
    entry = entry_for(places, project, scheme)
    result = compute_result(entry, today=dt.date(2026, 8, 20))
    progress = result.indicators[0]
    completion, timeliness = progress["detail"]["completion"], progress["detail"]["timeliness"]
    assert [(r["name"], r["target"], r["actual"], r["rate"]) for r in completion["rows"]] == [
        ("服务活动场次", "24.00", "6.00", "25.00"),
        ("入户走访", "90.00", "45.00", "50.00"),
    ]
    assert completion["mean"] == "37.50"
    assert [(r["timeliness"], r["points"]) for r in timeliness["rows"]] == [("on_time", "100.00"), ("late", "60.00")]
    assert timeliness["mean"] == "80.00"
    assert progress["score"] == "58.75"
    assert result.final_score == D("58.8")
    assert result.stars == 1


def test_progress_caps_completion_at_100_and_without_anything_is_zero(places, org):
    project = make_project(org, places.street1, indicators=(("服务活动场次", "场", "2", IndicatorSource.ACTIVITIES),))
    accepted_entries(project, org, 5, 5, 5)
    scheme = SchemeFactory(places.district, indicators=[("进度", "progress", 100)])
    entry = entry_for(places, project, scheme)
    result = compute_result(entry, today=dt.date(2026, 3, 1))  # no quarter judged yet
    assert result.indicators[0]["detail"]["completion"]["rows"][0]["rate"] == "100.00"
    assert result.indicators[0]["detail"]["parts"] == 1
    assert result.final_score == D("100.0")

    bare = make_project(org, places.street1, indicators=())
    result = compute_result(entry_for(places, bare, scheme), today=dt.date(2026, 3, 1))
    assert result.final_score == D("0.0")
    assert len(result.warnings) == 1


# ------------------------------------------------------------------------------- the page's JSON


def test_the_computation_shows_every_number_and_each_rule(places, project):
    entry = RoundProjectFactory(RoundFactory(places.district), project)  # the default scheme
    rate(entry, TECH, "80")
    answers(entry, 10, knew=5, took_part=5, satisfaction=[4] * 10)
    with translation.override("en"):
        data = compute_result(entry).as_json()
    json.dumps(data)  # JSON-safe
    assert [i["name"] for i in data["indicators"]] == ["项目质量", "进度", "群众知晓率", "参与率", "满意度"]
    rules = {i["source"]: i["rule"] for i in data["indicators"]}
    for indicator in data["indicators"]:
        assert set(indicator) >= {"name", "source", "rule", "weight", "score", "weighted", "detail"}
    # each rule is the site's Chinese sentence, whatever the language of the request that computed it
    assert "去掉一个最高分和一个最低分" in rules["expert"]
    assert "按时 100 分，逾期 60 分，未报 0 分" in rules["progress"]
    assert "知道本项目" in rules["awareness"]
    assert "台账参与人次" in rules["participation"]
    assert "× 20" in rules["satisfaction"]
    assert "四舍五入保留一位小数" in data["rule"]
    assert {t["stars"]: t["min"] for t in data["thresholds"]} == {5: "90.00", 4: "80.00", 3: "70.00", 2: "60.00"}
    assert data["rule"]
    total = sum(D(i["weighted"]) for i in data["indicators"])
    assert D(data["final_score"]) == total.quantize(D("0.1"))
