"""Evaluation benchmarks for `manage.py bench`, at a district's size:

- publishing a round of 300 projects (`round_publish` computes every result: expert scores of eight
  raters over four dimensions, progress from indicators and the ledger, thirty beneficiary answers);
- 2,000 beneficiary answers to one survey through `response_submit`, half with one-time codes and
  half without from 200 devices (five each: none held as a flood).

The population is written with bulk_create (not timed); `scale` multiplies the counts."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.periodic.benchmarks import beat_job_rows
from projects.choices import EntryKind, EntryStatus, FundingSource, ProjectStatus, TargetGroup
from projects.choices import IndicatorSource as ProjectIndicatorSource
from projects.models import Indicator, LedgerEntry, Project
from projects.services.funders import office_funder
from registry.bench import scratch_district
from registry.choices import Category, LegalForm, RegistrationLevel
from registry.models import Organization

from .choices import (
    AffiliationKind,
    AssignmentMethod,
    AssignmentStatus,
    Dimension,
    IndicatorSource,
    ResponseChannel,
    ResponseStatus,
    RoundStatus,
)
from .defaults import ensure_default_scheme
from .models import Assignment, Expert, Round, RoundProject, Score, Survey, SurveyResponse
from .services.feedback import codes_issue, response_submit
from .services.rounds import round_publish
from .services.schemes import scheme_copy

PROJECTS = 300
EXPERTS = 40  # ten per dimension
RATERS = 2  # experts per dimension and project
RESPONSES = 30  # counted answers per project
ANSWERS = 2_000
DEVICES = 200
START, END = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
INDICATORS = (
    ("服务活动场次", "场", Decimal(24), ProjectIndicatorSource.ACTIVITIES),
    ("服务人次", "人次", Decimal(600), ProjectIndicatorSource.PARTICIPANTS),
    ("志愿服务时长", "小时", Decimal(300), ProjectIndicatorSource.VOLUNTEER_HOURS),
)
ENTRIES = 6  # accepted ledger entries per project


def _projects(district, count: int) -> list[Project]:
    """`count` projects in progress, each by its own organization in one of the district's
    communities, with three indicators and a few accepted ledger entries."""
    communities = [c for street in district.children.order_by("code") for c in street.children.order_by("code")]
    funder = office_funder(district)
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"评定基准组织{i:04d}", legal_form=LegalForm.COMMUNITY_FILED,
            registration_level=RegistrationLevel.FILED, filing_number=f"{district.code}-PD-{i:05d}",
            category=Category.RESIDENT_SERVICES,
            region=communities[i % len(communities)], district=district, legal_representative="王五",
            established_on=dt.date(2015 + i % 8, 1 + i % 12, 1 + i % 28),
        )
        for i in range(count)
    )  # fmt: skip
    projects = Project.objects.bulk_create(
        Project(
            code=f"PD-{district.code}-{i:05d}", title=f"评定基准项目{i:04d}", organization=organization,
            funding_source=FundingSource.GOVERNMENT_PURCHASE, funder=funder, amount=Decimal("100000.00"),
            start_date=START, end_date=END, target_groups=[TargetGroup.ELDERLY], status=ProjectStatus.IN_PROGRESS,
        )
        for i, organization in enumerate(organizations)
    )  # fmt: skip
    Indicator.objects.bulk_create(
        Indicator(project=project, name=name, unit=unit, target=target, source=source)
        for project in projects
        for name, unit, target, source in INDICATORS
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            project=project, date=dt.date(2026, 1 + (i + e) % 9, 1 + (i * 7 + e) % 28),
            kind=EntryKind.SERVICE_ACTIVITY, title=f"服务活动{e + 1}", place="社区活动中心",
            participants=20 + (i * 13 + e * 7) % 90, beneficiaries=15 + (i + e) % 40, volunteers=3 + e,
            volunteer_hours=Decimal(8 + (i + e) % 20), status=EntryStatus.ACCEPTED,
        )
        for i, project in enumerate(projects)
        for e in range(1 + i % ENTRIES)
    )  # fmt: skip
    return projects


def _experts(district, count: int) -> dict[str, list[Expert]]:
    dimensions = list(Dimension.values)
    experts = Expert.objects.bulk_create(
        Expert(
            region=district, name=f"评定基准专家{i:03d}", dimension=dimensions[i % len(dimensions)],
            affiliation_kind=AffiliationKind.DEPARTMENT if i % 2 else AffiliationKind.OTHER,
            affiliation=f"基准单位{i % 7}",
        )
        for i in range(count)
    )  # fmt: skip
    pool: dict[str, list[Expert]] = {d: [] for d in dimensions}
    for expert in experts:
        pool[expert.dimension].append(expert)
    return pool


def _round(district, projects, status=RoundStatus.SCORING) -> tuple[Round, list[RoundProject], list[Survey]]:
    default = ensure_default_scheme()
    scheme = scheme_copy(default, by=None, region=district, name="评定基准方案")
    round_ = Round.objects.create(
        name="评定基准轮次", region=district, year=2026, scheme=scheme, status=status, experts_per_dimension=RATERS,
        scoring_due=dt.date(2026, 11, 30),
    )  # fmt: skip
    entries = RoundProject.objects.bulk_create(RoundProject(round=round_, project=project) for project in projects)
    surveys = Survey.objects.bulk_create(
        Survey(round_project=entry, token=secrets.token_urlsafe(32)) for entry in entries
    )
    return round_, entries, surveys


def _scored_panel(round_, entries, pool) -> int:
    """RATERS experts per dimension on each project, submitted, each with a score per expert indicator."""
    expert_indicators = list(round_.scheme.indicators.filter(source=IndicatorSource.EXPERT))
    submitted_at = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    assignments = Assignment.objects.bulk_create(
        Assignment(
            round=round_, round_project=entry, expert=experts[(i + r) % len(experts)], dimension=dimension,
            method=AssignmentMethod.AUTOMATIC, status=AssignmentStatus.SUBMITTED, submitted_at=submitted_at,
        )
        for i, entry in enumerate(entries)
        for dimension, experts in pool.items()
        for r in range(RATERS)
    )  # fmt: skip
    Score.objects.bulk_create(
        Score(assignment=assignment, indicator=indicator, value=Decimal(60 + (a * 7 + k * 3) % 41), comment="基准评分")
        for a, assignment in enumerate(assignments)
        for k, indicator in enumerate(expert_indicators)
    )
    return len(assignments)


def _answers(surveys, per_survey: int) -> None:
    submitted_at = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, knew=(s + n) % 5 != 0, took_part=(s + n) % 3 != 0, satisfaction=1 + (s * 3 + n) % 5,
            channel=ResponseChannel.ONLINE, status=ResponseStatus.COUNTED, client_key=f"{s:04d}{n % 7:02d}",
            submitted_at=submitted_at + dt.timedelta(minutes=n * 11),
        )
        for s, survey in enumerate(surveys)
        for n in range(per_survey)
    )  # fmt: skip


def bench_round_publish(measure, scale: float = 1.0):
    count = max(2, int(PROJECTS * scale))
    district = scratch_district()
    projects = _projects(district, count)
    pool = _experts(district, max(RATERS * len(Dimension.values), int(EXPERTS * scale)))
    round_, entries, surveys = _round(district, projects)
    assignments = _scored_panel(round_, entries, pool)
    _answers(surveys, RESPONSES)
    note = Note()
    with CaptureQueriesContext(connection) as queries, measure(rows=count, note=note):
        round_publish(round_, by=None)
    note.text = f"{count} projects, {assignments} submitted assignments: {len(queries)} queries"
    round_.refresh_from_db()
    if round_.status != RoundStatus.PUBLICITY or RoundProject.objects.filter(round=round_, stars=None).exists():
        raise AssertionError("the round was not published with every result computed")


class Note:
    """A row's note known only after its block (the query count): `measure` keeps the note and the
    table prints it afterwards, as str()."""

    def __init__(self, text: str = ""):
        self.text = text

    def __str__(self):
        return self.text


def bench_survey_answers(measure, scale: float = 1.0):
    total = max(4, int(ANSWERS * scale))
    with_codes, devices = total // 2, max(1, int(DEVICES * scale))
    district = scratch_district()
    (project,) = _projects(district, 1)
    _, _, (survey,) = _round(district, [project])
    codes = []
    while len(codes) < with_codes:
        codes += codes_issue(survey, by=None, count=min(500, with_codes - len(codes)))
    keys = [secrets.token_hex(32) for _i in range(devices)]
    note = Note()
    with measure(rows=total, note=note):
        for n in range(total):
            answer = {"knew": n % 4 != 0, "took_part": n % 3 != 0, "satisfaction": 1 + n % 5, "comment": ""}
            if n % 2 == 0 and codes:
                response_submit(survey, code=codes.pop().code, **answer)
            else:
                response_submit(survey, client_key=keys[(n // 2) % devices], **answer)
    held = SurveyResponse.objects.filter(survey=survey, status=ResponseStatus.HELD).count()
    note.text = f"{with_codes:,} with one-time codes, {total - with_codes:,} from {devices} devices; {held} held"
    if SurveyResponse.objects.filter(survey=survey).count() != total:
        raise AssertionError("not every answer was recorded")


BENCHMARKS = [
    ("Evaluation: publish a round of 300 projects", bench_round_publish),
    ("Evaluation: 2,000 survey answers", bench_survey_answers),
]

# `manage.py bench --current`: the beat job on the data in the database (core.periodic.benchmarks).
SCALE_BENCHMARKS = beat_job_rows("evaluation-reminders")
