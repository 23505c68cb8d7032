"""Factories for the evaluation app's records: schemes (the default one by migration, and district
copies), experts (with an optional expert account), rounds, projects in a round (each with its
survey and link token) and assignments. Build on tests/projects/factories.py for the projects and
tests/conftest.py's `places` / `users` for the jurisdiction.

    scheme = district_scheme(places.district)            # a copy of the default scheme for district A
    scheme = SchemeFactory(places.district, indicators=[("质量", "expert", 100)], dimensions=[("technical", 100)])
    expert = ExpertFactory(places.district, dimension=Dimension.TECHNICAL, with_user=True)
    round_ = RoundFactory(places.district, scheme=scheme)
    entry = RoundProjectFactory(round_, project)         # entry.survey.token
    assignment = AssignmentFactory(entry, expert)
"""

from __future__ import annotations

import itertools
import secrets
from decimal import Decimal

from django.db import transaction

from accounts.choices import Role
from evaluation.choices import AffiliationKind, AssignmentMethod, Dimension
from evaluation.models import Assignment, Expert, Round, RoundProject, Scheme, Survey

from ..accounts.factories import make_user

_serial = itertools.count(1)

DEFAULT_SCHEME_NAME = "星级评定默认方案"


def default_scheme() -> Scheme:
    """The default scheme migration 0002 creates (no region: every district reads it); made again
    where a transactional test's flush removed it."""
    from evaluation.defaults import ensure_default_scheme

    return ensure_default_scheme()


@transaction.atomic
def district_scheme(region, *, name="", source: Scheme | None = None, **thresholds) -> Scheme:
    """A copy of `source` (default: the default scheme) kept by `region`'s bureau: same indicators,
    dimensions and thresholds unless `thresholds` (five_star_min=… ) say otherwise."""
    source = source or default_scheme()
    scheme = Scheme.objects.create(
        name=name or f"{source.name}（{region.name}{next(_serial)}）",
        region=region,
        description=source.description,
        copied_from=source,
        five_star_min=thresholds.get("five_star_min", source.five_star_min),
        four_star_min=thresholds.get("four_star_min", source.four_star_min),
        three_star_min=thresholds.get("three_star_min", source.three_star_min),
        two_star_min=thresholds.get("two_star_min", source.two_star_min),
    )
    for indicator in source.indicators.order_by("sequence", "pk"):
        scheme.indicators.create(
            name=indicator.name,
            source=indicator.source,
            weight=indicator.weight,
            sequence=indicator.sequence,
            guidance=indicator.guidance,
        )
    for dimension in source.dimensions.order_by("pk"):
        scheme.dimensions.create(dimension=dimension.dimension, weight=dimension.weight)
    return scheme


@transaction.atomic
def SchemeFactory(region, *, indicators, dimensions=(), name="", **thresholds) -> Scheme:
    """A scheme of `region` with `indicators` [(name, source, weight)] and `dimensions`
    [(dimension, weight)]; thresholds default to 90/80/70/60 (five_star_min=… to change)."""
    scheme = Scheme.objects.create(name=name or f"测试方案{next(_serial)}", region=region, **thresholds)
    for sequence, (indicator_name, source, weight) in enumerate(indicators, start=1):
        scheme.indicators.create(name=indicator_name, source=source, weight=Decimal(weight), sequence=sequence)
    for dimension, weight in dimensions:
        scheme.dimensions.create(dimension=dimension, weight=Decimal(weight))
    return scheme


def make_expert_user(region, **extra):
    """An account with role expert at the district `region`."""
    return make_user(Role.EXPERT, region, **extra)


def ExpertFactory(
    region,
    *,
    dimension=Dimension.TECHNICAL,
    affiliation_kind=AffiliationKind.OTHER,
    with_user=False,
    user=None,
    **fields,
) -> Expert:
    """An active expert of `region` (a district) in `dimension`; `with_user=True` makes and links an
    expert account at the district (or pass `user`)."""
    n = next(_serial)
    fields.setdefault("name", f"测试专家{n}")
    fields.setdefault("affiliation", "测试单位")
    if with_user and user is None:
        user = make_expert_user(region)
    return Expert.objects.create(
        region=region, dimension=dimension, affiliation_kind=affiliation_kind, user=user, **fields
    )


def RoundFactory(region, *, scheme: Scheme | None = None, status=None, **fields) -> Round:
    """A draft round of `region` on `scheme` (default: the default scheme)."""
    fields.setdefault("name", f"测试评定轮次{next(_serial)}")
    fields.setdefault("year", 2026)
    round_ = Round.objects.create(region=region, scheme=scheme or default_scheme(), **fields)
    if status is not None:
        Round.objects.filter(pk=round_.pk).update(status=status)
        round_.status = status
    return round_


@transaction.atomic
def RoundProjectFactory(round_: Round, project) -> RoundProject:
    """`project` in `round_`, with its beneficiary survey (`.survey`, a fresh link token)."""
    entry = RoundProject.objects.create(round=round_, project=project)
    entry.survey = Survey.objects.create(round_project=entry, token=secrets.token_urlsafe(32))
    return entry


def AssignmentFactory(
    round_project: RoundProject, expert: Expert, *, method=AssignmentMethod.MANUAL, **fields
) -> Assignment:
    """`expert` assigned to `round_project` (dimension: the expert's)."""
    return Assignment.objects.create(
        round=round_project.round,
        round_project=round_project,
        expert=expert,
        dimension=fields.pop("dimension", expert.dimension),
        method=method,
        **fields,
    )


def published_entry(region, project, *, scheme: Scheme | None = None, score="85", by=None) -> RoundProject:
    """`project` in a round of `region` taken through the services to publicity: one technical
    expert (with an account) scores every expert indicator `score` and submits; results published
    (publicity from today). The default scheme unless `scheme`."""
    from evaluation.services.rounds import round_add_projects, round_publish, round_start_scoring
    from evaluation.services.scoring import scores_save, scores_submit

    round_ = RoundFactory(region, scheme=scheme)
    (entry,) = round_add_projects(round_, by=by, projects=[project])
    dimensions = round_.scheme.dimensions.filter(weight__gt=0).values_list("dimension", flat=True)
    for dimension in dimensions:
        expert = ExpertFactory(region, dimension=dimension, with_user=True)
        AssignmentFactory(entry, expert)
    round_start_scoring(round_, by=by)
    indicators = round_.scheme.indicators.filter(source="expert")
    for assignment in entry.assignments.select_related("expert__user"):
        values = {i.pk: {"value": score, "comment": ""} for i in indicators}
        scores_save(assignment, by=assignment.expert.user, values=values)
        scores_submit(assignment, by=assignment.expert.user)
    round_publish(round_, by=by)
    entry.refresh_from_db()
    return entry
