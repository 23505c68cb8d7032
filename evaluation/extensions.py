"""What the registry's pages show of evaluation (registry.extensions), without the registry importing
evaluation:

- on the organization's page, a panel with its current grade and grade history, its annual community
  reviews and its published project star ratings, as far as the user may read each; and the buttons
  to record a grade (registered organizations) or score the annual review (filed ones);
- on the public register, the current grade (the badge) and the published star ratings (rounds in
  publicity or closed).

Imported by EvaluationConfig.ready().
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registry import extensions

from . import grading
from . import permissions as rules
from .models import CommunityReview, OrgGrade, RoundProject
from .models.policies import PUBLISHED

SHOWN = 10


def star_text(stars) -> str:
    return "★" * stars + "☆" * (5 - stars) if stars else ""


def _ratings(queryset, organization) -> list[RoundProject]:
    entries = list(
        queryset.filter(project__organization=organization, round__status__in=PUBLISHED, stars__isnull=False)
        .select_related("round", "project")
        .order_by("-round__publicity_starts_on", "-pk")[:SHOWN]
    )
    for entry in entries:
        entry.star_text = star_text(entry.stars)
    return entries


def _organization_panel(user, organization):
    """The organization's grades, community reviews and published ratings the user may read."""
    grades = list(OrgGrade.objects.restrict(user).filter(organization=organization).order_by("-awarded_on", "-pk"))
    current = grading.current_grade(organization) if grades else None
    context = {
        "organization": organization,
        "current_grade": current,
        "grades": grades[:SHOWN],
        "reviews": list(
            CommunityReview.objects.restrict(user).filter(organization=organization).order_by("-year")[:SHOWN]
        ),
        "ratings": _ratings(RoundProject.objects.restrict(user), organization),
        "can_award": not organization.is_filed and rules.may_award_grade(user, organization)[0],
        "can_review": organization.is_filed and rules.may_score_community_review(user, organization)[0],
    }
    shown = ("grades", "reviews", "ratings", "can_award", "can_review")
    return context if any(context[k] for k in shown) else None


def _public_facts(organization):
    """The current grade's label and the published star ratings, for the public register."""
    current = grading.current_grade(organization)
    ratings = _ratings(RoundProject.objects.all(), organization)
    for entry in ratings:
        entry.public_url = reverse("evaluation_public:round_detail", args=[entry.round_id])
    facts = {"grade": current.get_grade_display() if current is not None else None}
    if ratings:
        facts["panels"] = [("evaluation/public/register_ratings.html", {"ratings": ratings})]
    return facts


def _may_award(user, organization):
    if organization.is_filed:
        return False, ""
    return rules.may_award_grade(user, organization)


def _may_review(user, organization):
    if not organization.is_filed:
        return False, ""
    return rules.may_score_community_review(user, organization)


extensions.register_panel(extensions.Panel("evaluation/grades/organization_panel.html", _organization_panel,
                                           order=60))  # fmt: skip
extensions.register_public_facts(_public_facts)
extensions.register_action(
    extensions.Action("record-grade", _("Record a grade"), "evaluation:orggrade_create", _may_award, order=60)
)
extensions.register_action(
    extensions.Action(
        "community-review", _("Score the annual review"), "evaluation:communityreview_create", _may_review, order=61
    )
)
