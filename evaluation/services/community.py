"""The annual 评估评议 of a filed community organization: the street scores four parts of 25 points
with its opinion, the community party secretary adds the party organization's opinion
(COMMUNITY_REVIEW "give_opinion"), and the total gives the year's conclusion: ≥ 90 优秀,
≥ 75 合格, ≥ 60 基本合格, else 不合格. One review per organization and year; never deleted."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction
from registry.choices import LegalForm
from registry.models import Organization

from .. import permissions as rules
from ..choices import CommunityReviewStatus, ReviewConclusion
from ..models import CommunityReview
from ..models.grades import PART_MAX
from ..workflows import COMMUNITY_REVIEW

PARTS = ("governance", "activities", "contribution", "residents_view")
FIELDS = ("year", *PARTS, "street_opinion")
# (lowest total, conclusion), best first.
CONCLUSIONS = (
    (90, ReviewConclusion.EXCELLENT),
    (75, ReviewConclusion.QUALIFIED),
    (60, ReviewConclusion.BASIC),
)


def conclusion_for(total: int) -> str:
    for minimum, conclusion in CONCLUSIONS:
        if total >= minimum:
            return conclusion
    return ReviewConclusion.UNQUALIFIED


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _part_labels() -> dict:
    return {
        "governance": _("Organization and governance"),
        "activities": _("Activities held"),
        "contribution": _("Role in the community"),
        "residents_view": _("Residents' opinion"),
    }


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _read(values: dict, errors: dict) -> dict:
    """The given fields checked: year a plausible year not in the future, each part 0–25, the
    street's opinion given."""
    clean = {}
    if "year" in values:
        year = _whole(values["year"])
        if year is None or not bounds.YEAR_MIN <= year <= bounds.YEAR_MAX:
            errors["year"] = _("Year: enter a year such as 2026.")
        elif year > timezone.localdate().year:
            errors["year"] = _("Year: the year cannot be in the future.")
        else:
            clean["year"] = year
    labels = _part_labels()
    for part in PARTS:
        if part not in values:
            continue
        points = _whole(values[part])
        if points is None or not 0 <= points <= PART_MAX:
            errors[part] = _("%(field)s: enter whole points from 0 to %(max)d.") % {
                "field": labels[part],
                "max": PART_MAX,
            }
        else:
            clean[part] = points
    if "street_opinion" in values:
        opinion = str(values["street_opinion"] or "").strip()
        if not opinion:
            errors["street_opinion"] = _("Street's opinion: please fill this in.")
        elif len(opinion) > bounds.SHORT_TEXT_MAX:
            errors["street_opinion"] = _("Street's opinion: at most %(n)d characters.") % {"n": bounds.SHORT_TEXT_MAX}
        else:
            clean["street_opinion"] = opinion
    return clean


def _once_a_year(review: CommunityReview, errors: dict) -> None:
    if "year" in errors:
        return
    taken = CommunityReview.objects.filter(organization=review.organization, year=review.year).exclude(pk=review.pk)
    if taken.exists():
        errors["year"] = _("Year: %(name)s already has its review for %(year)d.") % {
            "name": review.organization.name,
            "year": review.year,
        }


def _total(review: CommunityReview) -> None:
    review.total = sum(getattr(review, part) for part in PARTS)
    review.conclusion = conclusion_for(review.total)


def _person(by):
    if by is None or not getattr(by, "pk", None):
        raise ValueError("A community review is scored by a person: pass `by`.")
    return by


@transaction.atomic
def community_review_score(
    organization, *, by, year, governance, activities, contribution, residents_view, street_opinion
) -> CommunityReview:
    """The street's score of a filed community organization for `year`."""
    organization = Organization.objects.select_for_update(of=("self",)).select_related("region").get(pk=organization.pk)
    _require(rules.may_score_community_review(by, organization))
    by = _person(by)
    errors: dict = {}
    if organization.legal_form != LegalForm.COMMUNITY_FILED:
        errors["organization"] = _(
            "Organization: %(name)s is a registered organization; the annual community review is for filed "
            "community organizations (registered ones receive grades)."
        ) % {"name": organization.name}
    values = {
        "year": year,
        "governance": governance,
        "activities": activities,
        "contribution": contribution,
        "residents_view": residents_view,
        "street_opinion": street_opinion,
    }
    clean = _read(values, errors)
    review = CommunityReview(organization=organization, scored_by=by, created_by=by, **clean)
    if "year" in clean:
        _once_a_year(review, errors)
    if errors:
        raise ValidationError(errors)
    _total(review)
    review.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=review)
    return review


@transaction.atomic
def community_review_update(review, *, by, **values) -> CommunityReview:
    """Correct the street's score while the party organization's opinion is awaited."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"CommunityReview fields not settable here: {sorted(unknown)}")
    review = (
        CommunityReview.objects.select_for_update(of=("self",)).select_related("organization__region").get(pk=review.pk)
    )
    _require(rules.may_score_community_review(by, review.organization))
    by = _person(by)
    if review.status != CommunityReviewStatus.SCORED:
        raise ValidationError(
            {"status": _("Status: the party organization has given its opinion; the review is final.")}
        )
    errors: dict = {}
    clean = _read(values, errors)
    before = audit.snapshot(review)
    for name, value in clean.items():
        setattr(review, name, value)
    if "year" in clean:
        _once_a_year(review, errors)
    if errors:
        raise ValidationError(errors)
    _total(review)
    review.scored_by = by
    review.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=review, before=before)
    return review


def community_review_opinion(review, *, by, opinion) -> CommunityReview:
    """The community party secretary's opinion; the review becomes final."""

    def effect(current, _transition):
        current.party_opinion = str(opinion or "").strip()
        current.party_opinion_by = by if by is not None and getattr(by, "pk", None) else None
        current.party_opinion_at = timezone.now()

    return COMMUNITY_REVIEW.apply(review, "give_opinion", by=by, reason=opinion, effect=effect)
