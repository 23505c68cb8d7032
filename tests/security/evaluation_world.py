"""The security world's star-rating evaluation (tests/security/world.py builds it last): in each
district a scheme of its own, an expert panel, a published round (publicity, with results, feedback
and objections) and a round still scoring, over the corners' projects; grades of the corners'
registered organizations and the annual review of a filed community organization in each district.
Every write goes through evaluation.services; every text carries the marker of the corner it
belongs to.

Corners added here, besides the records put into the existing ones:
- `expert` (district A): the world's expert's own record (read by the bureau and that expert);
- `rating` / `rating_other`: each district's published round, whose name everyone of the district
  reads beside a published result;
- `scoring` / `scoring_other`: each district's round still scoring (the bureau, and the experts
  sitting in it, read it);
- `filed` / `filed_other`: a filed community organization (community 1-1 and the other district's
  community) with its annual review.

And the rules of evaluation.models.policies that the world's `is_foreign` cannot read off a corner
(`evaluation_rule`): what an expert reaches, and results read outside the bureau only once published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.test import override_settings

from accounts.choices import Role
from core.models import Notification
from evaluation.choices import AffiliationKind, Dimension, IndicatorSource, RoundStatus
from evaluation.defaults import ensure_default_scheme
from evaluation.models import (
    Assignment,
    Expert,
    Round,
    RoundProject,
    Score,
)
from evaluation.services import community, experts, feedback, grades, objections, rounds, schemes, scoring
from projects.models import Project
from registry.choices import LegalForm

from ..accounts.factories import make_user
from ..registry.factories import make_organization

PUBLISHED = (RoundStatus.PUBLICITY, RoundStatus.CLOSED)
BUREAU_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.BUREAU_VIEWER)
# Roles that read a project's result once its round is published (RESULT_POLICY's extra rules).
AFTER_PUBLICATION = (Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER, Role.FUNDER_USER)


# ------------------------------------------------------------------------------------ the rules


def _never(user, obj) -> bool:
    return False


@dataclass(frozen=True)
class Rule:
    """An evaluation model's rules beyond its corner: `expert(user, obj)` whether an expert reaches
    the record; `published_only` for results, read by the street, the community, the organization
    and the funder only once their round is published."""

    expert: Callable = _never
    published_only: bool = False

    def foreign_to_expert(self, user, obj) -> bool:
        return not self.expert(user, obj)

    def foreign(self, user, obj) -> bool:
        if not self.published_only or user.role not in AFTER_PUBLICATION:
            return False
        if obj.round.status not in PUBLISHED:
            return True
        # The funder reads the results of the projects it pays for (its corner says the same).
        return user.role == Role.FUNDER_USER and obj.project.funder_id != user.funder_id


RULES = {
    Expert: Rule(expert=lambda user, obj: obj.user_id == user.pk),
    Round: Rule(expert=lambda user, obj: obj.assignments.filter(expert__user=user).exists()),
    RoundProject: Rule(
        expert=lambda user, obj: obj.assignments.filter(expert__user=user).exists(), published_only=True
    ),
    Assignment: Rule(expert=lambda user, obj: obj.expert.user_id == user.pk),
    Score: Rule(expert=lambda user, obj: obj.assignment.expert.user_id == user.pk),
}
NEVER = Rule()


def evaluation_rule(obj) -> Rule | None:
    """The rule of an evaluation record (an expert reaches none but those listed), None for others."""
    if obj is None or obj._meta.app_label != "evaluation":
        return None
    return RULES.get(type(obj), NEVER)


def _bureau_of(district):
    def reach(user) -> bool:
        return user.role in BUREAU_ROLES and user.region is not None and district.path.startswith(user.region.path)

    return reach


def _anyone_in(district):
    def reach(user) -> bool:
        region = user.region
        return region is not None and (district.path.startswith(region.path) or region.path.startswith(district.path))

    return reach


def _sitting_in(round_, district):
    bureau = _bureau_of(district)

    def reach(user) -> bool:
        return bureau(user) or (user.role == Role.EXPERT and round_.assignments.filter(expert__user=user).exists())

    return reach


# --------------------------------------------------------------------------------- the records

DIMENSIONS = (Dimension.TECHNICAL, Dimension.DEPARTMENT, Dimension.MEDIA, Dimension.RESIDENT)
AFFILIATIONS = {
    Dimension.TECHNICAL: AffiliationKind.OTHER,
    Dimension.DEPARTMENT: AffiliationKind.DEPARTMENT,
    Dimension.MEDIA: AffiliationKind.OTHER,
    Dimension.RESIDENT: AffiliationKind.PUBLIC_OFFICE,
}


def build_evaluation(world) -> list:
    """Build the evaluation records of both districts; answer the corners added."""
    from .world import Corner

    places = world.places
    staff_a, staff_b = world.users[Role.BUREAU_STAFF], world.other_district_staff
    district_a, district_b = world.district_corners
    corners_a = [c for c in world.corners if c.region.district_id == places.district.pk]
    corners_b = [c for c in world.corners if c.region.district_id == places.other_district.pk]

    expert_corner = Corner("expert", places.district, "qzEXq", reach=None)
    own_expert = experts.expert_create(
        by=None,
        region=places.district,
        name="qzEXq专家",
        dimension=Dimension.TECHNICAL,
        affiliation_kind=AffiliationKind.OTHER,
        affiliation="qzEXq大学",
    )
    own_expert = experts.expert_link_user(own_expert, by=None, user=world.users[Role.EXPERT])
    expert_corner.add(own_expert)
    expert_corner.reach = lambda user: _bureau_of(places.district)(user) or user.pk == own_expert.user_id

    world.evaluation_experts = {}
    world.private_texts = []  # what no public page may show: answers, codes, scores' comments, objections
    added = [expert_corner]
    for district, bureau_corner, corners, staff, (rating, scoring_) in (
        (places.district, district_a, corners_a, staff_a, ("rating", "scoring")),
        (places.other_district, district_b, corners_b, staff_b, ("rating_other", "scoring_other")),
    ):
        own = own_expert if district == places.district else None
        added += _district(world, district, bureau_corner, corners, staff, own, rating, scoring_)
    added += _filed(world)
    for corner in world.corners:
        _grade(corner)
    expert_corner.add(*Notification.objects.filter(recipient=world.users[Role.EXPERT]))
    return added


def _district(world, district, bureau_corner, corners, staff, own_expert, rating_name, scoring_name) -> list:
    from .world import Corner

    marker = bureau_corner.marker
    default = ensure_default_scheme()
    letter = "A" if rating_name == "rating" else "B"
    scheme = schemes.scheme_copy(default, by=None, region=district, name=f"qzS{letter}q评定方案")
    panel = {}
    for index, dimension in enumerate(DIMENSIONS, start=1):
        expert = experts.expert_create(
            by=None,
            region=district,
            name=f"{marker}{dimension}专家",
            dimension=dimension,
            affiliation_kind=AFFILIATIONS[dimension],
            affiliation=f"{marker}单位{index}",
            username=f"{marker.lower()}-expert-{index}",
        )
        panel[dimension] = expert
        bureau_corner.add(expert, expert.user)
    world.evaluation_experts[district.pk] = panel

    rating = Corner(rating_name, district, f"qzR{letter}q", reach=_anyone_in(district))
    scoring_corner = Corner(scoring_name, district, f"qzS{letter}q")
    published = rounds.round_create(
        by=None,
        region=district,
        name=f"{rating.marker}星级评定",
        year=2026,
        scheme=scheme,
        notes=f"{rating.marker}备注",
    )
    open_round = rounds.round_create(
        by=None,
        region=district,
        name=f"{scoring_corner.marker}星级评定",
        year=2026,
        scheme=scheme,
        scoring_due=dt.date(2026, 12, 31),
        notes=f"{scoring_corner.marker}备注",
    )
    rating.add(published)
    # The scheme is read by the bureau and, beside the rounds they sit in, by the experts (its name
    # on the round): the markers of the round still scoring have that audience.
    scoring_corner.add(open_round, scheme, *scheme.indicators.all(), *scheme.dimensions.all())
    scoring_corner.reach = _sitting_in(open_round, district)

    projects = {corner.name: corner.objects[Project][0] for corner in corners}
    entries = {}
    for round_ in (published, open_round):
        added = rounds.round_add_projects(round_, by=staff, projects=list(projects.values()))
        by_project = {entry.project_id: entry for entry in added}
        for corner in corners:
            entry = by_project[projects[corner.name].pk]
            entries[(round_.pk, corner.name)] = entry
            corner.add(entry, entry.survey)
            for dimension, expert in world.evaluation_experts[district.pk].items():
                if dimension == Dimension.TECHNICAL and own_expert is not None and corner is world.own:
                    expert = own_expert  # the world's expert rates the own corner's project only
                corner.add(rounds.assign_expert(entry, expert, by=staff))
        rounds.round_start_scoring(round_, by=staff)

    for corner in corners:
        surveys = entries[(published.pk, corner.name)].survey, entries[(open_round.pk, corner.name)].survey
        _feedback(world, corner, *surveys, staff)
        for assignment in entries[(published.pk, corner.name)].assignments.select_related("expert__user"):
            _score(world, corner, assignment, submit=True)
        for assignment in entries[(open_round.pk, corner.name)].assignments.select_related("expert__user"):
            if assignment.expert.user == world.users.get(Role.EXPERT):
                _score(world, corner, assignment, submit=False)  # saved, not yet submitted: the expert may still submit
    rounds.round_publish(published, by=staff)
    for corner in corners:
        entry = entries[(published.pk, corner.name)]
        entry.refresh_from_db()
        if corner is world.own:
            objection = objections.objection_lodge(entry, by=corner.org_user, content=f"{corner.marker}机构异议私密")
        else:
            objection = objections.objection_lodge(
                entry,
                by=None,
                name=f"{corner.marker}居民",
                contact="13900000000",
                content=f"{corner.marker}公众异议私密",
            )
        corner.add(objection)
        world.private_texts += [objection.content]
    # The records as the rounds left them (statuses, results), their cached relations dropped.
    for corner in [*corners, bureau_corner, rating, scoring_corner]:
        for model, objs in corner.objects.items():
            if model._meta.app_label == "evaluation":
                for obj in objs:
                    obj.refresh_from_db()
    return [rating, scoring_corner]


def _feedback(world, corner, survey, open_survey, staff) -> None:
    """Answers to the published round's survey (online, with a code, a paper batch; one code left
    unused) and to the open round's survey (one counted, one set aside as a burst)."""
    marker = corner.marker
    codes = feedback.codes_issue(survey, by=staff, count=2)
    answers = [
        feedback.response_submit(
            survey, knew=True, took_part=True, satisfaction=5, comment=f"{marker}网上意见私密", client_key="a"
        ),
        feedback.response_submit(
            survey, knew=True, took_part=False, satisfaction=4, comment=f"{marker}扫码意见私密", code=codes[0].code
        ),
    ]
    batch = feedback.paper_batch_enter(
        survey,
        by=staff,
        collected_on=dt.date(2026, 5, 1),
        rows=[{"knew": True, "took_part": True, "satisfaction": 3, "comment": f"{marker}纸质意见私密"}],
        place=f"{marker}社区活动室",
        notes=f"{marker}纸质问卷",
    )
    with override_settings(EVALUATION_FLOOD_LIMIT=1):
        answers += [
            feedback.response_submit(
                open_survey,
                knew=False,
                took_part=False,
                satisfaction=2,
                comment=f"{marker}首条意见私密",
                client_key="b",
            ),
            feedback.response_submit(
                open_survey,
                knew=False,
                took_part=False,
                satisfaction=1,
                comment=f"{marker}暂存意见私密",
                client_key="b",
            ),
        ]
    corner.add(*codes, batch, *batch.responses.all(), *answers)
    world.private_texts += [a.comment for a in answers] + [r.comment for r in batch.responses.all()]
    world.private_texts += [code.code for code in codes]


def _score(world, corner, assignment, *, submit: bool) -> None:
    indicators = assignment.round.scheme.indicators.filter(source=IndicatorSource.EXPERT)
    values = {i.pk: {"value": "85", "comment": f"{corner.marker}评语私密"} for i in indicators}
    corner.add(*scoring.scores_save(assignment, by=assignment.expert.user, values=values))
    world.private_texts.append(f"{corner.marker}评语私密")
    if submit:
        scoring.scores_submit(assignment, by=assignment.expert.user)


def _grade(corner) -> None:
    """A grade of the corner's (registered) organization."""
    corner.add(
        grades.grade_award(
            corner.organization,
            by=None,
            score="850.0",
            grade=4,
            awarded_on=dt.date(2025, 11, 1),
            decision_number=f"{corner.marker}评估决定",
        )
    )


def _filed(world) -> list:
    """A filed community organization in community 1-1 and one in the other district, each with the
    street's annual review."""
    from .world import Corner

    places = world.places
    other_officer = make_user(Role.STREET_OFFICER, places.other_street, full_name="乙区街道专干")
    found = []
    for name, place, marker, officer in (
        ("filed", places.community11, "qzFIq", world.users[Role.STREET_OFFICER]),
        ("filed_other", places.other_community, "qzFOq", other_officer),
    ):
        organization = make_organization(place, name=f"{marker}社区社会组织", legal_form=LegalForm.COMMUNITY_FILED)
        corner = Corner(name, place, marker, organization=organization)
        review = community.community_review_score(
            organization,
            by=officer,
            year=2025,
            governance=20,
            activities=20,
            contribution=20,
            residents_view=20,
            street_opinion=f"{marker}街道意见",
        )
        corner.add(organization, review)
        found.append(corner)
    return found
